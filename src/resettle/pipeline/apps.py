"""The case pipeline of the Resettlement Support Facility."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    """Case files, stages, family members, orientation, medical and travel."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "resettle.pipeline"
    label = "pipeline"
    verbose_name = _("Case pipeline")

    def ready(self) -> None:
        # Imported here: models are not ready when the module loads.
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from resettle.pipeline.reauth import on_login  # noqa: PLC0415

        # A login counts as a fresh authentication for exports of personal data.
        user_logged_in.connect(on_login, dispatch_uid="pipeline_reauth_on_login")
