"""Admin for minutes, decisions and action points (changes are audited)."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.records.models import ActionPoint, ActionPointUpdate, Decision, Minutes


@admin.register(Minutes)
class MinutesAdmin(AuditedAdmin[Minutes]):
    """Minutes of meetings and sessions."""

    list_display = ("meeting", "session", "language", "updated_at")
    list_filter = ("language",)
    raw_id_fields = ("meeting", "session", "recorded_by")


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin[Decision]):
    """Decisions of meetings."""

    list_display = ("meeting", "number", "decided_at")
    search_fields = ("text",)
    raw_id_fields = ("meeting", "session", "recorded_by")


class ActionPointUpdateInline(admin.TabularInline[ActionPointUpdate, ActionPoint]):
    """The status history, read-only: it is written by the status service."""

    model = ActionPointUpdate
    extra = 0
    can_delete = False
    readonly_fields = ("date", "status", "note", "author", "meeting")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ActionPoint)
class ActionPointAdmin(AuditedAdmin[ActionPoint]):
    """Action points and their status."""

    list_display = ("text", "meeting", "owner", "due_date", "status", "closed_on")
    list_filter = ("status",)
    search_fields = ("text", "owner__name", "owner__acronym")
    raw_id_fields = ("meeting", "decision", "closed_at_meeting", "owner")
    inlines = [ActionPointUpdateInline]
