"""Sessions: their clocks (idle and absolute limits), their owner, ending them.

At login (`on_login`, connected to `user_logged_in` in apps.py) the session
gets its login time, its last activity and its multi-factor state, and a
`UserSession` row records whose it is. `SessionLifetimeMiddleware` enforces
the limits on every request; `end_user_sessions` deletes every session of a
user through the configured session engine (a disabled account, a reset of
its second factor).
"""

from __future__ import annotations

import datetime
import ipaddress
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from resettle.accounts.models import MfaDevice, User, UserSession

# Keys this app keeps in the session.
LOGIN_AT = "resettle_login_at"  # POSIX time of the login
SEEN_AT = "resettle_seen_at"  # POSIX time of the last request (to the minute)
KEY = "resettle_session_key"  # the key registered in UserSession
MFA_STATE = "resettle_mfa"  # one of the three below

MFA_NONE = "none"  # the user has no authenticator app
MFA_PENDING = "pending"  # password given; the code is still to come
MFA_VERIFIED = "verified"  # a code was given in this session

# Last activity is written at most this often, so that a busy session is not
# written back to the database on every request.
SEEN_RESOLUTION_SECONDS = 60


def idle_seconds() -> int:
    """How long a session may go without a request (RESETTLE_SESSION_IDLE_MINUTES)."""
    return int(getattr(settings, "RESETTLE_SESSION_IDLE_MINUTES", 30)) * 60


def max_age_seconds() -> int:
    """How long a session may last at all (RESETTLE_SESSION_MAX_HOURS)."""
    return int(getattr(settings, "RESETTLE_SESSION_MAX_HOURS", 12)) * 3600


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind trusted proxies.

    With RESETTLE_PROXY_COUNT = n > 0, the n-th address from the right of
    X-Forwarded-For is the one the outermost trusted proxy saw (addresses to
    its left were written by the client and could be forged). Anything that is not
    an IP address gives None: the address columns hold addresses only.
    """
    raw = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "RESETTLE_PROXY_COUNT", 0))
    if proxies > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        chain = [part.strip() for part in header.split(",") if part.strip()]
        if len(chain) >= proxies:
            raw = chain[-proxies]
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _store() -> type[SessionBase]:
    engine = import_module(settings.SESSION_ENGINE)
    store: type[SessionBase] = engine.SessionStore
    return store


def register(session: SessionBase, user: User) -> None:
    """Record that the session belongs to the user (a session without a key gets one)."""
    if not session.session_key:
        session.save()  # creates the key (login after a flush leaves none yet)
    key = str(session.session_key)
    previous = session.get(KEY)
    if previous and previous != key:
        UserSession.objects.filter(session_key=previous).delete()
    UserSession.objects.update_or_create(
        session_key=key, defaults={"user": user, "created_at": timezone.now()}
    )
    session[KEY] = key


def cycle(session: SessionBase, user: User) -> None:
    """A new key for the session (after a privilege change), kept registered."""
    session.cycle_key()
    register(session, user)


def end_user_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every session of the user (but `keep`); return how many were ended."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    store = _store()
    for key in keys:
        store().delete(key)
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """user_logged_in receiver: start the session's clocks, register it, note its MFA state."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    has_device = MfaDevice.objects.filter(user=user).exists()
    session[MFA_STATE] = MFA_PENDING if has_device else MFA_NONE
    register(session, user)
    # Rows of sessions that can no longer be alive (past the absolute limit).
    cutoff = timezone.now() - datetime.timedelta(seconds=max_age_seconds())
    UserSession.objects.filter(user=user, created_at__lt=cutoff).delete()


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_out receiver: the session is gone, and so is its row."""
    session = getattr(request, "session", None)
    key = session.get(KEY) if session is not None else None
    if key:
        UserSession.objects.filter(session_key=key).delete()


def expired(session: SessionBase, now: float) -> bool:
    """Whether a signed-in session is past its idle or absolute limit (or has no clock)."""
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return True  # started before these limits existed: sign in again
    return now - login_at > max_age_seconds() or now - seen_at > idle_seconds()


def touch(session: SessionBase, now: float) -> None:
    """Note activity (written at most once a minute)."""
    if now - float(session.get(SEEN_AT, 0)) >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
