"""API of the case pipeline (paths under /api/v1/pipeline/).

The same rules as the pages: case files for facility staff, UNHCR,
administrators, medical staff and the referred State (404 otherwise); family
members without names or dates of birth on GET; names and dates of birth
through POST .../personal-data, which logs the read.
"""

import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router, Schema, Status

from resettle.core.api_support import READ_AUTH, WRITE_AUTH, api_actor, api_user, resolve
from resettle.directory.models import Organisation
from resettle.pipeline import services, stages
from resettle.pipeline.models import MOVE_LABELS, CaseFile, FamilyMember, StageEvent

router = Router(tags=["pipeline"])


class StageOut(Schema):
    """A stage and the moves allowed from it."""

    stage: str
    label: str
    next: list[str]
    final: bool


class CaseFileOut(Schema):
    """A case file (no personal data)."""

    id: int
    case_id: int
    reference: str
    persons: int
    nationality: str
    priority: str
    referred_state: str | None
    province: str
    stage: str
    stage_since: datetime.date
    stage_dates: dict[str, str]
    reason: str
    allowed_moves: list[str]
    adults: int
    interviewees: int
    languages: list[str]

    @staticmethod
    def resolve_reference(obj: CaseFile) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_persons(obj: CaseFile) -> int:
        return obj.case.persons

    @staticmethod
    def resolve_nationality(obj: CaseFile) -> str:
        return obj.case.nationality

    @staticmethod
    def resolve_priority(obj: CaseFile) -> str:
        return obj.case.priority

    @staticmethod
    def resolve_referred_state(obj: CaseFile) -> str | None:
        state = obj.case.referred_state
        return state.iso3 if state else None

    @staticmethod
    def resolve_allowed_moves(obj: CaseFile) -> list[str]:
        return list(stages.allowed_moves(obj.stage))

    @staticmethod
    def resolve_adults(obj: CaseFile) -> int:
        return obj.adults()

    @staticmethod
    def resolve_interviewees(obj: CaseFile) -> int:
        return obj.interviewees()

    @staticmethod
    def resolve_languages(obj: CaseFile) -> list[str]:
        return obj.languages()


class EventOut(Schema):
    """A stage event."""

    id: int
    stage: str
    from_stage: str
    resumed: bool
    date: datetime.date
    organisation_id: int | None
    note: str


class MoveIn(Schema):
    """A move: the next stage (or on_hold, withdrawn, resume), date, organisation, note."""

    move: str
    date: datetime.date | None = None
    organisation_id: int | None = None
    note: str = ""


class MemberOut(Schema):
    """A family member without name or date of birth."""

    id: int
    position: int
    sex: str
    relationship: str
    languages: list[str]
    interview_required: bool
    adult: bool

    @staticmethod
    def resolve_adult(obj: FamilyMember) -> bool:
        return obj.is_adult()


class MemberIn(Schema):
    """A new family member (name, date of birth and needs are stored encrypted)."""

    name: str
    date_of_birth: datetime.date | None = None
    sex: str
    relationship: str
    languages: list[str] = []
    interview_required: bool = True
    medical_needs: str = ""
    accessibility_needs: str = ""


class PersonalOut(Schema):
    """A family member with personal data."""

    id: int
    position: int
    name: str
    date_of_birth: datetime.date | None
    sex: str
    relationship: str
    languages: list[str]
    interview_required: bool
    accessibility_needs: str


class PurposeIn(Schema):
    """Why the personal data is read (kept in the access log)."""

    purpose: str = ""


def _files(request: HttpRequest) -> models.QuerySet[CaseFile]:
    return (
        CaseFile.objects.visible_to(api_user(request))
        .select_related("case", "case__referred_state")
        .prefetch_related("members")
    )


@router.get("/pipeline/stages", response=list[StageOut], auth=READ_AUTH)
def list_stages(request: HttpRequest) -> list[dict[str, Any]]:
    """The stages of the pipeline and the moves allowed from each."""
    return [
        {
            "stage": s,
            "label": str(MOVE_LABELS[s]),
            "next": list(stages.allowed_moves(s)),
            "final": s in stages.FINAL,
        }
        for s in stages.STAGES
    ]


@router.get("/pipeline/cases", response=list[CaseFileOut], auth=READ_AUTH)
def list_case_files(
    request: HttpRequest, stage: str = "", state: str = "", nationality: str = ""
) -> models.QuerySet[CaseFile]:
    """The case files you may see, filtered by stage, State (ISO code) and nationality."""
    qs = _files(request)
    if stage:
        qs = qs.filter(stage=stage)
    if state:
        qs = qs.filter(case__referred_state__iso3=state.upper())
    if nationality:
        qs = qs.filter(case__nationality=nationality.upper())
    return qs[:500]


@router.get("/pipeline/cases/{int:pk}", response=CaseFileOut, auth=READ_AUTH)
def get_case_file(request: HttpRequest, pk: int) -> CaseFile:
    """One case file (404 for another State's case)."""
    return services.get_case_file_for_user(pk, api_user(request))


@router.get("/pipeline/cases/{int:pk}/events", response=list[EventOut], auth=READ_AUTH)
def list_events(request: HttpRequest, pk: int) -> models.QuerySet[StageEvent]:
    """A case's stage events, oldest first."""
    return services.get_case_file_for_user(pk, api_user(request)).events.all()


@router.post("/pipeline/cases/{int:pk}/events", response={201: EventOut}, auth=WRITE_AUTH)
def move_case(request: HttpRequest, pk: int, payload: MoveIn) -> Status[StageEvent]:
    """Move a case to its next stage; an illegal move gets 422 naming the allowed ones."""
    user = api_actor(request)
    case_file = services.get_case_file_for_user(pk, user)
    organisation = resolve(Organisation, user, "organisation_id", payload.organisation_id)
    event = services.do_move_case(
        case_file,
        payload.move,
        date=payload.date,
        organisation=organisation,
        note=payload.note,
        actor=user,
    )
    return Status(201, event)


@router.get("/pipeline/cases/{int:pk}/members", response=list[MemberOut], auth=READ_AUTH)
def list_members(request: HttpRequest, pk: int) -> models.QuerySet[FamilyMember]:
    """A case's family members, without names or dates of birth."""
    return services.get_case_file_for_user(pk, api_user(request)).members.all()


@router.post("/pipeline/cases/{int:pk}/members", response={201: MemberOut}, auth=WRITE_AUTH)
def add_member(request: HttpRequest, pk: int, payload: MemberIn) -> Status[FamilyMember]:
    """Add a family member (facility staff and UNHCR)."""
    user = api_actor(request)
    case_file = services.get_case_file_for_user(pk, user)
    return Status(201, services.do_add_member(case_file, payload.dict(), actor=user))


@router.post("/pipeline/cases/{int:pk}/personal-data", response=list[PersonalOut], auth=WRITE_AUTH)
def read_personal_data(request: HttpRequest, pk: int, payload: PurposeIn) -> list[dict[str, Any]]:
    """The family members with names and dates of birth; the read is logged."""
    user = api_actor(request)
    case_file = services.get_case_file_for_user(pk, user)
    return services.read_personal_data(case_file, user=user, channel="api", purpose=payload.purpose)
