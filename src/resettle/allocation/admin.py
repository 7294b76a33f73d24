"""Admin of the allocation app: pledge lines (runs are read on their own pages)."""

from django.contrib import admin

from resettle.allocation.models import PledgeLine
from resettle.core.admin_audit import AuditedAdmin


@admin.register(PledgeLine)
class PledgeLineAdmin(AuditedAdmin[PledgeLine]):
    """Pledge lines and their criteria."""

    list_display = ("year", "state", "label", "capacity", "reserved_urgent", "modality")
    list_filter = ("year", "modality")
    search_fields = ("label", "state__name_en", "state__iso3")
    raw_id_fields = ("state", "pledge")
