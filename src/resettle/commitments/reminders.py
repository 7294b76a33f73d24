"""E-mail reminders to the committing organisations when a progress update is overdue.

Run daily (see docs/commitments.md: `resettle remind` from cron). Each reminder
is keyed by the commitment and the date its update fell due, so running the
command again the same day, or the next days, sends nothing new; a new update
moves the due date, and the reminder after the next interval gets a new key.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from resettle.accounts.models import User
from resettle.commitments.models import Commitment
from resettle.core.notify import absolute_url, send_notification


def reminder_key(commitment: Commitment, due: datetime.date) -> str:
    """The idempotency key of the reminder for one due date of one commitment."""
    return f"commitment-update-overdue:{commitment.pk}:{due.isoformat()}"


def send_overdue_update_reminders(today: datetime.date | None = None) -> int:
    """Mail the users of each committing organisation whose update is overdue;
    return how many e-mails were sent."""
    day = today or timezone.localdate()
    sent = 0
    overdue = Commitment.objects.overdue(day).prefetch_related("organisations")
    for commitment in overdue.order_by("pk"):
        due = commitment.next_update_due()
        url = absolute_url(commitment.get_absolute_url())
        for organisation in commitment.organisations.all():
            users = User.objects.filter(organisation=organisation, is_active=True).exclude(email="")
            for user in users.order_by("pk"):
                sent += send_notification(
                    to=user.email,
                    kind="commitment_update_overdue",
                    template="commitments/email/update_overdue",
                    context={
                        "commitment": commitment,
                        "due": due,
                        "url": url,
                        "organisation": str(organisation),
                        "name": user.get_full_name() or user.get_username(),
                    },
                    language=user.preferred_language,
                    key=reminder_key(commitment, due),
                )
    return sent
