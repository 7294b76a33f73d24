"""Fixtures of the commitments tests: commitments built with the ORM on the shared world."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from resettle.commitments.models import Commitment
from resettle.directory.models import Organisation

MakeCommitment = Callable[..., Commitment]


def at(day: datetime.date) -> datetime.datetime:
    """Noon on a day, in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def make_commitment(world: SimpleNamespace) -> MakeCommitment:
    """Create a commitment of some organisations (the German NGO by default)."""

    def make(*orgs: Organisation, **fields: Any) -> Commitment:
        values: dict[str, Any] = {"title": "Welcome 100 refugees", "source": "consultation"}
        values.update(fields)
        commitment = Commitment.objects.create(**values)
        commitment.organisations.set(orgs or [world.ngo_org])
        return commitment

    return make
