"""Single sign-on's two views: allauth's OpenID Connect login and callback, guarded.

Both answer 404 unless single sign-on is configured (RESETTLE_OIDC_SERVER_URL)
and the URL names its one provider, so that no app stored in the database can
turn it on. The login starts only on a POST (the login page's button, with its
CSRF token); a GET is sent to the login page instead of allauth's own page.
"""

from __future__ import annotations

from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from resettle.accounts import sso


def _check(provider_id: str) -> None:
    if provider_id != sso.PROVIDER_ID or not sso.enabled():
        raise Http404


def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Start the sign-on: a redirect to the provider's authorization page."""
    _check(provider_id)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("login"))
    response: HttpResponse = oidc_views.login(request, provider_id)
    return response


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The provider sends the browser back here, with a code to exchange."""
    _check(provider_id)
    response: HttpResponse = oidc_views.callback(request, provider_id)
    return response
