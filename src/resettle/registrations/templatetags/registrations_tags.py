"""Template helpers of the registrations app."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from resettle.meetings.models import Meeting

register = template.Library()


@register.simple_tag
def meeting_url(meeting: Meeting) -> str:
    """The meeting's page (its registration form while the meetings app has no page for it)."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return reverse("registrations:register", args=[meeting.pk])


STATUS_BADGES = {
    "approved": "text-bg-success",
    "pending": "text-bg-warning",
    "waitlisted": "text-bg-info",
    "declined": "text-bg-danger",
    "cancelled": "text-bg-secondary",
}


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap's badge class for a registration status."""
    return STATUS_BADGES.get(status, "text-bg-light")
