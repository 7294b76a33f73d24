"""App configuration for registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """The registrations app."""

    name = "resettle.registrations"
    label = "registrations"
    verbose_name = _("Registrations")
