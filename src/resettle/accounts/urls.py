"""URLs of the accounts app."""

from django.urls import path

from resettle.accounts import views, views_auth, views_mfa

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("verify/", views_auth.verify, name="verify"),
    path("mfa/", views_mfa.mfa, name="mfa"),
    path("mfa/enrol/", views_mfa.enrol, name="mfa_enrol"),
    path("mfa/recovery-codes/", views_mfa.regenerate_codes, name="mfa_regenerate"),
    path("mfa/disable/", views_mfa.disable, name="mfa_disable"),
]
