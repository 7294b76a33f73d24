"""Recording requests refused for access reasons, in `DeniedRequest`.

What is recorded: every 401 and 403 response (PermissionDenied in a view,
Django's CSRF refusal, the API's 401 and 403), and every 404 from a route that
exists: a view ran and refused, and `get_<x>_for_user` gives 404 for "absent"
and "not yours" alike, so both are recorded. A 404 for a path that no route
matches (crawlers probing /wp-login.php) is no access decision and is left out.
Failed logins are the accounts app's to record.

Each row holds the client (the account, or the address of an anonymous
visitor), method, path (never the query string, never the body), status and
reason, with a counter. So that a crawler cannot fill the table:

- repeats are counted, not stored: one row per hour, client, method, path and
  status;
- a client adds at most 100 rows an hour (setting DENIED_REQUESTS_PER_CLIENT);
  its further refusals are counted on one row with path "*";
- all clients together add at most 5000 rows an hour (DENIED_REQUESTS_PER_HOUR);
  further refusals are counted on one row of client "*".

The table thus grows by at most 5001 rows an hour, whatever the traffic,
while an ordinary hour's refusals are all there, path by path. Its rows name
accounts and addresses, so they are kept RETENTION_DENIED_REQUESTS_DAYS (180
by default) and then deleted by `resettle retention` (purge_denied_requests).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from resettle.accounts.models import User
from resettle.accounts.sessions import client_ip
from resettle.core.models import DeniedRequest

logger = logging.getLogger(__name__)

ANY = "*"
_REASONS = {401: "unauthenticated", 403: "forbidden", 404: "not found"}


def _user(request: HttpRequest) -> User | None:
    # The API's token authentication sets request.user too (core.api_support).
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def _bump(key: dict[str, Any], now: datetime.datetime) -> bool:
    """Count one more refusal on the row of this key, if there is one."""
    return DeniedRequest.objects.filter(**key).update(count=F("count") + 1, last_at=now) > 0


def record_denial(request: HttpRequest, status: int, reason: str) -> None:
    """Record one refused request (throttled as the module's docstring says)."""
    now = timezone.now()
    user = _user(request)
    ip = client_ip(request)
    client = f"user:{user.pk}" if user is not None else f"ip:{ip or 'unknown'}"
    key: dict[str, Any] = {
        "window": now.replace(minute=0, second=0, microsecond=0),
        "client": client,
        "method": (request.method or "")[:10],
        "path": request.path[:300],
        "status": status,
    }
    if _bump(key, now):
        return
    this_hour = DeniedRequest.objects.filter(window=key["window"])
    details: dict[str, Any] = {
        "user": user,
        "user_repr": user.get_username() if user is not None else "anonymous",
        "ip": ip,
        "reason": reason[:60],
    }
    if this_hour.count() >= getattr(settings, "DENIED_REQUESTS_PER_HOUR", 5000):
        key.update(client=ANY, method=ANY, path=ANY)
        details = {"user": None, "user_repr": ANY, "ip": None, "reason": "over the hourly limit"}
    elif this_hour.filter(client=client).count() >= getattr(
        settings, "DENIED_REQUESTS_PER_CLIENT", 100
    ):
        key.update(method=ANY, path=ANY)
        details["reason"] = "over the client's hourly limit"
    if _bump(key, now):
        return
    try:
        with transaction.atomic():
            DeniedRequest.objects.create(**key, **details, first_at=now, last_at=now)
    except IntegrityError:  # another process added the row in between: count on it
        _bump(key, now)


def purge_denied_requests(today: datetime.date, *, dry_run: bool = False) -> int:
    """Delete the rows whose hour ended before the retention period; how many.

    Not an audited action: the rows are a security log with a fixed retention,
    like the failed logins' throttle rows, and the audit log keeps its own entries.
    """
    days = int(getattr(settings, "RETENTION_DENIED_REQUESTS_DAYS", 180))
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    old = DeniedRequest.objects.filter(last_at__lt=start - datetime.timedelta(days=days))
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted


class DeniedRequestMiddleware:
    """Records 401, 403 and routed 404 responses (see the module's docstring).

    Sits after AuthenticationMiddleware, so that the user is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        status = response.status_code
        if status in (401, 403) or (status == 404 and request.resolver_match is not None):
            reason = getattr(request, "_denial_reason", "") or _REASONS[status]
            try:
                record_denial(request, status, reason)
            except DatabaseError:
                # The refusal stands and is answered; losing its record must not
                # turn it into a server error. The log says so loudly.
                logger.exception("could not record a denied request to %s", request.path)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Note which refusal a view raised; Django then answers it as usual."""
        if isinstance(exception, PermissionDenied | Http404):
            message = str(exception)
            name = type(exception).__name__
            request._denial_reason = f"{name}: {message}" if message else name  # type: ignore[attr-defined]
