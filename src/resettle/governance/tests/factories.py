"""Governance objects on top of the shared test world (conftest.py's `world`).

Used by this app's tests and by tests/authz/governance.py. The world gains:

- `steering`: a public Steering Committee (two-year mandates) with UNHCR as
  secretariat; the German State's mandate ends in 20 days, the refugee-led
  organisation's in a year, the Canadian NGO's ended last year;
- `rag`: the Refugee Advisory Group under the public consultation; the
  refugee-led organisation is a member, no one chairs it;
- `recommendation`: a Steering Committee recommendation owned by the German NGO,
  with a milestone (`milestone`);
- `advice`: open advice of the RAG to the public consultation, in its cycle;
- `members_advice`: advice to the members-only working group.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from resettle.forums.models import Forum, ForumAccess, ForumKind, Membership, MembershipRole
from resettle.governance.models import (
    RagAdvice,
    Recommendation,
    RecommendationMilestone,
    RecommendationStatus,
    RecommendationTopic,
)


def add_governance(w: SimpleNamespace) -> SimpleNamespace:
    """Add the governance objects to the world (see the module docstring)."""
    today: datetime.date = w.today
    days = datetime.timedelta
    w.steering = Forum.objects.create(
        name="Steering Committee of the Consultations",
        kind=ForumKind.STEERING_COMMITTEE,
        parent=w.public_forum,
        access=ForumAccess.PUBLIC,
        mandate_years=2,
    )
    w.steering.secretariat.add(w.unhcr_org)
    r = MembershipRole
    w.sc_ending = Membership.objects.create(
        forum=w.steering,
        organisation=w.state_org,
        role=r.MEMBER,
        start_date=today - days(700),
        end_date=today + days(20),
    )
    w.sc_later = Membership.objects.create(
        forum=w.steering,
        organisation=w.refugee_org,
        role=r.REFUGEE_REPRESENTATIVE,
        start_date=today - days(300),
        end_date=today + days(400),
    )
    w.sc_past = Membership.objects.create(
        forum=w.steering,
        organisation=w.other_org,
        role=r.MEMBER,
        start_date=today - days(1100),
        end_date=today - days(370),
    )
    w.rag = Forum.objects.create(
        name="Refugee Advisory Group",
        acronym="RAG",
        kind=ForumKind.ADVISORY_GROUP,
        parent=w.public_forum,
        access=ForumAccess.PUBLIC,
    )
    Membership.objects.create(
        forum=w.rag,
        organisation=w.refugee_org,
        role=r.REFUGEE_REPRESENTATIVE,
        start_date=today - days(100),
    )
    w.recommendation = Recommendation.objects.create(
        forum=w.steering,
        topic=RecommendationTopic.PARTICIPATION,
        title="Refugee co-facilitators in every session",
        owner=w.ngo_org,
        status=RecommendationStatus.IN_PROGRESS,
        progress=40,
        target_date=today + days(200),
    )
    w.milestone = RecommendationMilestone.objects.create(
        recommendation=w.recommendation, title="Guidance note", due_date=today + days(30)
    )
    w.advice = RagAdvice.objects.create(
        source=w.rag,
        target_forum=w.public_forum,
        cycle=w.cycle,
        addressee="the co-chairs",
        subject="Interpretation into Arabic",
        advice="Provide interpretation into Arabic in every plenary session.",
        given_on=today - days(10),
    )
    w.members_advice = RagAdvice.objects.create(
        source=w.rag,
        target_forum=w.members_forum,
        subject="Refugee seats in the working group",
        advice="Two seats for refugee representatives.",
        given_on=today - days(5),
    )
    return w
