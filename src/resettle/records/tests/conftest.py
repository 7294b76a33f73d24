"""Meetings for the records tests, built with the ORM on the shared fixture world.

`first` and `second` are two meetings of the public consultation (organised by
admin, UNHCR and the German State that chairs it); `wgr_meeting` is a meeting
of the members-only working group, between the two.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from resettle.meetings.models import AgendaSession, Meeting, MeetingKind


def make_meeting(forum: object, title: str, start: datetime.datetime) -> Meeting:
    """An online meeting of a forum, two hours long."""
    return Meeting.objects.create(
        forum=forum,
        title=title,
        kind=MeetingKind.CONSULTATION,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="online",
        online_url="https://meet.example.org/x",
        working_languages="en, fr",
    )


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


@pytest.fixture
def rec(world: SimpleNamespace) -> SimpleNamespace:
    """The world, with two consultation meetings a year apart and a WGR meeting."""
    now = timezone.now()
    w = world
    w.first = make_meeting(w.public_forum, "Consultation one", now - datetime.timedelta(days=300))
    w.second = make_meeting(w.public_forum, "Consultation two", now + datetime.timedelta(days=30))
    w.wgr_meeting = make_meeting(w.members_forum, "WGR", now - datetime.timedelta(days=100))
    w.session = AgendaSession.objects.create(meeting=w.first, title="Opening", position=1)
    w.other_session = AgendaSession.objects.create(meeting=w.second, title="Other", position=1)
    return w
