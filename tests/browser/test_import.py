"""Importing a file in a browser: a bad row is refused with its row, column and reason,
nothing is written, and the corrected file then imports."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

BAD = (
    b"year,population,asylum,category,priority,persons\n"
    b"2026,SYR,TUR,,urgent,1200\n"
    b"2026,AFG,IRN,,normal,-5\n"
)
GOOD = BAD.replace(b"-5", b"348900")


@pytest.fixture
def populations(browser_world: World) -> None:
    """The populations the files name (the flush between browser tests empties them)."""
    from resettle.directory.models import Country
    from resettle.needs.models import Population

    for code in ("SYR", "AFG"):
        country = Country.objects.get(iso3=code)
        Population.objects.get_or_create(
            code=code,
            defaults={
                "country": country,
                "name_en": country.name_en,
                "name_ar": country.name_ar,
                "name_fr": country.name_fr,
            },
        )


def _upload(page: Page, data: bytes) -> None:
    page.goto("/needs/import/")
    page.get_by_label("What the file holds").select_option("needs")
    page.locator("#id_file").set_input_files(
        {"name": "pgrn-2026.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Map the columns")
    expect(page.get_by_test_id("file-name")).to_have_text("pgrn-2026.csv")


def test_a_bad_row_is_refused_then_the_corrected_file_imports(
    page: Page, browser_world: World, populations: None, live_server: Any
) -> None:
    from resettle.needs.models import DatasetVersion, NeedFigure

    log_in(page, "ulrich")
    page.locator("#nav-needs").click()  # the Needs and pledges menu offers the import
    expect(page.get_by_role("link", name="Import data")).to_be_visible()
    _upload(page, BAD)
    page.get_by_test_id("import-button").click()

    report = page.get_by_test_id("import-report")
    expect(report).to_be_visible()
    expect(report).to_contain_text("nothing was written")
    bad = report.locator("tr[data-row='2']")
    expect(bad).to_contain_text("persons")
    expect(bad.locator("td").nth(3)).not_to_be_empty()
    screenshot(page, "20-import-refused")
    assert DatasetVersion.objects.count() == 0
    assert NeedFigure.objects.count() == 0

    _upload(page, GOOD)
    page.get_by_test_id("import-button").click()
    expect(page.get_by_test_id("import-report")).to_have_count(0)
    version = DatasetVersion.objects.get()
    assert version.row_count == 2
    assert sorted(NeedFigure.objects.values_list("persons", flat=True)) == [1200, 348900]
    screenshot(page, "21-import-done")
