"""App configuration for the knowledge library."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    """The knowledge library app."""

    name = "resettle.library"
    label = "library"
    verbose_name = _("Knowledge library")
