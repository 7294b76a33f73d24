"""App configuration for capacity building (CRISP assessments, assistance, training, GROW)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    """The capacity-building app."""

    name = "resettle.capacity"
    label = "capacity"
    verbose_name = _("Capacity building")
