"""Business rules of the CRISP training package: modules, language versions,
deliveries, participants' results, and the gains report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from resettle.accounts.models import User
from resettle.capacity import access, gains
from resettle.capacity.models import (
    ModuleVersion,
    ParticipantResult,
    TrainingDelivery,
    TrainingModule,
)
from resettle.core.access import get_visible, require
from resettle.core.audit import save_with_audit

# ---- reads -------------------------------------------------------------------


def get_module_for_user(pk: int | str, user: Any) -> TrainingModule:
    """A training module (the catalogue is public; 404 when absent)."""
    return get_visible(TrainingModule, user, pk=pk)


def get_version_for_user(pk: int | str, user: Any) -> ModuleVersion:
    """A language version of a module (public; 404 when absent)."""
    return get_visible(ModuleVersion, user, pk=pk)


def get_delivery_for_user(pk: int | str, user: Any) -> TrainingDelivery:
    """A delivery (signed-in users; 404 otherwise)."""
    return get_visible(TrainingDelivery, user, pk=pk)


@dataclass(frozen=True)
class GainRow:
    """One module's line of the gains report."""

    module: TrainingModule
    deliveries: int
    participants: int
    mean_gain: float | None
    mean_feedback: float | None


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def gains_report(deliveries: QuerySet[TrainingDelivery] | None = None) -> list[GainRow]:
    """Gains by module over the given deliveries (all of them by default), in
    catalogue order; modules never delivered are left out."""
    base = deliveries if deliveries is not None else TrainingDelivery.objects.all()
    qs = base.select_related("module").prefetch_related("results")
    plain = [
        gains.DeliveryScores(
            module_key=str(d.module_id),
            participant_count=d.participant_count,
            pre_mean=_num(d.pre_test_mean),
            post_mean=_num(d.post_test_mean),
            results=[(_num(r.pre_score), _num(r.post_score)) for r in d.results.all()],
            feedback=_num(d.feedback_score),
        )
        for d in qs
    ]
    by_module = gains.gains_by_module(plain)
    modules = TrainingModule.objects.filter(pk__in=[int(k) for k in by_module]).order_by("code")
    return [
        GainRow(
            module=m,
            deliveries=by_module[str(m.pk)].deliveries,
            participants=by_module[str(m.pk)].participants,
            mean_gain=by_module[str(m.pk)].mean_gain,
            mean_feedback=by_module[str(m.pk)].mean_feedback,
        )
        for m in modules
    ]


# ---- rules -------------------------------------------------------------------


def can_manage_training(user: Any) -> bool:
    """CRISP staff (administrators, UNHCR, IOM) keep the catalogue and record deliveries."""
    return access.is_crisp_staff(user)


def can_see_results(user: Any) -> bool:
    """Participants' own results name government officials: CRISP staff only."""
    return access.is_crisp_staff(user)


# ---- writes ------------------------------------------------------------------

_DELIVERY_M2M = ("trainer_organisations", "trainers", "participants")


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in _DELIVERY_M2M}
    m2m = {k: list(v) for k, v in data.items() if k in _DELIVERY_M2M}
    return fields, m2m


@transaction.atomic
def do_create_module(data: Mapping[str, Any], *, actor: User | None) -> TrainingModule:
    """Add a module to the training package."""
    if actor is not None:
        require(can_manage_training(actor), "training module")
    return save_with_audit(TrainingModule(), dict(data), actor=actor)


@transaction.atomic
def do_update_module(
    module: TrainingModule, data: Mapping[str, Any], *, actor: User
) -> TrainingModule:
    """Change a module of the training package."""
    require(can_manage_training(actor), "training module")
    return save_with_audit(module, dict(data), actor=actor)


@transaction.atomic
def do_create_version(data: Mapping[str, Any], *, actor: User | None) -> ModuleVersion:
    """Add a module's version in a language (a link or an uploaded document)."""
    if actor is not None:
        require(can_manage_training(actor), "language version")
    return save_with_audit(ModuleVersion(), dict(data), actor=actor)


@transaction.atomic
def do_update_version(
    version: ModuleVersion, data: Mapping[str, Any], *, actor: User
) -> ModuleVersion:
    """Change a language version."""
    require(can_manage_training(actor), "language version")
    return save_with_audit(version, dict(data), actor=actor)


@transaction.atomic
def do_create_delivery(data: Mapping[str, Any], *, actor: User | None) -> TrainingDelivery:
    """Record a delivery of a module."""
    if actor is not None:
        require(can_manage_training(actor), "training delivery")
    fields, m2m = _split(data)
    fields["created_by"] = actor
    return save_with_audit(TrainingDelivery(), fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_update_delivery(
    delivery: TrainingDelivery, data: Mapping[str, Any], *, actor: User
) -> TrainingDelivery:
    """Change a delivery: its trainers, participants, scores and feedback."""
    require(can_manage_training(actor), "training delivery")
    fields, m2m = _split(data)
    fields.pop("created_by", None)
    return save_with_audit(delivery, fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_add_result(
    delivery: TrainingDelivery, data: Mapping[str, Any], *, actor: User | None
) -> ParticipantResult:
    """Record one participant's pre- and post-test scores."""
    if actor is not None:
        require(can_manage_training(actor), "participant's result")
    fields = {k: v for k, v in data.items() if k in ("person", "label", "pre_score", "post_score")}
    return save_with_audit(ParticipantResult(), {**fields, "delivery": delivery}, actor=actor)
