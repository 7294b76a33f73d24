"""Feeding the participation indicators (participation.py) from the database.

Counts only: the indicators name no person, so registrations are counted for
every meeting the user may see, not only those whose registrations they may read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from resettle.core.access import as_user
from resettle.forums.models import ConsultationCycle, Forum, ForumKind
from resettle.governance import participation as p
from resettle.governance.models import ANSWERED_STATUSES, RagAdvice
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, StakeholderGroup
from resettle.registrations.models import Registration, RegistrationStatus

REFUGEE = StakeholderGroup.REFUGEE


def meeting_data(meetings: Iterable[Meeting]) -> list[p.MeetingData]:
    """Plain data for the indicators of these meetings (a few queries in all)."""
    rows = list(meetings)
    ids = [m.pk for m in rows]
    planning: dict[int, tuple[int, int]] = {
        r["meeting_id"]: (r["refugees"], r["total"])
        for r in PlanningMember.objects.filter(meeting__in=ids)
        .values("meeting_id")
        .annotate(total=Count("pk"), refugees=Count("pk", filter=Q(stakeholder_group=REFUGEE)))
    }
    sessions: dict[int, list[int]] = defaultdict(list)
    for meeting_id, refugees in (
        AgendaSession.objects.filter(meeting__in=ids)
        .annotate(refugees=Count("speakers", filter=Q(speakers__stakeholder_group=REFUGEE)))
        .order_by("meeting_id", "position", "pk")
        .values_list("meeting_id", "refugees")
    ):
        sessions[meeting_id].append(refugees)
    registrations: dict[int, tuple[int, int]] = {
        r["meeting_id"]: (r["total"], r["refugees"])
        for r in Registration.objects.filter(meeting__in=ids, status=RegistrationStatus.APPROVED)
        .values("meeting_id")
        .annotate(total=Count("pk"), refugees=Count("pk", filter=Q(stakeholder_group=REFUGEE)))
    }
    out = []
    for m in rows:
        plan_refugees, plan_total = planning.get(m.pk, (0, 0))
        reg_total, reg_refugees = registrations.get(m.pk, (0, 0))
        out.append(
            p.MeetingData(
                meeting_id=m.pk,
                title=m.title,
                cycle_key=m.cycle_id,
                forum_key=m.forum_id,
                planning_refugees=plan_refugees,
                planning_total=plan_total,
                session_refugee_speakers=tuple(sessions.get(m.pk, [])),
                approved_registrations=reg_total,
                approved_refugee_registrations=reg_refugees,
                reported_participants=m.reported_participants,
                reported_refugee_participants=m.reported_refugee_participants,
            )
        )
    return out


def advice_data(items: Iterable[RagAdvice]) -> list[p.AdviceData]:
    """Plain data for the advice indicators."""
    return [
        p.AdviceData(
            cycle_key=a.cycle_id,
            forum_key=a.target_forum_id,
            answered=a.status in ANSWERED_STATUSES,
        )
        for a in items
    ]


def for_meeting(meeting: Meeting) -> p.MeetingIndicators:
    """The indicators of one meeting."""
    return p.meeting_indicators(meeting_data([meeting])[0])


def for_cycle(cycle: ConsultationCycle, user: Any) -> p.GroupIndicators:
    """The indicators of a cycle: its meetings, and the advice given in it."""
    u = as_user(user)
    meetings = Meeting.objects.visible_to(u).filter(cycle=cycle).order_by("starts_at")
    advice = RagAdvice.objects.visible_to(u).filter(cycle=cycle)
    return p.aggregate(
        cycle.pk, p.meeting_indicators_all(meeting_data(meetings)), advice_data(advice)
    )


def for_forum(forum: Forum, user: Any) -> p.GroupIndicators:
    """The indicators of a forum: all its meetings, and the advice given to it."""
    u = as_user(user)
    meetings = Meeting.objects.visible_to(u).filter(forum=forum).order_by("starts_at")
    advice = RagAdvice.objects.visible_to(u).filter(target_forum=forum)
    return p.aggregate(
        forum.pk, p.meeting_indicators_all(meeting_data(meetings)), advice_data(advice)
    )


@dataclass(frozen=True)
class CycleRow:
    """A cycle and its indicators."""

    cycle: ConsultationCycle
    indicators: p.GroupIndicators


def cycles_of(forum: Forum, user: Any) -> list[CycleRow]:
    """Each cycle of a consultation, oldest first, with its indicators."""
    u = as_user(user)
    cycles = list(forum.cycles.select_related("state").order_by("start_year"))
    meetings = Meeting.objects.visible_to(u).filter(cycle__in=cycles)
    advice = RagAdvice.objects.visible_to(u).filter(cycle__in=cycles)
    groups = p.by_cycle(
        meeting_data(meetings), advice_data(advice), cycle_keys=[c.pk for c in cycles]
    )
    by_key = {g.key: g for g in groups}
    return [CycleRow(c, by_key[c.pk]) for c in cycles]


@dataclass(frozen=True)
class ForumRow:
    """A forum and its indicators."""

    forum: Forum
    indicators: p.GroupIndicators


def forums_of(user: Any) -> list[ForumRow]:
    """Each forum the user may see that has meetings or received advice, with its indicators."""
    u = as_user(user)
    forums = list(Forum.objects.visible_to(u))
    meetings = Meeting.objects.visible_to(u)
    advice = RagAdvice.objects.visible_to(u)
    groups = {
        g.key: g
        for g in p.by_forum(
            meeting_data(meetings), advice_data(advice), forum_keys=[f.pk for f in forums]
        )
    }
    return [
        ForumRow(f, groups[f.pk])
        for f in forums
        if f.pk in groups and (groups[f.pk].meetings or groups[f.pk].advice_given)
    ]


def consultations(user: Any) -> list[Forum]:
    """The consultation forums the user may see."""
    return list(Forum.objects.visible_to(as_user(user)).filter(kind=ForumKind.CONSULTATION))
