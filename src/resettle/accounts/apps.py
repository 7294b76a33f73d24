"""App configuration for accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "resettle.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
