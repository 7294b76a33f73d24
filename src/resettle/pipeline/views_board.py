"""The boards of the case pipeline: every case a user sees, one mission's, one State's.

A board has a column per stage with its count, cards (reference, family size,
priority, days since submission: no personal data), filters as GET
parameters, the indicators of its cases on top, and on each card a small form
that records the next stage through `services.do_move_case`.

The card's form posts to the board's own address (filters included), so a
refused move comes back on the same board with the service's message. A plain
POST gets a redirect to the board on success and the page with the message
(400) on refusal; htmx gets the board's fragment either way (200, because htmx
swaps successful answers only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.directory.models import Country
from resettle.pipeline import access, forms, queries, services
from resettle.pipeline.models import MOVE_LABELS, CaseFile
from resettle.pipeline.views import _user
from resettle.rsf.models import Mission, MissionCase
from resettle.rsf.services import get_mission_for_user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _visible_files(user: User) -> models.QuerySet[CaseFile]:
    return CaseFile.objects.visible_to(user).select_related("case", "case__referred_state")


def _move(request: HttpRequest, user: User, files: models.QuerySet[CaseFile]) -> str:
    """Record the move a card posted; returns the success message.

    A case that is not on this board is a 404 (absent and hidden alike); a
    move the user may not record is a 403 (PermissionDenied from the
    service); bad input or an illegal move raises ValidationError with the
    service's message.
    """
    form = forms.BoardMoveForm(request.POST)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                for name, errors in form.errors.items()
                for error in errors
            ]
        )
    case_file = files.filter(pk=form.cleaned_data["case"]).first()
    if case_file is None:
        raise Http404("case file")
    move = form.cleaned_data["move"]
    services.do_move_case(case_file, move, note=form.cleaned_data["note"], actor=user)
    case_file.refresh_from_db()
    return _("Case %(case)s moved to “%(stage)s”.") % {
        "case": case_file.case.reference,
        "stage": str(MOVE_LABELS.get(case_file.stage, case_file.stage)),
    }


def _render_board(
    request: HttpRequest,
    files: models.QuerySet[CaseFile],
    *,
    title: str,
    with_state: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A board over `files` (the user's visible case files of its scope): GET or a move."""
    user = _user(request)
    notice = ""
    errors: list[str] = []
    if request.method == "POST":
        try:
            notice = _move(request, user, files)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            if not _is_htmx(request):
                messages.success(request, notice)
                return HttpResponseRedirect(request.get_full_path())
    form = forms.BoardFilterForm(request.GET or None, files=files, with_state=with_state, user=user)
    if form.is_bound:
        # A filter in error is named on the form and left out; the others still apply.
        form.is_valid()
    shown = form.apply(files)
    stage = form.cleaned_data.get("stage", "") if form.is_bound else ""
    result = queries.compute_indicators(shown)
    labels = dict(MOVE_LABELS)
    page: dict[str, Any] = {
        "title": title,
        "form": form,
        "columns": queries.board(shown, user=user, only_stage=stage),
        "ind": result,
        "rows": [(labels.get(r.stage, r.stage), r) for r in result.days_to_stage if r.cases],
        "notice": notice,
        "move_errors": errors,
        "board_url": request.get_full_path(),
        **(context or {}),
    }
    if _is_htmx(request):
        return render(request, "pipeline/_board.html", page)
    status = 400 if errors else 200
    return render(request, "pipeline/board.html", page, status=status)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Every case file the user sees, by stage (filters include the State)."""
    user = _user(request)
    files = _visible_files(user)
    states = Country.objects.filter(pk__in=files.values("case__referred_state")).order_by("iso3")
    return _render_board(
        request,
        files,
        title=_("Case pipeline"),
        with_state=True,
        context={"state_boards": states},
    )


@login_required
def mission_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The cases of one mission that the user sees (404 for a mission not theirs).

    A State official sees only the cases referred to their own State, even on
    their State's mission.
    """
    user = _user(request)
    mission: Mission = get_mission_for_user(pk, user)
    files = _visible_files(user).filter(
        case__in=MissionCase.objects.filter(mission=mission).values("case")
    )
    return _render_board(
        request,
        files,
        title=_("Board of the mission %(name)s") % {"name": mission.name},
        context={"mission": mission},
    )


@login_required
def state_board(request: HttpRequest, iso3: str) -> HttpResponse:
    """The cases referred to one State (its officials, and whoever sees every case)."""
    user = _user(request)
    state = Country.objects.filter(iso3=iso3.upper()).first()
    if state is None or not access.can_see_state_board(user, state.pk):
        raise Http404("state")
    files = _visible_files(user).filter(case__referred_state=state)
    return _render_board(
        request,
        files,
        title=_("Board of %(state)s") % {"state": state},
        context={"state": state},
    )
