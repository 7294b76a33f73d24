"""URLs of single sign-on (accounts/sso.py): allauth's OpenID Connect login and callback only.

Mounted under /accounts/ by the root URLconf, with allauth's URL names (its
provider reverses them), and nothing else of allauth's: its password, sign-up
and account pages are not served; /login/ stays the login page.
"""

from django.urls import path

from resettle.accounts import views_sso

urlpatterns = [
    path("oidc/<str:provider_id>/login/", views_sso.login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        views_sso.callback,
        name="openid_connect_callback",
    ),
]
