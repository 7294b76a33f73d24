"""The knowledge library: a visitor switches to Arabic, searches with a diacritised
query, finds the note written without diacritics (and never the members-only one),
and opens it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, screenshot

pytestmark = pytest.mark.browser


def test_search_in_arabic_and_open_a_result(
    *, page: Page, browser_world: World, tmp_path: Path, settings: Any
) -> None:
    from resettle.library.models import LibraryItem
    from resettle.library.services import save_item_unchecked

    settings.MEDIA_ROOT = tmp_path / "media"
    note = save_item_unchecked(
        LibraryItem(is_illustrative=True),
        {
            "title": "إعادة التوطين والاندماج",
            "summary": "ملاحظة توضيحية عن دعم اللاجئين بعد الوصول.",
            "body": "يدعم برنامج إعادة التوطين اللاجئين في الاندماج والسكن والتعليم.",
            "kind": "practice_note",
            "text_language": "ar",
            "languages": ["ar"],
            "themes": ["integration"],
            "access": "public",
            "year": 2024,
        },
        actor=None,
    )
    save_item_unchecked(
        LibraryItem(),
        {
            "title": "تقرير سري عن إعادة التوطين",
            "body": "إعادة التوطين للأعضاء فقط.",
            "kind": "report",
            "text_language": "ar",
            "access": "members",
        },
        actor=None,
    )

    page.goto("/library/")
    page.locator("#language-form").get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("searchbox").fill("إِعَادَةُ التَّوْطِينِ")
    page.get_by_role("searchbox").press("Enter")

    results = page.get_by_test_id("results")
    expect(results.locator("li[data-id]")).to_have_count(1)
    expect(results).not_to_contain_text("تقرير سري")
    expect(results.locator("mark").first).to_have_text("إعادة")
    expect(page.get_by_test_id("facets")).to_contain_text("1")
    screenshot(page, "library-search-ar")

    results.get_by_role("link", name="إعادة التوطين والاندماج").click()
    expect(page).to_have_url(re.compile(rf"/library/{note.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("إعادة التوطين والاندماج")
    expect(page.get_by_test_id("item-text")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("item-text")).to_contain_text("الاندماج والسكن")
