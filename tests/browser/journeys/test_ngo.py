"""The NGO co-chair's journey: build the agenda of the consultation it co-chairs, approve
the registrations waiting for a decision, and record the meeting's decisions.

In English and Arabic, on a desktop and a phone, over the demo dataset (the "ngo"
account: Accem, an NGO leading the Consultations on Resettlement and Complementary
Pathways); every page audited and weighed. docs/guide/ngo.md walks through the same
journey with its screenshots.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import Journey

pytestmark = pytest.mark.browser

SESSION = "Community sponsorship: lessons from the first cohorts"
DECISION = "The consultation asks the working group to draft a community sponsorship toolkit."


# The demo's meetings say in their description, in English (data, not interface text),
# that they are illustrative: "Illustrative demo content." (meetings/demo.py).
DEMO_NOTE = {"Illustrative demo content"}


def _label(text: str) -> re.Pattern[str]:
    """A label's accessible name, with or without the required field's star."""
    return re.compile("^" + re.escape(text) + r"[\s*]*$")


def test_ngo_cochair_prepares_and_records_the_consultation(journey: Journey, demo: Any) -> None:
    from resettle.meetings.models import Meeting
    from resettle.records.models import Decision
    from resettle.registrations.models import Registration

    page, t = journey.page, journey.t
    # The consultation with registrations waiting for the organisers (CRCP 2026).
    meeting = (
        Meeting.objects.filter(kind="consultation", registrations__status="pending")
        .distinct()
        .order_by("-starts_at")
        .first()
    )
    assert meeting is not None
    pending = list(Registration.objects.filter(meeting=meeting, status="pending").order_by("name"))
    assert len(pending) >= 2, pending
    journey.log_in("ngo")

    # 1. The meeting, from the main menu.
    journey.navigate("Meetings")
    expect(page).to_have_url(re.compile(r"/meetings/$"))
    journey.audit("ngo-01-meetings")
    page.locator("main").get_by_role("link", name=meeting.title, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title)
    journey.audit("ngo-02-meeting", allow_english=DEMO_NOTE)

    # 2. The agenda: a session added on the meeting's last afternoon.
    page.get_by_role("link", name=t("Edit the agenda")).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/agenda/$"))
    editor = page.locator("#agenda-editor")
    sessions_before = meeting.sessions.count()
    expect(editor.get_by_test_id("session-title")).to_have_count(sessions_before)
    local_end = meeting.ends_at.astimezone(ZoneInfo(meeting.time_zone))
    start = local_end.replace(hour=min(local_end.hour, 16) - 2, minute=0)
    form = page.get_by_test_id("add-session")
    form.get_by_label(_label(t("Title"))).fill(SESSION)
    form.get_by_label(_label(t("Starts"))).fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name=t("Add session")).click()
    expect(editor.get_by_role("status")).to_have_text(t("Session added."))
    expect(editor.get_by_test_id("session-title")).to_have_count(sessions_before + 1)
    expect(editor.get_by_test_id("session-title").filter(has_text=SESSION)).to_have_count(1)
    editor.get_by_test_id("session-title").filter(has_text=SESSION).scroll_into_view_if_needed()
    journey.audit("ngo-03-agenda-editor")
    session = meeting.sessions.get(title=SESSION)
    assert session.starts_at is not None and session.starts_at.astimezone(
        ZoneInfo(meeting.time_zone)
    ).strftime("%Y-%m-%dT%H:%M") == start.strftime("%Y-%m-%dT%H:%M")

    # 3. The registrations waiting for a decision: one approved.
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("main").get_by_role(
        "link", name=re.compile("^" + re.escape(t("Registrations")))
    ).click()
    expect(page).to_have_url(re.compile(rf"/registrations/meeting/{meeting.pk}/$"))
    page.get_by_label(t("Status"), exact=True).select_option("pending")
    page.get_by_role("button", name=t("Filter")).click()
    expect(page).to_have_url(re.compile(r"status=pending"))
    first = page.locator(f"#registration-{pending[0].pk}")
    expect(first.get_by_test_id("status")).to_have_text(t("Awaiting approval"))
    journey.audit("ngo-04-registrations-pending")
    first.get_by_role("button", name=t("Approve")).click()
    expect(first.get_by_test_id("status")).to_have_text(t("Approved"))
    # The pointer leaves the row: the Decline button now under it would be caught in its
    # hover transition (a colour half-way), which is not what a reader sees.
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    journey.audit("ngo-05-registration-approved", weigh=False)
    pending[0].refresh_from_db()
    assert pending[0].status == "approved"

    # Without JavaScript the list filters and a registration is approved all the same.
    with journey.without_javascript() as plain:
        plain.goto(f"/registrations/meeting/{meeting.pk}/")
        plain.get_by_label(t("Status"), exact=True).select_option("pending")
        plain.get_by_role("button", name=t("Filter")).click()
        row = plain.locator(f"#registration-{pending[1].pk}")
        expect(row.get_by_test_id("status")).to_have_text(t("Awaiting approval"))
        row.get_by_role("button", name=t("Approve")).click()
        expect(plain).to_have_url(re.compile(rf"/registrations/meeting/{meeting.pk}/"))
        expect(
            plain.locator(f"#registration-{pending[1].pk}").get_by_test_id("status")
        ).to_have_text(t("Approved"))
    pending[1].refresh_from_db()
    assert pending[1].status == "approved"

    # 4. The decisions of the meeting, recorded on its page.
    page.goto(f"/meetings/{meeting.pk}/")
    panel = page.locator("#records-panel")
    expect(panel.get_by_role("heading", name=t("Records of the meeting"))).to_be_visible()
    panel.get_by_text(t("Record a decision"), exact=True).click()
    form = page.get_by_test_id("decision-form")
    form.get_by_label(_label(t("Session"))).select_option(label=SESSION)
    form.get_by_label(_label(t("Decision"))).fill(DECISION)
    form.scroll_into_view_if_needed()
    journey.audit("ngo-06-record-decision", weigh=False, allow_english=DEMO_NOTE)
    form.get_by_role("button", name=t("Record the decision")).click()
    decisions = page.get_by_test_id("decisions")
    expect(decisions).to_contain_text(DECISION)
    decisions.scroll_into_view_if_needed()
    journey.audit("ngo-07-decision-recorded", allow_english=DEMO_NOTE)
    decision = Decision.objects.get(meeting=meeting, text=DECISION)
    assert decision.session == session

    journey.check_weights()
