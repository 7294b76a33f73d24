"""Columns of the directory's list pages."""

from django.utils.translation import gettext_lazy as _

from resettle.core.tables import Column

COUNTRY_COLUMNS = [
    Column(_("Name"), "name", link=True),
    Column(_("ISO code"), "iso3"),
    Column(_("UNHCR code"), "unhcr_code"),
    Column(_("UNHCR region"), "unhcr_region"),
]

ORGANISATION_COLUMNS = [
    Column(_("Name"), "name", link=True),
    Column(_("Acronym"), "acronym"),
    Column(_("Kind"), "kind"),
    Column(_("Country"), "country"),
    Column(_("Parent"), "parent"),
]

PERSON_COLUMNS = [
    Column(_("Name"), str, link=True),
    Column(_("Organisation"), "organisation"),
    Column(_("Title"), "title"),
    Column(_("Languages"), "languages"),
]
