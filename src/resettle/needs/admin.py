"""Admin for the needs app's reference data."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.needs.models import PrioritySituation, SituationArea


class SituationAreaInline(admin.TabularInline[SituationArea, PrioritySituation]):
    """The populations and countries of asylum a situation covers."""

    model = SituationArea
    extra = 1
    autocomplete_fields = ("asylum",)


@admin.register(PrioritySituation)
class PrioritySituationAdmin(AuditedAdmin[PrioritySituation]):
    """Priority situations (PSCG) and the areas they cover, for the gap's situation cut."""

    list_display = ("name", "name_ar", "name_fr", "is_illustrative")
    list_filter = ("is_illustrative",)
    search_fields = ("name", "name_ar", "name_fr")
    inlines = (SituationAreaInline,)
