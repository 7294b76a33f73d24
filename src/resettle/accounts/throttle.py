"""Login throttling: too many failures for a username or from an address lock it out.

After `USERNAME_LIMIT` failed logins for one username, or `IP_LIMIT` from one
address, within `WINDOW`, further attempts are refused for `LOCKOUT` from the
failure that reached the limit. Refused attempts are recorded (and audited) but
do not count, so retrying during the lockout does not prolong it. A wrong
password, a wrong authentication code and a wrong password confirmation all
count. The same answer is given whether or not the username exists.

Attempts live in the database (`LoginAttempt`), so every web process and
machine shares the count.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from resettle.accounts.models import LoginAttempt, LoginOutcome, LoginStage
from resettle.core.audit import save_with_audit

USERNAME_LIMIT = 5
IP_LIMIT = 20
WINDOW = datetime.timedelta(minutes=15)
LOCKOUT = datetime.timedelta(minutes=15)
# Rows older than this serve no count any more.
KEEP = datetime.timedelta(days=1)


def username_key(username: str) -> str:
    """The form a username is counted under (case and surrounding blanks ignored)."""
    return username.strip().casefold()[:150]


def _locked_until(
    attempts: list[datetime.datetime], limit: int, now: datetime.datetime
) -> datetime.datetime | None:
    """When a lockout ends, given the newest failures (newest first), or None if none holds.

    Failures are not recorded while a lockout holds, so the newest `limit`
    failures tell it all: they came within the window, and the newest of them
    (the one that reached the limit) is less than LOCKOUT ago.
    """
    if len(attempts) < limit:
        return None
    newest, oldest = attempts[0], attempts[limit - 1]
    if newest - oldest <= WINDOW and now < newest + LOCKOUT:
        return newest + LOCKOUT
    return None


def _recent(now: datetime.datetime, limit: int, **lookup: str) -> list[datetime.datetime]:
    return list(
        LoginAttempt.objects.filter(
            outcome=LoginOutcome.FAILED, at__gte=now - WINDOW - LOCKOUT, **lookup
        )
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )


def locked_until(username: str, ip: str | None) -> datetime.datetime | None:
    """When the lockout of this username or address ends; None if attempts are allowed."""
    now = timezone.now()
    by_name = _recent(now, USERNAME_LIMIT, username=username_key(username))
    ends = [_locked_until(by_name, USERNAME_LIMIT, now)]
    if ip:
        ends.append(_locked_until(_recent(now, IP_LIMIT, ip=ip), IP_LIMIT, now))
    found = [end for end in ends if end is not None]
    return max(found) if found else None


def is_locked(username: str, ip: str | None) -> bool:
    """Whether attempts for this username or from this address are refused now."""
    return locked_until(username, ip) is not None


@transaction.atomic
def record(
    username: str,
    ip: str | None,
    *,
    stage: str = LoginStage.PASSWORD,
    refused: bool = False,
) -> LoginAttempt:
    """Record a failed (or refused) attempt, with its audit entry; never the password."""
    now = timezone.now()
    LoginAttempt.objects.filter(at__lt=now - KEEP).delete()
    attempt = LoginAttempt()
    return save_with_audit(
        attempt,
        {
            "username": username_key(username),
            "ip": ip,
            "at": now,
            "stage": stage,
            "outcome": LoginOutcome.REFUSED if refused else LoginOutcome.FAILED,
        },
        actor=None,
    )


def clear(username: str) -> None:
    """Forget a username's failures after a complete, successful login.

    The address's failures stay: logging into one's own account must not
    reset the count of an address trying other people's passwords.
    """
    LoginAttempt.objects.filter(username=username_key(username)).delete()
