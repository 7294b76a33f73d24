"""Admin of the cases app: resettlement cases, read and searched by staff."""

from django.contrib import admin

from resettle.cases.models import ResettlementCase
from resettle.core.admin_audit import AuditedAdmin


@admin.register(ResettlementCase)
class ResettlementCaseAdmin(AuditedAdmin[ResettlementCase]):
    """Cases, with their status and referral."""

    list_display = ("reference", "persons", "nationality", "asylum", "priority", "status")
    list_filter = ("status", "priority", "category")
    search_fields = ("reference", "nationality", "link_group")
    raw_id_fields = ("asylum", "referred_state", "situation")
