"""Fresh login: exports of personal data need a password confirmed in the last minutes.

The time of the last login or password confirmation is kept in the session
(`pipeline_reauth_at`, a POSIX timestamp); it is set on every login (signal
connected in apps.py) and by the confirm-password page of this app.
`PIPELINE_REAUTH_MINUTES` (default 15) says how fresh it must be.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "pipeline_reauth_at"
DEFAULT_MINUTES = 15


def minutes() -> int:
    """How many minutes a login or confirmation stays fresh."""
    return int(getattr(settings, "PIPELINE_REAUTH_MINUTES", DEFAULT_MINUTES))


def mark_fresh(request: HttpRequest) -> None:
    """Note that the user just proved their password."""
    request.session[SESSION_KEY] = time.time()


def is_fresh(request: HttpRequest) -> bool:
    """Whether the user logged in or confirmed their password recently enough."""
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int | float) and time.time() - at <= minutes() * 60


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: a login is a fresh authentication."""
    if request is not None and hasattr(request, "session"):
        mark_fresh(request)
