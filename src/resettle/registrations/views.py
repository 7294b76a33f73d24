"""Pages of a person's own registrations: register, my registrations, one registration,
the invitation landing page, and the actions on a registration (approve, decline,
cancel, attendance), which answer htmx with the row and plain forms with a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error, form_data
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import Meeting
from resettle.registrations import forms, services
from resettle.registrations.models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    Invitation,
    Registration,
    RegistrationStatus,
)


def meeting_page(meeting: Meeting) -> str:
    """The meeting's page, or its registration form while the meetings app has no page."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return reverse("registrations:register", args=[meeting.pk])


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# ---- registering ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration form of a meeting, prefilled from the account (and invitation)."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    token = request.POST.get("invitation") or request.GET.get("invitation") or ""
    invitation: Invitation | None = None
    if token:
        invitation = services.get_invitation_by_token(token)
        if invitation.meeting_id != pk:
            return render(request, "404.html", status=404)
        meeting = invitation.meeting
    else:
        meeting = services.get_meeting_for_user(pk, user)
    state = services.registration_state(meeting, with_invitation=invitation is not None)
    existing = services.active_registration(meeting, user)
    form = forms.RegisterForm(
        request.POST if request.method == "POST" else None,
        meeting=meeting,
        initial=services.registration_initial(meeting, user, invitation),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.do_register(
                    meeting, form_data(form), actor=user, invitation=invitation
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _status_message(registration))
                return HttpResponseRedirect(meeting_page(meeting))
        status = 400
    return render(
        request,
        "registrations/register.html",
        {
            "meeting": meeting,
            "form": form,
            "state": state,
            "existing": existing,
            "invitation": invitation,
            "seats_left": services.seats_left(meeting),
        },
        status=status,
    )


def _status_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.APPROVED:
        return _("You are registered: your place is confirmed.")
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("The meeting is full: you are on the waiting list.")
    return _("You are registered: the organisers will review your registration.")


def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation's link leads: sign in, then the prefilled registration form."""
    invitation = services.get_invitation_by_token(token)
    user = as_user(request.user)
    if user is not None and services.invitation_state(invitation) != "registered":
        url = reverse("registrations:register", args=[invitation.meeting_id])
        return HttpResponseRedirect(f"{url}?invitation={invitation.token}")
    return render(
        request,
        "registrations/invitation_landing.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "state": services.invitation_state(invitation),
            "login_url": f"{reverse('login')}?next={request.get_full_path()}",
        },
    )


# ---- my registrations ----------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's registrations, with their status and a cancel button."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    return _render_mine(request, user)


def _render_mine(request: HttpRequest, user: User, feed_key: str | None = None) -> HttpResponse:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("meeting__forum")
        .order_by("-meeting__starts_at", "-created_at")
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    feed_url = (
        request.build_absolute_uri(reverse("registrations:feed", args=[feed_key]))
        if feed_key
        else None
    )
    return render(
        request,
        "registrations/mine.html",
        {
            "registrations": registrations,
            "active": ACTIVE_STATUSES,
            "feed": feed,
            "feed_url": feed_url,
        },
    )


@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    """Make or replace the private calendar feed address; shown once, on this page."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(reverse("registrations:mine"))
    raw = services.do_reset_calendar_feed(actor=user)
    messages.success(
        request,
        _("Your private calendar address is ready. Copy it now: it will not be shown again."),
    )
    return _render_mine(request, user, feed_key=raw)


def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration, with its personal data: for the person and the organisers only."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    registration = services.get_registration_for_user(pk, user)
    return render(
        request,
        "registrations/registration_detail.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "organiser": can_organise_meeting(user, registration.meeting),
            "can_cancel": registration.status in ACTIVE_STATUSES
            and services.can_cancel_registration(user, registration),
            "invitation": Invitation.objects.filter(registration=registration).first(),
        },
    )


# ---- actions -------------------------------------------------------------------

ROW_TEMPLATES = {
    "list": "registrations/_row.html",
    "attendance": "registrations/_attendance_row.html",
}


def _act(
    request: HttpRequest, pk: int, action: Callable[[Registration, User], Any], done: str
) -> HttpResponse:
    """Run one action on a registration; htmx gets the row back, a plain form a redirect."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(reverse("registrations:mine"))
    registration = services.get_registration_for_user(pk, user)
    error = ""
    try:
        action(registration, user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    registration.refresh_from_db()
    if _is_htmx(request):
        row = request.POST.get("row", "list")
        return render(
            request,
            ROW_TEMPLATES.get(row, ROW_TEMPLATES["list"]),
            {
                "r": registration,
                "meeting": registration.meeting,
                "error": error,
                "counts": services.registration_counts(registration.meeting),
                "oob": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    default = reverse("registrations:registration_detail", args=[registration.pk])
    return HttpResponseRedirect(_next_url(request, default))


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a registration (organisers)."""
    return _act(
        request,
        pk,
        lambda r, u: services.do_approve_registration(r, actor=u),
        _("Registration approved; the person has been told by e-mail."),
    )


@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a registration, with an optional reason (organisers)."""
    form = forms.DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda r, u: services.do_decline_registration(r, actor=u, reason=reason),
        _("Registration declined; the person has been told by e-mail."),
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a registration (the person or the organisers)."""
    return _act(
        request,
        pk,
        lambda r, u: services.do_cancel_registration(r, actor=u),
        _("Registration cancelled."),
    )


@require_POST
def toggle_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick or untick a participant's presence on the attendance sheet (organisers)."""
    present = request.POST.get("attended") in ("on", "true", "1")

    def act(r: Registration, u: User) -> Registration:
        if present:
            return services.do_mark_attendance(r, actor=u)
        return services.do_unmark_attendance(r, actor=u)

    return _act(
        request,
        pk,
        act,
        _("Marked as present.") if present else _("Presence taken back."),
    )
