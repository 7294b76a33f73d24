"""App configuration for forums."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """The forums app."""

    name = "resettle.forums"
    label = "forums"
    verbose_name = _("Forums")
