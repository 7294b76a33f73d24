"""Pages for the people and rooms a mission depends on: named caseworkers, room closures.

Both change what the next schedule may use; schedules already computed are
left as they are until the mission is scheduled or rescheduled again.
Views call services only.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.core.views_generic import apply_validation_error
from resettle.rsf import forms, services
from resettle.rsf.models import MissionCaseworker
from resettle.rsf.views import manager


@login_required
def mission_caseworkers(request: HttpRequest, pk: int) -> HttpResponse:
    """The mission's named caseworkers and their days; managers add or remove them."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    form = forms.CaseworkerForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        days = [datetime.date.fromisoformat(d) for d in form.cleaned_data["days"]]
        try:
            services.do_add_caseworker(mission, form.cleaned_data["name"], days, actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Caseworker added to the mission."))
            return HttpResponseRedirect(reverse("rsf:mission_caseworkers", args=[mission.pk]))
    return render(
        request,
        "rsf/mission_caseworkers.html",
        {"mission": mission, "rows": mission.named_caseworkers.all(), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mission_caseworker_remove(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """Take a named caseworker off the mission."""
    actor = manager(request)
    mission = services.get_mission_for_user(pk, request.user)
    caseworker = services.get_visible_in(MissionCaseworker.objects.filter(mission=mission), row)
    services.do_remove_caseworker(caseworker, actor=actor)
    messages.success(request, _("Caseworker removed from the mission."))
    return HttpResponseRedirect(reverse("rsf:mission_caseworkers", args=[mission.pk]))


@login_required
def room_closures(request: HttpRequest) -> HttpResponse:
    """The rooms' closures from today on, and a form to close a room for a day."""
    actor = manager(request)
    form = forms.RoomClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_close_room(data["room"], data["date"], data["reason"], actor=actor)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Room closed for the day."))
            return HttpResponseRedirect(reverse("rsf:room_closures"))
    return render(
        request,
        "rsf/room_closures.html",
        {"closures": services.room_closures_for_user(actor), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def room_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a room's closure."""
    actor = manager(request)
    closure = services.get_visible_in(services.room_closures_for_user(actor), pk)
    services.do_reopen_room(closure, actor=actor)
    messages.success(request, _("Room open again on that day."))
    return HttpResponseRedirect(reverse("rsf:room_closures"))
