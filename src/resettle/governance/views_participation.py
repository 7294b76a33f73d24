"""Pages of the refugee participation indicators: per meeting, cycle and forum, the trend
over cycles, and the CSV export."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from resettle.core.access import as_user
from resettle.forums.models import Forum
from resettle.forums.services import get_cycle_for_user, get_forum_for_user
from resettle.governance import participation as p
from resettle.governance import queries
from resettle.meetings.models import Meeting
from resettle.needs.charts import CYAN, UNHCR_BLUE, line_chart


def trend_chart(forum: Forum, rows: list[queries.CycleRow]) -> str:
    """Refugee participants and refugees in planning over a consultation's cycles (SVG)."""
    # A cycle's consultation meets in its last year (the 2021-22 cycle met in June 2022),
    # so the chart places each cycle at its last year.
    years = [r.cycle.end_year for r in rows]
    participants = [
        r.indicators.refugee_participants if r.indicators.meetings_with_figures else None
        for r in rows
    ]
    planning = [r.indicators.planning_refugees if r.indicators.meetings else None for r in rows]
    return line_chart(
        title=_("Refugee participation in %(forum)s over its cycles") % {"forum": forum},
        desc=_(
            "Refugee participants and refugee members of planning committees, per cycle, "
            "placed at the year of the cycle's consultation; the table below gives the "
            "same figures."
        ),
        years=years,
        series=[
            (_("Refugee participants"), UNHCR_BLUE, participants),
            (_("Refugees in planning"), CYAN, planning),
        ],
        chart_id=f"participation-trend-{forum.pk}",
        rtl=translation.get_language_bidi(),
    )


def participation(request: HttpRequest) -> HttpResponse:
    """Overview: each consultation's cycles with the trend chart, and each forum."""
    user = as_user(request.user)
    consultations = []
    for forum in queries.consultations(user):
        rows = queries.cycles_of(forum, user)
        consultations.append(
            {
                "forum": forum,
                "rows": rows,
                "chart": mark_safe(trend_chart(forum, rows)) if rows else "",  # noqa: S308 - our own SVG, every text escaped by charts._e
            }
        )
    return render(
        request,
        "governance/participation.html",
        {"consultations": consultations, "forum_rows": queries.forums_of(user)},
    )


def participation_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicators of one cycle, meeting by meeting."""
    cycle = get_cycle_for_user(pk, request.user)
    group = queries.for_cycle(cycle, request.user)
    return render(
        request,
        "governance/participation_group.html",
        {
            "title": _("Refugee participation: %(cycle)s") % {"cycle": cycle},
            "scope": cycle,
            "group": group,
            "meetings": _with_meetings(group),
        },
    )


def participation_forum(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicators of one forum, meeting by meeting."""
    forum = get_forum_for_user(pk, request.user)
    group = queries.for_forum(forum, request.user)
    return render(
        request,
        "governance/participation_group.html",
        {
            "title": _("Refugee participation: %(forum)s") % {"forum": forum},
            "scope": forum,
            "group": group,
            "meetings": _with_meetings(group),
        },
    )


def _with_meetings(group: p.GroupIndicators) -> list[tuple[Meeting | None, p.MeetingIndicators]]:
    meetings = Meeting.objects.in_bulk([r.meeting_id for r in group.meeting_rows])
    return [(meetings.get(r.meeting_id), r) for r in group.meeting_rows]


CSV_HEADER = (
    "scope",
    "name",
    "cycle_start_year",
    "meetings",
    "refugees_in_planning",
    "sessions",
    "sessions_with_refugee_speaker",
    "share_sessions_with_refugee_speaker",
    "participants",
    "refugee_participants",
    "share_refugee_participants",
    "rag_advice_given",
    "rag_advice_answered",
    "share_rag_advice_answered",
)


def _fraction(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _csv_row(scope: str, name: str, year: int | str, g: p.GroupIndicators) -> list[object]:
    known = g.meetings_with_figures > 0
    return [
        scope,
        name,
        year,
        g.meetings,
        g.planning_refugees,
        g.sessions,
        g.sessions_with_refugee,
        _fraction(g.session_share),
        g.participants if known else "",
        g.refugee_participants if known else "",
        _fraction(g.refugee_share),
        g.advice_given,
        g.advice_answered,
        _fraction(g.advice_answered_share),
    ]


def participation_csv(request: HttpRequest) -> HttpResponse:
    """The indicators table as CSV: one row per cycle of each consultation, then per forum."""
    user = as_user(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="refugee-participation.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for forum in queries.consultations(user):
        for row in queries.cycles_of(forum, user):
            writer.writerow(_csv_row("cycle", str(row.cycle), row.cycle.start_year, row.indicators))
    for frow in queries.forums_of(user):
        writer.writerow(_csv_row("forum", str(frow.forum), "", frow.indicators))
    return response


def meeting_panel(request: HttpRequest, meeting: Meeting) -> SafeString | str:
    """The participation section of a meeting's page."""
    indicators = queries.for_meeting(meeting)
    return render_to_string(
        "governance/_participation_panel.html", {"m": indicators, "meeting": meeting}, request
    )
