"""Admin for the PSCG's targets, practice exchanges and host-country updates."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.pscg.models import HostCountryUpdate, PracticeExchange, SituationTarget


@admin.register(SituationTarget)
class SituationTargetAdmin(AuditedAdmin[SituationTarget]):
    """Targets of places per situation and year."""

    list_display = ("situation", "year", "places", "is_illustrative")
    list_filter = ("situation", "year")


@admin.register(PracticeExchange)
class PracticeExchangeAdmin(AuditedAdmin[PracticeExchange]):
    """Practice exchanges."""

    list_display = ("title", "topic", "situation", "date", "access")
    list_filter = ("topic", "access", "situation")
    search_fields = ("title", "summary")
    filter_horizontal = ("organisations",)


@admin.register(HostCountryUpdate)
class HostCountryUpdateAdmin(AuditedAdmin[HostCountryUpdate]):
    """Host-country updates."""

    list_display = ("host_country", "situation", "date", "author", "access")
    list_filter = ("access", "situation")
    search_fields = ("narrative",)
