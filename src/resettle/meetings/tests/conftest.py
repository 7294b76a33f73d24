"""Fixtures of the meetings tests: meetings in the shared fixture world (see conftest.py)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from resettle.meetings.models import AgendaSession, Meeting

GENEVA = ZoneInfo("Europe/Zurich")


def geneva(*args: int) -> datetime.datetime:
    """A time in Geneva."""
    return datetime.datetime(*args, tzinfo=GENEVA)  # type: ignore[misc]


@pytest.fixture
def meeting(world: SimpleNamespace) -> Meeting:
    """A public consultation meeting in this year's cycle (two days in Geneva)."""
    year = world.today.year
    return Meeting.objects.create(
        forum=world.public_forum,
        cycle=world.cycle,
        title=f"CRCP {year}",
        kind="consultation",
        starts_at=geneva(year, 6, 16, 9),
        ends_at=geneva(year, 6, 17, 18),
        time_zone="Europe/Zurich",
        format="hybrid",
        venue="Palais des Nations, Geneva",
        online_url="https://example.org/live",
        working_languages="en, ar, fr",
    )


@pytest.fixture
def hidden_meeting(world: SimpleNamespace) -> Meeting:
    """A meeting of the members-only working group."""
    year = world.today.year
    return Meeting.objects.create(
        forum=world.members_forum,
        title="WGR online",
        kind="wgr",
        starts_at=geneva(year, 2, 10, 13),
        ends_at=geneva(year, 2, 10, 16),
        time_zone="Europe/Zurich",
        format="online",
        online_url="https://example.org/wgr",
    )


@pytest.fixture
def sessions(meeting: Meeting) -> list[AgendaSession]:
    """Three sessions on the first day, in order."""
    year = meeting.starts_at.year
    return [
        AgendaSession.objects.create(
            meeting=meeting,
            title=title,
            position=i,
            starts_at=geneva(year, 6, 16, 9 + 2 * i),
            ends_at=geneva(year, 6, 16, 10 + 2 * i),
        )
        for i, title in enumerate(["Opening", "Needs", "Pathways"])
    ]
