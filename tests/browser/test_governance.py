"""Recording a Steering Committee recommendation and its progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

TITLE = "Refugee co-facilitators in every session"


def test_record_recommendation_and_milestone(page: Page, browser_world: World) -> None:
    from resettle.forums.models import Forum, ForumKind
    from resettle.governance.models import Recommendation

    steering = Forum.objects.create(
        name="Steering Committee of the Consultations",
        kind=ForumKind.STEERING_COMMITTEE,
        parent=browser_world.consultation,
        mandate_years=2,
    )
    log_in(page, "ulrich")
    page.goto("/governance/recommendations/")
    page.get_by_role("link", name="Add", exact=True).click()
    expect(page.get_by_label("Forum")).to_have_value(str(steering.pk))
    page.get_by_label("Topic").select_option("participation")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Owner organisation").select_option(str(browser_world.german_ngo.pk))
    page.get_by_label("Status").select_option("implemented")
    page.get_by_label("Progress (%)").fill("50")
    page.get_by_role("button", name="Save").click()

    error = page.locator(".invalid-feedback[data-field=progress]")
    expect(error).to_contain_text("progress of 100")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    assert not Recommendation.objects.exists()

    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/governance/recommendations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Title").fill("Roster of refugee facilitators")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("milestones")).to_contain_text("Roster of refugee facilitators")
    screenshot(page, "governance-recommendation")

    page.goto("/governance/recommendations/?topic=participation")
    expect(page.get_by_test_id("topic")).to_contain_text(TITLE)
    page.goto("/governance/recommendations/?topic=format")
    expect(page.get_by_test_id("topic")).to_have_count(0)
