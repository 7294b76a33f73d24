"""Single sign-on through OpenID Connect, end to end against a real provider on 127.0.0.1.

Each sign-in is the real round trip: the login page's button POSTs to our
login URL, which redirects to the provider's authorization page; that page
(fetched over HTTP) sends the browser back to our callback with a code; the
callback exchanges it at the provider's token endpoint (client secret, PKCE),
checks the ID token and reads userinfo, then signs the user in or refuses.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import Client

from resettle.accounts import otp, sessions
from resettle.accounts.models import MfaDevice, User, UserSession
from resettle.accounts.tests.conftest import code_now
from resettle.accounts.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider
from resettle.core.models import AuditAction, AuditEntry
from resettle.pipeline.crypto import seal

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/oidc/sso/login/"
CALLBACK_URL = "/accounts/oidc/sso/login/callback/"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    server = OidcProvider().start()
    yield server
    server.stop()


@pytest.fixture
def sso_on(settings: Any, provider: OidcProvider) -> OidcProvider:
    """Single sign-on configured as settings.py does from RESETTLE_OIDC_* (a clean provider)."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Agency ID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.url},
                }
            ],
        }
    }
    provider.claims = {}
    provider.errors.clear()
    return provider


def claims_for(email: str, *, sub: str = "agency-0001", verified: Any = True) -> dict[str, Any]:
    return {"sub": sub, "email": email, "email_verified": verified, "name": "Test Person"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _provider_sends_back(authorize_url: str) -> str:
    """The browser at the provider's authorization page: where it is sent back to."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(authorize_url, timeout=10)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302, redirect.code
        return str(redirect.headers["Location"])
    raise AssertionError("the provider did not redirect")


def sso_sign_in(client: Client, provider: OidcProvider, claims: dict[str, Any], **data: str) -> Any:
    """The whole round trip; the callback's response (not followed)."""
    provider.claims = claims
    start = client.post(LOGIN_URL, {"process": "login", **data})
    assert start.status_code == 302, start.content.decode()[:300]
    assert start["Location"].startswith(f"{provider.url}/authorize?"), start["Location"]
    assert "code_challenge_method=S256" in start["Location"]  # PKCE
    back = urlsplit(_provider_sends_back(start["Location"]))
    assert back.path == CALLBACK_URL, back
    response = client.get(f"{back.path}?{back.query}")
    assert provider.errors == []
    return response


def messages_on_login_page(client: Client) -> str:
    page = client.get("/login/")
    assert page.status_code == 200
    return page.content.decode()


# ---- signing in --------------------------------------------------------------------


def test_an_existing_user_signs_in_by_verified_address(sso_on: OidcProvider, member: User) -> None:
    client = Client()
    audited = AuditEntry.objects.count()
    # The address's case does not matter.
    response = sso_sign_in(client, sso_on, claims_for(member.email.upper()))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session[SESSION_KEY] == str(member.pk)
    assert client.session[sessions.MFA_STATE] == sessions.MFA_NONE
    assert UserSession.objects.filter(user=member, session_key=client.session.session_key).exists()
    assert client.get("/dashboard/").status_code == 200
    # The provider's identity is linked to the account, and both steps are audited.
    link = SocialAccount.objects.get(user=member)
    assert (link.provider, link.uid) == ("sso", "agency-0001")
    entries = list(AuditEntry.objects.order_by("pk")[audited:])
    assert [(e.action, e.content_type.model, e.actor_id) for e in entries] == [
        (AuditAction.CREATE, "socialaccount", member.pk),
        (AuditAction.UPDATE, "user", member.pk),
    ]
    assert entries[1].after is not None
    assert entries[1].after["single_sign_on"] == "sso:agency-0001"
    member.refresh_from_db()
    assert member.last_login is not None


def test_a_linked_identity_signs_in_again_and_next_is_kept(
    sso_on: OidcProvider, member: User
) -> None:
    sso_sign_in(Client(), sso_on, claims_for(member.email))
    # Later, by the link: the provider's address may have changed meanwhile.
    client = Client()
    response = sso_sign_in(
        client, sso_on, claims_for("new-address@agency.example"), next="/directory/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    assert client.session[SESSION_KEY] == str(member.pk)
    assert SocialAccount.objects.filter(user=member).count() == 1
    # An address of another site is not followed.
    client = Client()
    response = sso_sign_in(
        client, sso_on, claims_for(member.email), next="https://elsewhere.example/"
    )
    assert response["Location"] == "/dashboard/"


# ---- refusals ----------------------------------------------------------------------


def test_an_unknown_address_is_refused_and_creates_nobody(
    sso_on: OidcProvider, member: User
) -> None:
    client = Client()
    users = User.objects.count()
    response = sso_sign_in(client, sso_on, claims_for("stranger@agency.example"))
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert "No account here matches the e-mail address" in messages_on_login_page(client)
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert not UserSession.objects.exists()


def test_an_unverified_address_is_refused(sso_on: OidcProvider, member: User) -> None:
    for verified in (False, "false", None):
        client = Client()
        response = sso_sign_in(client, sso_on, claims_for(member.email, verified=verified))
        assert response["Location"] == "/login/"
        assert SESSION_KEY not in client.session
        assert "did not confirm your e-mail address" in messages_on_login_page(client)
    assert not SocialAccount.objects.exists()


def test_an_inactive_user_is_refused(sso_on: OidcProvider, member: User) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])
    client = Client()
    response = sso_sign_in(client, sso_on, claims_for(member.email))
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert "This account is disabled" in messages_on_login_page(client)
    assert not SocialAccount.objects.exists()


def test_a_linked_user_disabled_later_is_refused(sso_on: OidcProvider, member: User) -> None:
    sso_sign_in(Client(), sso_on, claims_for(member.email))
    member.is_active = False
    member.save(update_fields=["is_active"])
    client = Client()
    response = sso_sign_in(client, sso_on, claims_for(member.email))
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert "This account is disabled" in messages_on_login_page(client)


def test_an_address_of_several_accounts_is_refused(
    sso_on: OidcProvider, member: User, staff: User
) -> None:
    staff.email = member.email.upper()
    staff.save(update_fields=["email"])
    client = Client()
    response = sso_sign_in(client, sso_on, claims_for(member.email))
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert "Several accounts here have the e-mail address" in messages_on_login_page(client)


def test_a_failed_round_trip_goes_back_to_the_login_page(
    sso_on: OidcProvider, member: User
) -> None:
    client = Client()
    sso_on.claims = claims_for(member.email)
    start = client.post(LOGIN_URL, {"process": "login"})
    back = urlsplit(_provider_sends_back(start["Location"]))
    # A callback whose state is not this browser's (or that came back with an error).
    response = client.get(f"{back.path}?code=forged&state=forged")
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert "Single sign-on did not complete" in messages_on_login_page(client)
    response = client.get(f"{back.path}?error=access_denied")
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session


# ---- the second factor -------------------------------------------------------------


def test_a_user_with_an_authenticator_app_still_enters_a_code(
    sso_on: OidcProvider, member: User
) -> None:
    secret = otp.random_secret()
    MfaDevice.objects.create(user=member, secret_sealed=seal(secret))
    client = Client()
    response = sso_sign_in(client, sso_on, claims_for(member.email), next="/directory/")
    assert response.status_code == 302
    assert response["Location"] == "/account/verify/?next=%2Fdirectory%2F"
    assert client.session[sessions.MFA_STATE] == sessions.MFA_PENDING
    # Nothing else is reachable before the code.
    held = client.get("/dashboard/")
    assert held.status_code == 302
    assert held["Location"].startswith("/account/verify/")
    done = client.post("/account/verify/", {"code": code_now(secret), "next": "/directory/"})
    assert done.status_code == 302
    assert done["Location"] == "/directory/"
    assert client.session[sessions.MFA_STATE] == sessions.MFA_VERIFIED
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.usefixtures("mfa_for_staff")
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(
    sso_on: OidcProvider, staff: User
) -> None:
    client = Client()
    response = sso_sign_in(client, sso_on, claims_for(staff.email))
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)
    held = client.get("/dashboard/")
    assert held.status_code == 302
    assert held["Location"] == "/account/mfa/enrol/"


# ---- the login page, on and off ----------------------------------------------------


def test_the_login_page_offers_the_button_when_configured(sso_on: OidcProvider) -> None:
    page = Client().get("/login/?next=/directory/")
    html = page.content.decode()
    assert f'action="{LOGIN_URL}"' in html
    assert "Sign in with Agency ID" in html
    assert 'name="next" value="/directory/"' in html
    # The form is sent to us, and redirected to the provider: form-action allows it.
    policy = page["Content-Security-Policy"]
    assert f"form-action 'self' {sso_on.url};" in policy
    assert "script-src 'self';" in policy
    # allauth's confirmation page is not served: a GET goes to the login page.
    response = Client().get(LOGIN_URL)
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_the_login_needs_the_csrf_token(sso_on: OidcProvider) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN_URL, {"process": "login"}).status_code == 403


def test_off_by_default_no_button_and_no_routes(member: User) -> None:
    client = Client()
    page = client.get("/login/")
    assert LOGIN_URL not in page.content.decode()
    assert "form-action 'self';" in page["Content-Security-Policy"]
    assert client.post(LOGIN_URL, {"process": "login"}).status_code == 404
    assert client.get(LOGIN_URL).status_code == 404
    assert client.get(f"{CALLBACK_URL}?code=x&state=y").status_code == 404
    # allauth's other pages are not served at all.
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        assert client.get(url).status_code == 404, url
    # Password login is untouched.
    assert client.post("/login/", {"username": member.username, "password": "x"}).status_code == 200


def test_other_provider_ids_are_not_served(sso_on: OidcProvider) -> None:
    client = Client()
    assert client.post("/accounts/oidc/other/login/", {"process": "login"}).status_code == 404
