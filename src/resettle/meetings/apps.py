"""App configuration for meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """The meetings app."""

    name = "resettle.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
