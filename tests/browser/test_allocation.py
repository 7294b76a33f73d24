"""A UNHCR officer runs a scenario with more places for a situation, compares it with the
run, and reads why a case is now placed."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser


def test_scenario_comparison_and_explanation(page: Page, browser_world: World) -> None:
    from resettle.allocation.models import AllocationRun, RunStatus
    from resettle.allocation.tests.fixtures import make_allocation_world, make_run
    from resettle.allocation.tests.test_alloc_services import run_tasks

    w = make_allocation_world(SimpleNamespace())
    # The larger Syrian family belongs to the situation too: more places for it help.
    w.case_syr_big.situation = w.situation_obj
    w.case_syr_big.save()
    run = make_run(w)

    log_in(page, "ulrich")
    page.goto(f"/allocation/runs/{run.pk}/")
    expect(page.get_by_test_id("run-summary")).to_be_visible()
    expect(page.get_by_test_id("placed-by-priority")).to_contain_text("Emergency")
    expect(page.locator("#placed-by-state")).to_be_visible()
    screenshot(page, "allocation-01-run")

    page.get_by_test_id("new-scenario").click()
    expect(page).to_have_url(re.compile(rf"/allocation/runs/{run.pk}/scenario/$"))
    page.get_by_label("Add places for a priority situation").check()
    page.get_by_label("Priority situation", exact=True).select_option(label="Test situation")
    page.get_by_label("Places (persons)", exact=True).fill("10")
    page.get_by_label("For the State (optional)").select_option(label="Germany")
    page.get_by_label("Name of the scenario").fill("Ten more places for the situation")
    page.get_by_role("button", name="Run the scenario").click()

    expect(page).to_have_url(re.compile(r"/allocation/runs/\d+/$"))
    expect(page.get_by_test_id("run-progress")).to_be_visible()
    scenario = AllocationRun.objects.get(name="Ten more places for the situation")
    assert scenario.status == RunStatus.QUEUED and scenario.parent_id == run.pk

    run_tasks()  # the task worker's turn; the page polls and shows the results

    expect(page.get_by_test_id("run-summary")).to_be_visible()
    expect(page.get_by_test_id("scenario-changes")).to_contain_text("10 places added")
    page.get_by_test_id("compare").click()
    expect(page).to_have_url(re.compile(rf"/allocation/runs/{scenario.pk}/compare/$"))
    expect(page.get_by_test_id("by-priority")).to_contain_text("Urgent")
    expect(page.get_by_test_id("by-priority")).to_contain_text("+5")
    changed = page.get_by_test_id("changed-cases")
    expect(changed).to_contain_text("T-SYR-2")
    screenshot(page, "allocation-02-compare")

    changed.get_by_role("row").filter(has_text="T-SYR-2").get_by_role("link", name="Why?").click()
    expect(page).to_have_url(re.compile(rf"/allocation/runs/{scenario.pk}/cases/\d+/$"))
    english = page.get_by_test_id("explanation-en")
    expect(english.get_by_test_id("headline")).to_have_text(re.compile(r"^Placed with Germany"))
    page.get_by_role("tab", name="Français").click()
    expect(page.get_by_test_id("explanation-fr")).to_be_visible()
    screenshot(page, "allocation-03-explanation")
