"""Governance pages: the Steering Committee, recommendations, RAG advice, planner, handover."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resettle.commitments.models import Commitment
from resettle.directory.models import Organisation, OrganisationKind, StateProfile
from resettle.forums.models import ConsultationCycle
from resettle.governance.models import AdviceStatus, Recommendation
from resettle.meetings.models import Meeting
from resettle.records.models import ActionPoint, Decision

pytestmark = pytest.mark.django_db


def _client(user: object = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_steering_committee_page(gw: SimpleNamespace) -> None:
    html = _client().get(reverse("governance:steering_committee")).content.decode()
    current = html.split('data-testid="current-members"')[1].split("</table>")[0]
    assert "BAMF" in current and "RVG" in current
    assert current.count('data-ending="1"') == 1  # the State's mandate ends in 20 days
    assert 'data-testid="ending-soon"' in html
    assert "Past members (1)" in html and "CCR" in html


def test_recommendation_list_by_topic_with_filters(gw: SimpleNamespace) -> None:
    Recommendation.objects.create(
        forum=gw.steering, topic="format", title="A shorter plenary", status="agreed"
    )
    client = _client()
    html = client.get(reverse("governance:recommendation_list")).content.decode()
    assert html.count('data-testid="topic"') == 2
    assert 'aria-valuenow="40"' in html
    html = client.get(reverse("governance:recommendation_list") + "?topic=format").content.decode()
    assert "A shorter plenary" in html and "Refugee co-facilitators" not in html
    html = client.get(reverse("governance:recommendation_list") + "?status=agreed&q=plenary")
    assert "A shorter plenary" in html.content.decode()


def test_owner_reports_progress_through_the_form(gw: SimpleNamespace) -> None:
    client = _client(gw.users["ngo"])
    url = reverse("governance:recommendation_progress", args=[gw.recommendation.pk])
    bad = client.post(url, {"status": "in_progress", "progress": 140})
    assert bad.status_code == 400
    assert 'data-field="progress"' in bad.content.decode()
    ok = client.post(url, {"status": "in_progress", "progress": 75})
    assert ok.status_code == 302
    gw.recommendation.refresh_from_db()
    assert gw.recommendation.progress == 75
    detail = client.get(gw.recommendation.get_absolute_url()).content.decode()
    assert "Guidance note" in detail and "Report progress" in detail


def test_milestone_and_evidence_forms(gw: SimpleNamespace) -> None:
    client = _client(gw.users["unhcr"])
    rec = gw.recommendation
    r = client.post(reverse("governance:milestone_add", args=[rec.pk]), {"title": "Pilot"})
    assert r.status_code == 302
    r = client.post(
        reverse("governance:milestone_edit", args=[gw.milestone.pk]),
        {"title": "Guidance note", "done_on": gw.today.isoformat()},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("governance:evidence_add", args=[rec.pk]),
        {"description": "Report", "url": "not a link"},
    )
    assert r.status_code == 400
    r = client.post(
        reverse("governance:evidence_add", args=[rec.pk]),
        {"description": "Report", "url": "https://example.org/report"},
    )
    assert r.status_code == 302
    assert rec.milestones.count() == 2 and rec.evidence.count() == 1
    gw.milestone.refresh_from_db()
    assert gw.milestone.is_done


def test_give_and_answer_advice_through_the_forms(gw: SimpleNamespace) -> None:
    refugee = _client(gw.users["refugee"])
    r = refugee.post(
        reverse("governance:rag_advice_add"),
        {
            "source": gw.rag.pk,
            "target_forum": gw.public_forum.pk,
            "cycle": gw.cycle.pk,
            "addressee": "co-chairs",
            "subject": "Travel support",
            "advice": "Fund travel for refugee participants.",
            "given_on": gw.today.isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    advice = gw.rag.advice_given.get(subject="Travel support")
    state = _client(gw.users["state"])
    url = reverse("governance:rag_advice_answer", args=[advice.pk])
    bad = state.post(url, {"answer": "", "status": "answered"})
    assert bad.status_code == 400
    assert 'data-field="answer"' in bad.content.decode()
    r = state.post(
        url,
        {"answer": "Agreed for 2026.", "answered_on": gw.today.isoformat(), "status": "acted_upon"},
    )
    assert r.status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.ACTED_UPON and advice.answered_by == gw.state_org
    html = _client().get(advice.get_absolute_url()).content.decode()
    assert "Agreed for 2026." in html
    listing = _client().get(reverse("governance:rag_advice_list") + "?status=acted_upon")
    assert "Travel support" in listing.content.decode()


def test_rotation_planner(gw: SimpleNamespace) -> None:
    for iso3 in ("DEU", "CAN"):
        StateProfile.objects.create(
            country=getattr(gw, iso3.lower()), programme_stage="established"
        )
    client = _client()
    html = client.get(reverse("governance:rotation_planner")).content.decode()
    proposals = html.split('data-testid="proposals"')[1].split("</table>")[0]
    # Germany chairs this year's cycle: Canada is proposed, with its NGO as candidate.
    assert "Canada" in proposals and "Canadian Council for Refugees" in proposals
    assert "Germany" not in proposals
    html = client.get(reverse("governance:rotation_planner") + "?years=0&count=2").content.decode()
    assert html.count('<th scope="row">') >= 2
    bad = client.get(reverse("governance:rotation_planner") + "?years=-3")
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()


def test_handover_pack(gw: SimpleNamespace) -> None:
    year = gw.today.year
    previous = ConsultationCycle.objects.create(
        forum=gw.public_forum,
        start_year=year - 1,
        end_year=year - 1,
        state=gw.can,
        government_cochair=gw.can_state_org,
        ngo_cochair=gw.other_org,
    )
    start = timezone.now() - datetime.timedelta(days=300)
    meeting = Meeting.objects.create(
        forum=gw.public_forum,
        cycle=previous,
        title="Last year's consultation",
        kind="consultation",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        venue="Geneva",
    )
    Decision.objects.create(
        meeting=meeting,
        number=1,
        text="Adopt the refugee participation strategy",
        decided_at=start.date(),
    )
    ActionPoint.objects.create(meeting=meeting, text="Draft the strategy", owner=gw.ngo_org)
    ActionPoint.objects.create(
        meeting=meeting, text="Already done", owner=gw.ngo_org, status="done", closed_on=gw.today
    )
    due = Commitment.objects.create(
        source="consultation",
        title="Due this year",
        forum=gw.public_forum,
        deadline=datetime.date(year, 11, 30),
        status="in_progress",
    )
    due.organisations.add(gw.state_org)
    Commitment.objects.create(
        source="consultation",
        title="Fulfilled one",
        forum=gw.public_forum,
        deadline=datetime.date(year, 6, 30),
        status="fulfilled",
    )
    Commitment.objects.create(
        source="consultation",
        title="Due later",
        forum=gw.public_forum,
        deadline=datetime.date(year + 3, 6, 30),
    )
    html = _client(gw.users["state"]).get(reverse("governance:handover", args=[gw.cycle.pk]))
    text = html.content.decode()
    assert "Adopt the refugee participation strategy" in text
    assert "Draft the strategy" in text and "Already done" not in text
    assert "Refugee co-facilitators in every session" in text
    assert "Due this year" in text and "Fulfilled one" not in text and "Due later" not in text
    assert Organisation.objects.filter(kind=OrganisationKind.STATE).exists()
