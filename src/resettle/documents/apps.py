"""App configuration for documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The documents app."""

    name = "resettle.documents"
    label = "documents"
    verbose_name = _("Documents")
