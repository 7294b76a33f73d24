"""The records section of a meeting's page, and the inline forms it posts to.

The section is registered with meetings.panels (see apps.py) and also served
on its own page (records:meeting_records). Its forms post with htmx, which
swaps the re-rendered section in place; without JavaScript they post plainly
and the view redirects back to the page they came from (`next`), or shows
the section with the form's errors.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error, form_data
from resettle.meetings.models import AgendaSession, Meeting
from resettle.records import services
from resettle.records.forms import ActionPointForm, DecisionForm, MinutesForm, StatusForm
from resettle.records.models import ActionPoint, Minutes

PANEL_TEMPLATE = "records/_panel.html"


def meeting_page_url(meeting: Meeting) -> str:
    """The meeting's own page, or the records page while the meetings app has none."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return reverse("records:meeting_records", args=[meeting.pk])


def _next_url(request: HttpRequest, meeting: Meeting) -> str:
    """Where a plain form post returns: the page the form was on, if it is ours."""
    candidate = request.POST.get("next") if request.method == "POST" else None
    candidate = candidate or (request.get_full_path() if request.method == "GET" else "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("records:meeting_records", args=[meeting.pk])


def _status_form(ap: ActionPoint, meeting: Meeting) -> StatusForm:
    return StatusForm(
        initial={"status": ap.status, "at_meeting": meeting.pk}, auto_id=f"id_ap{ap.pk}_%s"
    )


def panel_context(
    request: HttpRequest, meeting: Meeting, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the records section shows to this user, with the forms it offers."""
    user = as_user(request.user)
    bound = bound or {}
    can_record = services.can_record(user, meeting)
    sessions = list(AgendaSession.objects.filter(meeting=meeting))
    all_minutes = list(Minutes.objects.filter(meeting=meeting).select_related("session"))
    minutes_groups: list[tuple[AgendaSession | None, list[tuple[Minutes, MinutesForm | None]]]]
    minutes_groups = []
    for session in [None, *sessions]:
        entries = []
        for m in all_minutes:
            if m.session_id == (session.pk if session else None):
                form = None
                if can_record:
                    form = MinutesForm(
                        instance=m, meeting=meeting, user=user, auto_id=f"id_min{m.pk}_%s"
                    )
                entries.append((m, form))
        if entries:
            minutes_groups.append((session, entries))

    def with_forms(aps: list[ActionPoint]) -> list[tuple[ActionPoint, StatusForm | None]]:
        return [
            (
                ap,
                _status_form(ap, meeting)
                if services.can_update_status(user, ap, meeting)
                else None,
            )
            for ap in aps
        ]

    agreed = list(
        ActionPoint.objects.filter(meeting=meeting).select_related(
            "owner", "decision", "closed_at_meeting"
        )
    )
    carried = list(services.carried_action_points(meeting))
    context: dict[str, Any] = {
        "meeting": meeting,
        "can_record": can_record,
        "decisions": meeting.decisions.select_related("session"),
        "minutes_groups": minutes_groups,
        "agreed": with_forms(agreed),
        "carried": with_forms(carried),
        "next_url": _next_url(request, meeting),
        "has_sessions": bool(sessions),
    }
    if can_record:
        context["decision_form"] = bound.get("decision") or DecisionForm(
            meeting=meeting, user=user, auto_id="id_decision_%s"
        )
        context["action_form"] = bound.get("action") or ActionPointForm(
            meeting=meeting, user=user, auto_id="id_action_%s"
        )
        context["minutes_form"] = bound.get("minutes") or MinutesForm(
            meeting=meeting, user=user, auto_id="id_minutes_%s"
        )
    context["status_error"] = bound.get("status_error")
    return context


def render_panel(request: HttpRequest, meeting: Meeting) -> SafeString:
    """The records section of a meeting's page (registered with meetings.panels)."""
    return SafeString(render_to_string(PANEL_TEMPLATE, panel_context(request, meeting), request))


def meeting_records(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's records on a page of their own."""
    meeting = services.get_meeting_for_user(pk, request.user)
    return render(
        request,
        "records/meeting_records.html",
        {**panel_context(request, meeting), "meeting_url": meeting_page_url(meeting)},
    )


# ---- the inline forms ---------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _done(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    if _is_htmx(request):
        return render(request, PANEL_TEMPLATE, panel_context(request, meeting))
    messages.success(request, message)
    return HttpResponseRedirect(_next_url(request, meeting))


def _failed(request: HttpRequest, meeting: Meeting, bound: dict[str, Any]) -> HttpResponse:
    context = panel_context(request, meeting, bound)
    if _is_htmx(request):
        # htmx swaps only successful responses by default: the errors come back as 200.
        return render(request, PANEL_TEMPLATE, context)
    context["meeting_url"] = meeting_page_url(meeting)
    return render(request, "records/meeting_records.html", context, status=400)


def _actor(request: HttpRequest) -> User | None:
    return as_user(request.user)


def _submit(
    request: HttpRequest,
    meeting: Meeting,
    *,
    key: str,
    form: django_forms.BaseForm,
    save: Any,
    message: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            save(form_data(form))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, meeting, message)
    return _failed(request, meeting, {key: form})


def _recording(request: HttpRequest, pk: int) -> tuple[User, Meeting] | HttpResponse:
    """The signed-in organiser and the meeting, or the response refusing them."""
    actor = _actor(request)
    if actor is None:
        return redirect_to_login(request.get_full_path())
    meeting = services.get_meeting_for_user(pk, actor)
    if not services.can_record(actor, meeting):
        raise PermissionDenied
    return actor, meeting


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a decision of the meeting."""
    checked = _recording(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    actor, meeting = checked
    form = DecisionForm(request.POST, meeting=meeting, user=actor, auto_id="id_decision_%s")
    return _submit(
        request,
        meeting,
        key="decision",
        form=form,
        save=lambda data: services.do_record_decision(meeting, data, actor=actor),
        message=_("Decision recorded."),
    )


@require_POST
def action_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an action point agreed at the meeting."""
    checked = _recording(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    actor, meeting = checked
    form = ActionPointForm(request.POST, meeting=meeting, user=actor, auto_id="id_action_%s")
    return _submit(
        request,
        meeting,
        key="action",
        form=form,
        save=lambda data: services.do_add_action_point(meeting, data, actor=actor),
        message=_("Action point recorded."),
    )


@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Write (or rewrite) the minutes of the meeting or of a session, in one language."""
    checked = _recording(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    actor, meeting = checked
    form = MinutesForm(request.POST, meeting=meeting, user=actor, auto_id="id_minutes_%s")

    def save(data: dict[str, Any]) -> Minutes:
        return services.do_record_minutes(
            meeting,
            text=data["text"],
            language=data["language"],
            session=data.get("session"),
            actor=actor,
        )

    return _submit(
        request, meeting, key="minutes", form=form, save=save, message=_("Minutes saved.")
    )


@require_POST
def action_point_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Report an action point's status, from a meeting's page or its own page."""
    actor = _actor(request)
    if actor is None:
        return redirect_to_login(request.get_full_path())
    ap = services.get_action_point_for_user(pk, actor)
    form = StatusForm(request.POST)
    meeting = ap.meeting
    at_meeting: Meeting | None = None
    if form.is_valid() and form.cleaned_data.get("at_meeting"):
        at_meeting = services.get_meeting_for_user(form.cleaned_data["at_meeting"], actor)
        meeting = at_meeting
    if not services.can_update_status(actor, ap, at_meeting):
        raise PermissionDenied
    if form.is_valid():
        try:
            services.do_update_action_point(
                ap,
                {"status": form.cleaned_data["status"]},
                note=form.cleaned_data.get("note") or "",
                at_meeting=at_meeting,
                actor=actor,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, meeting, _("Status updated."))
    error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    return _failed(request, meeting, {"status_error": error})


@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a decision recorded in error."""
    actor = _actor(request)
    if actor is None:
        return redirect_to_login(request.get_full_path())
    decision = services.get_decision_for_user(pk, actor)
    meeting = decision.meeting
    services.do_delete_decision(decision, actor=actor)
    return _done(request, meeting, _("Decision removed."))
