"""The agenda editor: sessions, their order, speakers and moderators, planning committee.

Every change is a plain form POST followed by a redirect to the editor, so the
editor works without JavaScript. With htmx, the same forms post in the
background (the `HX-Request` header) and the answer is the editor fragment,
which replaces the old one; a form with errors comes back in the fragment
with its errors shown.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.core.access import as_user, require
from resettle.core.views_generic import apply_validation_error, form_data
from resettle.meetings import services
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.forms import PlanningMemberForm, SessionForm, SpeakerForm
from resettle.meetings.models import Meeting

View = Callable[..., HttpResponse]


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def organiser_only(view: View) -> View:
    """Sign-in first; then 404 for a meeting the user may not see, 403 if not an organiser.

    The wrapped view receives the user instead of the request's user.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = as_user(request.user)
        if user is None:
            return redirect_to_login(request.get_full_path())
        return view(request, user, *args, **kwargs)

    return wrapper


def _meeting(pk: int, user: User) -> Meeting:
    meeting = services.get_meeting_for_user(pk, user)
    require(can_organise_meeting(user, meeting), "meeting")
    return meeting


def _context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    session_form: SessionForm | None = None,
    speaker_forms: dict[int, SpeakerForm] | None = None,
    planning_form: PlanningMemberForm | None = None,
    order_error: str = "",
) -> dict[str, Any]:
    user = as_user(request.user)
    sessions = services.ordered_sessions(meeting)
    speaker_forms = speaker_forms or {}
    rows = [
        (
            session,
            speaker_forms.get(session.pk)
            or SpeakerForm(user=user, auto_id=f"id_speaker{session.pk}_%s"),
        )
        for session in sessions
    ]
    return {
        "meeting": meeting,
        "rows": rows,
        "session_form": session_form or SessionForm(meeting=meeting, user=user),
        "planning_form": planning_form or PlanningMemberForm(user=user, auto_id="id_planning_%s"),
        "planning_members": meeting.planning_members.select_related(
            "person__organisation", "organisation"
        ),
        "order_error": order_error,
    }


def _editor(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    """The editor page, or only its fragment for htmx (which swaps 200 answers only)."""
    context = _context(request, meeting, **forms)
    if _is_htmx(request):
        return render(request, "meetings/_agenda_editor.html", context)
    return render(request, "meetings/agenda_editor.html", context, status=status)


def _done(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request,
            "meetings/_agenda_editor.html",
            {**_context(request, meeting), "notice": message},
        )
    messages.success(request, message)
    return HttpResponseRedirect(reverse("meetings:agenda_editor", args=[meeting.pk]))


# ---- the page ----------------------------------------------------------------


@organiser_only
def agenda_editor(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """The agenda editor of a meeting, for its organisers."""
    return _editor(request, _meeting(pk, user))


# ---- sessions ----------------------------------------------------------------


@require_POST
@organiser_only
def session_add(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Add a session at the end of the agenda."""
    meeting = _meeting(pk, user)
    form = SessionForm(request.POST, meeting=meeting, user=user)
    if form.is_valid():
        try:
            services.do_add_session(meeting, form_data(form), actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, meeting, _("Session added."))
    return _editor(request, meeting, status=400, session_form=form)


@organiser_only
def session_edit(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Edit a session on its own page (title, times, room, description)."""
    session = services.get_session_for_user(pk, user)
    meeting = _meeting(session.meeting_id, user)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=_copy(session), meeting=meeting, user=user)
        if form.is_valid():
            try:
                services.do_update_session(session, form_data(form), actor=user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return HttpResponseRedirect(reverse("meetings:agenda_editor", args=[meeting.pk]))
        status = 400
    else:
        form = SessionForm(instance=session, meeting=meeting, user=user)
        status = 200
    return render(
        request,
        "meetings/session_edit.html",
        {"form": form, "session": session, "meeting": meeting},
        status=status,
    )


def _copy(obj: Any) -> Any:
    # The form writes posted values onto its instance; the service must see the
    # session as stored to record "before" in the audit log.
    return copy.copy(obj)


@require_POST
@organiser_only
def session_move(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Move a session one place up or down."""
    session = services.get_session_for_user(pk, user)
    meeting = _meeting(session.meeting_id, user)
    direction = request.POST.get("direction", "")
    try:
        services.do_move_session(session, direction, actor=user)
    except ValidationError:
        return _editor(request, meeting, status=400, order_error=_("Move a session up or down."))
    return _done(request, meeting, _("Agenda order changed."))


def _posted_order(request: HttpRequest) -> list[int]:
    """The new order: `order` (ids, in order) or one `position_<id>` number per session."""
    raw = request.POST.getlist("order")
    if len(raw) == 1 and "," in raw[0]:
        raw = raw[0].split(",")
    if raw:
        return [int(value) for value in raw]
    positions: list[tuple[float, int, int]] = []
    for index, key in enumerate(request.POST):
        if key.startswith("position_"):
            value = request.POST.get(key, "")
            positions.append((float(value), index, int(key.removeprefix("position_"))))
    return [pk for _pos, _index, pk in sorted(positions)]


@require_POST
@organiser_only
def session_reorder(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Put the whole agenda in a new order."""
    meeting = _meeting(pk, user)
    try:
        order = _posted_order(request)
        services.do_reorder_sessions(meeting, order, actor=user)
    except (ValueError, ValidationError):
        message = _("Give every session a number: the agenda follows the numbers.")
        return _editor(request, meeting, status=400, order_error=message)
    return _done(request, meeting, _("Agenda order changed."))


@require_POST
@organiser_only
def session_delete(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Remove a session and its speakers."""
    session = services.get_session_for_user(pk, user)
    meeting = _meeting(session.meeting_id, user)
    services.do_delete_session(session, actor=user)
    return _done(request, meeting, _("Session removed."))


# ---- speakers and moderators -------------------------------------------------


@require_POST
@organiser_only
def speaker_add(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Add a speaker or moderator to a session."""
    session = services.get_session_for_user(pk, user)
    meeting = _meeting(session.meeting_id, user)
    form = SpeakerForm(request.POST, user=user, auto_id=f"id_speaker{session.pk}_%s")
    if _save(form, lambda data: services.do_add_speaker(session, data, actor=user)):
        return _done(request, meeting, _("Speaker added."))
    return _editor(request, meeting, status=400, speaker_forms={session.pk: form})


@require_POST
@organiser_only
def speaker_remove(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Take a speaker or moderator off a session."""
    speaker = services.get_speaker_for_user(pk, user)
    meeting = _meeting(speaker.session.meeting_id, user)
    services.do_remove_speaker(speaker, actor=user)
    return _done(request, meeting, _("Speaker removed."))


# ---- planning committee ------------------------------------------------------


@require_POST
@organiser_only
def planning_add(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Add a member to the planning committee."""
    meeting = _meeting(pk, user)
    form = PlanningMemberForm(request.POST, user=user, auto_id="id_planning_%s")
    if _save(form, lambda data: services.do_add_planning_member(meeting, data, actor=user)):
        return _done(request, meeting, _("Committee member added."))
    return _editor(request, meeting, status=400, planning_form=form)


@require_POST
@organiser_only
def planning_remove(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    """Take a member off the planning committee."""
    member = services.get_planning_member_for_user(pk, user)
    meeting = _meeting(member.meeting_id, user)
    services.do_remove_planning_member(member, actor=user)
    return _done(request, meeting, _("Committee member removed."))


def _save(form: django_forms.ModelForm[Any], service: Callable[[dict[str, Any]], Any]) -> bool:
    """Validate the form and call the service; put the service's errors on the form."""
    if not form.is_valid():
        return False
    try:
        service(form_data(form))
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return False
    return True
