"""Admin for forums, memberships and cycles."""

from django.contrib import admin

from resettle.forums.models import ConsultationCycle, Forum, Membership


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin[Forum]):
    """Forums."""

    list_display = ("name", "acronym", "kind", "access", "parent")
    list_filter = ("kind", "access")
    search_fields = ("name", "acronym")
    filter_horizontal = ("chairs", "secretariat")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Memberships and mandates."""

    list_display = ("forum", "organisation", "person", "role", "start_date", "end_date")
    list_filter = ("role", "forum")


@admin.register(ConsultationCycle)
class ConsultationCycleAdmin(admin.ModelAdmin[ConsultationCycle]):
    """Consultation cycles."""

    list_display = ("forum", "start_year", "end_year", "state", "government_cochair", "ngo_cochair")
