"""App configuration for registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """The registrations app."""

    name = "resettle.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Add the registration section to each meeting's page. Imported here:
        # models cannot be imported before the app registry is ready.
        from resettle.meetings import panels  # noqa: PLC0415
        from resettle.registrations.panel import render_panel  # noqa: PLC0415

        panels.register("registrations", render_panel, order=20)
