"""Pages of the RSF app: missions, the facility's rooms and interpreters, a mission's cases.

The schedule's pages (runs, timetables, files, no-shows) are in views_schedule.py.
Views call services only.
"""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.cases.models import ResettlementCase
from resettle.core.access import as_user
from resettle.core.tables import Column
from resettle.core.views_generic import (
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)
from resettle.rsf import forms, runs, services
from resettle.rsf.models import Interpreter, Mission, MissionInterpreter


def manager(request: HttpRequest) -> User:
    """The signed-in user, if they manage missions; PermissionDenied otherwise."""
    user = as_user(request.user)
    if not services.can_manage_missions(user):
        raise PermissionDenied
    assert user is not None  # noqa: S101 - can_manage_missions(None) is False
    return user


class MissionListView(ObjectListView):
    """The missions a user may see."""

    model = Mission
    columns = [
        Column(gettext_lazy("Mission"), "name", link=True),
        Column(gettext_lazy("Receiving State"), "receiving_state"),
        Column(gettext_lazy("Type"), "kind"),
        Column(gettext_lazy("Mode"), "mode"),
        Column(gettext_lazy("First day"), "start_date"),
        Column(gettext_lazy("Last day"), "end_date"),
        Column(gettext_lazy("Status"), "status"),
    ]
    search_fields = ("name",)
    select_related = ("receiving_state",)
    login_required = True
    create_url_name = "rsf:mission_add"
    title = gettext_lazy("Missions of the Resettlement Support Facility")

    def can_create(self, user: User | None) -> bool:
        return services.can_manage_missions(user)


class MissionEditView(ObjectEditView):
    """Create or edit a mission."""

    form_class = forms.MissionForm
    create_service = services.do_create_mission
    update_service = services.do_update_mission

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Mission | None:
        if "pk" not in kwargs:
            return None
        return services.get_mission_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services.can_manage_missions(user)

    def can_edit(self, user: User, obj: Any) -> bool:
        return services.can_manage_missions(user)


@login_required
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A mission: its figures, cases, interpreters, runs, pending events and costs."""
    mission = services.get_mission_for_user(pk, request.user)
    user = as_user(request.user)
    statuses = dict(
        mission.cases.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "rsf/mission_detail.html",
        {
            "mission": mission,
            "can_manage": services.can_manage_missions(user),
            "latest": mission.latest_run(),
            "runs": mission.runs.select_related("created_by")[:10],
            "case_count": mission.cases.count(),
            "statuses": statuses,
            "interpreters": mission.interpreters.select_related("interpreter"),
            "pending": services.pending_events(mission),
            "costs": runs.costs(mission),
        },
    )


# ---- a mission's cases and interpreters -------------------------------------------


def _references(text: str) -> list[str]:
    return [r for r in re.split(r"[\s,;]+", text.strip()) if r]


@login_required
def mission_cases(request: HttpRequest, pk: int) -> HttpResponse:
    """The mission's cases; managers select more by reference."""
    mission = services.get_mission_for_user(pk, request.user)
    user = as_user(request.user)
    can_manage = services.can_manage_missions(user)
    form = forms.SelectCasesForm(request.POST or None)
    if request.method == "POST":
        actor = manager(request)
        if form.is_valid():
            refs = _references(form.cleaned_data["references"])
            found = {c.reference: c for c in ResettlementCase.objects.filter(reference__in=refs)}
            missing = [r for r in refs if r not in found]
            if missing:
                form.add_error(
                    "references", _("Unknown case: %(refs)s") % {"refs": ", ".join(missing)}
                )
            else:
                try:
                    services.do_select_cases(
                        mission, [found[ref] for ref in refs], form.selection_data(), actor=actor
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, _("%(count)s cases selected.") % {"count": len(refs)})
                    return HttpResponseRedirect(reverse("rsf:mission_cases", args=[mission.pk]))
    return render(
        request,
        "rsf/mission_cases.html",
        {
            "mission": mission,
            "cases": mission.cases.select_related("case"),
            "form": form if can_manage else None,
            "selectable": services.selectable_cases(mission)[:20] if can_manage else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def mission_case_edit(request: HttpRequest, pk: int, case: int) -> HttpResponse:
    """Change what a case's interview needs."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    mc = services.get_mission_case(mission, case)
    # The form works on a copy so the service sees the case as it was (audit "before").
    form = forms.MissionCaseForm(request.POST or None, instance=copy.copy(mc))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_mission_case(mc, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(reverse("rsf:mission_cases", args=[mission.pk]))
    return render(
        request,
        "rsf/form.html",
        {"mission": mission, "form": form, "title": _("Case %(ref)s") % {"ref": mc}},
        status=400 if form.errors else 200,
    )


@login_required
def mission_interpreters(request: HttpRequest, pk: int) -> HttpResponse:
    """The mission's interpreters and their days; managers add or remove them."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    form = forms.AssignInterpreterForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        days = [datetime.date.fromisoformat(d) for d in form.cleaned_data["days"]]
        try:
            services.do_assign_interpreter(
                mission, form.cleaned_data["interpreter"], days, actor=actor
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Interpreter added to the mission."))
            return HttpResponseRedirect(reverse("rsf:mission_interpreters", args=[mission.pk]))
    return render(
        request,
        "rsf/mission_interpreters.html",
        {
            "mission": mission,
            "rows": mission.interpreters.select_related("interpreter"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mission_interpreter_remove(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """Take an interpreter off the mission."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    assignment = services.get_visible_in(MissionInterpreter.objects.filter(mission=mission), row)
    services.do_remove_interpreter(assignment, actor=actor)
    messages.success(request, _("Interpreter removed from the mission."))
    return HttpResponseRedirect(reverse("rsf:mission_interpreters", args=[mission.pk]))


# ---- the facility: rooms and interpreters ----------------------------------------------


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    """The facility's rooms, and a form to add one."""
    actor = manager(request)
    form = forms.RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_create_room(form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("rsf:room_list"))
    return render(
        request,
        "rsf/room_list.html",
        {"rooms": services.rooms_for_user(actor), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a room."""
    actor = manager(request)
    room = services.get_visible_in(services.rooms_for_user(actor), pk)
    form = forms.RoomForm(request.POST or None, instance=copy.copy(room))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_room(room, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(reverse("rsf:room_list"))
    return render(
        request,
        "rsf/form.html",
        {"form": form, "title": _("Room %(name)s") % {"name": room.name}},
        status=400 if form.errors else 200,
    )


@login_required
def interpreter_list(request: HttpRequest) -> HttpResponse:
    """The facility's interpreters, and a form to add one."""
    actor = manager(request)
    form = forms.InterpreterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_create_interpreter(form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("rsf:interpreter_list"))
    return render(
        request,
        "rsf/interpreter_list.html",
        {"interpreters": services.interpreters_for_user(actor), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def interpreter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an interpreter's name or languages."""
    actor = manager(request)
    interpreter: Interpreter = services.get_visible_in(services.interpreters_for_user(actor), pk)
    initial = {"name": interpreter.name, "languages": ", ".join(interpreter.languages)}
    form = forms.InterpreterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_interpreter(interpreter, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(reverse("rsf:interpreter_list"))
    return render(
        request,
        "rsf/form.html",
        {"form": form, "title": str(interpreter)},
        status=400 if form.errors else 200,
    )
