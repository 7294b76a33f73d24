"""The handover pack for a cycle's incoming co-chairs, from records, governance and commitments.

Each section lists only what the reader may see (each model's visible_to).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from resettle.commitments.models import CLOSED_STATUSES, Commitment
from resettle.core.access import as_user
from resettle.forums.models import ConsultationCycle, Forum, ForumKind
from resettle.governance.models import Recommendation
from resettle.records.models import ActionPoint, Decision


@dataclass(frozen=True)
class HandoverPack:
    """The four sections of the pack."""

    decisions: QuerySet[Decision]
    action_points: QuerySet[ActionPoint]
    recommendations: QuerySet[Recommendation]
    commitments: QuerySet[Commitment]
    period: tuple[datetime.date, datetime.date]


def forum_family(forum: Forum) -> list[int]:
    """The consultation and the forums under it (WGR, RAG, Steering Committee...)."""
    ids = [forum.pk]
    frontier = [forum.pk]
    while frontier:
        frontier = list(Forum.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]  # guards a loop stored in error
        ids.extend(frontier)
    return ids


def build(cycle: ConsultationCycle, previous: ConsultationCycle | None, user: Any) -> HandoverPack:
    """The pack for `cycle`, whose predecessor is `previous` (None for the first cycle)."""
    u = as_user(user)
    family = forum_family(cycle.forum)
    decisions = (
        Decision.objects.visible_to(u)
        .filter(meeting__cycle=previous)
        .select_related("meeting")
        .order_by("meeting__starts_at", "number")
        if previous is not None
        else Decision.objects.none()
    )
    action_points = (
        ActionPoint.objects.visible_to(u)
        .still_open()
        .filter(meeting__forum__in=family)
        .select_related("meeting", "owner")
        .order_by("due_date", "pk")
    )
    recommendations = (
        Recommendation.objects.visible_to(u)
        .open()
        .filter(forum__kind=ForumKind.STEERING_COMMITTEE)
        .select_related("forum", "owner")
        .order_by("target_date", "pk")
    )
    start = datetime.date(cycle.start_year, 1, 1)
    end = datetime.date(cycle.end_year, 12, 31)
    commitments = (
        Commitment.objects.visible_to(u)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(deadline__gte=start, deadline__lte=end)
        .filter(Q(forum__in=family) | Q(forum__isnull=True))
        .prefetch_related("organisations")
        .order_by("deadline", "pk")
    )
    return HandoverPack(
        decisions=decisions,
        action_points=action_points,
        recommendations=recommendations,
        commitments=commitments,
        period=(start, end),
    )
