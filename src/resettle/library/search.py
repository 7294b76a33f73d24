"""One search interface over the knowledge library, on SQLite (FTS5) and PostgreSQL
(full text with a GIN index) alike.

Both engines index the same string, `LibraryText.search_tokens`: the item's
words normalised and stemmed in Python (library/textnorm.py). A query goes
through the same functions, so both engines compare exactly the same stems:

- SQLite: the FTS5 table `library_fts` (tokenizer unicode61 remove_diacritics 2),
  an external-content index of `library_librarytext.search_tokens` kept in sync
  by triggers (migration 0002), queried with `MATCH '("a" OR "b") AND "c"'`;
- PostgreSQL: a GIN index on the stored generated column `search_vector`,
  `to_tsvector('simple', search_tokens)` (migration 0002), queried with
  `to_tsquery('simple', '(''a'' | ''b'') & ''c''')`.

Every query term must match (AND); a Latin word matches under its English or
its French stem (OR). Ranking is one SQL expression that both engines evaluate
alike, so the order is the same: per term, 4 points when it is in the title,
2 when it is among the text's most frequent stems (met twice or more), 1 when
it is in the summary; then the newest year, then the highest id.

A search reads one narrow table, LibraryText, which holds copies of the item's
access and facet fields beside its stems. Access levels are part of every
statement (access_sql, the same rule as LibraryItemQuerySet.visible_to): an item
the user may not read is neither a hit nor counted in a facet. Facets count the
matches with the filters applied (drill-down).

A search is three statements, written here in SQL for both engines:

1. one pass over the matches (aggregate_sql): their number, and their kinds,
   facet masks, forums and sort keys as joined strings, which library/tally.py
   counts (a broad query matches thousands of items: a database GROUP BY with a
   conditional count per facet value cost several times more);
2. the ranking (rank): the matches best placed by (year, id) are scored first; a
   page whose places no other match can take (tally.settled) is answered from
   them, else the database ranks every match (ORDER BY score ... LIMIT);
3. the page's items, whose titles and snippets are highlighted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Q

from resettle.accounts.models import User
from resettle.forums.models import Forum
from resettle.library import tally
from resettle.library.models import (
    ITEM_LANGUAGES,
    ItemAccess,
    ItemKind,
    LibraryItem,
    Theme,
    is_member,
    member_forum_ids,
    sees_every_item,
)
from resettle.library.snippets import highlight, snippet
from resettle.library.tally import KEY_FACTOR, KEY_YEAR_OFFSET
from resettle.library.textnorm import query_terms

PAGE_SIZE = 20
TITLE_POINTS, KEYWORD_POINTS, SUMMARY_POINTS = 4, 2, 1

Term = tuple[str, ...]


@dataclass(frozen=True)
class Filters:
    """What the results are narrowed to (every given filter must hold)."""

    themes: Sequence[str] = ()
    kind: str = ""
    language: str = ""
    year: int | None = None
    forum: int | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return not (self.themes or self.kind or self.language or self.year or self.forum)


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet and how many matches have it."""

    value: str
    count: int
    label: str = ""


@dataclass
class Hit:
    """One result: the item, its score, its title and a passage with the matches marked."""

    item: LibraryItem
    score: int
    title_html: str
    snippet_html: str


@dataclass
class Results:
    """A page of ranked hits, the number of matches and the facets."""

    query: str
    terms: list[Term]
    hits: list[Hit]
    total: int
    page: int
    pages: int
    page_size: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        """The ids of this page's hits, in rank order."""
        return [hit.item.pk for hit in self.hits]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# ---- the SQL of a search: the matches, access, filters ------------------------------

Sql = tuple[str, list[Any]]
THEMES: list[str] = list(Theme.values)
KINDS: list[str] = list(ItemKind.values)


def _contains(vendor: str, column: str) -> str:
    # A plain substring test, cheaper than LIKE and the same on both engines.
    return f"{'instr' if vendor == 'sqlite' else 'strpos'}({column}, %s) > 0"


def reads_by_rule(user: User | None) -> bool:
    """Whether what the user reads depends on their organisation and forums (not a
    visitor, not someone who reads every item)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return not sees_every_item(user)


def access_sql(user: User | None, vendor: str, forum_ids: Sequence[int]) -> Sql | None:
    """LibraryItemQuerySet.visible_to, on the copies of the item's fields in LibraryText
    (None: every item); `forum_ids` are the user's forums (member_forum_ids).
    test_search checks that both give the same items."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "t.access = %s", [ItemAccess.PUBLIC.value]
    if sees_every_item(user):
        return None
    parts = ["t.access = %s", "t.author_id = %s"]
    params: list[Any] = [ItemAccess.PUBLIC.value, user.pk]
    if is_member(user):
        parts.append("t.access = %s")
        params.append(ItemAccess.MEMBERS.value)
    if user.organisation_id:
        parts.append("t.owner_org_id = %s")
        params.append(user.organisation_id)
    for forum_id in forum_ids:
        parts.append(f"(t.access = %s AND {_contains(vendor, 't.forum_ids')})")
        params += [ItemAccess.FORUM_MEMBERS.value, f",{forum_id},"]
    return "(" + " OR ".join(parts) + ")", params


def filters_sql(filters: Filters, vendor: str) -> Sql | None:
    """The conditions of the filters (None: an unknown theme or language, which no item
    has)."""
    parts: list[str] = []
    params: list[Any] = []
    for theme in filters.themes:
        if theme not in THEMES:
            return None
        parts.append("(t.themes_mask & %s) > 0")
        params.append(1 << THEMES.index(theme))
    if filters.kind:
        parts.append("t.kind = %s")
        params.append(filters.kind)
    if filters.language:
        if filters.language not in ITEM_LANGUAGES:
            return None
        parts.append("(t.languages_mask & %s) > 0")
        params.append(1 << ITEM_LANGUAGES.index(filters.language))
    if filters.year:
        parts.append("t.year = %s")
        params.append(filters.year)
    if filters.forum:
        parts.append(_contains(vendor, "t.forum_ids"))
        params.append(f",{filters.forum},")
    return " AND ".join(parts), params


def fts5_expression(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: every term, any of its alternatives."""
    groups = ["(" + " OR ".join(f'"{alt}"' for alt in term) + ")" for term in terms]
    return " AND ".join(groups)


def tsquery_expression(terms: Sequence[Term]) -> str:
    """A to_tsquery expression: every term, any of its alternatives."""
    groups = ["(" + " | ".join(f"'{alt}'" for alt in term) + ")" for term in terms]
    return " & ".join(groups)


def matches_sql(
    terms: Sequence[Term],
    user: User | None,
    filters: Filters,
    vendor: str,
    forum_ids: Sequence[int] = (),
) -> Sql | None:
    """`FROM ... WHERE ...` of the search rows (alias t) of the items the user may read
    that match every term and pass the filters (None: nothing can match).

    On SQLite the FTS5 table drives the join (CROSS JOIN keeps it outside): its
    matches come in rowid order, each then one look-up of the row, or of the
    narrow covering index library_text_facets (fts.py), which holds every column
    the aggregate reads. On PostgreSQL the GIN index gives a bitmap of the rows."""
    where: list[str] = []
    params: list[Any] = []
    source = "library_librarytext t"
    if terms:
        if vendor == "sqlite":
            source = "library_fts CROSS JOIN library_librarytext t ON t.id = library_fts.rowid"
            where.append("library_fts MATCH %s")
            params.append(fts5_expression(terms))
        elif vendor == "postgresql":
            where.append("t.search_vector @@ to_tsquery('simple'::regconfig, %s)")
            params.append(tsquery_expression(terms))
        else:
            raise NotImplementedError(f"library search does not support {vendor}")
    access = access_sql(user, vendor, forum_ids)
    if access is not None:
        where.append(access[0])
        params += access[1]
    narrowed = filters_sql(filters, vendor)
    if narrowed is None:
        return None
    if narrowed[0]:
        where.append(narrowed[0])
        params += narrowed[1]
    return f"FROM {source} WHERE {' AND '.join(where) or '1 = 1'}", params


def aggregate_sql(vendor: str, with_facets: bool) -> str:
    """The SELECT list of the one pass over the matches: their number, kinds, facet
    masks, forums and sort keys, each list joined into one string (see library/tally.py
    for the formats)."""
    year = f"(coalesce(t.year, 0) + {KEY_YEAR_OFFSET})"
    masks = f"(t.themes_mask | (t.languages_mask << {len(THEMES)}))"
    if vendor == "sqlite":
        joined = [
            "group_concat(t.kind, ',,')",
            f"group_concat({masks}, ',')",
            "group_concat(t.forum_ids, '')",
            f"group_concat({year} * {KEY_FACTOR} + t.item_id, ',')",
        ]
    else:
        joined = [
            "string_agg(t.kind, ',,')",
            f"string_agg({masks}::text, ',')",
            "string_agg(t.forum_ids, '')",
            f"string_agg(({year}::bigint * {KEY_FACTOR} + t.item_id)::text, ',')",
        ]
    if not with_facets:
        joined[:3] = ["NULL"] * 3
    return "SELECT count(*), " + ", ".join(joined)


def score_sql(terms: Sequence[Term], vendor: str) -> Sql:
    """The rank of a search row for the terms (see the module docstring): STRPOS on
    PostgreSQL, INSTR on SQLite, a plain substring search giving the same on both."""
    find = "instr" if vendor == "sqlite" else "strpos"
    parts: list[str] = []
    params: list[Any] = []
    for term in terms:
        for column, points in (
            ("t.rank_title", TITLE_POINTS),
            ("t.rank_keywords", KEYWORD_POINTS),
            ("t.rank_summary", SUMMARY_POINTS),
        ):
            found = " OR ".join(f"{find}({column}, %s) > 0" for _alt in term)
            parts.append(f"CASE WHEN {found} THEN {points} ELSE 0 END")
            params += [f" {alt} " for alt in term]
    return " + ".join(parts) or "0", params


# ---- the search ----------------------------------------------------------------------

# The ranking first scores the matches best placed by (year, id), FIRST_CANDIDATES
# times as many as the page needs (at least MIN_CANDIDATES), then four times as many
# while that stays within MAX_CANDIDATES; if the page is still not settled
# (tally.settled), the database ranks every match.
FIRST_CANDIDATES, MIN_CANDIDATES, MAX_CANDIDATES = 4, 100, 2000


def _scores(cursor: Any, terms: Sequence[Term], ids: Sequence[int], vendor: str) -> dict[int, int]:
    if not ids:
        return {}
    score, params = score_sql(terms, vendor)
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"SELECT t.item_id, {score} FROM library_librarytext t "  # noqa: S608 - our SQL, values bound
        f"WHERE t.item_id IN ({marks})",
        [*params, *ids],
    )
    return {int(pk): int(points) for pk, points in cursor.fetchall()}


def rank(
    cursor: Any,
    terms: Sequence[Term],
    keys: Sequence[str],
    *,
    matches: Sql,
    offset: int,
    page_size: int,
    vendor: str,
    first: int = FIRST_CANDIDATES,
    least: int = MIN_CANDIDATES,
    most: int = MAX_CANDIDATES,
) -> list[tuple[int, int]]:
    """(item id, score) of the page's hits, in rank order: score, then newest year,
    then highest id. `keys` are the matches' sort keys, ascending (tally.py); `first`,
    `least` and `most` size the candidates (see FIRST_CANDIDATES)."""
    needed = offset + page_size
    if not terms:  # every match scores 0: the order of the keys
        return [(pk, 0) for pk in tally.candidates(keys, needed)[offset:]]
    best = (TITLE_POINTS + KEYWORD_POINTS + SUMMARY_POINTS) * len(terms)
    scores: dict[int, int] = {}
    wanted = max(first * needed, least, 1)
    while wanted <= most:
        ids = tally.candidates(keys, wanted)
        scores.update(_scores(cursor, terms, [pk for pk in ids if pk not in scores], vendor))
        # The candidates come best placed first: a stable sort on the score alone
        # gives the rank order.
        ranked = sorted(((pk, scores[pk]) for pk in ids if pk in scores), key=lambda h: -h[1])
        complete = len(ids) >= len(keys)
        if tally.settled([s for _pk, s in ranked], needed, best, complete):
            return ranked[offset:needed]
        wanted *= 4
    score, score_params = score_sql(terms, vendor)
    cursor.execute(
        f"SELECT t.item_id, {score} {matches[0]} "
        "ORDER BY 2 DESC, coalesce(t.year, 0) DESC, t.item_id DESC LIMIT %s OFFSET %s",
        [*score_params, *matches[1], page_size, offset],
    )
    return [(int(pk), int(points)) for pk, points in cursor.fetchall()]


def facet_values(
    aggregate: tally.Aggregate,
    years: Counter[str],
    user: User | None,
    *,
    own_forums: Sequence[int],
    using: str,
) -> dict[str, list[FacetValue]]:
    """The facets of the matches, most frequent first (years newest first); forums
    the user may not see are left out. The user's own forums (member_forum_ids) are
    among those Forum.visible_to gives them: only the others are looked up."""
    themes, languages = tally.mask_counts(aggregate.masks, THEMES, ITEM_LANGUAGES)
    forums = tally.forum_counts(aggregate.forums)
    others = set(forums) - {str(pk) for pk in own_forums}
    if others:
        visible = (
            Forum.objects.using(using).visible_to(user).filter(pk__in=sorted(map(int, others)))
        )
        hidden = others - {str(pk) for pk in visible.values_list("pk", flat=True)}
        forums = Counter({k: v for k, v in forums.items() if k not in hidden})

    def ordered(counter: Counter[str], *, by_value: bool = False) -> list[FacetValue]:
        if by_value:
            keys = sorted(counter, reverse=True)
        else:
            keys = sorted(counter, key=lambda k: (-counter[k], k))
        return [FacetValue(k, counter[k]) for k in keys]

    return {
        "themes": ordered(themes),
        "kinds": ordered(tally.kind_counts(aggregate.kinds, KINDS)),
        "languages": ordered(languages),
        "years": ordered(years, by_value=True),
        "forums": ordered(forums),
    }


def search(
    query: str,
    user: User | None,
    *,
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    using: str = "default",
    with_facets: bool = True,
) -> Results:
    """Ranked, highlighted, faceted results of a query, among the items the user may read.

    An empty query (or one of stop words only) lists every readable item, newest first.

    Two or three statements: one pass over the matches counts them and their facets
    and gives their sort keys; the candidates' scores; the page's items."""
    terms = query_terms(query)
    connection = connections[using]
    vendor = connection.vendor
    own_forums = member_forum_ids(user, using) if user is not None and reads_by_rule(user) else []
    matches = matches_sql(terms, user, filters or Filters(), vendor, own_forums)
    aggregate = tally.Aggregate(0, None, None, None, None)
    ranked: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        if matches is not None:
            cursor.execute(f"{aggregate_sql(vendor, with_facets)} {matches[0]}", matches[1])
            aggregate = tally.Aggregate(*cursor.fetchone())
        keys = tally.sort_keys(aggregate.keys)
        total = aggregate.total
        pages = max(1, math.ceil(total / page_size))
        page = min(max(1, page), pages)
        offset = (page - 1) * page_size
        if matches is not None and total > offset:
            ranked = rank(
                cursor,
                terms,
                keys,
                matches=matches,
                offset=offset,
                page_size=page_size,
                vendor=vendor,
            )
    facets = {}
    if with_facets:
        years = tally.year_counts(keys)
        facets = facet_values(aggregate, years, user, own_forums=own_forums, using=using)
    items = (
        LibraryItem.objects.using(using)
        .select_related("index")
        .defer(
            "index__search_tokens",
            "index__rank_title",
            "index__rank_summary",
            "index__rank_keywords",
        )
        .in_bulk([pk for pk, _score in ranked])
    )
    hits = [
        Hit(
            item=items[pk],
            score=score,
            title_html=highlight(items[pk].title, terms),
            snippet_html=snippet(items[pk].text or items[pk].summary, terms),
        )
        for pk, score in ranked
        if pk in items  # deleted since the ranking
    ]
    return Results(
        query=query,
        terms=terms,
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        page_size=page_size,
        facets=facets,
    )


def icontains_search(
    query: str, user: User | None, *, page_size: int = PAGE_SIZE, using: str = "default"
) -> tuple[int, list[int]]:
    """The baseline the benchmark compares with: every word of the query found by a
    case-insensitive substring match in the title, summary or text, with the same
    access filtering, newest first (no normalisation, no stemming, no index)."""
    qs = LibraryItem.objects.db_manager(using).visible_to(user)
    for word in query.split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(index__extracted_text__icontains=word)
        )
    total = qs.order_by().count()
    return total, list(qs.order_by("-year", "-pk").values_list("pk", flat=True)[:page_size])
