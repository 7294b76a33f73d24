"""Notices of forum mandates ending soon (called by `resettle remind`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from resettle.accounts.models import User
from resettle.core.notify import absolute_url, send_notification
from resettle.forums.models import Membership


def _recipients(membership: Membership) -> list[tuple[str, str]]:
    """(e-mail, language) of whom to tell: the person, or the member organisation's users."""
    if membership.person_id is not None:
        person = membership.person
        assert person is not None  # noqa: S101 - person_id is set
        account = User.objects.filter(person=person, is_active=True).first()
        email = person.email or (account.email if account else "")
        language = account.preferred_language if account else "en"
        return [(email, language or "en")] if email else []
    users = User.objects.filter(organisation=membership.organisation_id, is_active=True).exclude(
        email=""
    )
    return [(u.email, u.preferred_language or "en") for u in users.order_by("pk")]


def send_mandate_ending_reminders(today: datetime.date | None = None) -> int:
    """E-mail the holders of mandates ending within settings.MANDATE_WARNING_DAYS.

    Once per membership, end date and address: a mandate extended to a new end
    date is announced again when that date comes near. Returns the e-mails sent.
    """
    day = today or timezone.localdate()
    days = settings.MANDATE_WARNING_DAYS
    sent = 0
    memberships = (
        Membership.objects.ending_within(days, on=day)
        .select_related("forum", "organisation", "person")
        .order_by("end_date", "pk")
    )
    for m in memberships:
        assert m.end_date is not None  # noqa: S101 - ending_within() needs an end date
        for email, language in _recipients(m):
            if send_notification(
                to=email,
                kind="mandate_ending",
                template="governance/email/mandate_ending",
                context={
                    "membership": m,
                    "forum": m.forum,
                    "member": m.member,
                    "end_date": m.end_date,
                    "days_left": (m.end_date - day).days,
                    "url": absolute_url(reverse("forums:membership_detail", args=[m.pk])),
                },
                language=language,
                key=f"mandate-ending:{m.pk}:{m.end_date.isoformat()}",
            ):
                sent += 1
    return sent
