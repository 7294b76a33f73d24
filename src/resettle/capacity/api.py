"""API of capacity building: public stages, assessments, technical assistance,
the training catalogue, deliveries and gains, GROW supporters."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from resettle.capacity import services, services_training
from resettle.capacity.models import (
    Assessment,
    AssessmentStatus,
    AssistanceStatus,
    Dimension,
    ProviderKind,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.commitments.models import Commitment, Supporter
from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
)
from resettle.directory.models import Country, Organisation, Person

router = Router(tags=["capacity"])


# ---- schemas ------------------------------------------------------------------------


class StageOut(Schema):
    """A State's latest derived programme stage (public)."""

    country: str
    assessed_on: datetime.date
    stage: str


class ScoreIO(Schema):
    """The score (0-4) of one dimension, with evidence and a note."""

    score: int | None = Field(None, ge=0, le=4)
    evidence: str = ""
    note: str = ""


class AssessmentOut(Schema):
    """A capacity assessment with its scores by dimension."""

    id: int
    country: str
    assessed_on: datetime.date
    assessor_id: int
    status: str
    summary: str
    derived_stage: str
    is_illustrative: bool
    scores: dict[str, ScoreIO]

    @staticmethod
    def resolve_country(obj: Assessment) -> str:
        return obj.country.iso3

    @staticmethod
    def resolve_scores(obj: Assessment) -> dict[str, dict[str, Any]]:
        return {
            s.dimension: {"score": s.score, "evidence": s.evidence, "note": s.note}
            for s in obj.scores.all()
        }


class AssessmentIn(Schema):
    """A new assessment: the State by ISO alpha-3 code; scores by dimension."""

    country: str = Field(min_length=3, max_length=3)
    assessed_on: datetime.date
    assessor_id: int | None = None
    status: AssessmentStatus = AssessmentStatus.DRAFT
    summary: str = ""
    scores: dict[Dimension, ScoreIO] = {}


class AssessmentPatch(Schema):
    """Changes to an assessment (scores given are replaced, others kept)."""

    assessed_on: datetime.date | None = None
    status: AssessmentStatus | None = None
    summary: str | None = None
    scores: dict[Dimension, ScoreIO] | None = None


class AssistanceOut(Schema):
    """A technical-assistance request."""

    id: int
    country: str
    dimension: str
    title: str
    description: str
    provider_kind: str
    provider_id: int | None
    status: str
    requested_on: datetime.date
    start_date: datetime.date | None
    end_date: datetime.date | None
    outcome: str
    is_illustrative: bool

    @staticmethod
    def resolve_country(obj: TechnicalAssistance) -> str:
        return obj.country.iso3


class AssistanceIn(Schema):
    """A new request (a State's officials: for their own State, status requested)."""

    country: str = Field(min_length=3, max_length=3)
    dimension: Dimension
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    provider_kind: ProviderKind | None = None
    provider_id: int | None = None
    status: AssistanceStatus = AssistanceStatus.REQUESTED
    requested_on: datetime.date | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    outcome: str = ""


class AssistancePatch(Schema):
    """Changes to a request: plan, progress, outcome."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    provider_kind: ProviderKind | None = None
    provider_id: int | None = None
    status: AssistanceStatus | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    outcome: str | None = None


class VersionOut(Schema):
    """A module's version in a language."""

    language: str
    title: str
    link: str
    has_document: bool

    @staticmethod
    def resolve_has_document(obj: Any) -> bool:
        return bool(obj.document)


class ModuleOut(Schema):
    """A module of the training package, with its language versions."""

    id: int
    code: str
    title: str
    description: str
    dimension: str
    duration_hours: Decimal | None
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: TrainingModule) -> list[Any]:
        return list(obj.versions.all())


class DeliveryOut(Schema):
    """A delivery of a module (aggregated scores; participants' results are not exposed)."""

    id: int
    module_id: int
    date: datetime.date
    online: bool
    place: str
    country: str | None
    trainer_organisation_ids: list[int]
    participant_count: int | None
    pre_test_mean: Decimal | None
    post_test_mean: Decimal | None
    feedback_score: Decimal | None
    feedback: str

    @staticmethod
    def resolve_country(obj: TrainingDelivery) -> str | None:
        return obj.country.iso3 if obj.country is not None else None

    @staticmethod
    def resolve_trainer_organisation_ids(obj: TrainingDelivery) -> list[int]:
        return [o.pk for o in obj.trainer_organisations.all()]


class DeliveryIn(Schema):
    """A new delivery."""

    module_id: int
    date: datetime.date
    online: bool = False
    place: str = ""
    country: str | None = Field(None, min_length=3, max_length=3)
    trainer_organisation_ids: list[int] = []
    trainer_ids: list[int] = []
    participant_ids: list[int] = []
    participant_count: int | None = Field(None, ge=0)
    pre_test_mean: Decimal | None = Field(None, ge=0, le=100)
    post_test_mean: Decimal | None = Field(None, ge=0, le=100)
    feedback_score: Decimal | None = Field(None, ge=1, le=5)
    feedback: str = ""


class GainOut(Schema):
    """One module's line of the gains report."""

    module_id: int
    code: str
    deliveries: int
    participants: int
    mean_gain: float | None
    mean_feedback: float | None


class SupporterOut(Schema):
    """A GROW supporter and the ids of its commitments you may see."""

    id: int
    name: str
    kind: str
    organisation_id: int | None
    website: str
    description: str
    commitment_ids: list[int] = []


# ---- helpers -----------------------------------------------------------------------


def _country(user: Any, field: str, iso3: str | None) -> Country | None:
    return resolve(Country, user, field, iso3.upper() if iso3 else None, lookup="iso3")


def _scores(raw: dict[Any, Any] | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for dim, value in (raw or {}).items():
        key = dim.value if isinstance(dim, Dimension) else str(dim)
        out[key] = value if isinstance(value, dict) else value.dict()
    return out


# ---- stages and assessments -------------------------------------------------------------


@router.get("/capacity/stages", response=list[StageOut], auth=READ_AUTH)
def list_stages(request: HttpRequest) -> list[dict[str, Any]]:
    """Each assessed State's latest derived programme stage (public)."""
    return [
        {"country": a.country.iso3, "assessed_on": a.assessed_on, "stage": a.derived_stage}
        for a in sorted(services.latest_stages().values(), key=lambda a: a.country.iso3)
    ]


@router.get("/capacity/assessments", response=list[AssessmentOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_assessments(
    request: HttpRequest, country: str | None = None
) -> models.QuerySet[Assessment]:
    """Assessments you may see (the State concerned, the assessor, UNHCR, IOM, admins)."""
    qs = Assessment.objects.visible_to(api_user(request)).select_related("country")
    if country:
        qs = qs.filter(country__iso3=country.upper())
    return qs.prefetch_related("scores")


@router.get("/capacity/assessments/{int:pk}", response=AssessmentOut, auth=READ_AUTH)
def get_assessment(request: HttpRequest, pk: int) -> Assessment:
    """One assessment with its scores."""
    return services.get_assessment_for_user(pk, api_user(request))


@router.post("/capacity/assessments", response={201: AssessmentOut}, auth=WRITE_AUTH)
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[Assessment]:
    """Record an assessment (CRISP staff); completing it derives the stage."""
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    data["country"] = _country(user, "country", data["country"])
    data["assessor"] = resolve(Organisation, user, "assessor_id", data.pop("assessor_id", None))
    data["scores"] = _scores(data.get("scores"))
    return Status(201, services.do_create_assessment(data, actor=api_actor(request)))


@router.patch("/capacity/assessments/{int:pk}", response=AssessmentOut, auth=WRITE_AUTH)
def update_assessment(request: HttpRequest, pk: int, payload: AssessmentPatch) -> Assessment:
    """Change an assessment and its scores."""
    assessment = services.get_assessment_for_user(pk, api_user(request))
    data = payload.dict(exclude_unset=True)
    if "scores" in data:
        data["scores"] = _scores(data["scores"])
    return services.do_update_assessment(assessment, data, actor=api_actor(request))


# ---- technical assistance ------------------------------------------------------------


@router.get("/capacity/assistance", response=list[AssistanceOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_assistance(
    request: HttpRequest, country: str | None = None, status: AssistanceStatus | None = None
) -> models.QuerySet[TechnicalAssistance]:
    """Technical assistance you may see."""
    qs = TechnicalAssistance.objects.visible_to(api_user(request)).select_related("country")
    if country:
        qs = qs.filter(country__iso3=country.upper())
    if status:
        qs = qs.filter(status=status.value)
    return qs


@router.get("/capacity/assistance/{int:pk}", response=AssistanceOut, auth=READ_AUTH)
def get_assistance(request: HttpRequest, pk: int) -> TechnicalAssistance:
    """One technical-assistance request."""
    return services.get_assistance_for_user(pk, api_user(request))


def _assistance_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    user = api_user(request)
    if "country" in data:
        data["country"] = _country(user, "country", data["country"])
    if "provider_id" in data:
        data["provider"] = resolve(Organisation, user, "provider_id", data.pop("provider_id"))
    if "provider_kind" in data:
        data["provider_kind"] = data["provider_kind"] or ""
    if data.get("requested_on") is None:
        data.pop("requested_on", None)
    return data


@router.post("/capacity/assistance", response={201: AssistanceOut}, auth=WRITE_AUTH)
def create_assistance(request: HttpRequest, payload: AssistanceIn) -> Status[TechnicalAssistance]:
    """Request technical assistance (or record a plan, for UNHCR and IOM)."""
    data = _assistance_fields(request, payload.dict(exclude_unset=True))
    return Status(201, services.do_create_assistance(data, actor=api_actor(request)))


@router.patch("/capacity/assistance/{int:pk}", response=AssistanceOut, auth=WRITE_AUTH)
def update_assistance(
    request: HttpRequest, pk: int, payload: AssistancePatch
) -> TechnicalAssistance:
    """Plan, follow or close a request."""
    ta = services.get_assistance_for_user(pk, api_user(request))
    data = _assistance_fields(request, payload.dict(exclude_unset=True))
    return services.do_update_assistance(ta, data, actor=api_actor(request))


# ---- training ------------------------------------------------------------------------


@router.get("/capacity/training/modules", response=list[ModuleOut], auth=READ_AUTH)
def list_modules(request: HttpRequest) -> models.QuerySet[TrainingModule]:
    """The training package's modules with their language versions (public)."""
    return TrainingModule.objects.visible_to(api_user(request)).prefetch_related("versions")


@router.get("/capacity/training/modules/{int:pk}", response=ModuleOut, auth=READ_AUTH)
def get_module(request: HttpRequest, pk: int) -> TrainingModule:
    """One module."""
    return services_training.get_module_for_user(pk, api_user(request))


@router.get("/capacity/training/deliveries", response=list[DeliveryOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_deliveries(
    request: HttpRequest, module_id: int | None = None
) -> models.QuerySet[TrainingDelivery]:
    """Deliveries (signed-in users; anonymous visitors get an empty list)."""
    qs = TrainingDelivery.objects.visible_to(api_user(request)).select_related("country")
    if module_id:
        qs = qs.filter(module_id=module_id)
    return qs.prefetch_related("trainer_organisations")


@router.get("/capacity/training/deliveries/{int:pk}", response=DeliveryOut, auth=READ_AUTH)
def get_delivery(request: HttpRequest, pk: int) -> TrainingDelivery:
    """One delivery (signed-in users)."""
    return services_training.get_delivery_for_user(pk, api_user(request))


@router.post("/capacity/training/deliveries", response={201: DeliveryOut}, auth=WRITE_AUTH)
def create_delivery(request: HttpRequest, payload: DeliveryIn) -> Status[TrainingDelivery]:
    """Record a delivery (CRISP staff)."""
    user = api_user(request)
    data = payload.dict()
    data["module"] = resolve(TrainingModule, user, "module_id", data.pop("module_id"))
    data["country"] = _country(user, "country", data.pop("country"))
    for key, name, model in (
        ("trainer_organisation_ids", "trainer_organisations", Organisation),
        ("trainer_ids", "trainers", Person),
        ("participant_ids", "participants", Person),
    ):
        data[name] = [resolve(model, user, key, pk) for pk in data.pop(key)]
    return Status(201, services_training.do_create_delivery(data, actor=api_actor(request)))


@router.get("/capacity/training/gains", response=list[GainOut], auth=READ_AUTH)
def list_gains(request: HttpRequest) -> list[dict[str, Any]]:
    """Gains by module over the deliveries you may see."""
    rows = services_training.gains_report(TrainingDelivery.objects.visible_to(api_user(request)))
    return [
        {
            "module_id": r.module.pk,
            "code": r.module.code,
            "deliveries": r.deliveries,
            "participants": r.participants,
            "mean_gain": r.mean_gain,
            "mean_feedback": r.mean_feedback,
        }
        for r in rows
    ]


# ---- GROW -----------------------------------------------------------------------------


@router.get("/capacity/grow/supporters", response=list[SupporterOut], auth=READ_AUTH)
def list_supporters(request: HttpRequest) -> list[dict[str, Any]]:
    """GROW supporters you may see, with the ids of their commitments you may see."""
    user = api_user(request)
    visible = Commitment.objects.visible_to(user).filter(supporter__isnull=False)
    by_supporter: dict[int, list[int]] = {}
    for cid, sid in visible.values_list("pk", "supporter_id"):
        by_supporter.setdefault(sid, []).append(cid)
    return [
        {
            "id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "organisation_id": s.organisation_id,
            "website": s.website,
            "description": s.description,
            "commitment_ids": sorted(by_supporter.get(s.pk, [])),
        }
        for s in Supporter.objects.visible_to(user)
    ]
