"""App configuration for the Resettlement Support Facility (missions, logistics, scheduling)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RsfConfig(AppConfig):
    """The rsf app."""

    name = "resettle.rsf"
    label = "rsf"
    verbose_name = _("Resettlement Support Facility")
