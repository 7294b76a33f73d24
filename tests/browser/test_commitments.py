"""An NGO user reports progress on their organisation's commitment and sees it in the history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

PROGRESS = "Forty families welcomed by local sponsor groups."


def test_ngo_user_adds_a_progress_update(page: Page, browser_world: World) -> None:
    from resettle.commitments.models import Commitment

    commitment = Commitment.objects.create(
        title="Welcome 100 refugee families through community sponsorship",
        source="consultation",
        forum=browser_world.consultation,
        target="100 families",
        target_number=100,
        target_unit="persons",
    )
    commitment.organisations.set([browser_world.german_ngo])

    log_in(page, "nadia")
    page.goto("/commitments/mine/")
    page.get_by_role("link", name=commitment.title).click()
    expect(page).to_have_url(re.compile(rf"/commitments/{commitment.pk}/$"))
    expect(page.get_by_text("No progress update yet.")).to_be_visible()

    form = page.get_by_test_id("update-form")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label(re.compile(r"^Progress\W*$")).fill(PROGRESS)
    form.get_by_label("Progress so far (number)").fill("40")
    form.get_by_role("button", name="Add progress update").click()

    expect(page).to_have_url(re.compile(rf"/commitments/{commitment.pk}/#updates$"))
    expect(page.get_by_role("status")).to_have_text("Progress update added.")
    updates = page.get_by_test_id("update")
    expect(updates).to_have_count(1)
    expect(updates.first).to_contain_text(PROGRESS)
    expect(updates.first).to_contain_text("In progress")
    expect(updates.first).to_contain_text("40 so far")
    screenshot(page, "commitments-progress-update")

    commitment.refresh_from_db()
    assert commitment.status == "in_progress" and commitment.last_update_at is not None
    assert commitment.updates.get().author == browser_world.ngo_user
