"""Columns of the forums' list pages."""

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

FORUM_COLUMNS = [
    Column(_("Name"), "name", link=True),
    Column(_("Acronym"), "acronym"),
    Column(_("Kind"), "kind"),
    Column(_("Parent forum"), "parent"),
    Column(_("Access"), "access"),
]

MEMBERSHIP_COLUMNS = [
    Column(_("Member"), "member", link=True),
    Column(_("Forum"), "forum"),
    Column(_("Role"), "role"),
    Column(_("Mandate start"), "start_date"),
    Column(_("Mandate end"), "end_date"),
]

CYCLE_COLUMNS = [
    Column(_("Cycle"), "label", link=True),
    Column(_("Consultation"), "forum"),
    Column(_("Chairing State"), "state"),
    Column(_("Government co-chair"), "government_cochair"),
    Column(_("NGO co-chair"), "ngo_cochair"),
]
