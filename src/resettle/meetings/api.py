"""API of the meetings app: meetings, agenda sessions, speakers, planning committees.

Every path starts with /meetings so that it cannot collide with another app's.
"""

import datetime
from typing import Any

from django.db import models
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
)
from resettle.directory.models import Organisation, Person
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings import services
from resettle.meetings.models import (
    AgendaSession,
    Meeting,
    MeetingFormat,
    MeetingKind,
    PlanningMember,
    SessionSpeaker,
    SpeakerRole,
    StakeholderGroup,
)

router = Router(tags=["meetings"])


# ---- schemas -----------------------------------------------------------------


class SpeakerOut(Schema):
    """A speaker or moderator and the stakeholder group they speak for."""

    id: int
    session_id: int
    person_id: int | None
    name: str = Field(alias="display_name")
    organisation_id: int | None
    stakeholder_group: str
    role: str
    is_refugee: bool


class SessionOut(Schema):
    """An agenda session with its speakers and moderators."""

    id: int
    meeting_id: int
    title: str
    description: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    room: str
    position: int
    speakers: list[SpeakerOut]

    @staticmethod
    def resolve_speakers(obj: AgendaSession) -> list[SessionSpeaker]:
        return list(obj.speakers.all())


class PlanningMemberOut(Schema):
    """A member of a planning committee."""

    id: int
    meeting_id: int
    person_id: int | None
    name: str
    organisation_id: int | None
    stakeholder_group: str
    role: str
    is_refugee: bool

    @staticmethod
    def resolve_name(obj: PlanningMember) -> str:
        return str(obj)


class MeetingOut(Schema):
    """A meeting; `time_zone` is the venue's, in which its times are best shown."""

    id: int
    forum_id: int
    cycle_id: int | None
    title: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    format: str
    venue: str
    online_url: str
    working_languages: list[str]
    description: str
    registration_open: bool
    registration_closes_at: datetime.datetime | None
    capacity: int | None
    requires_approval: bool
    reported_participants: int | None
    reported_refugee_participants: int | None

    @staticmethod
    def resolve_working_languages(obj: Meeting) -> list[str]:
        return obj.language_list


class MeetingDetailOut(MeetingOut):
    """A meeting with its agenda and planning committee."""

    sessions: list[SessionOut]
    planning_members: list[PlanningMemberOut]

    @staticmethod
    def resolve_sessions(obj: Meeting) -> list[AgendaSession]:
        return services.ordered_sessions(obj)

    @staticmethod
    def resolve_planning_members(obj: Meeting) -> list[PlanningMember]:
        return list(obj.planning_members.all())


class MeetingIn(Schema):
    """A new meeting."""

    forum_id: int
    cycle_id: int | None = None
    title: str = Field(min_length=1, max_length=300)
    kind: MeetingKind
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str = "UTC"
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue: str = ""
    online_url: str = ""
    working_languages: str = "en"
    description: str = ""
    registration_open: bool = False
    registration_closes_at: datetime.datetime | None = None
    capacity: int | None = Field(None, ge=0)
    requires_approval: bool = True
    reported_participants: int | None = Field(None, ge=0)
    reported_refugee_participants: int | None = Field(None, ge=0)


class MeetingPatch(Schema):
    """Changes to a meeting."""

    forum_id: int | None = None
    cycle_id: int | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    kind: MeetingKind | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    time_zone: str | None = None
    format: MeetingFormat | None = None
    venue: str | None = None
    online_url: str | None = None
    working_languages: str | None = None
    description: str | None = None
    registration_open: bool | None = None
    registration_closes_at: datetime.datetime | None = None
    capacity: int | None = Field(None, ge=0)
    requires_approval: bool | None = None
    reported_participants: int | None = Field(None, ge=0)
    reported_refugee_participants: int | None = Field(None, ge=0)


class MeetingFilter(FilterSchema):
    """Filters of the meeting list."""

    forum_id: int | None = None
    cycle_id: int | None = None
    kind: MeetingKind | None = None
    # A calendar year: the year lookup builds a datetime, which has no year 0 or 10000.
    year: int | None = Field(None, ge=1, le=9999)
    when: str | None = Field(None, pattern="^(upcoming|past)$")

    def filter_year(self, value: int | None) -> models.Q:
        return models.Q(start_year=value) if value else models.Q()

    def filter_when(self, value: str | None) -> models.Q:
        if not value:
            return models.Q()
        now = timezone.now()
        return models.Q(ends_at__gte=now) if value == "upcoming" else models.Q(ends_at__lt=now)


class DeletedOut(Schema):
    """What a removal removed."""

    id: int
    deleted: bool = True


class SessionIn(Schema):
    """A new agenda session (added at the end of the agenda)."""

    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    room: str = ""


class SessionPatch(Schema):
    """Changes to an agenda session."""

    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    room: str | None = None


class ReorderIn(Schema):
    """The ids of every session of the meeting, in their new order."""

    order: list[int]


class SpeakerIn(Schema):
    """A speaker or moderator: give person_id or name."""

    person_id: int | None = None
    name: str = ""
    organisation_id: int | None = None
    stakeholder_group: StakeholderGroup
    role: SpeakerRole = SpeakerRole.SPEAKER


class PlanningMemberIn(Schema):
    """A planning committee member: give person_id or name."""

    person_id: int | None = None
    name: str = ""
    organisation_id: int | None = None
    stakeholder_group: StakeholderGroup
    role: str = ""


def _meeting_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "forum_id" in data:
        data["forum"] = resolve(Forum, user, "forum_id", data.pop("forum_id"))
    if "cycle_id" in data:
        data["cycle"] = resolve(ConsultationCycle, user, "cycle_id", data.pop("cycle_id"))
    for key in ("venue", "online_url", "description"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


def _people_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "person_id" in data:
        data["person"] = resolve(Person, user, "person_id", data.pop("person_id"))
    if "organisation_id" in data:
        data["organisation"] = resolve(
            Organisation, user, "organisation_id", data.pop("organisation_id")
        )
    return data


# ---- meetings ----------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> models.QuerySet[Meeting]:
    """The meetings you may see (those of the forums you may see), newest first."""
    qs = Meeting.objects.visible_to(api_user(request)).annotate(start_year=ExtractYear("starts_at"))
    return filters.filter(qs)


@router.get("/meetings/{int:pk}", response=MeetingDetailOut, auth=READ_AUTH)
def get_meeting(request: HttpRequest, pk: int) -> Meeting:
    """One meeting with its agenda, speakers and planning committee."""
    return services.get_meeting_for_user(pk, api_user(request))


@router.post("/meetings", response={201: MeetingDetailOut}, auth=WRITE_AUTH)
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[Meeting]:
    """Add a meeting to a forum whose meetings you organise."""
    return Status(
        201,
        services.do_create_meeting(_meeting_fields(request, payload), actor=api_actor(request)),
    )


@router.patch("/meetings/{int:pk}", response=MeetingDetailOut, auth=WRITE_AUTH)
def update_meeting(request: HttpRequest, pk: int, payload: MeetingPatch) -> Meeting:
    """Change a meeting you organise."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return services.do_update_meeting(
        meeting, _meeting_fields(request, payload), actor=api_actor(request)
    )


# ---- sessions ----------------------------------------------------------------


@router.post("/meetings/{int:pk}/sessions", response={201: SessionOut}, auth=WRITE_AUTH)
def create_session(request: HttpRequest, pk: int, payload: SessionIn) -> Status[AgendaSession]:
    """Add a session at the end of a meeting's agenda."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return Status(201, services.do_add_session(meeting, payload.dict(), actor=api_actor(request)))


@router.patch("/meetings/sessions/{int:pk}", response=SessionOut, auth=WRITE_AUTH)
def update_session(request: HttpRequest, pk: int, payload: SessionPatch) -> AgendaSession:
    """Change an agenda session."""
    session = services.get_session_for_user(pk, api_user(request))
    data = payload.dict(exclude_unset=True)
    for key in ("description", "room"):
        if key in data and data[key] is None:
            data[key] = ""
    return services.do_update_session(session, data, actor=api_actor(request))


@router.delete("/meetings/sessions/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def delete_session(request: HttpRequest, pk: int) -> DeletedOut:
    """Remove a session and its speakers."""
    session = services.get_session_for_user(pk, api_user(request))
    services.do_delete_session(session, actor=api_actor(request))
    return DeletedOut(id=pk)


@router.post("/meetings/{int:pk}/sessions/reorder", response=list[SessionOut], auth=WRITE_AUTH)
def reorder_sessions(request: HttpRequest, pk: int, payload: ReorderIn) -> list[AgendaSession]:
    """Put the agenda in a new order: every session id of the meeting, once."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return services.do_reorder_sessions(meeting, payload.order, actor=api_actor(request))


# ---- speakers ----------------------------------------------------------------


@router.post("/meetings/sessions/{int:pk}/speakers", response={201: SpeakerOut}, auth=WRITE_AUTH)
def add_speaker(request: HttpRequest, pk: int, payload: SpeakerIn) -> Status[SessionSpeaker]:
    """Add a speaker or moderator to a session."""
    session = services.get_session_for_user(pk, api_user(request))
    return Status(
        201,
        services.do_add_speaker(
            session, _people_fields(request, payload), actor=api_actor(request)
        ),
    )


@router.delete("/meetings/speakers/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def remove_speaker(request: HttpRequest, pk: int) -> DeletedOut:
    """Take a speaker or moderator off a session."""
    speaker = services.get_speaker_for_user(pk, api_user(request))
    services.do_remove_speaker(speaker, actor=api_actor(request))
    return DeletedOut(id=pk)


# ---- planning committee ------------------------------------------------------


@router.post(
    "/meetings/{int:pk}/planning-members", response={201: PlanningMemberOut}, auth=WRITE_AUTH
)
def add_planning_member(
    request: HttpRequest, pk: int, payload: PlanningMemberIn
) -> Status[PlanningMember]:
    """Add a member to a meeting's planning committee."""
    meeting = services.get_meeting_for_user(pk, api_user(request))
    return Status(
        201,
        services.do_add_planning_member(
            meeting, _people_fields(request, payload), actor=api_actor(request)
        ),
    )


@router.delete("/meetings/planning-members/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def remove_planning_member(request: HttpRequest, pk: int) -> DeletedOut:
    """Take a member off a planning committee."""
    member = services.get_planning_member_for_user(pk, api_user(request))
    services.do_remove_planning_member(member, actor=api_actor(request))
    return DeletedOut(id=pk)
