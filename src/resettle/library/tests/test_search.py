"""Search on the engine the suite runs on (CI runs it on SQLite and on PostgreSQL):
the same hand-checked, ordered ids on both, access levels inside the query, facets."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from resettle.library.models import LibraryItem
from resettle.library.search import Filters, search
from resettle.library.services import do_delete_item, do_update_item
from resettle.library.tests.corpus import build_corpus, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(world: SimpleNamespace) -> SimpleNamespace:
    return build_corpus(world)


def hits(query: str, user: Any, **filters: Any) -> list[int]:
    return search(query, user, filters=Filters(**filters)).ids


# Ranking (search.py): per term 4 points in the title, 2 among the text's stems met
# twice, 1 in the summary; then the newest year, then the highest id.
#
# "integration": en_members 4 (title) + 2 (twice in its text) = 6; fr_integration
# 4 (title) + 1 (summary) = 5; fr_parrainage and en_sponsorship 0 (text only), 2023
# before 2021; en_forum 0, 2020.
def test_ranking_for_each_access_level(world: SimpleNamespace, corpus: SimpleNamespace) -> None:
    u = world.users
    visitor = ids(corpus, "fr_integration", "fr_parrainage", "en_sponsorship")
    assert hits("integration", None) == visitor
    member = ids(corpus, "en_members", "fr_integration", "fr_parrainage", "en_sponsorship")
    assert hits("integration", u["other"]) == member
    assert hits("integration", u["refugee"]) == member
    assert hits("integration", u["ngo"]) == [*member, corpus.en_forum.pk]
    assert hits("integration", u["unhcr"]) == [*member, corpus.en_forum.pk]


def test_french_words_and_accents(corpus: SimpleNamespace) -> None:
    # Both words in fr_integration's title (8); fr_parrainage has réfugiés in its
    # summary (1) and both in its text.
    expected = ids(corpus, "fr_integration", "fr_parrainage")
    assert hits("réfugiés réinstallés", None) == expected
    assert hits("REFUGIES reinstalles", None) == expected
    # An English and a French word meet on one stem.
    assert hits("intégration", None) == hits("integration", None)


def test_arabic_with_and_without_diacritics_find_the_same(
    world: SimpleNamespace, corpus: SimpleNamespace
) -> None:
    # ar_integration has both words in its title (8); ar_sponsorship (2024) and the
    # members-only ar_members (2022) in their text only.
    visitor = ids(corpus, "ar_integration", "ar_sponsorship")
    assert hits("إعادة التوطين", None) == visitor
    assert hits("إِعَادَةُ التَّوْطِينِ", None) == visitor
    assert hits("اعاده التوطين", None) == visitor
    member = ids(corpus, "ar_integration", "ar_sponsorship", "ar_members")
    assert hits("إِعَادَةُ التَّوْطِينِ", world.users["state"]) == member
    # The text of ar_integration is written with diacritics; the query without.
    assert hits("الاندماج", None) == ids(corpus, "ar_integration")
    assert hits("الِانْدِمَاجُ", None) == ids(corpus, "ar_integration")


def test_members_only_items_never_reach_a_visitor(
    client: Any, world: SimpleNamespace, corpus: SimpleNamespace
) -> None:
    for query in ("confidential survey", "integration outcomes", "تقرير سري", "adjudication"):
        assert search(query, None).total == 0
    results = search("integration", None)
    assert "report" not in {f.value for f in results.facets["kinds"]}
    assert "data" not in {f.value for f in results.facets["themes"]}
    assert results.total == 3
    # Nor through the page or the API, not even the title.
    for url in ("/library/?q=confidential", "/library/?q=integration", "/library/"):
        page = client.get(url).content.decode()
        assert "Confidential integration outcomes survey" not in page
        assert "تقرير سري" not in page
    api = client.get("/api/v1/library/search", {"q": "survey"}).json()
    assert api["total"] == 0 and api["hits"] == []


def test_facets_count_the_accessible_matches(
    world: SimpleNamespace, corpus: SimpleNamespace
) -> None:
    results = search("integration", None)
    facets = {name: {f.value: f.count for f in values} for name, values in results.facets.items()}
    assert facets["kinds"] == {"practice_note": 2, "handbook": 1}
    assert facets["themes"] == {"integration": 2, "sponsorship": 2}
    assert facets["years"] == {"2023": 1, "2022": 1, "2021": 1}
    assert facets["languages"] == {"fr": 2, "en": 1}
    assert facets["forums"] == {str(world.public_forum.pk): 3}
    member = search("integration", world.users["ngo"])
    kinds = {f.value: f.count for f in member.facets["kinds"]}
    assert kinds == {"practice_note": 3, "handbook": 1, "report": 1}
    forums = {f.value: f.count for f in member.facets["forums"]}
    assert forums == {str(world.public_forum.pk): 4, str(world.members_forum.pk): 1}
    # The members-only forum is not named to those outside it, even where they see items.
    other = search("integration", world.users["other"])
    assert str(world.members_forum.pk) not in {f.value for f in other.facets["forums"]}


def test_filters(world: SimpleNamespace, corpus: SimpleNamespace) -> None:
    assert hits("", None, themes=("sponsorship",)) == ids(
        corpus, "ar_sponsorship", "fr_parrainage", "en_sponsorship"
    )
    assert hits("", None, themes=("sponsorship", "integration")) == ids(corpus, "en_sponsorship")
    assert hits("integration", None, language="fr") == ids(
        corpus, "fr_integration", "fr_parrainage"
    )
    assert hits("integration", None, kind="handbook") == ids(corpus, "en_sponsorship")
    # Same score and year: the highest id (the later one) first.
    assert hits("", None, year=2022, kind="practice_note") == ids(
        corpus, "fr_integration", "en_remote"
    )
    assert hits("integration", world.users["ngo"], forum=world.members_forum.pk) == ids(
        corpus, "en_forum"
    )


def test_empty_query_lists_readable_items_newest_first(corpus: SimpleNamespace) -> None:
    results = search("", None)
    assert results.total == 6
    years = [LibraryItem.objects.get(pk=pk).year for pk in results.ids]
    assert years == sorted(years, reverse=True)


def test_snippets_escape_then_mark(world: SimpleNamespace) -> None:
    from resettle.library.services import save_item_unchecked

    save_item_unchecked(
        LibraryItem(),
        {
            "title": "Integration <b>tips</b>",
            "body": "Use <script>x</script> for integration & housing.",
            "kind": "practice_note",
            "access": "public",
        },
        actor=None,
    )
    hit = search("integration", None).hits[0]
    assert hit.title_html == "<mark>Integration</mark> &lt;b&gt;tips&lt;/b&gt;"
    assert hit.snippet_html == (
        "Use &lt;script&gt;x&lt;/script&gt; for <mark>integration</mark> &amp; housing."
    )
    arabic = save_item_unchecked(
        LibraryItem(),
        {
            "title": "دليل",
            "body": "يَدْعَمُ بَرْنَامَجُ إِعَادَةِ التَّوْطِينِ",
            "kind": "handbook",
            "text_language": "ar",
            "access": "public",
        },
        actor=None,
    )
    found = search("اعادة", None).hits[0]
    assert found.item.pk == arabic.pk
    assert found.snippet_html == "يَدْعَمُ بَرْنَامَجُ <mark>إِعَادَةِ</mark> التَّوْطِينِ"


def test_index_follows_updates_and_deletes(world: SimpleNamespace, corpus: SimpleNamespace) -> None:
    admin = world.users["admin"]
    item = corpus.en_remote
    assert hits("interpreters", None) == [item.pk]
    do_update_item(item, {"body": "Translators joined the video calls."}, actor=admin)
    assert hits("interpreters", None) == []
    assert hits("translators", None) == [item.pk]
    do_delete_item(item, actor=admin)
    assert hits("translators", None) == []


def test_engine(corpus: SimpleNamespace) -> None:
    """The index of the engine in use exists (FTS5 on SQLite, GIN on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM library_fts")
            assert cursor.fetchone()[0] == len(vars(corpus))
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'library_text_search'"
            )
            assert "gin" in cursor.fetchone()[0].lower()


def test_pagination(world: SimpleNamespace, corpus: SimpleNamespace) -> None:
    first = search("", world.users["admin"], page=1, page_size=4)
    second = search("", world.users["admin"], page=2, page_size=4)
    third = search("", world.users["admin"], page=3, page_size=4)
    assert (first.total, first.pages) == (9, 3)
    assert len(first.ids + second.ids + third.ids) == 9
    assert len(set(first.ids + second.ids + third.ids)) == 9


def test_search_rows_follow_the_items_access_rule(
    world: SimpleNamespace, corpus: SimpleNamespace
) -> None:
    """The copies of access fields in LibraryText give the items visible_to gives."""
    from resettle.library.services import save_item_unchecked

    save_item_unchecked(
        LibraryItem(owner=world.other_org),
        {
            "title": "Own note",
            "kind": "practice_note",
            "body": "x",
            "access": "forum_members",
            "forums": [world.members_forum],
        },
        actor=None,
    )
    for name, user in world.users.items():
        expected = sorted(LibraryItem.objects.visible_to(user).values_list("pk", flat=True))
        found = sorted(search("", user, page_size=100).ids)
        assert found == expected, name
