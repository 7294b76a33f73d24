"""App configuration for commitments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    """The commitments app."""

    name = "resettle.commitments"
    label = "commitments"
    verbose_name = _("Commitments")
