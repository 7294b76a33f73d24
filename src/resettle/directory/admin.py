"""Admin for the directory."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.directory.models import Country, Organisation, Person, StateProfile


@admin.register(Country)
class CountryAdmin(AuditedAdmin[Country]):
    """Countries and their UNHCR codes."""

    list_display = ("iso3", "name_en", "name_ar", "name_fr", "unhcr_code", "unhcr_region")
    list_filter = ("unhcr_region",)
    search_fields = ("iso3", "name_en", "name_ar", "name_fr", "unhcr_code")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin[Organisation]):
    """Organisations of the directory."""

    list_display = ("name", "acronym", "kind", "country", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "acronym")
    autocomplete_fields = ("country", "parent", "maintained_by")


@admin.register(Person)
class PersonAdmin(AuditedAdmin[Person]):
    """Contacts."""

    list_display = ("family_name", "given_name", "organisation", "title")
    search_fields = ("family_name", "given_name", "email")
    autocomplete_fields = ("organisation",)


@admin.register(StateProfile)
class StateProfileAdmin(AuditedAdmin[StateProfile]):
    """Resettlement State profiles."""

    list_display = ("country", "programme_stage", "first_resettlement_year")
    list_filter = ("programme_stage",)
