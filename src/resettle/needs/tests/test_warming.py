"""After an import, the worker warms the gap: the first visitor reads no figures."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from resettle.needs import gap_queries as q
from resettle.needs import services
from resettle.needs.models import FlowFigure
from resettle.needs.tests.test_loader import run_tasks
from resettle.needs.warming import warm_gap

pytestmark = pytest.mark.django_db

FLOWS = (
    "year,origin,asylum,resettlement_state,submitted,departed\n"
    "2023,SYR,LBN,DEU,100,80\n"
    "2024,AFG,IRN,CAN,50,40\n"
)


def test_an_import_enqueues_the_warming_and_the_worker_fills_the_cache() -> None:
    for each in caches.all():
        each.clear()
    result = services.do_import_dataset(
        "departures", FLOWS.encode(), series="warm-flows", source="hand-made", actor=None
    )
    assert DBTaskResult.objects.filter(task_path__endswith="warm_gap_task").count() == 1
    run_tasks()
    # A web process has its own per-process cache; the shared one has the roll-ups.
    caches["local"].clear()
    with CaptureQueriesContext(connection) as ctx:
        view = q.gap_view(q.sources_for(None), 2024)
    assert view.total.departed == 40
    assert not [s for s in ctx.captured_queries if FlowFigure._meta.db_table in s["sql"]]
    assert result.version.is_public


def test_the_same_file_again_enqueues_nothing() -> None:
    services.do_import_dataset(
        "departures", FLOWS.encode(), series="warm-flows", source="hand-made", actor=None
    )
    services.do_import_dataset(
        "departures", FLOWS.encode(), series="warm-flows", source="hand-made", actor=None
    )
    assert DBTaskResult.objects.filter(task_path__endswith="warm_gap_task").count() == 1


def test_a_multi_year_pledge_warms_every_year_it_covers() -> None:
    result = services.do_import_dataset(
        "pledges",
        b"state,year,end_year,persons\nDEU,2024,2026,900\n",
        series="warm-pledges",
        source="hand-made",
        actor=None,
    )
    assert warm_gap(result.version.pk) == 3  # 2024, 2025 and 2026
