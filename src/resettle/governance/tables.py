"""Columns of the governance list pages."""

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

ADVICE_COLUMNS = [
    Column(_("Subject"), "subject", link=True),
    Column(_("To forum"), "target_forum"),
    Column(_("Addressed to"), "addressee"),
    Column(_("Cycle"), "cycle"),
    Column(_("Given on"), "given_on"),
    Column(_("Status"), "status"),
    Column(_("Answered on"), "answered_on"),
]
