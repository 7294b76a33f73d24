"""Columns of the meeting list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column
from resettle.meetings.display import local_range


def _when(meeting: Any) -> str:
    return local_range(meeting)


MEETING_COLUMNS = [
    Column(_("Meeting"), "title", link=True),
    Column(_("Forum"), "forum"),
    Column(_("Kind"), "kind"),
    Column(_("When"), _when),
    Column(_("Format"), "format"),
    Column(_("Venue"), "venue"),
]
