"""App configuration for records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The records app."""

    name = "resettle.records"
    label = "records"
    verbose_name = _("Minutes, decisions and action points")
