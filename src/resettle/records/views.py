"""Pages of the records app: the action point list (and its CSV export), an action
point with its history, and the edit pages of decisions and action points.

A meeting's records section and its inline forms are in views_panel.py.
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.models import AuditEntry
from resettle.core.views_generic import PAGE_SIZE, ObjectEditView
from resettle.needs.exports import escape_cell
from resettle.records import services
from resettle.records.forms import ActionPointFilterForm, ActionPointForm, DecisionForm, StatusForm
from resettle.records.models import ActionPoint, ActionPointQuerySet, Decision
from resettle.records.views_panel import meeting_page_url


def filtered_action_points(request: HttpRequest) -> tuple[ActionPointQuerySet, Any]:
    """The action points this user may see, filtered by the query string; and the form."""
    user = as_user(request.user)
    form = ActionPointFilterForm(request.GET or None, user=user)
    qs: ActionPointQuerySet = ActionPoint.objects.visible_to(user).select_related(
        "meeting__forum", "owner", "decision"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("forum"):
            qs = qs.filter(meeting__forum=data["forum"])
        if data.get("owner"):
            qs = qs.filter(owner=data["owner"])
        status = data.get("status")
        if status == "still_open":
            qs = qs.still_open()
        elif status:
            qs = qs.filter(status=status)
        if data.get("overdue"):
            qs = qs.overdue()
        if data.get("mine"):
            qs = qs.filter(owner=user.organisation_id if user else None)
    return qs.order_by("due_date", "meeting__starts_at", "pk"), form


def action_point_list(request: HttpRequest) -> HttpResponse:
    """Action points across meetings, with filters; "mine" for the user's organisation."""
    qs, form = filtered_action_points(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "records/action_point_list.html",
        {
            "page": page,
            "filter_form": form,
            "querystring": params.urlencode(),
            "today": timezone.localdate(),
        },
    )


CSV_HEADER = (
    "id",
    "forum",
    "meeting",
    "meeting_date",
    "decision",
    "action",
    "owner",
    "due_date",
    "status",
    "overdue",
    "closed_on",
    "closed_at_meeting",
    "notes",
)


def action_point_export(request: HttpRequest) -> HttpResponse:
    """The filtered action point list as CSV (cells a spreadsheet would run are quoted)."""
    qs, _form = filtered_action_points(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-points.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for ap in qs.select_related("closed_at_meeting"):
        row = (
            ap.pk,
            ap.meeting.forum.acronym or ap.meeting.forum.name,
            ap.meeting.title,
            ap.meeting.starts_at.date().isoformat(),
            ap.decision.number if ap.decision else "",
            ap.text,
            str(ap.owner),
            ap.due_date.isoformat() if ap.due_date else "",
            ap.status,
            "yes" if ap.overdue else "no",
            ap.closed_on.isoformat() if ap.closed_on else "",
            ap.closed_at_meeting.title if ap.closed_at_meeting else "",
            ap.notes,
        )
        writer.writerow([escape_cell(cell) for cell in row])
    return response


def action_point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One action point, its status history, and (to those allowed) the status form."""
    user = as_user(request.user)
    ap = services.get_action_point_for_user(pk, user)
    can_update = services.can_update_status(user, ap)
    return render(
        request,
        "records/action_point_detail.html",
        {
            "object": ap,
            "updates": ap.updates.select_related("author", "meeting"),
            "status_form": StatusForm(initial={"status": ap.status}) if can_update else None,
            "can_edit": services.can_edit_action_point(user, ap),
            "meeting_url": meeting_page_url(ap.meeting),
            "history": AuditEntry.objects.for_object(ap)[:50] if user else None,
        },
    )


class _MeetingRecordEdit(ObjectEditView):
    """Edit pages whose forms need the record's meeting."""

    def form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        obj = self.get_object(request, **self.kwargs)
        return {**super().form_kwargs(request), "meeting": obj.meeting}  # type: ignore[union-attr]

    def can_create(self, user: User) -> bool:
        return False


class DecisionEditView(_MeetingRecordEdit):
    """Correct a decision."""

    form_class = DecisionForm
    update_service = staticmethod(services.do_update_decision)
    create_service = staticmethod(services.do_record_decision)  # unused: no add route

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Decision:
        return services.get_decision_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User, obj: Decision) -> bool:
        return services.can_record(user, obj.meeting)


class ActionPointEditView(_MeetingRecordEdit):
    """Change what an action point says: text, owner, due date, decision, notes."""

    form_class = ActionPointForm
    update_service = staticmethod(services.do_update_action_point)
    create_service = staticmethod(services.do_add_action_point)  # unused: no add route

    def get_object(self, request: HttpRequest, **kwargs: Any) -> ActionPoint:
        return services.get_action_point_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User, obj: ActionPoint) -> bool:
        return services.can_edit_action_point(user, obj)
