"""App configuration for needs, pledges and the gap."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    """Needs (PGRN), pledges, submissions and departures, and the gap between them."""

    name = "resettle.needs"
    label = "needs"
    verbose_name = _("Needs and pledges")
