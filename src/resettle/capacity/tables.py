"""Columns of the capacity-building list pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

ASSESSMENT_COLUMNS = [
    Column(_("State"), "country", link=True),
    Column(_("Date"), "assessed_on"),
    Column(_("Assessor"), "assessor"),
    Column(_("Status"), "status"),
    Column(_("Derived stage"), "derived_stage"),
]

ASSISTANCE_COLUMNS = [
    Column(_("Title"), "title", link=True),
    Column(_("State"), "country"),
    Column(_("Dimension"), "dimension"),
    Column(_("Provider"), "provider"),
    Column(_("Kind of provider"), "provider_kind"),
    Column(_("Status"), "status"),
    Column(_("Requested on"), "requested_on"),
]

MODULE_COLUMNS = [
    Column(_("Code"), "code", link=True),
    Column(_("Title"), "title"),
    Column(_("Dimension"), "dimension"),
    Column(_("Duration (hours)"), "duration_hours"),
    Column(_("Languages"), lambda m: ", ".join(v.language for v in m.versions.all())),
]

DELIVERY_COLUMNS = [
    Column(_("Module"), "module", link=True),
    Column(_("Date"), "date"),
    Column(_("Place"), lambda d: _("Online") if d.online else d.place),
    Column(_("State"), "country"),
    Column(_("Participants"), "participant_count"),
    Column(_("Feedback (1-5)"), "feedback_score"),
]
