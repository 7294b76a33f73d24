"""Business rules of governance: Steering Committee recommendations and RAG advice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.forums.models import Forum, ForumKind
from resettle.forums.services import can_edit_cycle, can_edit_forum
from resettle.governance.models import (
    AdviceStatus,
    RagAdvice,
    Recommendation,
    RecommendationEvidence,
    RecommendationMilestone,
)

# ---- reads -------------------------------------------------------------------


def get_recommendation_for_user(pk: int | str, user: Any) -> Recommendation:
    """A recommendation of a forum the user may see (404 otherwise)."""
    return get_visible(Recommendation, user, pk=pk)


def get_milestone_for_user(pk: int | str, user: Any) -> RecommendationMilestone:
    """A milestone of a recommendation the user may see (404 otherwise)."""
    rec_ids = Recommendation.objects.visible_to(user).values("pk")
    try:
        return RecommendationMilestone.objects.select_related("recommendation").get(
            pk=pk, recommendation__in=rec_ids
        )
    except (RecommendationMilestone.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("milestone") from exc


def get_advice_for_user(pk: int | str, user: Any) -> RagAdvice:
    """An advice item the user may see (404 otherwise)."""
    return get_visible(RagAdvice, user, pk=pk)


def steering_committees(user: Any) -> list[Forum]:
    """The Steering Committee forums this user may see."""
    return list(Forum.objects.visible_to(as_user(user)).filter(kind=ForumKind.STEERING_COMMITTEE))


# ---- rules -------------------------------------------------------------------


def can_manage_recommendations(user: User | None, forum: Forum) -> bool:
    """Editors of the forum, administrators and UNHCR staff."""
    if user is None or not user.is_active:
        return False
    if user.is_platform_admin or user.role == Role.UNHCR:
        return True
    return can_edit_forum(user, forum)


def can_update_progress(user: User | None, rec: Recommendation) -> bool:
    """Those who manage the forum's recommendations, and the owner organisation's users."""
    if user is None or not user.is_active:
        return False
    if can_manage_recommendations(user, rec.forum):
        return True
    return rec.owner_id is not None and user.organisation_id == rec.owner_id


def is_advisory_member(user: User | None, forum: Forum) -> bool:
    """Whether the user's organisation or contact holds a current membership of the forum."""
    if user is None or not user.is_active:
        return False
    current = forum.memberships.current()
    if user.organisation_id and current.filter(organisation=user.organisation_id).exists():
        return True
    return bool(user.person_id) and current.filter(person=user.person_id).exists()


def can_give_advice(user: User | None, source: Forum) -> bool:
    """Members of the advisory group and those who run it."""
    if user is None or not user.is_active or source.kind != ForumKind.ADVISORY_GROUP:
        return False
    return can_edit_forum(user, source) or is_advisory_member(user, source)


def advisory_groups_for(user: User | None) -> list[Forum]:
    """The advisory groups on whose behalf this user may give advice."""
    if user is None:
        return []
    groups = Forum.objects.visible_to(user).filter(kind=ForumKind.ADVISORY_GROUP)
    return [g for g in groups if can_give_advice(user, g)]


def can_edit_advice(user: User | None, advice: RagAdvice) -> bool:
    """Those who may give advice for its group may correct it while it is open."""
    return advice.status == AdviceStatus.OPEN and can_give_advice(user, advice.source)


def can_answer_advice(user: User | None, advice: RagAdvice) -> bool:
    """Editors of the forum it was given to, and the co-chairs of its cycle."""
    if user is None or not user.is_active:
        return False
    if can_edit_forum(user, advice.target_forum):
        return True
    return advice.cycle is not None and can_edit_cycle(user, advice.cycle)


# ---- recommendations ---------------------------------------------------------

_PROGRESS_FIELDS = frozenset({"progress", "status"})


@transaction.atomic
def do_create_recommendation(data: Mapping[str, Any], *, actor: User | None) -> Recommendation:
    """Record a recommendation of a forum the actor may manage (actor None: the demo)."""
    forum = data.get("forum")
    if actor is not None:
        require(forum is not None and can_manage_recommendations(actor, forum), "forum")
    return save_with_audit(Recommendation(), data, actor=actor)


@transaction.atomic
def do_update_recommendation(
    rec: Recommendation, data: Mapping[str, Any], *, actor: User
) -> Recommendation:
    """Change a recommendation (all fields for its managers)."""
    require(can_manage_recommendations(actor, rec.forum), "recommendation")
    new_forum = data.get("forum", rec.forum)
    if new_forum is not None and new_forum != rec.forum:
        require(can_manage_recommendations(actor, new_forum), "forum")
    return save_with_audit(rec, data, actor=actor)


@transaction.atomic
def do_update_recommendation_progress(
    rec: Recommendation, data: Mapping[str, Any], *, actor: User
) -> Recommendation:
    """Report progress: percent and status, by managers or the owner organisation's users."""
    require(can_update_progress(actor, rec), "recommendation")
    unknown = set(data) - _PROGRESS_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("Only progress and status can be reported.") for name in unknown}
        )
    return save_with_audit(rec, data, actor=actor)


@transaction.atomic
def do_create_milestone(
    rec: Recommendation, data: Mapping[str, Any], *, actor: User | None
) -> RecommendationMilestone:
    """Add a milestone to a recommendation."""
    if actor is not None:
        require(can_update_progress(actor, rec), "recommendation")
    return save_with_audit(RecommendationMilestone(recommendation=rec), data, actor=actor)


@transaction.atomic
def do_update_milestone(
    milestone: RecommendationMilestone, data: Mapping[str, Any], *, actor: User
) -> RecommendationMilestone:
    """Change a milestone, or mark it done."""
    require(can_update_progress(actor, milestone.recommendation), "recommendation")
    fields = {k: v for k, v in data.items() if k != "recommendation"}
    return save_with_audit(milestone, fields, actor=actor)


@transaction.atomic
def do_delete_milestone(milestone: RecommendationMilestone, *, actor: User) -> None:
    """Remove a milestone recorded in error."""
    require(can_update_progress(actor, milestone.recommendation), "recommendation")
    delete_with_audit(milestone, actor=actor)


@transaction.atomic
def do_add_evidence(
    rec: Recommendation, data: Mapping[str, Any], *, actor: User | None
) -> RecommendationEvidence:
    """Attach evidence (a description and a link) to a recommendation."""
    if actor is not None:
        require(can_update_progress(actor, rec), "recommendation")
    return save_with_audit(RecommendationEvidence(recommendation=rec), data, actor=actor)


# ---- RAG advice --------------------------------------------------------------

_ANSWER_FIELDS = frozenset({"answer", "answered_on", "answered_by", "status"})


@transaction.atomic
def do_give_advice(data: Mapping[str, Any], *, actor: User | None) -> RagAdvice:
    """Log advice of the RAG to a forum (members of the RAG or those who run it)."""
    source = data.get("source")
    if actor is not None:
        require(source is not None and can_give_advice(actor, source), "source")
    fields = {k: v for k, v in data.items() if k not in _ANSWER_FIELDS}
    if actor is None:  # the demo loads answered items in one go
        fields = dict(data)
    return save_with_audit(RagAdvice(), fields, actor=actor)


@transaction.atomic
def do_update_advice(advice: RagAdvice, data: Mapping[str, Any], *, actor: User) -> RagAdvice:
    """Correct advice while it is open (not its answer)."""
    require(can_edit_advice(actor, advice), "advice")
    new_source = data.get("source", advice.source)
    if new_source is not None and new_source != advice.source:
        require(can_give_advice(actor, new_source), "source")
    fields = {k: v for k, v in data.items() if k not in _ANSWER_FIELDS}
    return save_with_audit(advice, fields, actor=actor)


@transaction.atomic
def do_answer_advice(advice: RagAdvice, data: Mapping[str, Any], *, actor: User) -> RagAdvice:
    """Record the answer of the forum (or the co-chairs) and the advice's new status."""
    require(can_answer_advice(actor, advice), "advice")
    unknown = set(data) - _ANSWER_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("Only the answer can be recorded here.") for name in unknown}
        )
    fields = dict(data)
    if fields.get("status", advice.status) == AdviceStatus.OPEN:
        # Writing an answer is answering: an answer left "open" would count as unanswered.
        fields["status"] = AdviceStatus.ANSWERED
    if fields.get("answered_by") is None and actor.organisation is not None:
        fields["answered_by"] = actor.organisation
    return save_with_audit(advice, fields, actor=actor)
