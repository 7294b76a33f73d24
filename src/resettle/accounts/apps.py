"""App configuration for accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "resettle.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here: models are not ready when the module loads.
        from django.conf import settings  # noqa: PLC0415
        from django.contrib.auth.signals import (  # noqa: PLC0415
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )
        from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415

        from resettle.accounts.backends import on_login_failed  # noqa: PLC0415
        from resettle.accounts.roles import Role  # noqa: PLC0415
        from resettle.accounts.sessions import on_login, on_logout  # noqa: PLC0415

        unknown = set(getattr(settings, "RESETTLE_MFA_REQUIRED_ROLES", ())) - set(Role.values)
        if unknown:
            raise ImproperlyConfigured(
                f"RESETTLE_MFA_REQUIRED_ROLES names unknown roles: {', '.join(sorted(unknown))}; "
                f"roles are {', '.join(Role.values)}"
            )
        # Sessions get their clocks, owner and second-factor state at login.
        user_logged_in.connect(on_login, dispatch_uid="accounts_session_on_login")
        user_logged_out.connect(on_logout, dispatch_uid="accounts_session_on_logout")
        # Failed logins feed the throttle and the audit log.
        user_login_failed.connect(on_login_failed, dispatch_uid="accounts_throttle_on_failure")
        _hide_allauth_admin()


def _hide_allauth_admin() -> None:
    """Single sign-on is configured from the environment only (accounts/sso.py): the
    admin offers no provider apps, tokens or allauth e-mail records to edit. The
    links of provider identities to accounts (social accounts) stay listed.
    """
    from allauth.account.models import EmailAddress  # noqa: PLC0415
    from allauth.socialaccount.models import SocialApp, SocialToken  # noqa: PLC0415
    from django.contrib import admin  # noqa: PLC0415

    for model in (EmailAddress, SocialApp, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
