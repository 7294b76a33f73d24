"""The agenda editor: an organiser adds two sessions and moves the second above the first."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser


def test_organiser_builds_and_reorders_the_agenda(page: Page, browser_world: World) -> None:
    from resettle.meetings.models import Meeting

    zurich = ZoneInfo("Europe/Zurich")
    meeting = Meeting.objects.create(
        forum=browser_world.consultation,
        title="CRCP 2031",
        kind="consultation",
        starts_at=datetime.datetime(2031, 6, 17, 9, tzinfo=zurich),
        ends_at=datetime.datetime(2031, 6, 18, 18, tzinfo=zurich),
        time_zone="Europe/Zurich",
        venue="Palais des Nations, Geneva",
        working_languages="en, ar, fr",
    )
    log_in(page, "ulrich")  # UNHCR staff organise every forum's meetings
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Edit the agenda").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/agenda/$"))

    editor = page.locator("#agenda-editor")
    for title, start in (
        ("Opening plenary", "2031-06-17T09:30"),
        ("Refugee voices", "2031-06-17T11:00"),
    ):
        form = page.get_by_test_id("add-session")
        form.get_by_label("Title").fill(title)
        form.get_by_label("Starts").fill(start)
        form.get_by_role("button", name="Add session").click()
        expect(editor.get_by_role("status")).to_have_text("Session added.")
        expect(editor.get_by_test_id("session-title").last).to_have_text(title)
    # The page was not reloaded: htmx swapped the editor in place.
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/agenda/$"))
    expect(editor.get_by_test_id("session-title")).to_have_text(
        ["Opening plenary", "Refugee voices"]
    )

    page.get_by_role("button", name=re.compile(r"^Move up\W+Refugee voices$")).click()
    expect(editor.get_by_role("status")).to_have_text("Agenda order changed.")
    expect(editor.get_by_test_id("session-title")).to_have_text(
        ["Refugee voices", "Opening plenary"]
    )
    screenshot(page, "meetings-agenda-editor")

    page.get_by_role("link", name="Back to the meeting").click()
    agenda = page.get_by_test_id("agenda")
    expect(agenda.get_by_test_id("session-title")).to_have_text(
        ["Refugee voices", "Opening plenary"]
    )
    # 11:00 in Geneva, shown in the meeting's time zone.
    expect(agenda.get_by_test_id("session").first).to_contain_text("11 a.m.")
    expect(page.get_by_test_id("when")).to_contain_text("Europe/Zurich")
    screenshot(page, "meetings-detail")
    assert [s.title for s in meeting.sessions.order_by("position")] == [
        "Refugee voices",
        "Opening plenary",
    ]
