"""API of the commitments app: commitments and pledges, and their progress updates."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from resettle.commitments import services
from resettle.commitments.forms import apply_filters
from resettle.commitments.models import (
    Commitment,
    CommitmentSource,
    CommitmentStatus,
    CommitmentUpdate,
    Supporter,
    TargetUnit,
)
from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
    resolve_many,
)
from resettle.directory.models import Country, Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.models import Meeting
from resettle.needs.models import PrioritySituation

router = Router(tags=["commitments"])


class UpdateOut(Schema):
    """A progress update."""

    id: int
    date: datetime.date
    status: str
    progress: str
    progress_number: int | None
    created_at: datetime.datetime


class CommitmentOut(Schema):
    """A commitment or pledge."""

    id: int
    source: str
    organisation_ids: list[int]
    forum_id: int | None
    cycle_id: int | None
    meeting_id: int | None
    situation_id: int | None
    title: str
    description: str
    target: str
    target_number: int | None
    target_unit: str
    deadline: datetime.date | None
    status: str
    is_public: bool
    grf_pledge_id: str
    supporter_id: int | None
    supporter_name: str = Field(
        description="A GROW commitment's supporter; empty if you may not see the supporter."
    )
    supporter_kind: str = Field(description="private, foundation or individual (GROW only).")
    amount: Decimal | None
    currency: str
    is_illustrative: bool
    created_at: datetime.datetime
    last_update_at: datetime.datetime | None
    next_update_due: datetime.date
    overdue: bool

    @staticmethod
    def resolve_organisation_ids(obj: Commitment) -> list[int]:
        return [o.pk for o in obj.organisations.all()]

    @staticmethod
    def resolve_supporter_name(obj: Commitment, context: Any) -> str:
        # Like the exports: a supporter that is not public is named only to those who see it.
        if obj.supporter_id is None:
            return ""
        user = api_user(context["request"])
        visible = Supporter.objects.visible_to(user).filter(pk=obj.supporter_id).exists()
        return obj.supporter.name if visible and obj.supporter else ""

    @staticmethod
    def resolve_supporter_kind(obj: Commitment) -> str:
        return obj.supporter.kind if obj.supporter_id and obj.supporter else ""

    @staticmethod
    def resolve_next_update_due(obj: Commitment) -> datetime.date:
        return obj.next_update_due()

    @staticmethod
    def resolve_overdue(obj: Commitment) -> bool:
        return obj.is_overdue()


class CommitmentDetailOut(CommitmentOut):
    """A commitment with its progress updates, newest first."""

    updates: list[UpdateOut]

    @staticmethod
    def resolve_updates(obj: Commitment) -> list[CommitmentUpdate]:
        return list(obj.updates.all())


class CommitmentIn(Schema):
    """A new commitment: name your own organisation (administrators and UNHCR: any)."""

    source: CommitmentSource
    organisation_ids: list[int] = Field(
        default_factory=list, description="At least one, unless a GROW supporter is named."
    )
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    target: str = ""
    target_number: int | None = Field(None, ge=0)
    target_unit: TargetUnit | None = None
    deadline: datetime.date | None = None
    status: CommitmentStatus = CommitmentStatus.PLANNING
    forum_id: int | None = None
    cycle_id: int | None = None
    meeting_id: int | None = None
    situation_id: int | None = None
    is_public: bool = True
    grf_pledge_id: str = ""
    supporter_id: int | None = None
    amount: Decimal | None = Field(None, ge=0)
    currency: str = Field("", pattern=r"^([A-Z]{3})?$")


class CommitmentPatch(Schema):
    """Changes to a commitment (the status changes through progress updates)."""

    source: CommitmentSource | None = None
    organisation_ids: list[int] | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    target: str | None = None
    target_number: int | None = Field(None, ge=0)
    target_unit: TargetUnit | None = None
    deadline: datetime.date | None = None
    forum_id: int | None = None
    cycle_id: int | None = None
    meeting_id: int | None = None
    situation_id: int | None = None
    is_public: bool | None = None
    grf_pledge_id: str | None = None
    supporter_id: int | None = None
    amount: Decimal | None = Field(None, ge=0)
    currency: str | None = Field(None, pattern=r"^([A-Z]{3})?$")


class UpdateIn(Schema):
    """A progress update: the commitment takes its status."""

    status: CommitmentStatus
    progress: str = Field(min_length=1)
    progress_number: int | None = Field(None, ge=0)
    date: datetime.date | None = None


class CommitmentFilter(Schema):
    """Filters of the commitment list."""

    q: str | None = None
    source: CommitmentSource | None = None
    status: CommitmentStatus | None = None
    organisation_id: int | None = None
    country: str | None = Field(None, description="ISO alpha-3 code of an organisation's country")
    forum_id: int | None = None
    cycle_id: int | None = None
    situation_id: int | None = None
    supporter_id: int | None = None
    overdue: bool | None = None


_LINKS: tuple[tuple[str, str, type[models.Model]], ...] = (
    ("forum_id", "forum", Forum),
    ("cycle_id", "cycle", ConsultationCycle),
    ("meeting_id", "meeting", Meeting),
    ("situation_id", "situation", PrioritySituation),
    ("supporter_id", "supporter", Supporter),
)


def _fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    for key, field, model in _LINKS:
        if key in data:
            data[field] = resolve(model, user, key, data.pop(key))
    if "organisation_ids" in data:
        data["organisations"] = resolve_many(
            Organisation, user, "organisation_ids", data.pop("organisation_ids") or []
        )
    if "target_unit" in data:
        data["target_unit"] = data["target_unit"] or ""
    return data


@router.get("/commitments", response=list[CommitmentOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_commitments(
    request: HttpRequest, filters: Query[CommitmentFilter]
) -> models.QuerySet[Commitment]:
    """Commitments you may see (anonymous visitors: the public ones), newest first."""
    values: dict[str, Any] = filters.dict()
    for key in ("source", "status"):
        if values.get(key) is not None:
            values[key] = str(values[key].value)
    for key, field, _model in _LINKS:
        values[field] = values.pop(key, None)
    values["organisation"] = values.pop("organisation_id", None)
    if values.get("country"):
        values["country"] = Country.objects.filter(iso3=values["country"].upper()).first() or -1
    qs = (
        Commitment.objects.visible_to(api_user(request))
        .select_related("supporter")
        .prefetch_related("organisations")
    )
    return apply_filters(qs, values)


@router.get("/commitments/{int:pk}", response=CommitmentDetailOut, auth=READ_AUTH)
def get_commitment(request: HttpRequest, pk: int) -> Commitment:
    """One commitment with its progress updates."""
    return services.get_commitment_for_user(pk, api_user(request))


@router.post("/commitments", response={201: CommitmentDetailOut}, auth=WRITE_AUTH)
def create_commitment(request: HttpRequest, payload: CommitmentIn) -> Status[Commitment]:
    """Record a commitment of your organisation."""
    return Status(
        201, services.do_create_commitment(_fields(request, payload), actor=api_actor(request))
    )


@router.patch("/commitments/{int:pk}", response=CommitmentDetailOut, auth=WRITE_AUTH)
def update_commitment(request: HttpRequest, pk: int, payload: CommitmentPatch) -> Commitment:
    """Change a commitment of your organisation."""
    commitment = services.get_commitment_for_user(pk, api_user(request))
    return services.do_update_commitment(
        commitment, _fields(request, payload), actor=api_actor(request)
    )


@router.post("/commitments/{int:pk}/updates", response={201: UpdateOut}, auth=WRITE_AUTH)
def add_update(request: HttpRequest, pk: int, payload: UpdateIn) -> Status[CommitmentUpdate]:
    """Report progress on a commitment of your organisation."""
    commitment = services.get_commitment_for_user(pk, api_user(request))
    data = payload.dict(exclude_unset=True)
    if data.get("date") is None:
        data.pop("date", None)
    return Status(201, services.do_add_progress_update(commitment, data, actor=api_actor(request)))
