"""Pages of a mission's schedule: start a run and follow it, timetables, files, events.

1. `schedule_start` (POST) queues a run and leads to `run_detail`, whose
   progress bar htmx refreshes every second (`run_progress`) until the
   worker is done; a reschedule's page then says how many appointments moved.
2. `timetable`: per day, per room or per interpreter; `timetable_pdf` prints
   it; `room_ics` / `interpreter_ics` are calendar files.
3. `no_show`, `interpreter_lost` record events; `reschedule` (POST) answers them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error
from resettle.rsf import exports, forms, services
from resettle.rsf.models import Appointment, Interpreter, Mission, Room, ScheduleRun
from resettle.rsf.views import manager

VIEWS = ("day", "room", "interpreter")


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def schedule_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a schedule of the mission's cases."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    try:
        run = services.do_start_schedule(mission, actor=actor)
    except ValidationError as exc:
        _error_messages(request, exc)
        return HttpResponseRedirect(mission.get_absolute_url())
    return HttpResponseRedirect(run.get_absolute_url())


def _moves(run: ScheduleRun) -> list[dict[str, Any]]:
    """A reschedule's changes against its previous run: what moved where."""
    if run.previous_id is None:
        return []
    before = {a.case_id: a for a in exports.appointments(run.previous)}  # type: ignore[arg-type]
    after = {a.case_id: a for a in exports.appointments(run)}
    out = []
    for case_id in sorted(
        set(before) | set(after), key=lambda c: str(before.get(c) or after.get(c))
    ):
        a, b = before.get(case_id), after.get(case_id)
        if (
            a
            and b
            and (a.start, a.room_id, a.interpreter_id, a.medical_day)
            == (b.start, b.room_id, b.interpreter_id, b.medical_day)
        ):
            continue
        out.append({"case": (a or b).case, "before": a, "after": b})  # type: ignore[union-attr]
    return out


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A schedule run: its progress, then its figures (and, for a reschedule, the moves)."""
    run = services.get_run_for_user(pk, request.user)
    return render(
        request,
        "rsf/run_detail.html",
        {
            "run": run,
            "mission": run.mission,
            "moves": _moves(run) if run.status == "done" else [],
            "scheduled": Appointment.objects.filter(run=run).count(),
        },
    )


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone (htmx polls it), or the whole run page."""
    run = services.get_run_for_user(pk, request.user)
    if request.headers.get("HX-Request") != "true":
        return HttpResponseRedirect(run.get_absolute_url())
    response = render(request, "rsf/_progress.html", {"run": run})
    if run.finished:
        response["HX-Redirect"] = run.get_absolute_url()
    return response


def _run_or_404(mission: Mission) -> ScheduleRun:
    run = mission.latest_run()
    if run is None:
        raise Http404("schedule")
    return run


@login_required
def timetable(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule in force: per day, per room or per interpreter."""
    mission = services.get_mission_for_user(pk, request.user)
    run = mission.latest_run()
    view = request.GET.get("by", "day")
    if view not in VIEWS:
        view = "day"
    groups: dict[Any, list[Appointment]] = defaultdict(list)
    if run is not None:
        for a in exports.appointments(run):
            key = {"day": a.day, "room": a.room, "interpreter": a.interpreter}[view]
            if key is not None:
                groups[key].append(a)
    ordered = sorted(
        groups.items(), key=lambda kv: str(kv[0]) if view != "day" else kv[0].isoformat()
    )
    return render(
        request,
        "rsf/timetable.html",
        {
            "mission": mission,
            "run": run,
            "view": view,
            "groups": ordered,
            "can_manage": services.can_manage_missions(as_user(request.user)),
        },
    )


@login_required
def timetable_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable timetable (PDF)."""
    mission = services.get_mission_for_user(pk, request.user)
    run = _run_or_404(mission)
    response = HttpResponse(exports.timetable_pdf(mission, run), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rsf-mission-{mission.pk}-timetable.pdf"'
    return response


def _ics_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
def room_ics(request: HttpRequest, pk: int, room: int) -> HttpResponse:
    """A room's interviews as an iCalendar file."""
    mission = services.get_mission_for_user(pk, request.user)
    run = _run_or_404(mission)
    obj = services.get_visible_in(Room.objects.all(), room)
    return _ics_response(exports.ics(mission, run, room=obj), f"rsf-{mission.pk}-room-{obj.pk}")


@login_required
def interpreter_ics(request: HttpRequest, pk: int, interpreter: int) -> HttpResponse:
    """An interpreter's interviews as an iCalendar file."""
    mission = services.get_mission_for_user(pk, request.user)
    run = _run_or_404(mission)
    obj = services.get_visible_in(
        Interpreter.objects.filter(pk__in=mission.interpreters.values("interpreter")), interpreter
    )
    return _ics_response(
        exports.ics(mission, run, interpreter=obj), f"rsf-{mission.pk}-interpreter-{obj.pk}"
    )


@login_required
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a family did not come to its interview."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    form = forms.NoShowForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_mark_no_show(form.cleaned_data["case"], actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("No-show recorded. Reschedule to answer it."))
            return HttpResponseRedirect(mission.get_absolute_url())
    return render(
        request,
        "rsf/form.html",
        {"mission": mission, "form": form, "title": _("Record a no-show")},
        status=400 if form.errors else 200,
    )


@login_required
def interpreter_lost(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that an interpreter cannot work on some days."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    form = forms.InterpreterLostForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        days = [datetime.date.fromisoformat(d) for d in form.cleaned_data["days"]]
        try:
            services.do_mark_interpreter_lost(
                mission, form.cleaned_data["interpreter"], days, actor=actor
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Lost interpreter recorded. Reschedule to answer it."))
            return HttpResponseRedirect(mission.get_absolute_url())
    return render(
        request,
        "rsf/form.html",
        {"mission": mission, "form": form, "title": _("Record a lost interpreter")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a reschedule answering the recorded events."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    try:
        run = services.do_reschedule(mission, actor=actor)
    except ValidationError as exc:
        _error_messages(request, exc)
        return HttpResponseRedirect(mission.get_absolute_url())
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def logistics(request: HttpRequest, pk: int) -> HttpResponse:
    """Transport trips, accommodation nights and costs of the schedule in force."""
    from resettle.rsf import runs  # noqa: PLC0415

    mission = services.get_mission_for_user(pk, request.user)
    return render(
        request,
        "rsf/logistics.html",
        {
            "mission": mission,
            "trips": mission.trips.all(),
            "costs": runs.costs(mission),
        },
    )
