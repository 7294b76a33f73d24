"""Authorization rows of single sign-on (accounts/urls_sso.py, under /accounts/oidc/).

Single sign-on is off unless RESETTLE_OIDC_SERVER_URL is set, as in the test
settings: both routes then answer 404 to everyone, signed in or not, and write
nothing. The flow itself, with single sign-on on, is tested against a real
OpenID Connect provider in src/resettle/accounts/tests/test_sso.py.
"""

from __future__ import annotations

from typing import Any

from authz import Case, W, roles


def sso_provider(w: W) -> list[Any]:
    """The URL's argument: the provider id of the one OpenID Connect app."""
    return ["sso"]


MATRIX = {
    "openid_connect_login": [
        Case("POST", roles(404), args=sso_provider, data=lambda w, u: {"process": "login"}),
        Case("GET", roles(404), args=sso_provider),
    ],
    "openid_connect_callback": [
        Case("GET", roles(404), args=sso_provider, query="?code=abc&state=xyz"),
    ],
}
