"""Timetables as files: iCalendar per room or interpreter, and a printable PDF.

Case references only: no names or other personal data leave in these files.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as IcsEvent

from resettle.rsf.models import Appointment, Interpreter, Mission, Room, ScheduleRun

STAMP = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # the file depends on the schedule only


def appointments(run: ScheduleRun) -> Any:
    """A run's appointments with what the timetables show."""
    return (
        Appointment.objects.filter(run=run)
        .select_related("case__case", "room", "interpreter")
        .order_by("start", "room__name")
    )


def ics(
    mission: Mission,
    run: ScheduleRun,
    *,
    room: Room | None = None,
    interpreter: Interpreter | None = None,
) -> bytes:
    """The interviews of a room or an interpreter as an iCalendar file."""
    rows = appointments(run)
    if room is not None:
        rows = rows.filter(room=room)
        name = _("Room %(name)s") % {"name": room.name}
    else:
        rows = rows.filter(interpreter=interpreter)
        name = str(interpreter)
    cal = Calendar()
    cal.add("prodid", "-//Resettle//RSF timetable//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{mission.name}: {name}")
    for a in rows:
        event = IcsEvent()
        event.add("uid", f"rsf-{mission.pk}-{a.case.case.reference}-{a.day.isoformat()}@resettle")
        event.add("dtstamp", STAMP)
        event.add("dtstart", a.start)
        event.add("dtend", a.end)
        event.add(
            "summary",
            _("Interview %(case)s (%(persons)s persons, %(language)s)")
            % {
                "case": a.case.case.reference,
                "persons": a.case.case.persons,
                "language": a.case.language or _("no interpreter"),
            },
        )
        event.add("location", _("Room %(name)s") % {"name": a.room.name})
        description = _("Interpreter: %(name)s") % {"name": a.interpreter or "-"}
        if a.caseworker_name:
            description += "\n" + _("Caseworker: %(name)s") % {"name": a.caseworker_name}
        event.add("description", description)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def timetable_html(mission: Mission, run: ScheduleRun) -> str:
    """The printable timetable, day by day."""
    by_day: dict[datetime.date, list[Appointment]] = {}
    for a in appointments(run):
        by_day.setdefault(a.day, []).append(a)
    return render_to_string(
        "rsf/timetable_print.html", {"mission": mission, "run": run, "days": sorted(by_day.items())}
    )


def timetable_pdf(mission: Mission, run: ScheduleRun) -> bytes:
    """The timetable as a PDF (WeasyPrint)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import HTML  # noqa: PLC0415 - a heavy import, only for PDFs

    pdf: bytes = HTML(string=timetable_html(mission, run)).write_pdf()
    return pdf
