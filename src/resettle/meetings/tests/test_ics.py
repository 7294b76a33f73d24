"""The iCalendar file of a meeting: valid, parsed back by the icalendar library."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.test import Client
from icalendar import Calendar

from resettle.meetings.ics import calendar_bytes, meeting_events
from resettle.meetings.models import AgendaSession, Meeting, SessionSpeaker


def _parse(data: bytes) -> Calendar:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    return calendar


def test_download_is_a_valid_calendar_in_the_meetings_zone(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    AgendaSession.objects.create(meeting=meeting, title="Untimed corridor talk", position=9)
    SessionSpeaker.objects.create(
        session=sessions[0], name="Amani Yusuf", stakeholder_group="refugee"
    )
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert (
        "attachment" in response["Content-Disposition"]
        and ".ics" in response["Content-Disposition"]
    )
    calendar = _parse(response.content)
    assert str(calendar["VERSION"]) == "2.0" and "Resettle" in str(calendar["PRODID"])

    events = calendar.walk("VEVENT")
    assert len(events) == 4  # the meeting and its three timed sessions
    main = events[0]
    assert str(main["UID"]) == f"meeting-{meeting.pk}@resettle"
    assert str(main["SUMMARY"]) == meeting.title
    start = main.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Zurich"
    assert (start.hour, start.minute) == (9, 0)  # 09:00 in Geneva
    assert start == meeting.starts_at and main.decoded("DTEND") == meeting.ends_at
    assert main["DTSTART"].params["TZID"] == "Europe/Zurich"
    location = str(main["LOCATION"])
    assert "Palais des Nations" in location and "https://example.org/live" in location
    assert str(main["URL"]).endswith(f"/meetings/{meeting.pk}/")
    assert "en, ar, fr" in str(main["DESCRIPTION"])

    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Zurich"]

    opening = events[1]
    assert str(opening["UID"]) == f"meeting-{meeting.pk}-session-{sessions[0].pk}@resettle"
    assert str(opening["SUMMARY"]) == f"{meeting.title}: Opening"
    assert "Amani Yusuf" in str(opening["DESCRIPTION"])
    assert opening.decoded("DTSTART") == sessions[0].starts_at


def test_uid_is_stable_and_feeds_hold_several_meetings(
    world: SimpleNamespace, meeting: Meeting, hidden_meeting: Meeting
) -> None:
    first = [str(e["UID"]) for e in meeting_events(meeting)]
    meeting.title = "Renamed"
    assert [str(e["UID"]) for e in meeting_events(meeting)] == first
    calendar = _parse(calendar_bytes([meeting, hidden_meeting], name="My meetings"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Renamed", "WGR online"]
    assert str(calendar["X-WR-CALNAME"]) == "My meetings"
    online = calendar.walk("VEVENT")[1]
    assert str(online["LOCATION"]) == "https://example.org/wgr"
    assert online.decoded("DTSTART").astimezone(datetime.UTC) == hidden_meeting.starts_at


def test_hidden_meetings_have_no_calendar(
    client: Client, world: SimpleNamespace, hidden_meeting: Meeting
) -> None:
    assert client.get(f"/meetings/{hidden_meeting.pk}/meeting.ics").status_code == 404
    client.force_login(world.users["state"])  # a member of the working group
    assert client.get(f"/meetings/{hidden_meeting.pk}/meeting.ics").status_code == 200
