"""The demo meetings: consultations 2018-2025, a full CRCP 2026, WGR and PSCG meetings."""

from __future__ import annotations

import pytest

from resettle.core.models import AuditEntry
from resettle.demo.services import do_load_demo
from resettle.meetings.demo import load_meetings_demo
from resettle.meetings.models import Meeting, PlanningMember, SessionSpeaker


@pytest.fixture
def base_demo(db: None) -> int:
    """The whole demo; how many meeting records it created."""
    return do_load_demo().meetings


def test_demo_meetings_load_once(base_demo: int) -> None:
    assert base_demo > 0
    entries = AuditEntry.objects.count()
    assert load_meetings_demo() == 0
    assert AuditEntry.objects.count() == entries

    consultations = Meeting.objects.filter(kind="consultation", forum__acronym="CRCP")
    historic = {m.title: m for m in consultations.exclude(title="CRCP 2026")}
    assert {"ATCR 2018", "ATCR 2022", "ATCR 2023", "CRCP 2024", "CRCP 2025"} <= set(historic)
    assert historic["ATCR 2018"].reported_refugee_participants == 4
    assert historic["ATCR 2022"].reported_refugee_participants > 36
    assert historic["ATCR 2018"].cycle is not None
    assert historic["ATCR 2018"].cycle.government_cochair.acronym == "BAMF"
    figures = [
        m.reported_refugee_participants
        for m in sorted(historic.values(), key=lambda m: m.starts_at)
    ]
    assert figures == sorted(figures)  # growing
    assert all(m.time_zone == "Europe/Zurich" and "Palais" in m.venue for m in historic.values())
    assert all(m.starts_at.month == 6 for m in historic.values())

    crcp = consultations.get(title="CRCP 2026")
    assert crcp.format == "hybrid" and crcp.language_list == ["en", "ar", "fr"]
    sessions = list(crcp.sessions.all())
    assert len(sessions) == 8
    assert len({s.starts_at.date() for s in sessions if s.starts_at}) == 2
    with_refugee = [s for s in sessions if s.speakers.filter(stakeholder_group="refugee").exists()]
    assert len(with_refugee) >= 6
    groups = set(
        SessionSpeaker.objects.filter(session__meeting=crcp).values_list(
            "stakeholder_group", flat=True
        )
    )
    assert {"state", "ngo", "unhcr", "iom", "private_sector", "academia", "refugee"} <= groups
    assert SessionSpeaker.objects.filter(session__meeting=crcp, role="moderator").count() == 8
    assert PlanningMember.objects.filter(meeting=crcp, stakeholder_group="refugee").count() >= 2
    # Demo contacts are linked where the forums demo made them.
    assert SessionSpeaker.objects.filter(session__meeting=crcp, person__isnull=False).exists()

    assert Meeting.objects.filter(forum__acronym="WGR", kind="wgr").count() == 3
    assert Meeting.objects.filter(forum__acronym="WGR").exclude(format="in_person").count() == 3
    assert Meeting.objects.filter(forum__acronym="PSCG", kind="pscg").count() == 1


def test_demo_without_forums_creates_nothing(db: None) -> None:
    assert load_meetings_demo() == 0
    assert not Meeting.objects.exists()
