"""iCalendar downloads of a person's registrations: a file, and a private feed for calendar apps."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.registrations import services
from resettle.registrations.ics import registrations_calendar
from resettle.registrations.models import Registration, RegistrationStatus

# Approved registrations, and those awaiting approval (shown as tentative).
IN_CALENDAR = (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)


def _calendar(user: User, *, attachment: bool) -> HttpResponse:
    registrations = (
        Registration.objects.filter(user=user, status__in=IN_CALENDAR)
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )
    body = registrations_calendar(registrations, str(_("My meetings (Resettle)")))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = 'attachment; filename="my-registrations.ics"'
    # Personal: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def mine_ics(request: HttpRequest) -> HttpResponse:
    """The signed-in person's approved and pending registrations as one .ics file."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    return _calendar(user, attachment=True)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed a calendar app subscribes to: the secret address is the credential."""
    user = services.feed_user(token)
    if user is None:
        raise Http404("feed")
    return _calendar(user, attachment=False)
