"""The library's demo loader: idempotent, marked illustrative, searchable."""

from __future__ import annotations

import pytest

from resettle.demo.services import do_load_demo
from resettle.library.demo import ITEMS, load_library_demo
from resettle.library.models import LibraryItem
from resettle.library.search import search

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_is_searchable() -> None:
    assert do_load_demo().library == len(ITEMS)  # the base demo loads the library too
    assert load_library_demo() == 0
    assert LibraryItem.objects.count() == len(ITEMS)
    assert LibraryItem.objects.filter(is_illustrative=False).count() == 1  # the handbook excerpt
    titles = [h.item.title for h in search("opportunities for growth", None).hits]
    assert titles[0].endswith("opportunities for growth")
    # An Arabic query without diacritics finds the note written with them.
    arabic = [h.item.title for h in search("المقابلات عن بعد", None).hits]
    assert "المقابلات عن بعد: دروس مستفادة" in arabic
    # Members-only items stay hidden from visitors.
    assert not search("CRISP training package", None).hits
    languages = {i.text_language for i in LibraryItem.objects.all()}
    assert languages == {"en", "ar", "fr"}


def test_demo_without_the_base_demo() -> None:
    assert load_library_demo() == len(ITEMS)
    assert not LibraryItem.objects.filter(access="forum_members").exists()
