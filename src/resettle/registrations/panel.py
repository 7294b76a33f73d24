"""The registration section of a meeting's page (see meetings.panels)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from resettle.core.access import as_user
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import Meeting
from resettle.registrations import services
from resettle.registrations.models import ACTIVE_STATUSES


def render_panel(request: HttpRequest, meeting: Meeting) -> SafeString:
    """The visitor's own registration status or a Register button; counts for organisers."""
    user = as_user(request.user)
    own = services.latest_registration(meeting, user)
    organiser = can_organise_meeting(user, meeting)
    html = render_to_string(
        "registrations/_panel.html",
        {
            "meeting": meeting,
            "own": own,
            "own_active": own is not None and own.status in ACTIVE_STATUSES,
            "state": services.registration_state(meeting),
            "organiser": organiser,
            "counts": services.registration_counts(meeting) if organiser else None,
            "invitations": meeting.invitations.count() if organiser else 0,
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own template, which escapes
