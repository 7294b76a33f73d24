"""The carried-over rule: what a meeting inherits from the earlier meetings of its forum."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from resettle.meetings.models import Meeting
from resettle.records.models import ActionPoint, ActionStatus
from resettle.records.services import carried_action_points

from .conftest import at, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world: SimpleNamespace) -> SimpleNamespace:
    """Three meetings of the public consultation and one of the working group."""
    w = world
    w.m1 = make_meeting(w.public_forum, "2024", at(2024, 6, 10))
    w.m2 = make_meeting(w.public_forum, "2025", at(2025, 6, 10))
    w.m3 = make_meeting(w.public_forum, "2026", at(2026, 6, 10))
    w.wgr = make_meeting(w.members_forum, "WGR 2025", at(2025, 3, 1))
    return w


def _ap(meeting: Meeting, text: str, owner: object, **extra: object) -> ActionPoint:
    return ActionPoint.objects.create(meeting=meeting, text=text, owner=owner, **extra)


def _texts(meeting: Meeting) -> list[str]:
    return [ap.text for ap in carried_action_points(meeting)]


def test_carried_over_rule(three: SimpleNamespace) -> None:
    w = three
    org = w.ngo_org
    done = ActionStatus.DONE
    _ap(w.m1, "open", org)
    _ap(w.m1, "in progress", org, status=ActionStatus.IN_PROGRESS)
    # Closed between the first and second meetings: carried to neither later meeting.
    _ap(w.m1, "closed before", org, status=done, closed_on=datetime.date(2025, 1, 15))
    # Closed at the second meeting: carried to it (shown as done there), not to the third.
    _ap(
        w.m1,
        "closed at m2",
        org,
        status=done,
        closed_on=datetime.date(2025, 6, 10),
        closed_at_meeting=w.m2,
    )
    # Closed on the day the second meeting starts, no meeting given: still carried to it.
    _ap(
        w.m1,
        "closed on the day",
        org,
        status=ActionStatus.DROPPED,
        closed_on=datetime.date(2025, 6, 10),
    )
    # Closed at the third meeting: open throughout the second.
    _ap(
        w.m1,
        "closed at m3",
        org,
        status=done,
        closed_on=datetime.date(2026, 6, 10),
        closed_at_meeting=w.m3,
    )
    # Agreed at the second meeting: carried to the third only.
    _ap(w.m2, "from m2", org)
    # Another forum's action point is never carried.
    _ap(w.wgr, "other forum", org)

    assert _texts(w.m1) == []
    assert sorted(_texts(w.m2)) == sorted(
        ["open", "in progress", "closed at m2", "closed on the day", "closed at m3"]
    )
    assert sorted(_texts(w.m3)) == sorted(["open", "in progress", "closed at m3", "from m2"])


def test_a_meeting_does_not_carry_its_own(three: SimpleNamespace) -> None:
    w = three
    _ap(w.m2, "own", w.ngo_org)
    assert _texts(w.m2) == []
    assert _texts(w.m3) == ["own"]
