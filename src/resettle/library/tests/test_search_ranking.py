"""The search against a plain Python reference on a generated corpus (the benchmark's
generator, 90 items), on the engine the suite runs on: the same hits in the same
order, the same facets, for each kind of reader, with and without filters; and the
ranking's early answer (scoring only the newest matches) equal to the database's
ranking of every match."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resettle.forums.models import Forum
from resettle.library import tally
from resettle.library.bench import generate
from resettle.library.models import (
    ITEM_LANGUAGES,
    LibraryItem,
    Theme,
    codes,
    member_forum_ids,
)
from resettle.library.search import (
    Filters,
    aggregate_sql,
    matches_sql,
    rank,
    reads_by_rule,
    search,
)
from resettle.library.services import save_item_unchecked
from resettle.library.textnorm import query_terms

pytestmark = pytest.mark.django_db

QUERIES = [
    "integration",
    "intégration",
    "resettlement processing",
    "community sponsorship",
    "réfugiés réinstallés",
    "إعادة التوطين",
    "الاندماج",
    "data protection",
    "",
    "nothing-matches-this",
]
READERS = ["anonymous", "ngo", "other", "refugee", "admin"]


@pytest.fixture
def generated(world: SimpleNamespace) -> list[LibraryItem]:
    """90 items in three languages at every access level; some in the members-only
    forum, some in the public one, some owned or written by the refugee-led
    organisation's user, some without a year."""
    items = []
    author = world.users["refugee"]
    for i, row in enumerate(generate(90, seed=7)):
        in_members_forum = row["access"] == "forum_members" or (row["in_forum"] and i % 2)
        forums = [world.members_forum] if in_members_forum else []
        if row["in_forum"] and not in_members_forum:
            forums = [world.public_forum]
        data = {
            "title": row["title"],
            "summary": row["summary"],
            "body": row["body"],
            "kind": row["kind"],
            "text_language": row["text_language"],
            "languages": codes(row["languages"]),
            "themes": codes(row["themes"]),
            "access": row["access"],
            "year": None if i % 13 == 0 else row["year"],
            "forums": forums,
        }
        owner = world.other_org if i % 11 == 0 else None
        actor = author if i % 17 == 0 else None
        items.append(save_item_unchecked(LibraryItem(owner=owner), data, actor=actor))
    return items


def _passes(item: LibraryItem, filters: Filters) -> bool:
    forum_ids = {f.pk for f in item.forums.all()}
    return (
        all(t in item.theme_list for t in filters.themes)
        and (not filters.kind or item.kind == filters.kind)
        and (not filters.language or filters.language in item.language_list)
        and (not filters.year or item.year == filters.year)
        and (not filters.forum or filters.forum in forum_ids)
    )


def reference(query: str, user: Any, filters: Filters) -> tuple[list[int], dict[str, Any]]:
    """The ranked ids and the facets, computed in Python from the items the user may
    read (LibraryItem.visible_to) and their stems, as docs/library.md states them."""
    terms = query_terms(query)
    ranked = []
    facets: dict[str, Counter[str]] = {
        name: Counter() for name in ("themes", "kinds", "languages", "years", "forums")
    }
    visible_forums = {str(pk) for pk in Forum.objects.visible_to(user).values_list("pk", flat=True)}
    items = LibraryItem.objects.visible_to(user).select_related("index").prefetch_related("forums")
    for item in items:
        text = item.index
        tokens = set(text.search_tokens.split())
        if not all(any(alt in tokens for alt in term) for term in terms):
            continue
        if not _passes(item, filters):
            continue
        score = sum(
            points
            for term in terms
            for column, points in (
                (text.rank_title, 4),
                (text.rank_keywords, 2),
                (text.rank_summary, 1),
            )
            if any(f" {alt} " in column for alt in term)
        )
        ranked.append((score, item.year or 0, item.pk))
        facets["kinds"][item.kind] += 1
        facets["themes"].update(t for t in item.theme_list if t in Theme.values)
        facets["languages"].update(c for c in item.language_list if c in ITEM_LANGUAGES)
        if item.year:
            facets["years"][str(item.year)] += 1
        facets["forums"].update(str(f.pk) for f in item.forums.all() if str(f.pk) in visible_forums)
    ranked.sort(reverse=True)
    ordered = {
        name: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        for name, counter in facets.items()
    }
    ordered["years"] = sorted(facets["years"].items(), reverse=True)
    return [pk for _s, _y, pk in ranked], ordered


def found_facets(results: Any) -> dict[str, Any]:
    return {name: [(v.value, v.count) for v in values] for name, values in results.facets.items()}


def test_hits_and_facets_agree_with_the_reference(
    world: SimpleNamespace, generated: list[LibraryItem]
) -> None:
    checked = 0
    for query in QUERIES:
        for reader in READERS:
            user = world.users[reader]
            expected, facets = reference(query, user, Filters())
            results = search(query, user, page_size=200)
            assert results.ids == expected, (query, reader)
            assert results.total == len(expected)
            assert found_facets(results) == facets, (query, reader)
            # Page by page too (a page after the last one shows the last one).
            pages = min(3, -(-results.total // 4))
            paged = [
                pk
                for n in range(1, pages + 1)
                for pk in search(query, user, page=n, page_size=4).ids
            ]
            assert paged == expected[:12], (query, reader)
            checked += len(expected)
    assert checked > 300  # the corpus gives every reader matches to rank


def test_filters_agree_with_the_reference(
    world: SimpleNamespace, generated: list[LibraryItem]
) -> None:
    for filters in (
        Filters(language="fr"),
        Filters(themes=("integration", "data")),
        Filters(kind="report"),
        Filters(year=generated[1].year),
        Filters(forum=world.members_forum.pk),
        Filters(forum=world.public_forum.pk, kind="handbook"),
    ):
        for query in ("integration", "", "إعادة التوطين"):
            for reader in ("anonymous", "ngo", "other"):
                user = world.users[reader]
                expected, facets = reference(query, user, filters)
                results = search(query, user, filters=filters, page_size=200)
                assert results.ids == expected, (filters, query, reader)
                assert found_facets(results) == facets, (filters, query, reader)


def _keys(terms: Any, user: Any, matches: Any) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"{aggregate_sql(connection.vendor, False)} {matches[0]}", matches[1])
        return tally.sort_keys(tally.Aggregate(*cursor.fetchone()).keys)


def test_early_ranking_equals_ranking_every_match(
    world: SimpleNamespace, generated: list[LibraryItem]
) -> None:
    vendor = connection.vendor
    for query in QUERIES[:8]:
        terms = query_terms(query)
        for reader in ("anonymous", "ngo"):
            user = world.users[reader]
            own = member_forum_ids(user) if user is not None and reads_by_rule(user) else []
            matches = matches_sql(terms, user, Filters(), vendor, own)
            assert matches is not None
            keys = _keys(terms, user, matches)
            with connection.cursor() as cursor:
                for page_size in (1, 3):
                    for offset in range(0, len(keys), page_size):
                        args: dict[str, Any] = {
                            "matches": matches,
                            "offset": offset,
                            "page_size": page_size,
                            "vendor": vendor,
                        }
                        early = rank(cursor, terms, keys, first=1, least=1, most=10**6, **args)
                        every = rank(cursor, terms, keys, most=0, **args)
                        assert early == every, (query, reader, page_size, offset)


def test_a_broad_query_is_ranked_from_its_newest_matches(
    world: SimpleNamespace, generated: list[LibraryItem]
) -> None:
    """When the newest candidates already have the best score possible, the database
    does not rank every match."""
    terms = query_terms("integration")
    matches = matches_sql(terms, None, Filters(), connection.vendor)
    assert matches is not None
    keys = _keys(terms, None, matches)
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        first = rank(
            cursor,
            terms,
            keys,
            matches=matches,
            offset=0,
            page_size=1,
            vendor=connection.vendor,
            least=1,
        )
    assert first[0][1] == 7
    assert not any("ORDER BY" in q["sql"] for q in queries.captured_queries)
