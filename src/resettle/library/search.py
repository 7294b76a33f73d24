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
access and facet fields beside its stems. Access levels are part of the same
query (text_access_condition, the same rule as LibraryItemQuerySet.visible_to):
an item the user may not read is neither a hit nor counted in a facet.
Facets count the matches with the filters applied (drill-down).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, StrIndex
from django.db.models.lookups import GreaterThan

from resettle.accounts.models import User
from resettle.forums.models import Forum
from resettle.library.models import (
    ITEM_LANGUAGES,
    ItemAccess,
    ItemKind,
    LibraryItem,
    LibraryText,
    Theme,
    codes,
    is_member,
    member_forum_ids,
    sees_every_item,
)
from resettle.library.snippets import highlight, snippet
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


# ---- access, on the search rows ----------------------------------------------------


def text_access_condition(user: User | None, using: str = "default") -> Q | None:
    """LibraryItemQuerySet.visible_to, on the copies of the item's fields in LibraryText
    (None: every item). test_search checks that both give the same items."""
    public = Q(access=ItemAccess.PUBLIC)
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    if sees_every_item(user):
        return None
    cond = public | Q(author_id=user.pk)
    if is_member(user):
        cond |= Q(access=ItemAccess.MEMBERS)
    if user.organisation_id:
        cond |= Q(owner_org_id=user.organisation_id)
    for forum_id in member_forum_ids(user, using):
        cond |= Q(access=ItemAccess.FORUM_MEMBERS, forum_ids__contains=f",{forum_id},")
    return cond


# ---- the two backends ----------------------------------------------------------------


def fts5_expression(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: every term, any of its alternatives."""
    groups = ["(" + " OR ".join(f'"{alt}"' for alt in term) + ")" for term in terms]
    return " AND ".join(groups)


def tsquery_expression(terms: Sequence[Term]) -> str:
    """A to_tsquery expression: every term, any of its alternatives."""
    groups = ["(" + " | ".join(f"'{alt}'" for alt in term) + ")" for term in terms]
    return " & ".join(groups)


def match_condition(terms: Sequence[Term], using: str = "default") -> Any:
    """The search rows whose stems contain every term, by the engine's own index."""
    vendor = connections[using].vendor
    if vendor == "sqlite":
        sql = "SELECT rowid FROM library_fts WHERE library_fts MATCH %s"
        # The expression is a bound parameter; only our fixed SQL is raw.
        return Q(id__in=RawSQL(sql, [fts5_expression(terms)]))  # noqa: S611
    if vendor == "postgresql":
        sql = "search_vector @@ to_tsquery('simple'::regconfig, %s)"
        return RawSQL(sql, [tsquery_expression(terms)], output_field=BooleanField())  # noqa: S611
    raise NotImplementedError(f"library search does not support {vendor}")


def score_expression(terms: Sequence[Term]) -> Any:
    """The rank of an item for the terms (see the module docstring)."""
    parts: list[Any] = []
    for term in terms:
        for column, points in (
            ("rank_title", TITLE_POINTS),
            ("rank_keywords", KEYWORD_POINTS),
            ("rank_summary", SUMMARY_POINTS),
        ):
            # STRPOS on PostgreSQL, INSTR on SQLite: a plain substring search, much
            # cheaper than LIKE, and the same answer on both.
            cond: Any = Q()
            for alt in term:
                cond |= GreaterThan(StrIndex(column, Value(f" {alt} ")), 0)
            parts.append(Case(When(cond, then=Value(points)), default=Value(0)))
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


# ---- filters and facets --------------------------------------------------------------

THEMES: list[str] = list(Theme.values)
KINDS: list[str] = list(ItemKind.values)


def _has_bit(column: str, universe: list[str], value: str) -> Any:
    """The condition "the value's bit is set" (never true for an unknown value)."""
    if value not in universe:
        return Q(pk__in=[])
    return GreaterThan(F(column).bitand(1 << universe.index(value)), 0)


def _count_if(condition: Any) -> Any:
    # COUNT(*) FILTER (WHERE ...) on PostgreSQL; Django writes a CASE for SQLite.
    return Count("id", filter=condition)


def apply_filters(qs: QuerySet[LibraryText], filters: Filters) -> QuerySet[LibraryText]:
    """The search rows that pass every filter."""
    for theme in filters.themes:
        qs = qs.filter(_has_bit("themes_mask", THEMES, theme))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.language:
        qs = qs.filter(_has_bit("languages_mask", ITEM_LANGUAGES, filters.language))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.forum:
        qs = qs.filter(forum_ids__contains=f",{filters.forum},")
    return qs


def matching(
    query: str, user: User | None, filters: Filters | None = None, using: str = "default"
) -> tuple[QuerySet[LibraryText], list[Term]]:
    """The search rows of the items the user may read that match the query and the
    filters, and the query's terms."""
    terms = query_terms(query)
    qs = LibraryText.objects.using(using).all()
    cond = text_access_condition(user, using)
    if cond is not None:
        qs = qs.filter(cond)
    if terms:
        qs = qs.filter(match_condition(terms, using))
    return apply_filters(qs, filters or Filters()), terms


def facets(
    qs: QuerySet[LibraryText], user: User | None, using: str = "default"
) -> dict[str, list[FacetValue]]:
    """Counts of kinds, themes, languages, years and forums over the matches.

    One grouped query reads the matches once; forums the user may not see are left out."""
    kinds: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    years: Counter[str] = Counter()
    forums: Counter[str] = Counter()
    # One pass over the matches: a row per (year, forums) pair, each with conditional
    # counts of every kind, theme and language.
    counts = {f"k{i}": _count_if(Q(kind=kind)) for i, kind in enumerate(KINDS)}
    counts.update(
        {f"t{i}": _count_if(_has_bit("themes_mask", THEMES, t)) for i, t in enumerate(THEMES)}
    )
    counts.update(
        {
            f"l{i}": _count_if(_has_bit("languages_mask", ITEM_LANGUAGES, code))
            for i, code in enumerate(ITEM_LANGUAGES)
        }
    )
    rows = qs.order_by().values("year", "forum_ids").annotate(n=Count("item_id"), **counts)
    for row in rows:
        n = row["n"]
        if row["year"]:
            years[str(row["year"])] += n
        for code in codes(row["forum_ids"]):
            forums[code] += n
        for i, kind in enumerate(KINDS):
            kinds[kind] += row[f"k{i}"] or 0
        for i, theme in enumerate(THEMES):
            themes[theme] += row[f"t{i}"] or 0
        for i, code in enumerate(ITEM_LANGUAGES):
            languages[code] += row[f"l{i}"] or 0
    kinds, themes, languages = (+kinds, +themes, +languages)  # drop the zero counts
    if forums:
        visible = Forum.objects.using(using).visible_to(user).filter(pk__in=list(map(int, forums)))
        shown = {str(pk) for pk in visible.values_list("pk", flat=True)}
        forums = Counter({k: v for k, v in forums.items() if k in shown})

    def ordered(counter: Counter[str], *, by_value: bool = False) -> list[FacetValue]:
        if by_value:
            keys = sorted(counter, reverse=True)
        else:
            keys = sorted(counter, key=lambda k: (-counter[k], k))
        return [FacetValue(k, counter[k]) for k in keys]

    return {
        "themes": ordered(themes),
        "kinds": ordered(kinds),
        "languages": ordered(languages),
        "years": ordered(years, by_value=True),
        "forums": ordered(forums),
    }


# ---- the search ----------------------------------------------------------------------


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

    An empty query (or one of stop words only) lists every readable item, newest first."""
    qs, terms = matching(query, user, filters, using)
    facet_values = facets(qs, user, using) if with_facets else {}
    # Every match has one kind: the kinds facet sums to the count.
    total = sum(f.count for f in facet_values["kinds"]) if with_facets else qs.order_by().count()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    offset = (page - 1) * page_size
    ranked = list(
        qs.annotate(score=score_expression(terms), year_key=Coalesce("year", Value(0)))
        .order_by("-score", "-year_key", "-item_id")
        .values_list("item_id", "score")[offset : offset + page_size]
    )
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
    hits = []
    for pk, score in ranked:
        item = items[pk]
        hits.append(
            Hit(
                item=item,
                score=int(score),
                title_html=highlight(item.title, terms),
                snippet_html=snippet(item.text or item.summary, terms),
            )
        )
    return Results(
        query=query,
        terms=terms,
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        page_size=page_size,
        facets=facet_values,
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
