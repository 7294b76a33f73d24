"""Admin for forums, memberships and cycles."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.forums.models import ConsultationCycle, Forum, Membership


@admin.register(Forum)
class ForumAdmin(AuditedAdmin[Forum]):
    """Forums."""

    list_display = ("name", "acronym", "kind", "access", "parent")
    list_filter = ("kind", "access")
    search_fields = ("name", "acronym")
    filter_horizontal = ("chairs", "secretariat")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin[Membership]):
    """Memberships and mandates."""

    list_display = ("forum", "organisation", "person", "role", "start_date", "end_date")
    list_filter = ("role", "forum")


@admin.register(ConsultationCycle)
class ConsultationCycleAdmin(AuditedAdmin[ConsultationCycle]):
    """Consultation cycles."""

    list_display = ("forum", "start_year", "end_year", "state", "government_cochair", "ngo_cochair")
