"""Organisers' pages of a meeting: its registrations with counts, the attendance sheet,
and invitations. Who may see a meeting but does not organise it gets 403; who may
not see it gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error
from resettle.registrations import forms, services
from resettle.registrations.models import Invitation, Registration, RegistrationStatus


def meeting_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's registrations for its organisers, with counts and decisions."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    meeting = services.get_organised_meeting(pk, user)
    status = request.GET.get("status", "")
    qs = Registration.objects.filter(meeting=meeting).select_related("organisation")
    if status in RegistrationStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "registrations/meeting_registrations.html",
        {
            "meeting": meeting,
            "registrations": qs.order_by("created_at", "pk"),
            "counts": services.registration_counts(meeting),
            "statuses": RegistrationStatus.choices,
            "status": status,
            "state": services.registration_state(meeting),
        },
    )


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet of the day: approved participants with a box to tick."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    meeting = services.get_organised_meeting(pk, user)
    approved = (
        Registration.objects.filter(meeting=meeting, status=RegistrationStatus.APPROVED)
        .select_related("organisation")
        .order_by("name", "pk")
    )
    return render(
        request,
        "registrations/attendance.html",
        {
            "meeting": meeting,
            "registrations": approved,
            "counts": services.registration_counts(meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite people by e-mail (several at once) and follow what became of each invitation."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    meeting = services.get_organised_meeting(pk, user)
    form = forms.InviteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.do_invite(meeting, form.cleaned_data["emails"], actor=user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", len(created))
                    % {"n": len(created)},
                )
                return HttpResponseRedirect(reverse("registrations:invitations", args=[pk]))
        status = 400
    rows = [
        (inv, services.invitation_state(inv))
        for inv in Invitation.objects.filter(meeting=meeting).select_related("registration")
    ]
    return render(
        request,
        "registrations/invitations.html",
        {
            "meeting": meeting,
            "form": form,
            "rows": rows,
            "state": services.registration_state(meeting),
        },
        status=status,
    )
