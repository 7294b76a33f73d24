"""Admin for registrations, invitations and calendar feeds."""

from django.contrib import admin
from django.http import HttpRequest

from resettle.core.admin_audit import AuditedAdmin
from resettle.registrations.models import CalendarFeed, Invitation, Registration


@admin.register(Registration)
class RegistrationAdmin(AuditedAdmin[Registration]):
    """Registrations for meetings."""

    list_display = ("name", "meeting", "stakeholder_group", "status", "created_at", "attended_at")
    list_filter = ("status", "stakeholder_group", "meeting")
    search_fields = ("name", "email", "meeting__title")
    raw_id_fields = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin[Invitation]):
    """Invitations to meetings."""

    list_display = ("email", "name", "meeting", "sent_at", "registration")
    list_filter = ("meeting",)
    search_fields = ("email", "name")
    readonly_fields = ("token",)
    raw_id_fields = ("registration",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(AuditedAdmin[CalendarFeed]):
    """Private calendar feeds (only a hash of each key is stored)."""

    list_display = ("user", "prefix", "created_at")
    readonly_fields = ("prefix", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A feed is made by its owner, who sees its address once; not here.
        return False
