"""App configuration for documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The documents app."""

    name = "resettle.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The meeting page shows a "Documents" section without importing this app.
        # Imported here: models can only be imported once the app registry is ready.
        from resettle.documents.views_meeting import render_meeting_panel  # noqa: PLC0415
        from resettle.meetings import panels  # noqa: PLC0415

        panels.register("documents", render_meeting_panel, order=30)
