"""Pages of the meetings app: the list, a meeting's page, its form and its .ics file.

The agenda editor is in views_agenda.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.forums.services import get_forum_for_user
from resettle.meetings import forms, services, tables
from resettle.meetings.access import (
    can_create_meeting,
    can_organise_meeting,
    organised_forums,
)
from resettle.meetings.display import local_range
from resettle.meetings.ics import calendar_bytes
from resettle.meetings.models import Meeting
from resettle.meetings.panels import render_panels


class MeetingListView(ObjectListView):
    """The meetings a visitor may see, filtered by forum, kind, cycle, year, upcoming or past."""

    model = Meeting
    columns = tables.MEETING_COLUMNS
    search_fields = ("title", "venue", "description")
    filter_form = forms.MeetingFilterForm
    select_related = ("forum", "cycle")
    create_url_name = "meetings:meeting_add"

    def can_create(self, user: User | None) -> bool:
        return user is not None and organised_forums(user).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # `year` and `when` are annotations so that the generic filtering
        # (field name = lookup) applies them like any other filter.
        now = timezone.now()
        qs: QuerySet[Any] = (
            super()
            .get_queryset(request)
            .annotate(
                year=ExtractYear("starts_at"),
                when=Case(
                    When(ends_at__gte=now, then=Value("upcoming")),
                    default=Value("past"),
                    output_field=CharField(),
                ),
            )
        )
        return qs


class MeetingDetailView(ObjectDetailView):
    """A meeting: when (in its own time zone), where, languages, agenda, planning committee,
    then the sections other apps add (registration, documents, records)."""

    template_name = "meetings/meeting_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Meeting:
        return services.get_meeting_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Meeting) -> bool:
        return can_organise_meeting(user, obj)

    def extra_context(self, request: HttpRequest, obj: Meeting) -> dict[str, Any]:
        # Panels return HTML rendered by their apps' templates (escaped there).
        panels: list[SafeString] = [mark_safe(html) for html in render_panels(request, obj)]  # noqa: S308
        return {
            "meeting": obj,
            "when": local_range(obj),
            "sessions": services.ordered_sessions(obj),
            "planning_members": obj.planning_members.select_related(
                "person__organisation", "organisation"
            ),
            "panels": panels,
        }


class MeetingEditView(ObjectEditView):
    """Add or edit a meeting."""

    form_class = forms.MeetingForm
    create_service = staticmethod(services.do_create_meeting)
    update_service = staticmethod(services.do_update_meeting)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Meeting | None:
        if "pk" not in kwargs:
            return None
        return services.get_meeting_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        forum_id = self.request.GET.get("forum")
        if forum_id:
            return can_create_meeting(user, get_forum_for_user(forum_id, user))
        return organised_forums(user).exists()

    def can_edit(self, user: User, obj: Meeting) -> bool:
        return can_organise_meeting(user, obj)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        forum_id = request.GET.get("forum")
        initial: dict[str, Any] = {"time_zone": "Europe/Zurich"}
        if forum_id:
            initial["forum"] = get_forum_for_user(forum_id, request.user)
        return initial


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as an iCalendar file, for those who may see it."""
    meeting = services.get_meeting_for_user(pk, as_user(request.user))
    response = HttpResponse(
        calendar_bytes([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    filename = slugify(meeting.title) or f"meeting-{meeting.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response
