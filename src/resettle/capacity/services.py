"""Business rules of capacity building: assessments and technical assistance.

Training is in services_training.py; GROW supporters and their commitments are
commitments of the commitments app (see commitments/services.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.capacity import access, stages
from resettle.capacity.models import (
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    AssistanceStatus,
    Dimension,
    TechnicalAssistance,
)
from resettle.core.access import get_visible, require
from resettle.core.audit import save_with_audit
from resettle.directory import services as directory_services
from resettle.directory.models import Country, StateProfile

# ---- reads -------------------------------------------------------------------


def get_assessment_for_user(pk: int | str, user: Any) -> Assessment:
    """An assessment the user may see (404 otherwise, whether absent or hidden)."""
    return get_visible(Assessment, user, pk=pk)


def get_assistance_for_user(pk: int | str, user: Any) -> TechnicalAssistance:
    """A technical-assistance record the user may see (404 otherwise)."""
    return get_visible(TechnicalAssistance, user, pk=pk)


@dataclass(frozen=True)
class StagePoint:
    """A State's derived stage on an assessment date (public: no scores)."""

    assessed_on: Any
    stage: str
    label: str


def stage_history(country: Country) -> list[StagePoint]:
    """The derived stage of each completed assessment of a State, oldest first.

    Public, like the State profile: it says what stage, not how it was scored.
    """
    rows = Assessment.objects.completed().filter(country=country).order_by("assessed_on", "pk")
    return [StagePoint(a.assessed_on, a.derived_stage, a.get_derived_stage_display()) for a in rows]


def latest_stages() -> dict[int, Assessment]:
    """Each assessed State's latest completed assessment, by country id (public fields only)."""
    latest: dict[int, Assessment] = {}
    for a in Assessment.objects.completed().select_related("country").order_by("assessed_on", "pk"):
        latest[a.country_id] = a
    return latest


# ---- rules -------------------------------------------------------------------


def can_assess(user: Any) -> bool:
    """CRISP staff (administrators, UNHCR, IOM) record assessments."""
    return access.is_crisp_staff(user)


def can_edit_assessment(user: Any, assessment: Assessment) -> bool:
    """CRISP staff, and users of the assessing organisation."""
    u = access.active(user)
    if u is None:
        return False
    return access.is_crisp_staff(u) or (
        u.organisation_id is not None and u.organisation_id == assessment.assessor_id
    )


def can_apply_stage(user: Any, country: Country) -> bool:
    """Who may copy a derived stage into the State profile: its editors (directory rule)."""
    return directory_services.can_edit_state_profile(access.active(user), country)


def can_request_assistance(user: Any, country: Country | None = None) -> bool:
    """CRISP staff for any State; a State's officials for their own State."""
    if access.is_crisp_staff(user):
        return True
    own = access.official_country_id(user)
    return own is not None and (country is None or country.pk == own)


def can_edit_assistance(user: Any, ta: TechnicalAssistance) -> bool:
    """CRISP staff; the provider's users; the State's officials while it is only requested."""
    u = access.active(user)
    if u is None:
        return False
    if access.is_crisp_staff(u):
        return True
    if u.organisation_id is not None and u.organisation_id == ta.provider_id:
        return True
    return (
        ta.status == AssistanceStatus.REQUESTED and access.official_country_id(u) == ta.country_id
    )


# ---- assessments ---------------------------------------------------------------

ScoreData = Mapping[str, Mapping[str, Any]]


def _scores_of(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Split an assessment's fields from its scores ({dimension: {score, evidence, note}})."""
    fields = {k: v for k, v in data.items() if k != "scores"}
    raw: ScoreData = data.get("scores") or {}
    unknown = sorted(set(raw) - set(stages.DIMENSIONS))
    if unknown:
        raise ValidationError({"scores": _("Unknown dimensions: %(names)s") % {"names": unknown}})
    scores = {dim: dict(raw[dim]) for dim in stages.DIMENSIONS if dim in raw}
    return fields, scores


def _check_complete(status: str, merged: Mapping[str, int | None]) -> str:
    """The derived stage of a completed assessment; a ValidationError naming each
    unscored dimension's field when one is missing."""
    if status != AssessmentStatus.COMPLETED:
        return ""
    missing = [d for d in stages.DIMENSIONS if merged.get(d) is None]
    if missing:
        raise ValidationError(
            {
                f"score_{d}": _(
                    "%(dimension)s has no score: score every dimension before completing "
                    "the assessment."
                )
                % {"dimension": Dimension(d).label}
                for d in missing
            }
        )
    return stages.derive_stage(merged)


def _save_scores(
    assessment: Assessment, scores: Mapping[str, Mapping[str, Any]], actor: User | None
) -> None:
    existing = {s.dimension: s for s in assessment.scores.all()}
    for dim, values in scores.items():
        row = existing.get(dim)
        named = {"dimension": Dimension(dim).label}
        if values.get("score") is None:
            if row is not None:
                raise ValidationError(
                    {
                        f"score_{dim}": _(
                            "%(dimension)s: a score once given can be changed but not removed."
                        )
                        % named
                    }
                )
            continue
        fields = {
            "score": values["score"],
            "evidence": values.get("evidence") or "",
            "note": values.get("note") or "",
        }
        try:
            save_with_audit(
                row or AssessmentScore(assessment=assessment, dimension=dim), fields, actor=actor
            )
        except ValidationError as exc:
            # Say which dimension: the model's messages name only the field.
            raise ValidationError(
                {
                    f"score_{dim}": [
                        _("%(dimension)s: %(error)s") % {**named, "error": m} for m in exc.messages
                    ]
                }
            ) from exc


def _sync_profile(assessment: Assessment, actor: User | None) -> None:
    """A completed assessment that is the State's latest sets the profile's stage,
    through the directory's audited service, when the actor may edit the profile.
    (The demo, with no actor, writes the profile the same audited way.)"""
    if assessment.status != AssessmentStatus.COMPLETED or not assessment.derived_stage:
        return
    latest = (
        Assessment.objects.completed()
        .filter(country=assessment.country_id)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if latest is None or latest.pk != assessment.pk:
        return
    profile = StateProfile.objects.filter(country=assessment.country_id).first()
    if profile is not None and profile.programme_stage == assessment.derived_stage:
        return
    if actor is None:
        save_with_audit(
            profile or StateProfile(country=assessment.country),
            {"programme_stage": assessment.derived_stage},
            actor=None,
        )
    elif can_apply_stage(actor, assessment.country):
        directory_services.do_save_state_profile(
            assessment.country, {"programme_stage": assessment.derived_stage}, actor=actor
        )


@transaction.atomic
def do_create_assessment(data: Mapping[str, Any], *, actor: User | None) -> Assessment:
    """Record an assessment with its scores (CRISP staff; actor None: the demo loader).

    A completed assessment needs a score for every dimension; its stage is derived
    by the stage rule, and if it is the State's latest, the State profile takes it.
    """
    if actor is not None:
        require(can_assess(actor), "assessment")
    fields, scores = _scores_of(data)
    if fields.get("assessor") is None and actor is not None and actor.organisation is not None:
        fields["assessor"] = actor.organisation
    status = fields.get("status", AssessmentStatus.DRAFT)
    merged = {d: v.get("score") for d, v in scores.items()}
    fields["derived_stage"] = _check_complete(status, merged)
    fields.setdefault("created_at", timezone.now())
    fields["created_by"] = actor
    assessment = save_with_audit(Assessment(), fields, actor=actor)
    _save_scores(assessment, scores, actor)
    _sync_profile(assessment, actor)
    return assessment


@transaction.atomic
def do_update_assessment(
    assessment: Assessment, data: Mapping[str, Any], *, actor: User
) -> Assessment:
    """Change an assessment and its scores; completing it derives the stage."""
    require(can_edit_assessment(actor, assessment), "assessment")
    fields, scores = _scores_of(data)
    for name in ("created_by", "created_at", "derived_stage"):
        fields.pop(name, None)
    if fields.get("assessor") is None:
        fields.pop("assessor", None)
    merged: dict[str, int | None] = dict(assessment.score_map())
    merged.update({d: v.get("score") for d, v in scores.items() if v.get("score") is not None})
    status = fields.get("status", assessment.status)
    fields["derived_stage"] = _check_complete(status, merged)
    assessment = save_with_audit(assessment, fields, actor=actor)
    _save_scores(assessment, scores, actor)
    _sync_profile(assessment, actor)
    return assessment


@transaction.atomic
def do_apply_stage_to_profile(country: Country, *, actor: User) -> StateProfile:
    """Copy the State's latest derived stage into its profile (for an assessment
    completed by someone, such as IOM staff, who may not edit the profile)."""
    require(can_apply_stage(actor, country), "state profile")
    latest = latest_stages().get(country.pk)
    if latest is None:
        raise ValidationError({"country": _("This State has no completed assessment.")})
    return directory_services.do_save_state_profile(
        country, {"programme_stage": latest.derived_stage}, actor=actor
    )


# ---- technical assistance -------------------------------------------------------


@transaction.atomic
def do_create_assistance(data: Mapping[str, Any], *, actor: User | None) -> TechnicalAssistance:
    """Record a request for technical assistance (a State's officials for their own
    State, as a request; CRISP staff for any State, at any stage)."""
    fields = dict(data)
    if actor is not None:
        country = fields.get("country")
        require(can_request_assistance(actor, country), "technical assistance")
        if not access.is_crisp_staff(actor):
            fields["status"] = AssistanceStatus.REQUESTED
    fields["created_by"] = actor
    return save_with_audit(TechnicalAssistance(), fields, actor=actor)


@transaction.atomic
def do_update_assistance(
    ta: TechnicalAssistance, data: Mapping[str, Any], *, actor: User
) -> TechnicalAssistance:
    """Plan, follow and close technical assistance (see can_edit_assistance).

    A State's officials may change their request while it is only requested, not
    its status nor the State; the provider reports progress and outcome.
    """
    require(can_edit_assistance(actor, ta), "technical assistance")
    fields = dict(data)
    fields.pop("created_by", None)
    if not access.is_crisp_staff(actor):
        if "country" in fields and fields["country"] != ta.country:
            raise ValidationError({"country": _("Only UNHCR or IOM may move a request.")})
        is_provider = actor.organisation_id is not None and actor.organisation_id == ta.provider_id
        if not is_provider and fields.get("status", ta.status) != ta.status:
            raise ValidationError({"status": _("UNHCR, IOM or the provider set the status.")})
    return save_with_audit(ta, fields, actor=actor)
