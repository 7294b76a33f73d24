"""App configuration for records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The records app."""

    name = "resettle.records"
    label = "records"
    verbose_name = _("Minutes, decisions and action points")

    def ready(self) -> None:
        # Imported here, not at the top: the panel's views import models, which
        # need the app registry ready.
        from resettle.meetings import panels  # noqa: PLC0415
        from resettle.records.views_panel import render_panel  # noqa: PLC0415

        panels.register("records", render_panel, order=40)
