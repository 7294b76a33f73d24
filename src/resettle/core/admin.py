"""Admin for the audit log: read-only, since the log must never be rewritten."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from resettle.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Browse and search the audit log."""

    list_display = ("at", "actor_repr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("actor_repr", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
