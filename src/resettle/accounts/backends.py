"""The authentication backend: Django's, behind the login throttle.

Every password check goes through here, whatever page asks (the login page,
Django's admin login): a username or address that is locked out is refused
before its password is even looked at. Failures are recorded by
`on_login_failed`, connected to `user_login_failed` in apps.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from resettle.accounts import throttle
from resettle.accounts.models import User
from resettle.accounts.sessions import client_ip

# Set on the request when the throttle refused it, so the failure is recorded as refused.
REFUSED_FLAG = "_resettle_login_refused"


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses attempts while their username or address is locked out."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        name = str(username or kwargs.get(User.USERNAME_FIELD) or "")
        ip = client_ip(request) if request is not None else None
        if throttle.is_locked(name, ip):
            if request is not None:
                setattr(request, REFUSED_FLAG, True)
            # PermissionDenied stops authenticate() at once and sends user_login_failed.
            raise PermissionDenied("too many failed logins")
        return super().authenticate(request, username=username, password=password, **kwargs)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """user_login_failed receiver: record the attempt (username and address, no password)."""
    username = str(credentials.get("username") or "")
    ip = client_ip(request) if request is not None else None
    throttle.record(username, ip, refused=bool(getattr(request, REFUSED_FLAG, False)))
