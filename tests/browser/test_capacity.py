"""CRISP capacity building: a UNHCR officer records an assessment of a State and
sees the derived programme stage and the radar chart on the State's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

# Legal, processing, pre-departure, reception (core), then pathways, sponsorship,
# data, partnerships: mean 2 and core minimum 2, so "Emerging" by the stage rule.
SCORES = {
    "Legal and policy framework": "3",
    "Identification, selection and processing": "2",
    "Pre-departure: medical, cultural orientation, travel": "2",
    "Reception and integration": "3",
    "Complementary pathways": "1",
    "Community sponsorship": "2",
    "Data and monitoring": "1",
    "Partnerships and funding": "2",
}


def test_unhcr_records_an_assessment_and_sees_stage_and_radar(
    page: Page, browser_world: World
) -> None:
    from resettle.capacity.models import Assessment

    log_in(page, "ulrich")
    page.goto("/capacity/states/DEU/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Germany")
    expect(page.get_by_text("No completed assessment yet.").first).to_be_visible()
    page.get_by_role("link", name="Record an assessment").click()
    expect(page).to_have_url(re.compile(r"/capacity/assessments/add/\?country=DEU$"))

    page.get_by_label("Assessment date").fill("2024-05-02")
    page.get_by_label("Status").select_option("completed")
    for dimension, score in SCORES.items():
        page.get_by_label(f"{dimension}: score").select_option(score)
    page.get_by_label("Legal and policy framework: evidence").fill("Resettlement decree 2022")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/capacity/assessments/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_test_id("scores")).to_contain_text("Resettlement decree 2022")
    assessment = Assessment.objects.get()
    assert assessment.derived_stage == "emerging"
    assert assessment.assessor == browser_world.unhcr

    page.get_by_role("link", name="Germany").first.click()
    expect(page).to_have_url(re.compile(r"/capacity/states/DEU/$"))
    expect(page.get_by_test_id("derived-stage")).to_contain_text("Emerging")
    radar = page.locator("figure[data-testid=radar] svg[role=img]")
    expect(radar).to_be_visible()
    expect(radar.locator("polygon.series")).to_have_count(1)
    expect(radar.locator("text.axis-label")).to_have_count(8)
    expect(page.get_by_test_id("radar-data")).to_contain_text("Community sponsorship")
    expect(page.get_by_test_id("stage-history")).to_contain_text("Emerging")
    # UNHCR may edit State profiles: completing the assessment set the profile's stage.
    expect(page.get_by_text("Stage in the State profile: Emerging")).to_be_visible()
    screenshot(page, "capacity-state-radar")
