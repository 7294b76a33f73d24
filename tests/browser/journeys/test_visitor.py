"""The visitor's journey: without an account, read the gap between resettlement needs and
pledges, the public commitments, and download the open data behind them.

In English and Arabic, on a desktop and a phone, over the demo dataset; every page
audited (accessibility, translation, right to left) and weighed. docs/guide/visitor.md
walks through the same journey with its screenshots.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import Journey

pytestmark = pytest.mark.browser


def _download(page: Page, link: Any) -> tuple[str, str]:
    """Click a download link: (suggested file name, content as text)."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8-sig")


def _country_name(iso3: str, language: str) -> str:
    from resettle.directory.models import Country

    return str(getattr(Country.objects.get(iso3=iso3), f"name_{language}"))


def test_visitor_reads_the_gap_and_commitments(journey: Journey, demo: Any) -> None:
    page = journey.page
    t = journey.t

    # The landing page: what the platform holds.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Resettlement through partnership"))
    journey.audit("visitor-01-home")

    # The gap, from the main menu (on a phone, the menu opens first).
    journey.navigate("Needs and pledges", "The gap")
    expect(page).to_have_url(re.compile(r"/needs/gap/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Needs and pledges: the gap"))
    expect(page.locator("svg#gap-bars")).to_be_visible()
    # Figures are written the language's way.
    expect(page.get_by_test_id("total-need")).to_have_text(journey.integer_pattern)
    journey.audit("visitor-02-gap", charts=True)

    # Broken down by country of asylum: the panel swaps in place.
    page.get_by_label(t("Break down by")).select_option("asylum")
    expect(page).to_have_url(re.compile(r"cut=asylum"))
    gap_table = page.get_by_test_id("gap-table")
    # Countries are named in the page's language (Lebanon hosts Syrian refugees in the demo).
    expect(gap_table).to_contain_text(_country_name("LBN", journey.language))
    gap_table.scroll_into_view_if_needed()
    journey.audit("visitor-03-gap-by-asylum", charts=True)

    # The open data behind the figures: the gap table as CSV.
    sources = page.locator("section[aria-labelledby=sources]")
    sources.scroll_into_view_if_needed()
    journey.audit("visitor-04-open-data", charts=True, weigh=False)
    filename, text = _download(page, sources.get_by_test_id("export-csv").first)
    assert filename.startswith("resettle-gap-") and filename.endswith(".csv"), filename
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1, text[:500]

    # The public commitments, from the menu.
    journey.navigate("Follow-up", "Commitments")
    expect(page).to_have_url(re.compile(r"/commitments/$"))
    table = page.locator("main table").first
    expect(table).to_be_visible()
    journey.audit("visitor-05-commitments")
    filename, text = _download(page, page.get_by_test_id("exports").get_by_role("link", name="CSV"))
    assert filename.endswith(".csv"), filename
    assert len(list(csv.reader(io.StringIO(text)))) > 1, text[:500]

    # Without JavaScript the list still filters, through its GET form.
    with journey.without_javascript() as plain:
        plain.goto("/commitments/")
        plain.get_by_label(t("Status"), exact=True).select_option("fulfilled")
        plain.get_by_role("button", name=t("Filter")).click()
        expect(plain).to_have_url(re.compile(r"status=fulfilled"))
        expect(plain.locator("main table tbody tr")).not_to_have_count(0)

    # One commitment and its progress.
    table.locator("tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/commitments/\d+/$"))
    journey.audit("visitor-06-commitment")

    journey.check_weights()
