"""App configuration for demo."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo app."""

    name = "resettle.demo"
    label = "demo"
    verbose_name = _("Demo data")
