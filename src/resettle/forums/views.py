"""Pages of the forums app: forums, memberships and mandates, consultation cycles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from resettle.accounts.models import User
from resettle.accounts.roles import Capability
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.forums import forms, services, tables
from resettle.forums.models import ConsultationCycle, Forum, ForumKind, Membership
from resettle.meetings.models import Meeting

# The forum page lists its latest meetings; the meetings page lists them all.
RECENT_MEETINGS = 10


class ForumListView(ObjectListView):
    """The forums a visitor may see."""

    model = Forum
    columns = tables.FORUM_COLUMNS
    search_fields = ("name", "acronym", "description")
    filter_form = forms.ForumFilterForm
    select_related = ("parent",)
    create_url_name = "forums:forum_add"

    def can_create(self, user: User | None) -> bool:
        return user is not None and user.can(Capability.CREATE_FORUM)


class ForumDetailView(ObjectDetailView):
    """A forum: mandate, chairs, current and past members, mandates ending soon, cycles."""

    template_name = "forums/forum_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Forum:
        return services.get_forum_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Forum) -> bool:
        return services.can_edit_forum(user, obj)

    def extra_context(self, request: HttpRequest, obj: Forum) -> dict[str, Any]:
        user = as_user(request.user)
        members = obj.memberships.select_related("organisation", "person__organisation")
        days = settings.MANDATE_WARNING_DAYS
        return {
            "current_members": members.current(),
            "past_members": members.past(),
            "ending_soon": members.ending_within(days),
            "warning_days": days,
            "children": Forum.objects.visible_to(user).filter(parent=obj),
            "cycles": obj.cycles.select_related("state", "government_cochair", "ngo_cochair"),
            "meetings": Meeting.objects.visible_to(user)
            .filter(forum=obj)
            .order_by("-starts_at")[:RECENT_MEETINGS],
            "can_plan_cycle": obj.kind == ForumKind.CONSULTATION
            and user is not None
            and (user.can(Capability.MANAGE_CYCLES) or services.can_edit_forum(user, obj)),
        }


class ForumEditView(ObjectEditView):
    """Set up or edit a forum."""

    form_class = forms.ForumForm
    create_service = staticmethod(services.do_create_forum)
    update_service = staticmethod(services.do_update_forum)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Forum | None:
        if "pk" not in kwargs:
            return None
        return services.get_forum_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return user.can(Capability.CREATE_FORUM)

    def can_edit(self, user: User, obj: Forum) -> bool:
        return services.can_edit_forum(user, obj)


class MembershipListView(ObjectListView):
    """Memberships of the forums a visitor may see."""

    model = Membership
    columns = tables.MEMBERSHIP_COLUMNS
    search_fields = ("organisation__name", "person__family_name", "forum__name")
    filter_form = forms.MembershipFilterForm
    select_related = ("forum", "organisation", "person")


class MembershipDetailView(ObjectDetailView):
    """One membership and its mandate."""

    template_name = "forums/membership_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Membership:
        return services.get_membership_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Membership) -> bool:
        return services.can_edit_forum(user, obj.forum)


class MembershipEditView(ObjectEditView):
    """Add or edit a membership."""

    form_class = forms.MembershipForm
    create_service = staticmethod(services.do_create_membership)
    update_service = staticmethod(services.do_update_membership)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Membership | None:
        if "pk" not in kwargs:
            return None
        return services.get_membership_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        forum_id = self.request.GET.get("forum") or self.request.POST.get("forum")
        if forum_id:
            forum = services.get_forum_for_user(forum_id, user)
            return services.can_edit_forum(user, forum)
        # Without a forum in view, offer the form to anyone who runs at least one forum.
        return any(services.can_edit_forum(user, f) for f in Forum.objects.visible_to(user))

    def can_edit(self, user: User, obj: Membership) -> bool:
        return services.can_edit_forum(user, obj.forum)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        forum_id = request.GET.get("forum")
        return {"forum": services.get_forum_for_user(forum_id, request.user)} if forum_id else {}


class CycleListView(ObjectListView):
    """All consultation cycles a visitor may see."""

    model = ConsultationCycle
    columns = tables.CYCLE_COLUMNS
    select_related = ("forum", "state", "government_cochair", "ngo_cochair")
    search_fields = ("theme", "state__name_en", "government_cochair__name", "ngo_cochair__name")
    create_url_name = "forums:cycle_add"

    def can_create(self, user: User | None) -> bool:
        return user is not None and user.can(Capability.MANAGE_CYCLES)


class CycleDetailView(ObjectDetailView):
    """One consultation cycle and its co-chairs."""

    template_name = "forums/cycle_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> ConsultationCycle:
        return services.get_cycle_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: ConsultationCycle) -> bool:
        return services.can_edit_cycle(user, obj)

    def extra_context(self, request: HttpRequest, obj: ConsultationCycle) -> dict[str, Any]:
        user = as_user(request.user)
        return {
            "meetings": Meeting.objects.visible_to(user).filter(cycle=obj).order_by("starts_at")
        }


class CycleEditView(ObjectEditView):
    """Plan or edit a consultation cycle."""

    form_class = forms.CycleForm
    create_service = staticmethod(services.do_create_cycle)
    update_service = staticmethod(services.do_update_cycle)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> ConsultationCycle | None:
        if "pk" not in kwargs:
            return None
        return services.get_cycle_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        if user.can(Capability.MANAGE_CYCLES):
            return True
        return any(
            services.can_edit_forum(user, f)
            for f in Forum.objects.visible_to(user).filter(kind=ForumKind.CONSULTATION)
        )

    def can_edit(self, user: User, obj: ConsultationCycle) -> bool:
        return services.can_edit_cycle(user, obj)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        forum_id = request.GET.get("forum")
        return {"forum": services.get_forum_for_user(forum_id, request.user)} if forum_id else {}


def terms_document(request: HttpRequest, pk: int) -> FileResponse:
    """The forum's terms-of-reference file, to those who may see the forum.

    Served through Django rather than as a public media URL, so a members-only
    forum's documents stay members-only.
    """
    forum = services.get_forum_for_user(pk, request.user)
    if not forum.terms_document:
        raise Http404("no document")
    return FileResponse(
        forum.terms_document.open("rb"),
        as_attachment=True,
        filename=Path(forum.terms_document.name).name,
    )


def rotation(request: HttpRequest) -> HttpResponse:
    """The co-chair rotation: past, current and planned cycles of each consultation."""
    user = as_user(request.user)
    forums = Forum.objects.visible_to(user).filter(kind=ForumKind.CONSULTATION)
    groups = []
    for forum in forums:
        cycles = list(
            forum.cycles.select_related("state", "government_cochair", "ngo_cochair").order_by(
                "start_year"
            )
        )
        groups.append({"forum": forum, "cycles": [(c, c.status()) for c in cycles]})
    return render(request, "forums/rotation.html", {"groups": groups})
