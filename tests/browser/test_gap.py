"""The gap page in a browser: filters swap the results in place with htmx, work without
JavaScript through the GET form, the page reads right to left in Arabic, its charts download
as SVG files, and pledges of several series count once."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import make_context, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def gap_world(countries: None, live_server: Any) -> SimpleNamespace:
    """The hand-checked figures of the gap's tests (populations reloaded if flushed)."""
    from resettle.directory.models import Country
    from resettle.needs.models import Population
    from resettle.needs.tests.gap_fixtures import make_gap_world

    for code, iso3 in (("SYR", "SYR"), ("AFG", "AFG"), ("SDN", "SDN"), ("ROHINGYA", None)):
        country = Country.objects.get(iso3=iso3) if iso3 else None
        Population.objects.get_or_create(
            code=code,
            defaults={
                "country": country,
                "name_en": country.name_en if country else "Rohingya",
                "name_ar": country.name_ar if country else "الروهينغا",
                "name_fr": country.name_fr if country else "Rohingya",
            },
        )
    return make_gap_world()


def test_gap_page_filters_in_place(page: Page, gap_world: SimpleNamespace) -> None:
    page.goto("/needs/gap/?year=2024")
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs and pledges: the gap")
    expect(page.get_by_test_id("total-need")).to_have_text("6,800")
    expect(page.get_by_test_id("total-departed")).to_have_text("550")
    expect(page.locator("svg#gap-bars")).to_be_visible()
    expect(page.locator("svg#gap-map")).to_be_visible()
    navigations = page.evaluate("performance.getEntriesByType('navigation').length")

    page.get_by_label("Break down by").select_option("asylum")
    table = page.get_by_test_id("gap-table")
    expect(table).to_contain_text("Lebanon")
    expect(page).to_have_url(re.compile(r"cut=asylum"))
    # Swapped in place: no new page load.
    assert page.evaluate("performance.getEntriesByType('navigation').length") == navigations
    # From the keyboard, the select keeps the focus across the swap.
    page.get_by_label("Break down by").focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"cut=population"))
    expect(table).to_contain_text("Rohingya")
    assert page.evaluate("document.activeElement.id") == "id_cut"
    page.get_by_label("Break down by").select_option("asylum")
    screenshot(page, "20-gap-by-asylum")


def test_gap_page_without_javascript(browser: Browser, live_server: Any, gap_world: Any) -> None:
    context = make_context(
        browser, live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto("/needs/gap/?year=2024")
        page.get_by_label("Break down by").select_option("population")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"cut=population"))
        expect(page.get_by_test_id("gap-table")).to_contain_text("Rohingya")
        # The charts' figures are in tables too.
        page.get_by_text("Data table").first.click()
        expect(page.get_by_test_id("bar-data")).to_contain_text("1,500")
    finally:
        context.close()


def test_gap_page_in_arabic(browser: Browser, live_server: Any, gap_world: Any) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto("/needs/gap/?year=2024&cut=asylum")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        bars = page.locator("svg#gap-bars")
        expect(bars).to_have_attribute("direction", "rtl")
        # The value axis sits at the right in right-to-left charts.
        box = bars.bounding_box()
        label = bars.locator("text", has_text=re.compile(r"^0$")).first.bounding_box()
        assert box and label and label["x"] > box["x"] + box["width"] / 2
        expect(page.get_by_test_id("gap-table")).to_contain_text("لبنان")
        screenshot(page, "21-gap-ar-rtl")
    finally:
        context.close()


def test_gap_charts_download_as_svg_files(page: Page, gap_world: SimpleNamespace) -> None:
    page.goto("/needs/gap/?year=2024")
    page.get_by_label("Break down by").select_option("asylum")
    expect(page).to_have_url(re.compile(r"cut=asylum"))
    # The links are in the swapped panel: they follow the filters htmx applied.
    bars = page.get_by_test_id("chart-download-bars")
    expect(bars).to_have_attribute("href", re.compile(r"year=2024&cut=asylum"))
    expected = {
        "bars": (
            "resettle-gap-2024-asylum-bars.svg",
            "Needs, pledges, submissions and departures, 2024",
        ),
        "map": ("resettle-gap-2024-map.svg", "Persons in need by country of asylum, 2024"),
        "states": ("resettle-gap-2024-states.svg", "Places pledged by resettlement State"),
    }
    for name, (filename, title) in expected.items():
        with page.expect_download() as info:
            page.get_by_test_id(f"chart-download-{name}").click()
        download = info.value
        assert download.suggested_filename == filename
        root = ET.parse(download.path()).getroot()  # noqa: S314 - the app's own file
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.findtext("{http://www.w3.org/2000/svg}title") == title


def test_pledges_of_two_series_count_once(page: Page, gap_world: SimpleNamespace) -> None:
    from resettle.needs.tests.gap_fixtures import add_state_pledges_series

    add_state_pledges_series(gap_world)
    page.goto("/needs/gap/?year=2024")
    # Germany: its own series' 701 places, not 1,000 + 701; Canada 1,501.
    expect(page.get_by_test_id("total-pledged")).to_have_text("2,202")
    expect(page.get_by_test_id("several-series")).to_have_text(
        "Pledges: a State pledging in several series (pledges, pledges-DEU) counts once per "
        "year, with the figures of the latest version."
    )
