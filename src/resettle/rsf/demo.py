"""Demo of the Resettlement Support Facility (illustrative): rooms, interpreters, one
selection mission of a demo State with ~40 cases, and its computed schedule.

Idempotent: rooms, interpreters and the mission are looked up by name, the
mission's cases by reference; the schedule is computed (synchronously) only
when the mission has none. Cases come from the cases demo (DEMO-...); without
them the mission is created with no cases and no schedule.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from resettle.cases.models import CaseStatus
from resettle.directory.models import Country, Organisation
from resettle.rsf import services
from resettle.rsf.models import Interpreter, Mission, MissionCase, Room, RunStatus

MISSION_NAME = "Illustrative selection mission of Germany (RSF demo)"
CASES = 40
PROVINCES = ["Hatay", "Gaziantep", "Şanlıurfa", "Istanbul", "Ankara"]

ROOMS = [  # name, video, seats
    ("Room 1", True, 10),
    ("Room 2", True, 8),
    ("Room 3", True, 6),
    ("Room 4", False, 10),
    ("Room 5", False, 8),
    ("Room 6", False, 8),
    ("Room 7", False, 6),
    ("Room 8", False, 12),
]

INTERPRETERS = [  # illustrative names
    ("Interpreter A (illustrative)", ["Arabic", "Turkish"]),
    ("Interpreter B (illustrative)", ["Arabic", "English"]),
    ("Interpreter C (illustrative)", ["Arabic", "Kurmanji"]),
    ("Interpreter D (illustrative)", ["Dari", "Farsi"]),
    ("Interpreter E (illustrative)", ["Farsi", "Dari", "Pashto"]),
    ("Interpreter F (illustrative)", ["Pashto", "Urdu"]),
    ("Interpreter G (illustrative)", ["Somali", "English", "Arabic"]),
    ("Interpreter H (illustrative)", ["Kurmanji", "Turkish"]),
    ("Interpreter I (illustrative)", ["Tigrinya", "Amharic", "Arabic"]),
    ("Language service J (illustrative)", ["Rohingya", "Burmese", "Swahili", "French", "Sorani"]),
]


def _start_date() -> datetime.date:
    """The Monday four weeks from today (a mission in the near future)."""
    today = timezone.localdate() + datetime.timedelta(days=28)
    return today - datetime.timedelta(days=today.weekday())


@transaction.atomic
def load_rsf_demo() -> int:
    """Create the missing demo records; return how many were created."""
    created = 0
    for name, video, seats in ROOMS:
        if not Room.objects.filter(name=name).exists():
            services.do_create_room(
                {"name": name, "video": video, "capacity": seats, "is_illustrative": True},
                actor=None,
            )
            created += 1
    interpreters = []
    for name, languages in INTERPRETERS:
        interp = Interpreter.objects.filter(name=name).first()
        if interp is None:
            interp = services.do_create_interpreter(
                {"name": name, "languages": languages, "is_illustrative": True}, actor=None
            )
            created += 1
        interpreters.append(interp)
    germany = Country.objects.filter(iso3="DEU").first()
    if germany is None:
        return created
    mission = Mission.objects.filter(name=MISSION_NAME).first()
    if mission is None:
        start = _start_date()
        mission = services.do_create_mission(
            {
                "name": MISSION_NAME,
                "receiving_state": germany,
                "delegation": Organisation.objects.filter(acronym="BAMF").first(),
                "kind": "selection",
                "mode": "in_person",
                "start_date": start,
                "end_date": start + datetime.timedelta(days=4),
                "caseworkers": 4,
                "medical_capacity": 10,
                "notes": "Illustrative demo mission: invented for the demonstration.",
                "is_illustrative": True,
            },
            actor=None,
        )
        created += 1
    for i, interp in enumerate(interpreters):
        if not mission.interpreters.filter(interpreter=interp).exists():
            days = [] if i % 3 else mission.days()[: 3 + i % 2]  # some work only some days
            services.do_assign_interpreter(mission, interp, days, actor=None)
            created += 1
    if not mission.named_caseworkers.exists():
        # The delegation's interviewers (invented names); one is there three days only.
        for n, name in enumerate(CASEWORKERS):
            days = mission.days()[:3] if n == len(CASEWORKERS) - 1 else []
            services.do_add_caseworker(mission, name, days, actor=None)
            created += 1
    created += _select_cases(mission)
    if mission.cases.exists() and not mission.runs.filter(status=RunStatus.DONE).exists():
        services.do_start_schedule(mission, actor=None, background=False)
        created += 1
    return created


# The terms of sharing the cases not yet referred to Germany with its delegation.
DEMO_SHARE = {"purpose": "selection_mission", "consent": "given", "consent_date": "2025-01-06"}

CASEWORKERS = ("Anna Weber", "Jonas Klein", "Miriam Schulz", "Tobias Richter")


def _select_cases(mission: Mission) -> int:
    """Up to 40 demo cases referred to Germany, or else not yet referred, into the mission."""
    have = MissionCase.objects.filter(mission=mission).count()
    if have >= CASES:
        return 0
    base = services.selectable_cases(mission).filter(
        reference__startswith="DEMO-", interview_possible=True, persons__lte=10
    )
    referred = list(base.filter(status=CaseStatus.REFERRED).order_by("reference"))
    others = list(base.exclude(status=CaseStatus.REFERRED).order_by("reference"))
    created = 0
    for case in (referred + others)[: CASES - have]:
        data = {"province": PROVINCES[hash_index(case.reference)], **DEMO_SHARE}
        services.do_select_case(mission, case, data, actor=None)
        created += 1
    return created


def hash_index(reference: str) -> int:
    """A stable province for a reference (Python's hash() changes between runs)."""
    return sum(ord(ch) for ch in reference) % len(PROVINCES)
