"""Columns of the document list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column
from resettle.documents.models import language_sort_key


def _languages(document: Any) -> str:
    codes = {v.language for v in document.versions.all()}
    return ", ".join(sorted(codes, key=language_sort_key))


DOCUMENT_COLUMNS = [
    Column(_("Title"), "title", link=True),
    Column(_("Kind"), "kind"),
    Column(_("Forum"), "forum"),
    Column(_("Meeting"), "meeting"),
    Column(_("Languages"), _languages),
    Column(_("Access"), "access"),
]
