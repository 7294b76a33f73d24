"""CRISP capacity building: a UNHCR officer records an assessment of a State through
the form grouped by dimension (a fieldset per dimension, a labelled score group,
evidence and note beside it), is told which dimensions still lack a score, and sees
the derived programme stage and the radar chart on the State's page. In Arabic the
form mirrors: the score group sits at the right, evidence and note to its left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

# Legal, processing, pre-departure, reception (core), then pathways, sponsorship,
# data, partnerships: mean 2 and core minimum 2, so "Emerging" by the stage rule.
SCORES = {
    "Legal and policy framework": "3 — largely in place",
    "Identification, selection and processing": "2 — partly in place",
    "Pre-departure: medical, cultural orientation, travel": "2 — partly in place",
    "Reception and integration": "3 — largely in place",
    "Complementary pathways": "1 — initial steps",
    "Community sponsorship": "2 — partly in place",
    "Data and monitoring": "1 — initial steps",
    "Partnerships and funding": "2 — partly in place",
}
CORE = list(SCORES)[:4]
OTHERS = list(SCORES)[4:]


def score_group(page: Page, dimension: str) -> Locator:
    """A dimension's score: a radio group named after the dimension."""
    return page.get_by_role("group", name=f"{dimension}: score", exact=True)


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

    # One fieldset per dimension; its legend names it and says what 0 and 4 mean.
    dimensions = page.get_by_test_id("dimension")
    expect(dimensions).to_have_count(8)
    legal = page.locator("fieldset[data-dimension=legal]")
    expect(legal.locator("legend").first).to_contain_text("Legal and policy framework")
    expect(legal.get_by_test_id("scale")).to_have_text(
        "0: no legal or policy basis for resettlement. "
        "4: a resettlement law or policy in force, funded and regularly reviewed."
    )
    expect(score_group(page, "Legal and policy framework").get_by_role("radio")).to_have_count(6)

    page.get_by_label("Assessment date").fill("2024-05-02")
    page.get_by_label("Status").select_option("completed")
    for dimension in CORE:
        score_group(page, dimension).get_by_role("radio", name=SCORES[dimension]).check()
    page.get_by_label("Legal and policy framework: evidence").fill("Resettlement decree 2022")
    page.get_by_role("button", name="Save").click()

    # Completing needs every score: each missing one is named, next to its score.
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(4)
    for dimension in OTHERS:
        message = f"{dimension} has no score: score every dimension before completing"
        group = score_group(page, dimension)
        expect(group).to_have_accessible_description(re.compile(re.escape(message)))
        error = group.locator(".invalid-feedback")
        expect(error).to_be_visible()
        expect(error).to_contain_text(message)
        expect(group.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    for dimension in CORE:  # what was entered is kept, without errors
        expect(
            score_group(page, dimension).get_by_role("radio", name=SCORES[dimension])
        ).to_be_checked()
        expect(score_group(page, dimension).locator(".invalid-feedback")).to_have_count(0)
    expect(page.get_by_label("Legal and policy framework: evidence")).to_have_value(
        "Resettlement decree 2022"
    )
    assert not Assessment.objects.exists()
    screenshot(page, "capacity-assessment-errors")
    # The summary's link takes the reader to the dimension's score.
    summary.get_by_role("link", name=re.compile("^Community sponsorship")).click()
    expect(page).to_have_url(re.compile(r"#group_score_sponsorship$"))

    for dimension in OTHERS:
        score_group(page, dimension).get_by_role("radio", name=SCORES[dimension]).check()
    page.get_by_label("Data and monitoring: note").fill("No arrivals database yet")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/capacity/assessments/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_test_id("scores")).to_contain_text("Resettlement decree 2022")
    expect(page.get_by_test_id("scores")).to_contain_text("No arrivals database yet")
    assessment = Assessment.objects.get()
    assert assessment.derived_stage == "emerging"
    assert assessment.assessor == browser_world.unhcr
    assert assessment.score_map() == {
        "legal": 3,
        "processing": 2,
        "pre_departure": 2,
        "reception": 3,
        "pathways": 1,
        "sponsorship": 2,
        "data": 1,
        "partnerships": 2,
    }

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


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_the_grouped_form_mirrors_in_arabic(page: Page, browser_world: World) -> None:
    log_in(page, "ulrich")
    page.goto("/capacity/assessments/add/?country=DEU")
    page.locator("#language-form").get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_function(
        """() => [...document.styleSheets].some(
            (s) => s.href && s.href.includes("bootstrap.rtl.min.css") && s.cssRules.length > 0)"""
    )

    # Submit as completed with nothing scored: every dimension reports its error.
    page.locator("#id_assessed_on").fill("2024-05-02")
    page.locator("#id_status").select_option("completed")
    page.locator("form[data-testid=assessment-form] button[type=submit]").click()
    expect(page.locator(".invalid-feedback[data-field^=score_]")).to_have_count(8)

    fieldset = page.locator("fieldset[data-dimension=legal]")
    outer, legend = _box(fieldset), _box(fieldset.get_by_test_id("dimension-name"))
    score = _box(fieldset.get_by_test_id("score"))
    evidence = _box(page.locator("#id_evidence_legal"))
    radio = _box(page.locator("#id_score_legal_1"))
    label = _box(page.locator("label[for=id_score_legal_1]"))
    error = _box(page.locator("#id_score_legal_error"))
    # The dimension's name starts at the right edge of its fieldset.
    assert outer["x"] + outer["width"] - (legend["x"] + legend["width"]) < 40
    assert legend["x"] > outer["x"] + outer["width"] / 2
    # The score group at the right, evidence to its left; radios right of their labels.
    assert score["x"] > evidence["x"] + evidence["width"] - 1
    assert radio["x"] > label["x"] + label["width"] - 1
    # The error sits under the score, inside the dimension's fieldset.
    assert error["y"] > radio["y"] and outer["y"] < error["y"] < outer["y"] + outer["height"]
    assert (
        score["x"] - 1 <= error["x"] and error["x"] + error["width"] <= outer["x"] + outer["width"]
    )
    # Evidence may be written in another script than the page's: its direction follows it.
    expect(page.locator("#id_evidence_legal")).to_have_attribute("dir", "auto")
    screenshot(page, "capacity-assessment-form-ar")
