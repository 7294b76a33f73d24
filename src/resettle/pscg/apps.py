"""App configuration for pscg."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PscgConfig(AppConfig):
    """The pscg app."""

    name = "resettle.pscg"
    label = "pscg"
    verbose_name = _("Priority situations")
