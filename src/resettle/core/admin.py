"""Admin for the audit log and the denied requests: read-only, since logs are never rewritten."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from resettle.core.models import AuditEntry, DeniedRequest


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


@admin.register(DeniedRequest)
class DeniedRequestAdmin(admin.ModelAdmin[DeniedRequest]):
    """Browse the requests refused for access reasons (401, 403, 404)."""

    list_display = ("last_at", "user_repr", "ip", "method", "path", "status", "reason", "count")
    list_filter = ("status", "method")
    search_fields = ("user_repr", "ip", "path")
    date_hierarchy = "window"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
