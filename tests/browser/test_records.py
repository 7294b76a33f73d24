"""Recording a decision and an action point at one meeting, and seeing the action point
carried over, still open, to the forum's next meeting."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

DECISION = "A working group on family reunification pathways is set up."
ACTION = "Circulate a mapping of family reunification pathways."


def test_action_point_is_carried_to_the_next_meeting(page: Page, browser_world: World) -> None:
    from django.utils import timezone

    from resettle.meetings.models import Meeting, MeetingKind
    from resettle.records.models import ActionPoint, Decision

    def meeting(title: str, start: datetime.datetime) -> Meeting:
        return Meeting.objects.create(
            forum=browser_world.consultation,
            title=title,
            kind=MeetingKind.CONSULTATION,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
            format="online",
            online_url="https://meet.example.org/crcp",
        )

    now = timezone.now().replace(microsecond=0)
    first = meeting("Consultation of last year", now - datetime.timedelta(days=90))
    second = meeting("Consultation of this year", now + datetime.timedelta(days=20))
    due = (timezone.localtime(first.starts_at).date() + datetime.timedelta(days=30)).isoformat()

    log_in(page, "ulrich")  # UNHCR staff organise the forum's meetings
    page.goto(f"/meetings/{first.pk}/")
    panel = page.locator("#records-panel")
    expect(panel.get_by_role("heading", name="Records of the meeting")).to_be_visible()

    panel.get_by_text("Record a decision", exact=True).click()
    form = panel.locator("[data-testid=decision-form]")
    form.get_by_label(re.compile(r"^Decision")).fill(DECISION)
    form.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-testid=decisions]")).to_contain_text(DECISION)
    expect(page.locator("[data-testid=decisions]")).to_contain_text("1.")
    assert Decision.objects.get().number == 1

    # The section was swapped in place by htmx: find it again.
    panel = page.locator("#records-panel")
    panel.get_by_text("Record an action point", exact=True).click()
    form = panel.locator("[data-testid=action-point-form]")
    form.get_by_label("Action").fill(ACTION)
    form.get_by_label("Owner organisation").select_option(str(browser_world.german_ngo.pk))
    form.get_by_label("Due date").fill(due)
    form.get_by_label("Follows from decision").select_option(label=f"1. {DECISION[:60]}")
    form.get_by_role("button", name="Record the action point").click()
    agreed = page.locator("[data-testid=agreed-action-points]")
    expect(agreed).to_contain_text(ACTION)
    expect(agreed).to_contain_text("Caritas Germany")
    expect(agreed).to_contain_text("Follows from decision 1")
    screenshot(page, "records-01-first-meeting")

    page.goto(f"/meetings/{second.pk}/")
    carried = page.locator("[data-testid=carried-action-points]")
    row = carried.locator("tbody tr", has_text=ACTION)
    expect(row).to_have_count(1)
    expect(row.locator("[data-testid=status]")).to_have_text("Open")
    expect(row).to_contain_text("Consultation of last year")
    expect(row.locator("[data-testid=overdue]")).to_be_visible()
    screenshot(page, "records-02-carried-over")

    row.get_by_role("button", name="Done at this meeting").click()
    row = page.locator("[data-testid=carried-action-points] tbody tr", has_text=ACTION)
    expect(row.locator("[data-testid=status]")).to_have_text("Done")
    expect(row).to_contain_text(re.compile(r"Closed on .* at Consultation of this year"))
    ap = ActionPoint.objects.get()
    assert (ap.status, ap.closed_at_meeting_id) == ("done", second.pk)
