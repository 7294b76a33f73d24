"""Admin for commitments and their progress updates (every change audited)."""

from django.contrib import admin

from resettle.commitments.models import Commitment, CommitmentUpdate, Supporter
from resettle.core.admin_audit import AuditedAdmin


class CommitmentUpdateInline(admin.TabularInline[CommitmentUpdate, Commitment]):
    """Progress updates, read on the commitment's page (added through the app, audited)."""

    model = CommitmentUpdate
    extra = 0
    fields = ("date", "status", "progress", "progress_number", "author")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Inline saves bypass AuditedAdmin; updates are added on their own admin page.
        return False


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin[Commitment]):
    """Commitments and pledges."""

    list_display = ("title", "source", "status", "deadline", "is_public", "last_update_at")
    list_filter = ("source", "status", "is_public", "is_illustrative")
    search_fields = ("title", "description", "grf_pledge_id", "organisations__name")
    filter_horizontal = ("organisations",)
    raw_id_fields = ("forum", "cycle", "meeting", "situation", "supporter", "created_by")
    inlines = (CommitmentUpdateInline,)


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(AuditedAdmin[CommitmentUpdate]):
    """Progress updates."""

    list_display = ("commitment", "date", "status", "progress_number", "author")
    list_filter = ("status",)
    raw_id_fields = ("commitment", "author")


@admin.register(Supporter)
class SupporterAdmin(AuditedAdmin[Supporter]):
    """GROW supporters."""

    list_display = ("name", "kind", "organisation", "is_public")
    list_filter = ("kind", "is_public", "is_illustrative")
    search_fields = ("name", "description")
    raw_id_fields = ("organisation", "country")
