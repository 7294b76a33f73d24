"""Every hard constraint of a schedule, checked from the mission alone (no solver code).

`violations` returns one readable message per broken rule (empty: the
schedule is valid). It recomputes everything from model.py's data so that it
tests the solver rather than repeating it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import pairwise

from resettle.rsf.scheduler.model import Appointment, Mission, Schedule


def _overlap(a: Appointment, b: Appointment) -> bool:
    return a.day == b.day and a.start < b.end and b.start < a.end


def violations(mission: Mission, schedule: Schedule) -> list[str]:
    """The hard constraints the schedule breaks, one message each."""
    out: list[str] = []
    cases = {c.id: c for c in mission.cases}
    rooms = {r.id: r for r in mission.rooms}
    interpreters = {i.id: i for i in mission.interpreters}
    days = {d.index: d for d in mission.days}
    if [d.index for d in mission.days] != list(range(len(mission.days))):
        out.append("mission days must be numbered 0..n-1 in order")
    counts = Counter(a.case_id for a in schedule.appointments)
    out += [f"case {c} is booked {n} times" for c, n in counts.items() if n > 1]
    gap = max(1, mission.medical_gap_days)
    valid: list[Appointment] = []
    for a in schedule.appointments:
        case = cases.get(a.case_id)
        day = days.get(a.day)
        room = rooms.get(a.room)
        if case is None or day is None or room is None:
            out.append(f"{a.case_id}: unknown case, day {a.day} or room {a.room}")
            continue
        valid.append(a)
        if a.length != mission.length(case):
            out.append(f"{a.case_id}: length {a.length}, the rule gives {mission.length(case)}")
        if a.start < 0 or a.end > day.slots:
            out.append(f"{a.case_id}: slots {a.start}-{a.end} outside day {a.day}")
        if room.capacity < case.persons:
            out.append(f"{a.case_id}: room {a.room} seats {room.capacity} < {case.persons}")
        if a.day in room.closed:
            out.append(f"{a.case_id}: room {a.room} is closed on day {a.day}")
        if case.remote and not room.video:
            out.append(f"{a.case_id}: remote interview in room {a.room} without video")
        if case.language:
            it = interpreters.get(a.interpreter or "")
            if it is None:
                out.append(f"{a.case_id}: needs a {case.language} interpreter, has {a.interpreter}")
            else:
                if case.language not in it.languages:
                    out.append(f"{a.case_id}: interpreter {it.id} does not speak {case.language}")
                slots: set[int] = set()
                for s, e in it.windows(day):
                    slots.update(range(s, e))
                if not set(range(a.start, a.end)) <= slots:
                    out.append(f"{a.case_id}: interpreter {it.id} unavailable at day {a.day}")
        elif a.interpreter is not None and a.interpreter not in interpreters:
            out.append(f"{a.case_id}: unknown interpreter {a.interpreter}")
        if not 0 <= a.caseworker < day.caseworkers:
            out.append(
                f"{a.case_id}: caseworker {a.caseworker} of {day.caseworkers} on day {a.day}"
            )
        if case.medical:
            if a.medical_day is None:
                out.append(f"{a.case_id}: needs a medical assessment, has none")
            elif a.medical_day < a.day + gap or a.medical_day not in days:
                out.append(f"{a.case_id}: medical day {a.medical_day} not after interview {a.day}")
        elif a.medical_day is not None:
            out.append(f"{a.case_id}: medical day booked without need")
    for name in ("room", "interpreter", "caseworker"):
        groups: dict[tuple[int, object], list[Appointment]] = defaultdict(list)
        for a in valid:
            res = getattr(a, name)
            if res is not None:
                groups[(a.day, res)].append(a)
        for (day_i, res), items in groups.items():
            items.sort(key=lambda a: a.start)
            for x, y in pairwise(items):
                if _overlap(x, y):
                    out.append(
                        f"{name} {res} double-booked on day {day_i}: {x.case_id}, {y.case_id}"
                    )
    per_day = Counter(a.day for a in valid)
    for d, n in per_day.items():
        cap = days[d].max_interviews
        if cap is not None and n > cap:
            out.append(f"day {d}: {n} interviews > {cap}")
    medical = Counter(a.medical_day for a in valid if a.medical_day is not None)
    for d, n in medical.items():
        if d in days and n > days[d].medical_capacity:
            out.append(f"day {d}: {n} medical assessments > {days[d].medical_capacity}")
    booked = {a.case_id for a in schedule.appointments}
    if booked & set(schedule.unscheduled):
        out.append("cases both booked and unscheduled")
    value = sum(mission.value(cases[a.case_id]) for a in valid)
    if value != schedule.objective:
        out.append(f"objective {schedule.objective} != priority-weighted persons {value}")
    return out
