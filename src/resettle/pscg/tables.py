"""Columns of the pscg app's list pages."""

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

PRACTICE_COLUMNS = [
    Column(_("Title"), "title", link=True),
    Column(_("Topic"), "topic"),
    Column(_("Priority situation"), lambda p: p.situation or _("All situations")),
    Column(_("Date"), "date"),
    Column(_("Access"), "access"),
]

UPDATE_COLUMNS = [
    Column(_("Host country"), "host_country", link=True),
    Column(_("Priority situation"), "situation"),
    Column(_("As of"), "date"),
    Column(_("Period"), "period"),
    Column(_("Author organisation"), "author"),
    Column(_("Access"), "access"),
]
