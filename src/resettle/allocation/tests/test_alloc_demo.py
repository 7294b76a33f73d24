"""The demo loaders of cases and allocation: shaped like the PGRN, idempotent."""

from __future__ import annotations

import pytest
from django.db import transaction

from resettle.allocation.demo import SCENARIO_NAME, load_allocation_demo
from resettle.allocation.models import AllocationRun, PledgeLine, RunStatus
from resettle.cases.demo import DEMO_CASES, load_cases_demo
from resettle.cases.models import ResettlementCase
from resettle.needs.demo import load_needs_demo
from resettle.needs.demo_situations import load_demo_situations

pytestmark = pytest.mark.django_db


def test_demo_loads_cases_lines_a_run_and_a_scenario_once() -> None:
    load_needs_demo(None)
    with transaction.atomic():
        load_demo_situations(None)

    cases = load_cases_demo()
    created = load_allocation_demo()

    assert cases == DEMO_CASES == ResettlementCase.objects.filter(is_illustrative=True).count()
    assert ResettlementCase.objects.filter(situation__isnull=False).count() > DEMO_CASES // 4
    lines = PledgeLine.objects.filter(is_illustrative=True)
    assert lines.count() >= 10
    assert lines.filter(situations__isnull=False).exists()
    runs = AllocationRun.objects.all()
    assert created == lines.count() + 2 and runs.count() == 2
    assert all(run.status == RunStatus.DONE for run in runs)
    scenario = runs.get(name=SCENARIO_NAME)
    run = scenario.parent
    assert run is not None and run.is_illustrative and scenario.is_illustrative
    placed = run.assignments.filter(reason="placed").count()
    assert 0 < placed < run.case_count  # capacity is short of demand
    assert scenario.assignments.filter(reason="placed").count() >= placed

    assert load_cases_demo() == 0
    assert load_allocation_demo() == 0
    assert AllocationRun.objects.count() == 2


def test_allocation_demo_without_needs_demo_creates_nothing() -> None:
    assert load_allocation_demo() == 0
