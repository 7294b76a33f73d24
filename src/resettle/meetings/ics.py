"""iCalendar (.ics) for meetings: one VEVENT per meeting, one per timed agenda session.

`calendar_bytes` is shared with the registrations app, which builds each
person's feed of the meetings they registered for from the same events.
Times are written in the meeting's own time zone, with its VTIMEZONE, so a
calendar shows 09:00 in Geneva as 09:00 in Geneva wherever it is opened.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from resettle.meetings.models import AgendaSession, Meeting

PRODID = "-//Resettle//Meetings//EN"


def _zone(meeting: Meeting) -> datetime.tzinfo:
    try:
        return ZoneInfo(meeting.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's UID: stable, so a calendar updates the event instead of adding one."""
    return f"meeting-{meeting.pk}@resettle"


def _location(meeting: Meeting, room: str = "") -> str:
    place = ", ".join(part for part in (room, meeting.venue) if part)
    return " / ".join(part for part in (place, meeting.online_url) if part)


def _description(meeting: Meeting) -> str:
    lines = [str(meeting.forum)]
    if meeting.cycle_id:
        lines.append(str(meeting.cycle))
    lines.append(f"{meeting.get_format_display()} · {', '.join(meeting.language_list)}")
    if meeting.online_url:
        lines.append(meeting.online_url)
    if meeting.description:
        lines += ["", meeting.description]
    return "\n".join(lines)


def _session_event(
    meeting: Meeting, session: AgendaSession, starts: datetime.datetime, url: str
) -> Event:
    zone = _zone(meeting)
    ends = session.ends_at or starts
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}-session-{session.pk}@resettle")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", starts.astimezone(zone))
    event.add("dtend", ends.astimezone(zone))
    event.add("summary", f"{meeting.title}: {session.title}")
    location = _location(meeting, session.room)
    if location:
        event.add("location", location)
    event.add("url", url)
    speakers = [
        f"{s.display_name} ({s.get_role_display()}, {s.get_stakeholder_group_display()})"
        for s in session.speakers.all()
    ]
    description = "\n".join([session.description, *speakers]).strip()
    if description:
        event.add("description", description)
    return event


def meeting_events(meeting: Meeting) -> list[Event]:
    """The meeting as a VEVENT, followed by one VEVENT for each agenda session with times."""
    zone = _zone(meeting)
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    location = _location(meeting)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("description", _description(meeting))
    events = [event]
    sessions = meeting.sessions.filter(starts_at__isnull=False).prefetch_related("speakers__person")
    # Only sessions with a start time become events.
    events += [_session_event(meeting, s, s.starts_at, url) for s in sessions if s.starts_at]
    return events


def calendar_bytes(meetings: Iterable[Meeting], *, name: str = "") -> bytes:
    """An iCalendar file holding the events of these meetings, with their time zones."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for meeting in meetings:
        for event in meeting_events(meeting):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    result: bytes = calendar.to_ical()
    return result
