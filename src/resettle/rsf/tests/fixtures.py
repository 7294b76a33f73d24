"""A small RSF world for the tests: rooms, interpreters, a mission of Germany with cases."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.cases.tests.fixtures import SHARE
from resettle.directory.models import Country
from resettle.rsf import services
from resettle.rsf.models import Interpreter, Mission, MissionCase, Room

LANGS = ["ar", "ar", "fa", "ar", "kmr", "ar", "fa", "so", "ar", "ar", "kmr", "ar"]
PROVINCES = ["Hatay", "Gaziantep", "Istanbul"]


def run_tasks() -> None:
    """Run the queued background tasks, as `resettle worker` would."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        result.claim("test")
        worker.run_task(result)


def make_rsf_world(w: Any = None, *, cases: int = 12, start: datetime.date | None = None) -> Any:
    """Rooms, interpreters, a 3-day mission of Germany (DEU) with `cases` cases (ORM only)."""
    w = w if w is not None else SimpleNamespace()
    deu = Country.objects.get(iso3="DEU")
    tur = Country.objects.get(iso3="TUR")
    start = start or datetime.date(2030, 3, 4)
    w.rooms = [
        Room.objects.create(name="R1", video=True, capacity=10),
        Room.objects.create(name="R2", video=False, capacity=8),
        Room.objects.create(name="R3", video=False, capacity=8),
    ]
    w.arabic = Interpreter.objects.create(name="Test Arabic interpreter", languages=["Arabic"])
    w.farsi = Interpreter.objects.create(name="Test Farsi interpreter", languages=["Farsi", "Dari"])
    w.kurd = Interpreter.objects.create(
        name="Test Kurmanji interpreter", languages=["Kurmanji", "Somali", "Arabic"]
    )
    w.arabic2 = Interpreter.objects.create(name="Test Arabic 2", languages=["Arabic"])
    w.mission = Mission.objects.create(
        name="Test mission of Germany",
        receiving_state=deu,
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        caseworkers=3,
        medical_capacity=6,
    )
    for interp in (w.arabic, w.farsi, w.kurd, w.arabic2):
        services.do_assign_interpreter(w.mission, interp, actor=None)
    w.cases = []
    for i in range(cases):
        case = ResettlementCase.objects.create(
            reference=f"T-RSF-{i + 1:03d}",
            persons=1 + (i * 3) % 6,
            nationality="SYR",
            asylum=tur,
            category="LPN",
            priority="urgent" if i % 5 == 0 else "normal",
            submitted_on=datetime.date(2029, 1, 1),
            languages=[LANGS[i % len(LANGS)]],
            status=CaseStatus.REFERRED,
            referred_state=deu,
            medical_needs=i % 3 == 0,
        )
        w.cases.append(
            services.do_select_case(
                w.mission, case, {"province": PROVINCES[i % len(PROVINCES)], **SHARE}, actor=None
            )
        )
    w.mission_case = MissionCase.objects.get(mission=w.mission, case__reference="T-RSF-001")
    return w
