"""API of the governance app: Steering Committee recommendations, RAG advice,
refugee participation indicators."""

import datetime
from typing import Annotated, Any

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
from resettle.forums.models import ConsultationCycle, Forum
from resettle.forums.services import get_cycle_for_user, get_forum_for_user
from resettle.governance import participation as p
from resettle.governance import queries, services
from resettle.governance.models import (
    AdviceStatus,
    RagAdvice,
    Recommendation,
    RecommendationEvidence,
    RecommendationMilestone,
    RecommendationStatus,
    RecommendationTopic,
)

router = Router(tags=["governance"])


# ---- recommendations ---------------------------------------------------------


class MilestoneOut(Schema):
    """A milestone of a recommendation."""

    id: int
    title: str
    due_date: datetime.date | None
    done_on: datetime.date | None


class EvidenceOut(Schema):
    """Evidence for a recommendation."""

    id: int
    description: str
    url: str
    added_on: datetime.date


class RecommendationOut(Schema):
    """A recommendation with its milestones and evidence."""

    id: int
    forum_id: int
    topic: str
    title: str
    text: str
    owner_id: int | None
    status: str
    progress: int
    target_date: datetime.date | None
    milestones: list[MilestoneOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_milestones(obj: Recommendation) -> list[RecommendationMilestone]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_evidence(obj: Recommendation) -> list[RecommendationEvidence]:
        return list(obj.evidence.all())


class RecommendationIn(Schema):
    """A new recommendation."""

    forum_id: int
    topic: RecommendationTopic
    title: str = Field(min_length=1, max_length=300)
    text: str = ""
    owner_id: int | None = None
    status: RecommendationStatus = RecommendationStatus.PROPOSED
    progress: int = Field(0, ge=0, le=100)
    target_date: datetime.date | None = None


class RecommendationPatch(Schema):
    """Changes to a recommendation."""

    topic: RecommendationTopic | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    text: str | None = None
    owner_id: int | None = None
    status: RecommendationStatus | None = None
    progress: int | None = Field(None, ge=0, le=100)
    target_date: datetime.date | None = None


class ProgressIn(Schema):
    """Progress of a recommendation, as its owner reports it."""

    progress: int | None = Field(None, ge=0, le=100)
    status: RecommendationStatus | None = None


class MilestoneIn(Schema):
    """A new milestone."""

    title: str = Field(min_length=1, max_length=300)
    due_date: datetime.date | None = None
    done_on: datetime.date | None = None


class MilestonePatch(Schema):
    """Changes to a milestone (give done_on to mark it done)."""

    title: str | None = Field(None, min_length=1, max_length=300)
    due_date: datetime.date | None = None
    done_on: datetime.date | None = None


class EvidenceIn(Schema):
    """New evidence: a description and a link."""

    description: str = Field(min_length=1, max_length=500)
    url: str = ""


class RecommendationFilter(FilterSchema):
    """Filters of the recommendation list."""

    q: Annotated[str | None, FilterLookup(["title__icontains", "text__icontains"])] = None
    forum_id: int | None = None
    topic: RecommendationTopic | None = None
    status: RecommendationStatus | None = None
    owner_id: int | None = None


def _rec_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "forum_id" in data:
        data["forum"] = resolve(Forum, user, "forum_id", data.pop("forum_id"))
    if "owner_id" in data:
        data["owner"] = resolve(Organisation, user, "owner_id", data.pop("owner_id"))
    return data


@router.get("/governance/recommendations", response=list[RecommendationOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_recommendations(
    request: HttpRequest, filters: Query[RecommendationFilter]
) -> models.QuerySet[Recommendation]:
    """Recommendations of the forums you may see."""
    qs = Recommendation.objects.visible_to(api_user(request)).prefetch_related(
        "milestones", "evidence"
    )
    return filters.filter(qs)


@router.get("/governance/recommendations/{int:pk}", response=RecommendationOut, auth=READ_AUTH)
def get_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    """One recommendation with its milestones and evidence."""
    return services.get_recommendation_for_user(pk, api_user(request))


@router.post("/governance/recommendations", response={201: RecommendationOut}, auth=WRITE_AUTH)
def create_recommendation(
    request: HttpRequest, payload: RecommendationIn
) -> Status[Recommendation]:
    """Record a recommendation (editors of the forum, administrators, UNHCR)."""
    return Status(
        201,
        services.do_create_recommendation(_rec_fields(request, payload), actor=api_actor(request)),
    )


@router.patch("/governance/recommendations/{int:pk}", response=RecommendationOut, auth=WRITE_AUTH)
def update_recommendation(
    request: HttpRequest, pk: int, payload: RecommendationPatch
) -> Recommendation:
    """Change a recommendation."""
    rec = services.get_recommendation_for_user(pk, api_user(request))
    return services.do_update_recommendation(
        rec, _rec_fields(request, payload), actor=api_actor(request)
    )


@router.post(
    "/governance/recommendations/{int:pk}/progress", response=RecommendationOut, auth=WRITE_AUTH
)
def report_progress(request: HttpRequest, pk: int, payload: ProgressIn) -> Recommendation:
    """Report progress (also the owner organisation's users)."""
    rec = services.get_recommendation_for_user(pk, api_user(request))
    return services.do_update_recommendation_progress(
        rec, payload.dict(exclude_unset=True), actor=api_actor(request)
    )


@router.post(
    "/governance/recommendations/{int:pk}/milestones",
    response={201: MilestoneOut},
    auth=WRITE_AUTH,
)
def add_milestone(
    request: HttpRequest, pk: int, payload: MilestoneIn
) -> Status[RecommendationMilestone]:
    """Add a milestone to a recommendation."""
    rec = services.get_recommendation_for_user(pk, api_user(request))
    return Status(201, services.do_create_milestone(rec, payload.dict(), actor=api_actor(request)))


@router.patch("/governance/milestones/{int:pk}", response=MilestoneOut, auth=WRITE_AUTH)
def update_milestone(
    request: HttpRequest, pk: int, payload: MilestonePatch
) -> RecommendationMilestone:
    """Change a milestone, or mark it done."""
    milestone = services.get_milestone_for_user(pk, api_user(request))
    return services.do_update_milestone(
        milestone, payload.dict(exclude_unset=True), actor=api_actor(request)
    )


@router.post(
    "/governance/recommendations/{int:pk}/evidence", response={201: EvidenceOut}, auth=WRITE_AUTH
)
def add_evidence(
    request: HttpRequest, pk: int, payload: EvidenceIn
) -> Status[RecommendationEvidence]:
    """Attach evidence to a recommendation."""
    rec = services.get_recommendation_for_user(pk, api_user(request))
    return Status(201, services.do_add_evidence(rec, payload.dict(), actor=api_actor(request)))


# ---- RAG advice --------------------------------------------------------------


class AdviceOut(Schema):
    """An advice item of the Refugee Advisory Group and its answer."""

    id: int
    source_id: int
    target_forum_id: int
    cycle_id: int | None
    addressee: str
    subject: str
    advice: str
    given_on: datetime.date
    answer: str
    answered_on: datetime.date | None
    answered_by_id: int | None
    status: str


class AdviceIn(Schema):
    """New advice of the RAG."""

    source_id: int = Field(description="The Refugee Advisory Group forum")
    target_forum_id: int
    cycle_id: int | None = None
    addressee: str = ""
    subject: str = Field(min_length=1, max_length=300)
    advice: str = Field(min_length=1)
    given_on: datetime.date


class AdvicePatch(Schema):
    """Corrections to open advice."""

    target_forum_id: int | None = None
    cycle_id: int | None = None
    addressee: str | None = None
    subject: str | None = Field(None, min_length=1, max_length=300)
    advice: str | None = Field(None, min_length=1)
    given_on: datetime.date | None = None


class AnswerIn(Schema):
    """The answer to an advice item."""

    answer: str = Field(min_length=1)
    answered_on: datetime.date
    answered_by_id: int | None = None
    status: AdviceStatus = AdviceStatus.ANSWERED


class AdviceFilter(FilterSchema):
    """Filters of the advice list."""

    q: Annotated[str | None, FilterLookup(["subject__icontains", "advice__icontains"])] = None
    status: AdviceStatus | None = None
    target_forum_id: int | None = None
    cycle_id: int | None = None


def _advice_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    for key, model in (
        ("source_id", Forum),
        ("target_forum_id", Forum),
        ("cycle_id", ConsultationCycle),
        ("answered_by_id", Organisation),
    ):
        if key in data:
            data[key.removesuffix("_id")] = resolve(model, user, key, data.pop(key))
    return data


@router.get("/governance/rag-advice", response=list[AdviceOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_advice(request: HttpRequest, filters: Query[AdviceFilter]) -> models.QuerySet[RagAdvice]:
    """The RAG advice you may see, newest first."""
    return filters.filter(RagAdvice.objects.visible_to(api_user(request)))


@router.get("/governance/rag-advice/{int:pk}", response=AdviceOut, auth=READ_AUTH)
def get_advice(request: HttpRequest, pk: int) -> RagAdvice:
    """One advice item."""
    return services.get_advice_for_user(pk, api_user(request))


@router.post("/governance/rag-advice", response={201: AdviceOut}, auth=WRITE_AUTH)
def give_advice(request: HttpRequest, payload: AdviceIn) -> Status[RagAdvice]:
    """Log advice of the RAG (its members and those who run it)."""
    return Status(
        201, services.do_give_advice(_advice_fields(request, payload), actor=api_actor(request))
    )


@router.patch("/governance/rag-advice/{int:pk}", response=AdviceOut, auth=WRITE_AUTH)
def update_advice(request: HttpRequest, pk: int, payload: AdvicePatch) -> RagAdvice:
    """Correct open advice."""
    advice = services.get_advice_for_user(pk, api_user(request))
    return services.do_update_advice(
        advice, _advice_fields(request, payload), actor=api_actor(request)
    )


@router.post("/governance/rag-advice/{int:pk}/answer", response=AdviceOut, auth=WRITE_AUTH)
def answer_advice(request: HttpRequest, pk: int, payload: AnswerIn) -> RagAdvice:
    """Record the answer (editors of the forum it was given to, the cycle's co-chairs)."""
    advice = services.get_advice_for_user(pk, api_user(request))
    return services.do_answer_advice(
        advice, _advice_fields(request, payload), actor=api_actor(request)
    )


# ---- participation indicators ------------------------------------------------


class IndicatorsOut(Schema):
    """Refugee participation indicators of a cycle or forum (shares from 0 to 1)."""

    meetings: int
    refugees_in_planning: int
    sessions: int
    sessions_with_refugee_speaker: int
    share_sessions_with_refugee_speaker: float | None
    participants: int | None
    refugee_participants: int | None
    share_refugee_participants: float | None
    rag_advice_given: int
    rag_advice_answered: int
    share_rag_advice_answered: float | None


def _indicators(g: p.GroupIndicators) -> dict[str, Any]:
    known = g.meetings_with_figures > 0
    return {
        "meetings": g.meetings,
        "refugees_in_planning": g.planning_refugees,
        "sessions": g.sessions,
        "sessions_with_refugee_speaker": g.sessions_with_refugee,
        "share_sessions_with_refugee_speaker": g.session_share,
        "participants": g.participants if known else None,
        "refugee_participants": g.refugee_participants if known else None,
        "share_refugee_participants": g.refugee_share,
        "rag_advice_given": g.advice_given,
        "rag_advice_answered": g.advice_answered,
        "share_rag_advice_answered": g.advice_answered_share,
    }


@router.get("/governance/participation/cycles/{int:pk}", response=IndicatorsOut, auth=READ_AUTH)
def cycle_participation(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Refugee participation in a consultation cycle."""
    user = api_user(request)
    return _indicators(queries.for_cycle(get_cycle_for_user(pk, user), user))


@router.get("/governance/participation/forums/{int:pk}", response=IndicatorsOut, auth=READ_AUTH)
def forum_participation(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Refugee participation in a forum's meetings."""
    user = api_user(request)
    return _indicators(queries.for_forum(get_forum_for_user(pk, user), user))
