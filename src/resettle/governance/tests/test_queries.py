"""Participation indicators fed from the database, and their pages and export."""

from __future__ import annotations

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resettle.governance import queries, services
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker
from resettle.registrations.models import Registration

pytestmark = pytest.mark.django_db


def _meeting(w: SimpleNamespace, title: str, **extra: object) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=30)
    return Meeting.objects.create(
        forum=w.public_forum,
        cycle=w.cycle,
        title=title,
        kind="consultation",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        venue="Geneva",
        **extra,
    )


@pytest.fixture
def meetings(gw: SimpleNamespace) -> SimpleNamespace:
    """Two meetings of the cycle: one with registrations, one with reported figures."""
    m1 = _meeting(gw, "Consultation with registrations", reported_participants=999)
    for group in ("refugee", "state", "ngo"):
        PlanningMember.objects.create(meeting=m1, name=f"Planner {group}", stakeholder_group=group)
    s1 = AgendaSession.objects.create(meeting=m1, title="Opening", position=1)
    s2 = AgendaSession.objects.create(meeting=m1, title="Panel", position=2)
    AgendaSession.objects.create(meeting=m1, title="Closing", position=3)
    SessionSpeaker.objects.create(session=s1, name="A", stakeholder_group="state")
    SessionSpeaker.objects.create(
        session=s2, name="B", stakeholder_group="refugee", role="moderator"
    )
    for i, (group, status) in enumerate(
        [
            ("refugee", "approved"),
            ("refugee", "approved"),
            ("refugee", "pending"),  # not counted: not approved
            ("state", "approved"),
            ("ngo", "approved"),
        ]
    ):
        Registration.objects.create(
            meeting=m1,
            name=f"P{i}",
            email=f"p{i}@example.org",
            stakeholder_group=group,
            status=status,
        )
    m2 = _meeting(
        gw, "Earlier consultation", reported_participants=96, reported_refugee_participants=6
    )
    gw.m1, gw.m2 = m1, m2
    return gw


def test_meeting_indicators(meetings: SimpleNamespace) -> None:
    m1 = queries.for_meeting(meetings.m1)
    assert (m1.planning_refugees, m1.planning_total) == (1, 3)
    assert (m1.sessions_with_refugee, m1.sessions) == (1, 3)
    # Registrations win over the reported figure of 999.
    assert (m1.refugee_participants, m1.participants, m1.source) == (2, 4, "registrations")
    m2 = queries.for_meeting(meetings.m2)
    assert (m2.refugee_participants, m2.participants, m2.source) == (6, 96, "reported")


def test_cycle_indicators(meetings: SimpleNamespace) -> None:
    g = queries.for_cycle(meetings.cycle, meetings.users["state"])
    assert g.meetings == 2
    assert (g.refugee_participants, g.participants) == (8, 100)
    assert g.refugee_share == 0.08
    assert (g.advice_given, g.advice_answered) == (1, 0)
    services.do_answer_advice(
        meetings.advice,
        {"answer": "Yes", "answered_on": meetings.today},
        actor=meetings.users["unhcr"],
    )
    g = queries.for_cycle(meetings.cycle, None)
    assert (g.advice_given, g.advice_answered, g.advice_answered_share) == (1, 1, 1.0)


def test_pages(meetings: SimpleNamespace) -> None:
    client = Client()
    page = client.get(reverse("governance:participation"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<title" in html
    assert 'data-testid="cycle-table"' in html
    assert "8 / 100" in html
    cycle_page = client.get(reverse("governance:participation_cycle", args=[meetings.cycle.pk]))
    assert "Consultation with registrations" in cycle_page.content.decode()
    forum_page = client.get(
        reverse("governance:participation_forum", args=[meetings.public_forum.pk])
    )
    assert forum_page.status_code == 200
    # The meeting page shows the participation section.
    meeting_page = client.get(meetings.m1.get_absolute_url())
    assert 'data-testid="participation-panel"' in meeting_page.content.decode()


def test_csv_export(meetings: SimpleNamespace) -> None:
    response = Client().get(reverse("governance:participation_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    [cycle_row] = [r for r in rows if r["scope"] == "cycle"]
    assert cycle_row["refugee_participants"] == "8"
    assert cycle_row["participants"] == "100"
    assert cycle_row["share_refugee_participants"] == "0.0800"
    assert cycle_row["sessions_with_refugee_speaker"] == "1"
    assert cycle_row["rag_advice_given"] == "1"
    forum_rows = {r["name"]: r for r in rows if r["scope"] == "forum"}
    assert forum_rows[str(meetings.public_forum)]["meetings"] == "2"
