"""The greedy first-fit baselines the benchmark compares the scheduler with.

First fit, as a facility books by hand: cases in the mission's order (the
order they were referred, `order="referral"`, the benchmark's `greedy`), or
emergency and urgent cases first and then in that order (`order="priority"`,
the benchmark's `greedy_priority`, a stronger baseline). Each case goes to the
first day, then the first room, then the earliest start and the first
interpreter where it fits, and its medical assessment (if any) to the first
later day with capacity. A case whose medical day cannot be found is left out
(a later interview day would only leave fewer medical days).
"""

from __future__ import annotations

import time

from resettle.rsf.scheduler.index import Board, Index, assign_caseworkers, trips_and_days
from resettle.rsf.scheduler.model import Appointment, Mission, Schedule

ORDERS = ("referral", "priority")


def greedy(mission: Mission, *, bound: float = 0.0, order: str = "priority") -> Schedule:
    """Schedule the mission first-fit; `bound` (if known) is copied into the result.

    `order` is "priority" (emergency and urgent cases first) or "referral"
    (the mission's order of cases alone).
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}")
    started = time.perf_counter()
    ix = Index(mission)
    board = Board(ix)
    if order == "priority":
        cases = sorted(ix.cases, key=lambda ci: (ci.case.priority, ci.pos))
    else:
        cases = list(ix.cases)
    for ci in cases:
        for day in ci.days:
            medical_day = board.medical_day(day) if ci.case.medical else None
            if ci.case.medical and medical_day is None:
                break
            spot = board.find(ci, day)
            if spot is None:
                continue
            room, start, interp = spot
            board.book(
                Appointment(
                    case_id=ci.case.id,
                    day=day,
                    room=mission.rooms[room].id,
                    start=start,
                    length=ci.length,
                    interpreter=None if interp is None else mission.interpreters[interp].id,
                    caseworker=0,
                    medical_day=medical_day,
                )
            )
            break
    appointments = tuple(
        sorted(
            assign_caseworkers(list(board.booked.values())), key=lambda a: (a.day, a.start, a.room)
        )
    )
    trips, days_used = trips_and_days(mission, appointments)
    return Schedule(
        mission_id=mission.id,
        appointments=appointments,
        unscheduled=tuple(c.id for c in mission.cases if c.id not in board.booked),
        objective=sum(ix.by_id[a.case_id].value for a in appointments),
        bound=bound,
        days_used=days_used,
        trips=trips,
        method="greedy" if order == "referral" else "greedy_priority",
        status="heuristic",
        seconds=time.perf_counter() - started,
    )
