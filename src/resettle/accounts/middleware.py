"""Middleware of signed-in sessions: their time limits, and the second factor.

Both sit after Django's authentication and messages middleware. They look only
at sessions signed in with a password (`request.user` from the session);
requests with an API bearer token are authenticated later, by the API itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from resettle.accounts import sessions
from resettle.accounts.models import User
from resettle.accounts.services_mfa import mfa_required_for

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLifetimeMiddleware:
    """Sign out sessions idle for RESETTLE_SESSION_IDLE_MINUTES or older than
    RESETTLE_SESSION_MAX_HOURS; note activity; keep the session's owner registered.

    The expired request goes on as an anonymous visitor: a page that needs a
    login sends them to the login page, with a message saying why.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only sessions that hold a login are looked at (no query for visitors).
        if session is not None and SESSION_KEY in session:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return
        now = time.time()
        if sessions.expired(request.session, now):
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return
        sessions.touch(request.session, now)
        if request.session.get(sessions.KEY) != request.session.session_key:
            # Something gave the session a new key (a password change): follow it.
            sessions.register(request.session, user)


# Pages open to a signed-in session whose second factor is still due.
_OPEN_WHILE_PENDING = frozenset({"accounts:verify", "logout", "login", "set_language"})
_OPEN_WHILE_ENROLLING = frozenset({"accounts:mfa_enrol", "logout", "login", "set_language"})


class MfaRequiredMiddleware:
    """Hold back sessions whose second factor is due.

    - The user has an authenticator app and has not given a code in this
      session: only the code page (and logging out) can be reached.
    - The user's role requires a second factor (RESETTLE_MFA_REQUIRED_ROLES)
      and none is set up: only the set-up page can be reached.

    Any other session, including every user whose role does not require a
    second factor and who has none, passes untouched. Pages get a redirect;
    the API gets 403 with a message saying what to do.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return None
        state = session.get(sessions.MFA_STATE)
        if state == sessions.MFA_VERIFIED:
            return None
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if state == sessions.MFA_PENDING:
            if name in _OPEN_WHILE_PENDING:
                return None
            return self._refuse(
                request,
                "accounts:verify",
                _("Enter the code from your authenticator app to continue."),
            )
        if not mfa_required_for(user) or name in _OPEN_WHILE_ENROLLING:
            return None
        return self._refuse(
            request,
            "accounts:mfa_enrol",
            _(
                "Your role requires multi-factor authentication. Set up an authenticator "
                "app to continue."
            ),
        )

    def _refuse(self, request: HttpRequest, to: str, message: str) -> HttpResponse:
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return JsonResponse({"detail": message}, status=403)
        url = reverse(to)
        if request.method == "GET" and to == "accounts:verify":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment: have it load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
