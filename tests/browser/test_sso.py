"""Single sign-on in Chromium: the login page's button, through a real OpenID Connect provider.

The provider (src/resettle/accounts/tests/oidc_provider.py) listens on another
origin than the live server, so this also shows that the login page's content
security policy lets its form be redirected there (form-action).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from resettle.accounts.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

from .conftest import World, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(settings: Any) -> Iterator[OidcProvider]:
    server = OidcProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Agency ID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": server.url},
                }
            ],
        }
    }
    yield server
    server.stop()


def test_sign_in_with_the_provider(
    page: Page, browser_world: World, provider: OidcProvider
) -> None:
    user = browser_world.ngo_user
    user.email = "nadia.keller@caritas.example"
    user.save(update_fields=["email"])
    provider.claims = {
        "sub": "n-1",
        "email": "Nadia.Keller@caritas.example",
        "email_verified": True,
    }

    page.goto("/login/?next=/forums/")
    button = page.locator("main").get_by_role("button", name="Sign in with Agency ID")
    expect(button).to_be_visible()
    screenshot(page, "sso-01-login-page")
    button.click()
    expect(page).to_have_url(re.compile(r"^[^?]*/forums/$"))
    expect(page.locator("[data-testid=whoami]")).to_contain_text("nadia")
    assert provider.errors == []
    assert any(r.startswith("GET /authorize?") for r in provider.requests)


def test_an_unknown_address_comes_back_to_the_login_page(
    page: Page, browser_world: World, provider: OidcProvider
) -> None:
    provider.claims = {"sub": "x-1", "email": "stranger@agency.example", "email_verified": True}
    page.goto("/login/")
    page.locator("main").get_by_role("button", name="Sign in with Agency ID").click()
    expect(page).to_have_url(re.compile(r"^[^?]*/login/$"))
    expect(page.locator("main")).to_contain_text("No account here matches the e-mail address")
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)
    screenshot(page, "sso-02-refused")
