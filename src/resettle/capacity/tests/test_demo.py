"""The demo loader: States at each stage with history, assistance in every status,
the training package, GROW; idempotent."""

from __future__ import annotations

import pytest

from resettle.capacity.demo import load_capacity_demo
from resettle.capacity.models import (
    Assessment,
    AssistanceStatus,
    ModuleVersion,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.commitments.models import Commitment, Supporter
from resettle.demo.services import do_load_demo
from resettle.directory.models import StateProfile

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_agrees_with_the_state_profiles() -> None:
    created = do_load_demo().capacity  # the base demo loads capacity building too
    assert created > 0
    assert load_capacity_demo() == 0
    assert set(Assessment.objects.values_list("derived_stage", flat=True)) == {
        "new",
        "emerging",
        "established",
    }
    twice = [c for c in Assessment.objects.values_list("country", flat=True)]
    assert any(twice.count(c) >= 2 for c in twice)  # a history for some States
    assert not Assessment.objects.filter(is_illustrative=False).exists()
    # The demo's scores give the stage the demo's State profiles have.
    latest = {a.country_id: a for a in Assessment.objects.order_by("assessed_on")}
    for country_id, a in latest.items():
        assert StateProfile.objects.get(country=country_id).programme_stage == a.derived_stage
    assert set(TechnicalAssistance.objects.values_list("status", flat=True)) == set(
        AssistanceStatus.values
    )
    assert TrainingModule.objects.count() == 8
    assert ModuleVersion.objects.filter(language="ar").count() == 8
    assert TrainingDelivery.objects.filter(results__isnull=False).exists()
    assert Supporter.objects.count() == 3
    assert Commitment.objects.filter(source="grow", supporter__isnull=False).count() == 4
