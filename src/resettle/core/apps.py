"""App configuration for the core: audit log, roles, layout, health."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Core app: audit log, access rules shared by every app, base layout."""

    name = "resettle.core"
    label = "core"
    verbose_name = _("Core")
