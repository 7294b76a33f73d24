"""Columns of the case list."""

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

CASE_COLUMNS = [
    Column(_("Case"), "reference", link=True),
    Column(_("Persons"), "persons"),
    Column(_("Nationality"), "nationality"),
    Column(_("Country of asylum"), "asylum"),
    Column(_("Priority"), "priority"),
    Column(_("Category"), "category"),
    Column(_("Submitted on"), "submitted_on"),
    Column(_("Status"), "status"),
    Column(_("Referred to"), "referred_state"),
]
