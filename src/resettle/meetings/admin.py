"""Admin for meetings, agenda sessions, speakers and planning committees."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin[Meeting]):
    """Meetings."""

    list_display = ("title", "forum", "kind", "starts_at", "time_zone", "format")
    list_filter = ("kind", "format", "forum")
    search_fields = ("title", "venue")
    date_hierarchy = "starts_at"


@admin.register(AgendaSession)
class AgendaSessionAdmin(AuditedAdmin[AgendaSession]):
    """Agenda sessions."""

    list_display = ("title", "meeting", "position", "starts_at", "room")
    list_filter = ("meeting__forum",)
    search_fields = ("title", "meeting__title")


@admin.register(SessionSpeaker)
class SessionSpeakerAdmin(AuditedAdmin[SessionSpeaker]):
    """Speakers and moderators."""

    list_display = ("__str__", "session", "role", "stakeholder_group")
    list_filter = ("role", "stakeholder_group")


@admin.register(PlanningMember)
class PlanningMemberAdmin(AuditedAdmin[PlanningMember]):
    """Planning committee members."""

    list_display = ("__str__", "meeting", "stakeholder_group", "role")
    list_filter = ("stakeholder_group",)
