"""App configuration for governance."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """The governance app."""

    name = "resettle.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # The meeting page shows the participation indicators as one of its sections.
        # Imported here: the panel's view imports models, which need the app registry.
        from resettle.governance.views_participation import meeting_panel  # noqa: PLC0415
        from resettle.meetings import panels  # noqa: PLC0415

        panels.register("participation", meeting_panel, order=50)
