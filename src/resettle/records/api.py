"""API of the records app: decisions, minutes and action points of meetings."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
)
from resettle.directory.models import Organisation
from resettle.meetings.models import AgendaSession, Meeting
from resettle.records import services
from resettle.records.models import ActionPoint, ActionStatus, Decision, Minutes

router = Router(tags=["records"])


def _session(meeting: Meeting, session_id: int | None) -> AgendaSession | None:
    """A session of the meeting, by id (422 naming session_id otherwise)."""
    if session_id is None:
        return None
    session = AgendaSession.objects.filter(meeting=meeting, pk=session_id).first()
    if session is None:
        raise ValidationError({"session_id": [f"No session {session_id} in this meeting."]})
    return session


# ---- decisions ---------------------------------------------------------------


class DecisionOut(Schema):
    """A decision of a meeting, numbered within it."""

    id: int
    meeting_id: int
    session_id: int | None
    number: int
    text: str
    decided_at: datetime.date


class DecisionIn(Schema):
    """A new decision (its number is the meeting's next)."""

    session_id: int | None = None
    text: str = Field(min_length=1)
    decided_at: datetime.date | None = None


@router.get("/records/meetings/{int:pk}/decisions", response=list[DecisionOut], auth=READ_AUTH)
def list_decisions(request: HttpRequest, pk: int) -> models.QuerySet[Decision]:
    """The decisions of a meeting you may see, by number."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return Decision.objects.filter(meeting=meeting).order_by("number")


@router.post("/records/meetings/{int:pk}/decisions", response={201: DecisionOut}, auth=WRITE_AUTH)
def create_decision(request: HttpRequest, pk: int, payload: DecisionIn) -> Status[Decision]:
    """Record a decision of a meeting you organise."""
    actor = api_actor(request)
    meeting = services.get_meeting_for_user(pk, actor)
    data: dict[str, Any] = {"text": payload.text, "decided_at": payload.decided_at}
    if payload.session_id is not None:
        data["session"] = _session(meeting, payload.session_id)
    return Status(201, services.do_record_decision(meeting, data, actor=actor))


# ---- minutes -----------------------------------------------------------------


class MinutesOut(Schema):
    """The minutes of a meeting or session in one language."""

    id: int
    meeting_id: int
    session_id: int | None
    language: str
    text: str
    updated_at: datetime.datetime


class MinutesIn(Schema):
    """Minutes to write: they replace those of the same session and language."""

    session_id: int | None = None
    language: str = Field("en", min_length=2, max_length=3)
    text: str = Field(min_length=1)


@router.get("/records/meetings/{int:pk}/minutes", response=list[MinutesOut], auth=READ_AUTH)
def list_minutes(request: HttpRequest, pk: int) -> models.QuerySet[Minutes]:
    """Every minutes of a meeting you may see (whole meeting first, then by session)."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return Minutes.objects.filter(meeting=meeting)


@router.put("/records/meetings/{int:pk}/minutes", response=MinutesOut, auth=WRITE_AUTH)
def put_minutes(request: HttpRequest, pk: int, payload: MinutesIn) -> Minutes:
    """Write the minutes of a meeting you organise, or of one of its sessions."""
    actor = api_actor(request)
    meeting = services.get_meeting_for_user(pk, actor)
    return services.do_record_minutes(
        meeting,
        text=payload.text,
        language=payload.language,
        session=_session(meeting, payload.session_id),
        actor=actor,
    )


# ---- action points -----------------------------------------------------------


class ActionPointOut(Schema):
    """An action point: what, which organisation, by when, where it stands."""

    id: int
    meeting_id: int
    decision_id: int | None
    text: str
    owner_id: int
    due_date: datetime.date | None
    status: str
    overdue: bool
    closed_on: datetime.date | None
    closed_at_meeting_id: int | None
    notes: str


class ActionPointIn(Schema):
    """A new action point agreed at a meeting."""

    text: str = Field(min_length=1)
    owner_id: int
    due_date: datetime.date | None = None
    decision_id: int | None = None
    notes: str = ""


class ActionPointPatch(Schema):
    """A status report (anyone allowed), or changes to what it says (organisers)."""

    status: ActionStatus | None = None
    note: str = ""
    at_meeting_id: int | None = Field(
        None, description="The meeting at which the status is given (closing it there)."
    )
    text: str | None = Field(None, min_length=1)
    owner_id: int | None = None
    due_date: datetime.date | None = None
    notes: str | None = None


class ActionPointFilter(FilterSchema):
    """Filters of the action point list."""

    meeting_id: int | None = None
    forum_id: Annotated[int | None, FilterLookup("meeting__forum_id")] = None
    owner_id: int | None = None
    status: ActionStatus | None = None


@router.get("/records/action-points", response=list[ActionPointOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_action_points(
    request: HttpRequest,
    filters: Query[ActionPointFilter],
    overdue: bool = False,
    carried_to: int | None = None,
) -> models.QuerySet[ActionPoint]:
    """Action points of meetings you may see; `overdue`, or those `carried_to` a meeting."""
    user = api_user(request)
    qs = ActionPoint.objects.visible_to(user)
    if carried_to is not None:
        meeting = services.get_meeting_for_user(carried_to, user)
        qs = qs.filter(pk__in=services.carried_action_points(meeting).values("pk"))
    if overdue:
        qs = qs.overdue()
    return filters.filter(qs).order_by("due_date", "pk")


@router.post(
    "/records/meetings/{int:pk}/action-points", response={201: ActionPointOut}, auth=WRITE_AUTH
)
def create_action_point(
    request: HttpRequest, pk: int, payload: ActionPointIn
) -> Status[ActionPoint]:
    """Record an action point agreed at a meeting you organise."""
    actor = api_actor(request)
    meeting = services.get_meeting_for_user(pk, actor)
    data: dict[str, Any] = {
        "text": payload.text,
        "owner": resolve(Organisation, actor, "owner_id", payload.owner_id),
        "due_date": payload.due_date,
        "notes": payload.notes,
    }
    if payload.decision_id is not None:
        data["decision"] = resolve(Decision, actor, "decision_id", payload.decision_id)
    return Status(201, services.do_add_action_point(meeting, data, actor=actor))


@router.patch("/records/action-points/{int:pk}", response=ActionPointOut, auth=WRITE_AUTH)
def update_action_point(request: HttpRequest, pk: int, payload: ActionPointPatch) -> ActionPoint:
    """Report an action point's status (its owner, its organisers) or change it (organisers)."""
    actor = api_actor(request)
    ap = services.get_action_point_for_user(pk, actor)
    sent = payload.dict(exclude_unset=True)
    data: dict[str, Any] = {}
    for key in ("status", "text", "due_date", "notes"):
        if key in sent:
            data[key] = sent[key]
    if "owner_id" in sent:
        data["owner"] = resolve(Organisation, actor, "owner_id", sent["owner_id"])
    at_meeting = resolve(Meeting, actor, "at_meeting_id", sent.get("at_meeting_id"))
    return services.do_update_action_point(
        ap, data, note=payload.note, at_meeting=at_meeting, actor=actor
    )
