"""App configuration for allocation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationConfig(AppConfig):
    """The allocation app: pledge lines, allocation runs and scenarios."""

    name = "resettle.allocation"
    label = "allocation"
    verbose_name = _("Allocation")
