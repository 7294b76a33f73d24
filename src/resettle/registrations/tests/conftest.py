"""Fixtures of the registrations tests: meetings open for registration in the fixture world.

The meetings are not in a consultation cycle, so their organisers are exactly
the administrator, UNHCR (secretariat) and the State that chairs the public
forum; the NGO, refugee, RSF and "other" users take part as participants.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from resettle.meetings.models import Meeting


def make_meeting(forum: Any, **fields: Any) -> Meeting:
    """A meeting a month ahead, registration open, two seats, organisers approve."""
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    values: dict[str, Any] = {
        "forum": forum,
        "title": "Consultation on resettlement",
        "kind": "consultation",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "time_zone": "Europe/Zurich",
        "format": "in_person",
        "venue": "Palais des Nations, Geneva",
        "working_languages": "en, ar, fr",
        "registration_open": True,
        "capacity": 2,
        "requires_approval": True,
    }
    values.update(fields)
    return Meeting.objects.create(**values)


@pytest.fixture
def meeting(world: SimpleNamespace) -> Meeting:
    """The public consultation's meeting: open, two seats, needs approval."""
    return make_meeting(world.public_forum)


@pytest.fixture
def hidden_meeting(world: SimpleNamespace) -> Meeting:
    """A meeting of the members-only working group (the refugee user cannot see it)."""
    return make_meeting(world.members_forum, title="WGR meeting", kind="wgr", capacity=None)
