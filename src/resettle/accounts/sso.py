"""Single sign-on through OpenID Connect (django-allauth), an option off by default.

It is on when RESETTLE_OIDC_SERVER_URL is set (settings.py builds allauth's one
OpenID Connect app, "sso", from the environment; nothing is kept in the
database). The login page then shows a button that POSTs to the provider's
login URL (accounts/urls_sso.py); the provider sends the browser back to the
callback, and allauth signs the user in with Django's `login()`.

Only existing, active accounts can sign in this way: the first time, the
provider's *verified* e-mail address must be the address of exactly one
account (case ignored), to which the provider's identity is then linked (an
audited `SocialAccount`); later sign-ins go by that link. Nobody signs up
through it. Every refusal sends the browser back to the login page with a
message saying why.

A sign-in is accounted like a password login: Django's `user_logged_in`
signal gives the session its clocks, its `UserSession` row and its
multi-factor state (accounts/sessions.py), so a user with an authenticator app
must still enter a code, and staff without one are sent to set one up
(MfaRequiredMiddleware). Each sign-in also writes an audit entry on the user.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from resettle.accounts import sessions
from resettle.accounts.models import User
from resettle.core.audit import record
from resettle.core.models import AuditAction

logger = logging.getLogger(__name__)

# The provider id of the one OpenID Connect app (settings.SOCIALACCOUNT_PROVIDERS).
PROVIDER_ID = "sso"


def _app() -> dict[str, Any] | None:
    """The configured OpenID Connect app (allauth's settings form), or None when SSO is off."""
    providers = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}) or {}
    for app in providers.get("openid_connect", {}).get("APPS", []) or []:
        if app.get("provider_id") == PROVIDER_ID and app.get("settings", {}).get("server_url"):
            return dict(app)
    return None


def enabled() -> bool:
    """Whether single sign-on is configured."""
    return _app() is not None


def button_label() -> str:
    """The provider's name, for the login page's button."""
    app = _app()
    return str(app.get("name") or "") if app else ""


def login_url() -> str:
    """Where the login page's button POSTs to."""
    return reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})


def provider_origin() -> str | None:
    """scheme://host[:port] of the provider, which the login page's form may be sent to."""
    app = _app()
    if app is None:
        return None
    parts = urlsplit(str(app["settings"]["server_url"]))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    """Back to the login page, with the reason; raise what this returns."""
    messages.error(request, message)
    return ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))


def _verified_emails(sociallogin: SocialLogin) -> list[str]:
    return [
        str(address.email).strip()
        for address in sociallogin.email_addresses
        if address.verified and address.email
    ]


def _describe(sociallogin: SocialLogin) -> str:
    """The provider's identity, for the logs (its subject, never a token)."""
    return f"{sociallogin.account.provider}:{sociallogin.account.uid}"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc] # allauth is untyped
    """allauth's account side: no sign-up, our pages, our second factor."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def respond_user_inactive(self, request: HttpRequest, user: Any) -> HttpResponse:
        # The social adapter refuses inactive accounts first; this is the backstop.
        messages.error(request, _("This account is disabled. Ask an administrator."))
        return HttpResponseRedirect(reverse("login"))

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # allauth's own messages ("Successfully signed in as ...") are not shown:
        # a password login says nothing either, and refusals write their own.
        return None

    def login(self, request: HttpRequest, user: Any) -> None:
        """Django's login (sessions, second factor, through its signal), and an audit entry."""
        before = _iso(user.last_login)
        identity = next(
            (
                f"{entry.get('provider')}:{entry.get('uid')}"
                for entry in reversed(get_authentication_records(request, user))
                if entry.get("method") == "socialaccount"
            ),
            "",
        )
        with transaction.atomic():
            super().login(request, user)
            user.refresh_from_db(fields=["last_login"])
            record(
                user,
                AuditAction.UPDATE,
                user,
                {"last_login": before},
                {"last_login": _iso(user.last_login), "single_sign_on": identity},
            )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Where to go next: the code page first when the second factor is due."""
        response: HttpResponse = super().post_login(request, user, **kwargs)
        if request.session.get(sessions.MFA_STATE) == sessions.MFA_PENDING and isinstance(
            response, HttpResponseRedirect
        ):
            target = reverse("accounts:verify") + "?" + urlencode({"next": response.url})
            return HttpResponseRedirect(target)
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc] # untyped
    """allauth's provider side: existing, active accounts only, by verified address."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Link the provider's identity to the one account with its verified address, or refuse.

        Runs after allauth looked the identity up: an identity linked before
        signs in as its account (if that account is still active).
        """
        if sociallogin.is_existing:
            user = sociallogin.user
            if user is None or not user.is_active:
                logger.warning(
                    "single sign-on refused: %s: account disabled", _describe(sociallogin)
                )
                raise _refuse(request, _("This account is disabled. Ask an administrator."))
            return
        emails = _verified_emails(sociallogin)
        if not emails:
            logger.warning(
                "single sign-on refused: %s: no verified address", _describe(sociallogin)
            )
            raise _refuse(
                request,
                _(
                    "The sign-on service did not confirm your e-mail address, so it "
                    "cannot be matched to an account. Log in with your password instead."
                ),
            )
        matches: dict[int, User] = {}
        for email in emails:
            for user in User.objects.filter(email__iexact=email):
                matches[user.pk] = user
        if len(matches) != 1:
            logger.warning(
                "single sign-on refused: %s: %d accounts with its address",
                _describe(sociallogin),
                len(matches),
            )
            raise _refuse(
                request,
                _(
                    "No account here matches the e-mail address of your sign-on "
                    "account. Ask an administrator to create your account, or to "
                    "correct its e-mail address."
                )
                if not matches
                else _(
                    "Several accounts here have the e-mail address of your sign-on "
                    "account. Ask an administrator to sort them out."
                ),
            )
        user = next(iter(matches.values()))
        if not user.is_active:
            logger.warning("single sign-on refused: %s: account disabled", _describe(sociallogin))
            raise _refuse(request, _("This account is disabled. Ask an administrator."))
        with transaction.atomic():
            sociallogin.connect(request, user)
            account = sociallogin.account
            record(
                user,
                AuditAction.CREATE,
                account,
                None,
                {
                    "id": account.pk,
                    "user_id": user.pk,
                    "provider": account.provider,
                    "uid": account.uid,
                    "date_joined": _iso(account.date_joined),
                },
            )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """A failed or cancelled round trip to the provider: back to the login page."""
        logger.warning("single sign-on failed: %s %r", error, exception)
        raise _refuse(
            request, _("Single sign-on did not complete. Try again, or log in with your password.")
        )
