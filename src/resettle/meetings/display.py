"""How a meeting's dates and times read: always in the meeting's own time zone."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.formats import date_format

from resettle.meetings.models import Meeting


def meeting_zone(meeting: Meeting) -> datetime.tzinfo:
    """The meeting's time zone (UTC if its name is unknown)."""
    try:
        return ZoneInfo(meeting.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def local_range(meeting: Meeting) -> str:
    """Start and end in the meeting's time zone, naming the zone."""
    zone = meeting_zone(meeting)
    start = meeting.starts_at.astimezone(zone)
    end = meeting.ends_at.astimezone(zone)
    first = date_format(start, "DATETIME_FORMAT")
    if start.date() == end.date():
        last = date_format(end, "TIME_FORMAT")
    else:
        last = date_format(end, "DATETIME_FORMAT")
    return f"{first} – {last} ({meeting.time_zone})"
