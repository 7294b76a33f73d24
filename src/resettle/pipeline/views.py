"""Pages of the case pipeline: the list, a case file, moves, indicators (boards: views_board)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.cases.models import ResettlementCase
from resettle.core.access import as_user
from resettle.core.models import AuditEntry
from resettle.core.views_generic import apply_validation_error
from resettle.directory.models import Country
from resettle.needs.services import can_import_dataset
from resettle.pipeline import access, forms, queries, services, stages
from resettle.pipeline.models import CaseFile, Stage
from resettle.rsf.models import Mission, MissionCase


def _user(request: HttpRequest) -> User:
    user = as_user(request.user)
    assert user is not None  # noqa: S101 - behind login_required
    return user


def _files(request: HttpRequest) -> models.QuerySet[CaseFile]:
    return CaseFile.objects.visible_to(as_user(request.user)).select_related(
        "case", "case__referred_state", "case__asylum"
    )


def _by_state(request: HttpRequest, files: models.QuerySet[CaseFile]) -> tuple[Any, Any]:
    iso3 = request.GET.get("state", "").strip().upper()
    states = Country.objects.filter(pk__in=files.values("case__referred_state")).order_by("name_en")
    state = states.filter(iso3=iso3).first() if iso3 else None
    return (files.filter(case__referred_state=state) if state else files), (state, states)


@login_required
def casefile_list(request: HttpRequest) -> HttpResponse:
    """Case files with filters: stage, State, nationality, priority, overdue."""
    files = _files(request)
    form = forms.CaseFileFilterForm(request.GET or None, user=as_user(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data.get("stage"):
            files = files.filter(stage=data["stage"])
        if data.get("state"):
            files = files.filter(case__referred_state=data["state"])
        if data.get("nationality"):
            files = files.filter(case__nationality=data["nationality"])
        if data.get("priority"):
            files = files.filter(case__priority=data["priority"])
        if data.get("overdue"):
            files = files.filter(pk__in=queries.overdue_ids(files))
    page = Paginator(files, 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "pipeline/casefile_list.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "can_open": access.can_open_case_file(as_user(request.user)),
            # The boards of the States whose cases the user sees.
            "state_boards": Country.objects.filter(
                pk__in=_files(request).values("case__referred_state")
            ).order_by("iso3"),
        },
    )


@login_required
def casefile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A case file without personal data: stage, events, family composition, travel.

    Names, dates of birth and medical details are shown only on request (a
    POST to personal_data or medical), which logs the read.
    """
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    moves = stages.allowed_moves(case_file.stage)
    can_move = [m for m in moves if access.can_record_move(user, case_file, m)]
    return render(
        request,
        "pipeline/casefile_detail.html",
        {
            "object": case_file,
            "case": case_file.case,
            "members": case_file.members.all(),
            "events": case_file.events.select_related("organisation", "by"),
            "bookings": case_file.bookings.all(),
            "move_form": forms.MoveForm(moves=tuple(can_move)) if can_move else None,
            "allowed": [Stage(m).label if m in Stage.values else _("Resume") for m in moves],
            "can_manage": access.can_manage_pipeline(user),
            "can_add_member": access.can_open_case_file(user)
            and case_file.members.count() < case_file.case.persons,
            "can_see_medical": access.can_see_medical(user, case_file),
            "can_record_medical": access.can_record_medical(user),
            "can_book": access.can_manage_pipeline(user)
            and case_file.stage == stages.EXIT_PERMISSION,
            "orientation_complete": services.orientation_complete(case_file),
            "history": AuditEntry.objects.for_object(case_file)[:30],
            "overdue": case_file.is_overdue(),
            # The resettlement case it comes from, linked for those who may read it.
            "case_visible": ResettlementCase.objects.visible_to(user)
            .filter(pk=case_file.case_id)
            .exists(),
            "state_board": case_file.case.referred_state_id is not None
            and access.can_see_state_board(user, case_file.case.referred_state_id),
            "missions": Mission.objects.visible_to(user)
            .filter(pk__in=MissionCase.objects.filter(case=case_file.case).values("mission"))
            .order_by("-start_date"),
        },
    )


@login_required
def casefile_add(request: HttpRequest) -> HttpResponse:
    """Open the facility's file of a referred case (facility staff, UNHCR)."""
    user = _user(request)
    if not access.can_open_case_file(user):
        raise PermissionDenied
    form = forms.OpenCaseFileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case_file = services.do_open_case_file(data.pop("case"), data, actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Case file opened."))
            return HttpResponseRedirect(case_file.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Open a case file")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def casefile_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a case's next stage; an illegal move is refused with its reason."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    form = forms.MoveForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.do_move_case(
                case_file,
                data["move"],
                date=data.get("date"),
                organisation=data.get("organisation"),
                note=data.get("note") or "",
                actor=user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Stage recorded."))
            return HttpResponseRedirect(case_file.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Record a stage"), "object": case_file},
        status=400,
    )


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """Days to each stage, departures within six months, acceptance, no-shows."""
    files, (state, states) = _by_state(request, _files(request))
    result = queries.compute_indicators(files)
    labels = dict(Stage.choices)
    return render(
        request,
        "pipeline/indicators.html",
        {
            "ind": result,
            "rows": [(labels.get(r.stage, r.stage), r) for r in result.days_to_stage],
            "state": state,
            "states": states,
            "can_import": can_import_dataset(as_user(request.user), "departures"),
        },
    )


@login_required
@require_POST
def departures_import(request: HttpRequest) -> HttpResponse:
    """Import departures as a new version of the rsf-departures series (UNHCR, admins)."""
    user = _user(request)
    result = queries.do_import_departures(actor=user)
    if result is None:
        messages.info(request, _("No case has departed yet: nothing to import."))
    elif result.imported:
        messages.success(
            request, _("Imported %(rows)s rows of departures.") % {"rows": result.rows}
        )
    else:
        messages.info(request, _("The departures have not changed since the last import."))
    return HttpResponseRedirect(reverse("pipeline:indicators"))
