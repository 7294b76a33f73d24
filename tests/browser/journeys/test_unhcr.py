"""UNHCR's journey: import the year's projected resettlement needs, run an allocation
scenario, and produce the advocacy brief for the year.

The demo's UNHCR officer ("unhcr") uploads next year's Projected Global Resettlement
Needs (the demo's PGRN cells, needs/pgrn.py, as a 2027 file), maps its columns and
imports it; the file is queued as a background task, which the test runs as
`resettle worker` would while the page polls its progress. Then, on the demo's
allocation run, a scenario with more places for Afghan refugees is run (a background
task too) and compared with the run; last, the gap for 2027 and its advocacy brief.

In English and Arabic, on a desktop and a phone; every page audited and weighed.
docs/guide/unhcr.md walks through the same journey with its screenshots.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from typing import Any

import pytest
from playwright.sync_api import expect

from ..audit import (
    PageToWeigh,
    check_accessibility,
    check_translated,
    screenshot_path,
)
from .conftest import GUIDE_IMAGES, GUIDE_SCREENSHOTS, Journey

pytestmark = pytest.mark.browser

YEAR = 2027
SERIES = "pgrn-2027"
SITUATION = "Afghan refugees in Iran and Pakistan"
SCENARIO = "Forty more places for Afghan refugees"


def _pgrn_file() -> tuple[bytes, int, int]:
    """Next year's PGRN as UNHCR would send it: (CSV bytes, rows, persons in need)."""
    from resettle.needs.pgrn import PGRN_2026

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "population", "asylum", "persons"])
    for (population, asylum), persons in PGRN_2026.items():
        writer.writerow([YEAR, population, asylum, persons])
    return out.getvalue().encode(), len(PGRN_2026), sum(PGRN_2026.values())


def _audit_document(journey: Journey, name: str) -> None:
    """`journey.audit` for the advocacy brief, a printable document of its own.

    The brief has no site menu and no Bootstrap (its own print stylesheet, shared
    with its PDF), so `check_rtl`'s navbar and stylesheet checks do not apply to it;
    everything else is checked as `audit` does, and the page is weighed.
    """
    page = journey.page
    page.wait_for_load_state("load")
    label = f"{name} [{journey.language}, {journey.size}] {page.url}"
    path = screenshot_path(name, journey.language, journey.size)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    violations = check_accessibility(page, context_label=label)
    path.with_suffix(".axe.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    check_translated(page, journey.language)
    direction = "rtl" if journey.language == "ar" else "ltr"
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", journey.language)
    assert page.evaluate("getComputedStyle(document.body).direction") == direction, label
    journey.visited.append(PageToWeigh(name, page.url.removeprefix(journey.base_url)))
    if GUIDE_SCREENSHOTS and journey.is_guide_run:
        GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, GUIDE_IMAGES / f"{name}.png")


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_unhcr_imports_needs_runs_a_scenario_and_briefs(
    journey: Journey, demo: Any, settings: Any
) -> None:
    from resettle.allocation.models import AllocationRun, RunStatus
    from resettle.allocation.tests.test_alloc_services import run_tasks
    from resettle.needs.models import DatasetVersion, NeedFigure

    # Files above this many rows import in the background (20,000 by default): the
    # journey's 42-row file takes the path of a full-size PGRN file.
    settings.IMPORT_INLINE_MAX_ROWS = 10
    page = journey.page
    t = journey.t
    data, row_count, total_need = _pgrn_file()

    journey.log_in("unhcr")

    # 1. The import page, from the Needs and pledges menu.
    journey.navigate("Needs and pledges", "Import data")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Import a dataset"))
    page.get_by_label(t("What the file holds")).select_option("needs")
    page.get_by_label(re.compile(rf"^{re.escape(t('File'))}( \*)?$")).set_input_files(
        {"name": f"pgrn-{YEAR}.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_label(t("Series"), exact=True).fill(SERIES)
    page.get_by_label(t("Source"), exact=True).fill(
        f"UNHCR Projected Global Resettlement Needs {YEAR} (illustrative)"
    )
    journey.audit("unhcr-01-import-upload")
    page.get_by_role("button", name=t("Upload and map the columns")).click()

    # 2. The columns are mapped from the header; the first rows are checked.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Map the columns"))
    expect(page.get_by_test_id("file-name")).to_have_text(f"pgrn-{YEAR}.csv")
    expect(page.get_by_test_id("preview").locator("tbody tr")).to_have_count(20)
    expect(page.get_by_test_id("preview").locator(".is-invalid, .table-danger")).to_have_count(0)
    # Reached from the upload's POST: the staged file is gone once imported.
    journey.audit("unhcr-02-import-map", weigh=False)
    page.get_by_test_id("import-button").click()

    # 3. Queued: the progress page polls until the task worker has imported it.
    expect(page).to_have_url(re.compile(r"/needs/import/jobs/[0-9a-f-]+/$"))
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_be_visible()
    run_tasks()  # the worker's turn
    expect(progress).to_have_attribute("data-state", "imported")
    expect(progress.get_by_role("status")).to_contain_text(SERIES)
    journey.audit("unhcr-03-import-done")
    version = DatasetVersion.objects.get(series=SERIES)
    assert version.row_count == row_count
    assert sum(NeedFigure.objects.filter(version=version).values_list("persons", flat=True)) == (
        total_need
    )
    progress.get_by_role("link", name=t("See the version")).click()
    expect(page).to_have_url(re.compile(rf"/needs/versions/{version.pk}/$"))
    journey.audit("unhcr-04-version")

    # 4. The allocation runs, from the Operations menu: the demo's run of this year.
    journey.navigate("Operations", "Allocation runs")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Allocation runs"))
    journey.audit("unhcr-05-runs")
    run = AllocationRun.objects.get(parent=None, name__startswith="Demo allocation")
    page.locator("main table tbody td:first-child").get_by_role(
        "link", name=run.name, exact=True
    ).click()
    expect(page.get_by_test_id("run-name")).to_have_text(run.name)
    expect(page.get_by_test_id("run-summary")).to_be_visible()
    journey.audit("unhcr-06-run", charts=True)

    # 5. A scenario: forty more places for the Afghan situation, with Canada.
    page.get_by_test_id("new-scenario").click()
    expect(page).to_have_url(re.compile(rf"/allocation/runs/{run.pk}/scenario/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("New scenario"))
    page.get_by_label(t("Name of the scenario")).fill(SCENARIO)
    page.get_by_label(t("Add places for a priority situation")).check()
    page.get_by_label(t("Priority situation"), exact=True).select_option(SITUATION)
    page.get_by_label(t("Places (persons)"), exact=True).fill("40")
    page.get_by_label(t("For the State (optional)")).select_option("CAN")
    journey.audit("unhcr-07-scenario-form")
    page.get_by_role("button", name=t("Run the scenario")).click()

    expect(page).to_have_url(re.compile(r"/allocation/runs/\d+/$"))
    scenario = AllocationRun.objects.get(name=SCENARIO)
    assert scenario.parent_id == run.pk and scenario.status == RunStatus.QUEUED
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    run_tasks()  # the worker's turn; the page polls and shows the results
    expect(page.get_by_test_id("run-summary")).to_be_visible()
    expect(page.get_by_test_id("scenario-changes")).to_be_visible()
    journey.audit("unhcr-08-scenario", charts=True)

    page.get_by_test_id("compare").click()
    expect(page).to_have_url(re.compile(rf"/allocation/runs/{scenario.pk}/compare/$"))
    expect(page.get_by_test_id("by-situation")).to_be_visible()
    expect(page.get_by_test_id("changed-count")).to_be_visible()
    journey.audit("unhcr-09-compare")

    # 6. The gap for the new year, and its advocacy brief.
    journey.navigate("Needs and pledges", "The gap")
    page.get_by_label(t("Year"), exact=True).select_option(str(YEAR))
    expect(page).to_have_url(re.compile(rf"year={YEAR}"))
    need = page.get_by_test_id("total-need")
    expect(need).to_have_text(journey.integer_pattern)
    assert _digits(need.inner_text()) == total_need
    journey.audit("unhcr-10-gap", charts=True)

    page.get_by_test_id("brief-links").get_by_role(
        "link", name=t("Advocacy brief"), exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/needs/brief/\?.*year={YEAR}"))
    brief_need = page.get_by_test_id("brief-need")
    expect(brief_need).to_have_text(journey.integer_pattern)
    assert _digits(brief_need.inner_text()) == total_need
    expect(page.get_by_test_id("brief-top-populations")).to_be_visible()
    _audit_document(journey, "unhcr-11-brief")
    pdf = page.get_by_test_id("brief-pdf").get_attribute("href")
    assert pdf
    response = page.request.get(pdf)
    assert response.status == 200 and response.body().startswith(b"%PDF")

    journey.check_weights()
