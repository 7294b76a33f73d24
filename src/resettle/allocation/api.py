"""API of the allocation: pledge lines, runs, scenarios, assignments, explanations.

Everything is under /api/v1/allocation/. Runs and assignments are UNHCR's
working proposals: UNHCR staff and administrators only (404 for the rest).
"""

import datetime
from typing import Annotated, Any

from django.db import models
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from resettle.allocation import explain, results, services
from resettle.allocation.models import (
    AllocationRun,
    AssignmentReason,
    LineModality,
    PledgeLine,
    RunAssignment,
)
from resettle.cases.api import ShareIn
from resettle.cases.services import get_case_for_user
from resettle.core.access import get_visible
from resettle.core.api_support import READ_AUTH, WRITE_AUTH, BoundedPagination, api_actor, api_user
from resettle.directory.models import Country
from resettle.needs.models import Pledge, Priority

router = Router(tags=["allocation"])


# ---- pledge lines ------------------------------------------------------------------


class PreferenceSchema(Schema):
    """A State's weight for cases with an attribute value."""

    attribute: str
    value: str
    weight: float


class LineOut(Schema):
    """A pledge line and its criteria (null criteria accept any value)."""

    id: int
    year: int
    state: str
    label: str
    pledge_id: int | None
    capacity: int
    reserved_urgent: int
    nationalities: list[str] | None
    asylums: list[str] | None
    situations: list[str] | None
    categories: list[str] | None
    priorities: list[str]
    modality: str
    max_serious_medical: int | None
    max_family_size: int | None
    preferences: list[PreferenceSchema]

    @staticmethod
    def resolve_state(obj: PledgeLine) -> str:
        return obj.state.iso3


class LineIn(Schema):
    """A new pledge line."""

    year: int
    state: str = Field(description="ISO alpha-3 code of the State")
    label: str = ""
    pledge_id: int | None = None
    capacity: int = Field(ge=0)
    reserved_urgent: int = Field(0, ge=0)
    nationalities: list[str] | None = None
    asylums: list[str] | None = None
    situations: list[str] | None = None
    categories: list[str] | None = None
    priorities: list[Priority] = list(Priority)
    modality: LineModality = LineModality.INTERVIEW
    max_serious_medical: int | None = None
    max_family_size: int | None = None
    preferences: list[PreferenceSchema] = []


class LinePatch(Schema):
    """Changes to a pledge line."""

    label: str | None = None
    capacity: int | None = Field(None, ge=0)
    reserved_urgent: int | None = Field(None, ge=0)
    nationalities: list[str] | None = None
    asylums: list[str] | None = None
    situations: list[str] | None = None
    categories: list[str] | None = None
    priorities: list[Priority] | None = None
    modality: LineModality | None = None
    max_serious_medical: int | None = None
    max_family_size: int | None = None
    preferences: list[PreferenceSchema] | None = None


class LineFilter(FilterSchema):
    """Filters of the pledge line list."""

    year: int | None = None
    state: Annotated[str | None, FilterLookup("state__iso3")] = None


def _line_fields(payload: Schema) -> dict[str, Any]:
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    data = payload.dict(exclude_unset=True)
    if "state" in data:
        state = Country.objects.filter(iso3=str(data.pop("state")).upper()).first()
        if state is None:
            raise ValidationError({"state": ["No country with this ISO code."]})
        data["state"] = state
    if "pledge_id" in data:
        pledge_id = data.pop("pledge_id")
        data["pledge"] = Pledge.objects.filter(pk=pledge_id).first() if pledge_id else None
        if pledge_id and data["pledge"] is None:
            raise ValidationError({"pledge_id": [f"No pledge with id {pledge_id}."]})
    if "priorities" in data and data["priorities"] is not None:
        data["priorities"] = [str(p) for p in data["priorities"]]
    for key in ("nationalities", "asylums", "categories"):
        if data.get(key) is not None:
            data[key] = [str(v).upper() for v in data[key]]
    return data


@router.get("/allocation/lines", response=list[LineOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_lines(request: HttpRequest, filters: Query[LineFilter]) -> models.QuerySet[PledgeLine]:
    """Pledge lines: all for UNHCR and administrators, a State's own for its officials."""
    return filters.filter(PledgeLine.objects.visible_to(api_user(request)).select_related("state"))


@router.get("/allocation/lines/{int:pk}", response=LineOut, auth=READ_AUTH)
def get_line(request: HttpRequest, pk: int) -> PledgeLine:
    """One pledge line."""
    return services.get_line_for_user(pk, api_user(request))


@router.post("/allocation/lines", response={201: LineOut}, auth=WRITE_AUTH)
def create_line(request: HttpRequest, payload: LineIn) -> Status[PledgeLine]:
    """Record a pledge line (UNHCR and administrators)."""
    actor = api_actor(request)
    services.require_allocator(actor)
    data = _line_fields(payload)
    data.setdefault("priorities", list(Priority.values))
    return Status(201, services.do_create_line(data, actor=actor))


@router.patch("/allocation/lines/{int:pk}", response=LineOut, auth=WRITE_AUTH)
def update_line(request: HttpRequest, pk: int, payload: LinePatch) -> PledgeLine:
    """Change a pledge line."""
    line = services.get_line_for_user(pk, api_user(request))
    return services.do_update_line(line, _line_fields(payload), actor=api_actor(request))


@router.delete("/allocation/lines/{int:pk}", response={204: None}, auth=WRITE_AUTH)
def delete_line(request: HttpRequest, pk: int) -> Status[None]:
    """Remove a pledge line."""
    line = services.get_line_for_user(pk, api_user(request))
    services.do_delete_line(line, actor=api_actor(request))
    return Status(204, None)


# ---- runs ---------------------------------------------------------------------------


class RunOut(Schema):
    """An allocation run (a scenario has a parent)."""

    id: int
    year: int
    name: str
    parent_id: int | None
    changes: list[dict[str, Any]]
    description: str
    status: str
    progress: int
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float | None
    case_count: int
    line_count: int
    created_at: datetime.datetime
    confirmed_at: datetime.datetime | None


class RunIn(Schema):
    """Start a run over the submitted cases and a year's pledge lines."""

    year: int
    name: str = ""


class ScenarioIn(Schema):
    """A scenario of a run: its changes (see docs/allocation.md)."""

    name: str = ""
    changes: list[dict[str, Any]]


class ConfirmOut(Schema):
    """What confirming a run did."""

    run: RunOut
    referred: int


@router.get("/allocation/runs", response=list[RunOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_runs(request: HttpRequest, year: int | None = None) -> models.QuerySet[AllocationRun]:
    """Allocation runs, newest first (UNHCR and administrators)."""
    qs = AllocationRun.objects.visible_to(api_user(request))
    return qs.filter(year=year) if year else qs


@router.get("/allocation/runs/{int:pk}", response=RunOut, auth=READ_AUTH)
def get_run(request: HttpRequest, pk: int) -> AllocationRun:
    """One run, with its progress while it runs."""
    return services.get_run_for_user(pk, api_user(request))


@router.post("/allocation/runs", response={201: RunOut}, auth=WRITE_AUTH)
def start_run(request: HttpRequest, payload: RunIn) -> Status[AllocationRun]:
    """Queue a run (UNHCR and administrators); follow its progress on GET."""
    actor = api_actor(request)
    services.require_allocator(actor)
    return Status(201, services.do_start_run(payload.year, name=payload.name, actor=actor))


@router.post("/allocation/runs/{int:pk}/scenarios", response={201: RunOut}, auth=WRITE_AUTH)
def create_scenario(request: HttpRequest, pk: int, payload: ScenarioIn) -> Status[AllocationRun]:
    """Copy a run's input, apply the changes, and queue the scenario."""
    run = services.get_run_for_user(pk, api_user(request))
    return Status(
        201,
        services.do_create_scenario(
            run, payload.changes, name=payload.name, actor=api_actor(request)
        ),
    )


@router.post("/allocation/runs/{int:pk}/confirm", response=ConfirmOut, auth=WRITE_AUTH)
def confirm_run(request: HttpRequest, pk: int, payload: ShareIn) -> dict[str, Any]:
    """Refer the run's placed cases to their States (UNHCR staff), with the purpose and
    the consent (or the override's reason) of sharing them."""
    run = services.get_run_for_user(pk, api_user(request))
    referred = services.do_confirm_run(run, share=payload.model_dump(), actor=api_actor(request))
    run.refresh_from_db()
    return {"run": run, "referred": referred}


# ---- assignments and explanations -------------------------------------------------------


class AssignmentOut(Schema):
    """Where a run put a case, or why it did not place it."""

    case_id: int
    case: str
    persons: int
    priority: str
    line: str
    state: str | None
    reason: str
    explanation: dict[str, Any]

    @staticmethod
    def resolve_case(obj: RunAssignment) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_persons(obj: RunAssignment) -> int:
        return obj.case.persons

    @staticmethod
    def resolve_priority(obj: RunAssignment) -> str:
        return obj.case.priority

    @staticmethod
    def resolve_line(obj: RunAssignment) -> str:
        return obj.line_key

    @staticmethod
    def resolve_state(obj: RunAssignment) -> str | None:
        return obj.state.iso3 if obj.state else None


class AssignmentFilter(FilterSchema):
    """Filters of a run's assignments."""

    reason: AssignmentReason | None = None
    state: Annotated[str | None, FilterLookup("state__iso3")] = None
    line: Annotated[str | None, FilterLookup("line_key")] = None
    priority: Annotated[Priority | None, FilterLookup("case__priority")] = None


class ExplanationOut(Schema):
    """A case's explanation: the engine's data and the words in three languages."""

    case: str
    reason: str
    line: str
    state: str | None
    explanation: dict[str, Any]
    words: dict[str, dict[str, Any]]


@router.get("/allocation/runs/{int:pk}/assignments", response=list[AssignmentOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_assignments(
    request: HttpRequest, pk: int, filters: Query[AssignmentFilter]
) -> models.QuerySet[RunAssignment]:
    """A run's assignments, one per case."""
    run = services.get_run_for_user(pk, api_user(request))
    qs = run.assignments.select_related("case", "state").order_by("case__reference")
    return filters.filter(qs)


@router.get("/allocation/runs/{int:pk}/cases/{int:case}", response=ExplanationOut, auth=READ_AUTH)
def get_explanation(request: HttpRequest, pk: int, case: int) -> dict[str, Any]:
    """Why the run placed a case where it did, or did not place it."""
    user = api_user(request)
    run = services.get_run_for_user(pk, user)
    case_obj = get_case_for_user(case, user)
    assignment = get_visible(RunAssignment, user, run=run, case=case_obj)
    words = explain.in_languages(assignment, results.line_rows(run))
    return {
        "case": case_obj.reference,
        "reason": assignment.reason,
        "line": assignment.line_key,
        "state": assignment.state.iso3 if assignment.state else None,
        "explanation": assignment.explanation,
        "words": {w.language: {"headline": w.headline, "details": w.details} for w in words},
    }
