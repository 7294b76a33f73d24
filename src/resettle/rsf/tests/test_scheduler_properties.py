"""Property tests: on small random missions, the scheduler against exhaustive search.

The optimum is found by trying every subset of cases, most valuable first,
and searching every placement (day, room, start, interpreter, medical day)
of the subset; the scheduler's objective must not exceed it, the bound must
not be below it, and the schedule must be valid.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resettle.rsf.scheduler.check import violations
from resettle.rsf.scheduler.greedy import greedy
from resettle.rsf.scheduler.index import Board, CaseInfo, Index
from resettle.rsf.scheduler.model import (
    Appointment,
    Availability,
    Case,
    Day,
    Interpreter,
    InterviewRule,
    Mission,
    Priority,
    Room,
)
from resettle.rsf.scheduler.solve import schedule

LANGS = ("Arabic", "Dari")


@st.composite
def missions(draw: st.DrawFn) -> Mission:
    n_days = draw(st.integers(1, 2))
    slots = draw(st.integers(4, 7))
    days = tuple(
        Day(
            index=d,
            date=dt.date(2026, 3, 2) + dt.timedelta(days=d),
            slots=slots,
            caseworkers=draw(st.integers(1, 2)),
            medical_capacity=draw(st.integers(0, 1)) if d else 0,
        )
        for d in range(n_days)
    )
    rooms = tuple(
        Room(
            f"R{r}",
            video=draw(st.booleans()),
            capacity=draw(st.sampled_from([4, 8])),
            # Now and then a room is closed on one of the days.
            closed=frozenset(draw(st.sets(st.integers(0, n_days - 1), max_size=1))),
        )
        for r in range(draw(st.integers(1, 2)))
    )
    interpreters = []
    for i in range(draw(st.integers(1, 2))):
        langs = draw(st.sets(st.sampled_from(LANGS), min_size=1))
        whole = draw(st.booleans())
        available = None
        if not whole:
            start = draw(st.integers(0, 2))
            available = tuple(Availability(d, start, None) for d in range(n_days))
        interpreters.append(Interpreter(f"I{i}", frozenset(langs), available))
    cases = []
    for c in range(draw(st.integers(1, 4))):
        persons = draw(st.integers(1, 7))
        cases.append(
            Case(
                id=f"C{c}",
                persons=persons,
                adults=draw(st.integers(1, min(2, persons))),
                language=draw(st.sampled_from(LANGS)),
                priority=draw(st.sampled_from(list(Priority))),
                province=draw(st.sampled_from(["Hatay", "Van"])),
                remote=draw(st.booleans()),
                medical=draw(st.booleans()),
            )
        )
    return Mission(
        id="prop",
        days=days,
        rooms=rooms,
        interpreters=tuple(interpreters),
        cases=tuple(cases),
        interview=InterviewRule(base_minutes=15, per_adult_minutes=15),
    )


def _placements(ix: Index, board: Board, ci: CaseInfo) -> list[Appointment]:
    m = ix.mission
    out = []
    for d in ci.days:
        medical_days: list[int | None] = [None]
        if ci.case.medical:
            medical_days = [
                e for e in range(d + 1, ix.n_days) if board.medical[e] < m.days[e].medical_capacity
            ]
        for r in ci.rooms:
            for s in range(m.days[d].slots - ci.length + 1):
                for i in ci.interpreters:
                    if not board.fits(ci, d, r, s, i):
                        continue
                    for e in medical_days:
                        out.append(
                            Appointment(
                                ci.case.id,
                                d,
                                m.rooms[r].id,
                                s,
                                ci.length,
                                m.interpreters[i].id,
                                0,
                                e,
                            )
                        )
    return out


def _feasible(ix: Index, board: Board, rest: list[CaseInfo]) -> bool:
    if not rest:
        return True
    for a in _placements(ix, board, rest[0]):
        board.book(a)
        ok = _feasible(ix, board, rest[1:])
        board.unbook(a.case_id)
        if ok:
            return True
    return False


def optimum(mission: Mission) -> int:
    """The best objective of any valid schedule, by exhaustive search."""
    ix = Index(mission)
    subsets = [combo for k in range(len(ix.cases) + 1) for combo in combinations(ix.cases, k)]
    subsets.sort(key=lambda s: -sum(ci.value for ci in s))
    for subset in subsets:
        if _feasible(ix, Board(ix), list(subset)):
            return sum(ci.value for ci in subset)
    return 0  # pragma: no cover - the empty subset is always feasible


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(missions())
def test_scheduler_against_exhaustive_search(mission: Mission) -> None:
    best = optimum(mission)
    result = schedule(mission, time_limit=1)
    assert violations(mission, result) == []
    assert result.objective <= best
    assert result.bound >= best - 1e-6
    # The gap the scheduler reports covers its distance to the optimum.
    assert best - result.objective <= result.bound - result.objective + 1e-6
    base = greedy(mission)
    assert violations(mission, base) == []
    assert base.objective <= best
