"""A person's registrations as an iCalendar (.ics) file.

Built from the meetings app's events (meetings.ics.meeting_events), so the
meeting keeps the same UID in a person's calendar as in the meeting's own
download, with its agenda sessions and time zone. Approved registrations are
confirmed; those awaiting approval are marked tentative.
"""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar

from resettle.meetings.ics import meeting_events
from resettle.registrations.models import Registration, RegistrationStatus

PRODID = "-//Resettle//Registrations//EN"


def registrations_calendar(registrations: Iterable[Registration], name: str) -> bytes:
    """The calendar file of these registrations' meetings."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for registration in registrations:
        confirmed = registration.status == RegistrationStatus.APPROVED
        for event in meeting_events(registration.meeting):
            event.add("status", "CONFIRMED" if confirmed else "TENTATIVE")
            cal.add_component(event)
    cal.add_missing_timezones()
    result: bytes = cal.to_ical()
    return result
