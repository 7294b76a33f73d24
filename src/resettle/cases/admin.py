"""Admin of the cases app: resettlement cases, read and searched by staff; sharing records."""

from django.contrib import admin

from resettle.cases.models import ResettlementCase, ShareRecord
from resettle.core.admin_audit import AuditedAdmin


@admin.register(ResettlementCase)
class ResettlementCaseAdmin(AuditedAdmin[ResettlementCase]):
    """Cases, with their status and referral."""

    list_display = ("reference", "persons", "nationality", "asylum", "priority", "status")
    list_filter = ("status", "priority", "category")
    search_fields = ("reference", "nationality", "link_group")
    raw_id_fields = ("asylum", "referred_state", "situation")


@admin.register(ShareRecord)
class ShareRecordAdmin(admin.ModelAdmin[ShareRecord]):
    """Sharing records (read only: written by the services that share a case)."""

    list_display = ("at", "case", "state", "purpose", "consent", "consent_date", "actor")
    list_filter = ("purpose", "consent")
    search_fields = ("case__reference",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
