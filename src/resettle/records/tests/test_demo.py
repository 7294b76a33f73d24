"""The records demo: idempotent, every status, items carried to the 2026 consultation."""

from __future__ import annotations

import datetime

import pytest

from resettle.directory.models import Organisation, OrganisationKind
from resettle.forums.models import Forum, ForumKind
from resettle.meetings.models import Meeting
from resettle.records.demo import load_records_demo
from resettle.records.models import ActionPoint, Decision, Minutes
from resettle.records.services import carried_action_points

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def demo_meetings() -> dict[str, Meeting]:
    """The few demo rows the loader looks up: two forums, organisations, meetings."""
    for acronym in ("UNHCR", "BAMF", "NRV", "ICMC", "IOM", "EUAA"):
        Organisation.objects.create(
            name=f"{acronym} demo", acronym=acronym, kind=OrganisationKind.NGO
        )
    Organisation.objects.create(name="Accem", kind=OrganisationKind.NGO)
    crcp = Forum.objects.create(name="CRCP", acronym="CRCP", kind=ForumKind.CONSULTATION)
    wgr = Forum.objects.create(name="WGR", acronym="WGR", kind=ForumKind.WORKING_GROUP)
    return {
        "c2025": make_meeting(crcp, "CRCP 2025", at(2025, 6, 16)),
        "c2026": make_meeting(crcp, "CRCP 2026", at(2026, 6, 15)),
        "w1": make_meeting(wgr, "WGR February", at(2026, 2, 10)),
        "w2": make_meeting(wgr, "WGR October", at(2026, 10, 5)),
    }


def test_loader_is_idempotent_and_covers_every_status(demo_meetings: dict[str, Meeting]) -> None:
    created = load_records_demo(today=TODAY)
    assert created > 10
    counts = (Decision.objects.count(), Minutes.objects.count(), ActionPoint.objects.count())
    assert load_records_demo(today=TODAY) == 0
    assert (
        Decision.objects.count(),
        Minutes.objects.count(),
        ActionPoint.objects.count(),
    ) == counts

    c2025, c2026 = demo_meetings["c2025"], demo_meetings["c2026"]
    assert list(c2025.decisions.values_list("number", flat=True)) == [1, 2, 3]
    assert Minutes.objects.filter(meeting=c2025).exists()
    assert {ap.status for ap in ActionPoint.objects.all()} == {
        "open",
        "in_progress",
        "done",
        "dropped",
    }
    assert ActionPoint.objects.values("owner").distinct().count() >= 5
    carried = carried_action_points(c2026)
    assert carried.filter(status="open").count() >= 2
    assert ActionPoint.objects.overdue(TODAY).count() >= 2
    # The WGR item closed at the next WGR meeting says so.
    closed = ActionPoint.objects.get(meeting=demo_meetings["w1"], status="done")
    assert closed.closed_at_meeting == demo_meetings["w2"]
    assert all("llustrative" in ap.notes for ap in ActionPoint.objects.all())


def test_loader_skips_without_meetings() -> None:
    assert load_records_demo(today=TODAY) == 0
