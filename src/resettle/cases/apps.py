"""App configuration for cases."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The cases app."""

    name = "resettle.cases"
    label = "cases"
    verbose_name = _("Resettlement cases")
