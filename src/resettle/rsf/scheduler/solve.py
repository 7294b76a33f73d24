"""`schedule(mission)`: the interview scheduler (decomposed; docs/scheduler.md).

1. Bound: the LP relaxation of the day-level capacities (daylevel.py), solved
   by HiGHS, bounds the priority-weighted persons any schedule can reach.
2. Stage 1 (days): a CP-SAT model chooses each case's interview day (or
   none) against the day-level rows, maximising, lexicographically, the
   priority-weighted persons, then minimising the days used, then the
   transport trips (province, day). It starts from the LP's integral part.
3. Stage 2 (sequence): each day is packed: first a best-fit heuristic; if it
   leaves a case out, a small CP-SAT model of the day (rooms, interpreters
   and their windows, caseworkers as a cumulative resource, one optional
   interval per case) places as much value as it can.
4. Medical days: given the interview days, the medical assessments go to
   days after the interview within the daily capacity (always possible for
   the stage-1 set, see daylevel), preferring days on which the family's
   province travels anyway.
5. Repair and fill: cases stage 2 could not place, then unscheduled cases by
   value per slot, are inserted where they fit (day with a trip from their
   province first), never moving what is placed.

Deterministic: fixed seeds, `num_workers` set, `interleave_search` (CP-SAT's
deterministic parallel mode) and deterministic time limits; the wall-clock
`time_limit` only guards against a slow machine.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from ortools.sat.python import cp_model

from resettle.rsf.scheduler import daylevel, stage1
from resettle.rsf.scheduler.index import (
    Board,
    CaseInfo,
    Index,
    assign_caseworkers,
    runs,
    trips_and_days,
)
from resettle.rsf.scheduler.model import Appointment, Mission, Priority, Schedule
from resettle.rsf.scheduler.stage1 import solver_params

Progress = Callable[[str, float], None]

# Shares of the time limit, as CP-SAT deterministic time (roughly seconds).
STAGE1_SHARE = 0.1
DAY_SHARE = 0.01
# Above this many (case, day) pairs stage 1's CP-SAT model no longer improves
# the clustered start within seconds (measured on the 2,000-case benchmark:
# 38,000 pairs, no improvement in 10 s), so it is skipped.
STAGE1_CP_MAX_VARIABLES = 6000
# Lower-priority cases unbooked at most to place one emergency or urgent case.
MAX_EVICTIONS = 4
# Days with more cases than this are packed by the heuristic alone.
DAY_CP_MAX_CASES = 20


def bound(mission: Mission, index: Index | None = None) -> float:
    """Upper bound on the priority-weighted persons of any schedule of the mission."""
    ix = index or Index(mission)
    value, _ = daylevel.solve_lp(ix, daylevel.build(ix))
    return value


def pack_day(
    ix: Index,
    board: Board,
    day: int,
    cases: list[CaseInfo],
    *,
    seconds: float,
    workers: int,
    seed: int,
) -> list[CaseInfo]:
    """Stage 2: book as many of `cases` on `day` as fit (by value); returns those left out.

    The board may already hold bookings on the day (kept as they are). The
    best-fit heuristic goes first; the day's CP-SAT model runs when it leaves
    a case out and the day is small. (On a full benchmark day of ~40
    interviews the model does not finish in a second and gains about 0.1% of
    the objective over the heuristic, measured; the cases left out go to the
    repair step, which places them, by value, on other days.)
    """
    placed = _heuristic(ix, board, day, cases)
    left = [ci for ci in cases if ci.case.id not in placed]
    if not left or len(cases) > DAY_CP_MAX_CASES:
        _book_all(ix, board, day, placed)
        return left
    solution = _cp_day(ix, board, day, cases, placed, seconds=seconds, workers=workers, seed=seed)
    if solution is not None and _value(ix, solution) >= _value(ix, placed):
        placed = solution
    _book_all(ix, board, day, placed)
    return [ci for ci in cases if ci.case.id not in placed]


Spot = tuple[int, int, int | None]  # room, start, interpreter


def _value(ix: Index, placed: dict[str, Spot]) -> int:
    return sum(ix.by_id[c].value for c in placed)


def _heuristic(ix: Index, board: Board, day: int, cases: list[CaseInfo]) -> dict[str, Spot]:
    """Best fit on a scratch copy of the day, in a few orders; the most valuable packing.

    Orders: longest first; scarcest first (fewest usable rooms, then fewest
    interpreters, then longest); most valuable first. Each is a few
    milliseconds, so trying them all costs nothing next to a CP-SAT model.
    """
    orders = [
        sorted(cases, key=lambda ci: (-ci.length, ci.pos)),
        sorted(
            cases,
            key=lambda ci: (
                len(ci.rooms),
                len(ci.interpreters) if ci.case.language else 99,
                -ci.length,
                ci.pos,
            ),
        ),
        sorted(cases, key=lambda ci: (-ci.value, -ci.length, ci.pos)),
    ]
    best: dict[str, Spot] = {}
    for order in orders:
        scratch = Board(ix)
        for a in board.booked.values():
            if a.day == day:
                scratch.book(a)
        out: dict[str, Spot] = {}
        for ci in order:
            spot = scratch.find(ci, day, best_fit=True)
            if spot is not None:
                out[ci.case.id] = spot
                scratch.book(_appointment(ix, ci, day, spot))
        if len(out) == len(cases):
            return out
        if _value(ix, out) > _value(ix, best):
            best = out
    return best


def _appointment(
    ix: Index, ci: CaseInfo, day: int, spot: Spot, medical: int | None = None
) -> Appointment:
    m = ix.mission
    room, start, interp = spot
    return Appointment(
        case_id=ci.case.id,
        day=day,
        room=m.rooms[room].id,
        start=start,
        length=ci.length,
        interpreter=None if interp is None else m.interpreters[interp].id,
        caseworker=0,
        medical_day=medical,
    )


def _book_all(ix: Index, board: Board, day: int, placed: dict[str, Spot]) -> None:
    for case_id, spot in placed.items():
        board.book(_appointment(ix, ix.by_id[case_id], day, spot))


def _cp_day(
    ix: Index,
    board: Board,
    day: int,
    cases: list[CaseInfo],
    hint: dict[str, Spot],
    *,
    seconds: float,
    workers: int,
    seed: int,
    values: dict[str, int] | None = None,
    keep: dict[str, Spot] | None = None,
) -> dict[str, Spot] | None:
    """The day's CP-SAT model: one optional interval per case, room and interpreter choices.

    Maximises the placed cases' value (`values` overrides the cases' own)
    plus one for every case of `keep` left exactly where it was (rescheduling).
    """
    m = ix.mission
    dd = m.days[day]
    model = cp_model.CpModel()
    room_iv: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    interp_iv: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    cw_iv: list[cp_model.IntervalVar] = []
    # Existing bookings of the day are fixed intervals.
    for a in board.booked.values():
        if a.day != day:
            continue
        iv = model.new_fixed_size_interval_var(a.start, a.length, f"fixed-{a.case_id}")
        room_iv[ix.room_pos[a.room]].append(iv)
        if a.interpreter is not None:
            interp_iv[ix.interp_pos[a.interpreter]].append(iv)
        cw_iv.append(iv)
    present: dict[str, cp_model.IntVar] = {}
    starts: dict[str, cp_model.IntVar] = {}
    room_lit: dict[tuple[str, int], cp_model.IntVar] = {}
    interp_lit: dict[tuple[str, int], cp_model.IntVar] = {}
    for ci in cases:
        cid = ci.case.id
        p = model.new_bool_var(f"p-{cid}")
        s = model.new_int_var(0, dd.slots - ci.length, f"s-{cid}")
        present[cid], starts[cid] = p, s
        cw_iv.append(model.new_optional_fixed_size_interval_var(s, ci.length, p, f"cw-{cid}"))
        lits = []
        for r in ix.rooms_on(ci, day):
            lit = model.new_bool_var(f"r-{cid}-{r}")
            room_lit[(cid, r)] = lit
            lits.append(lit)
            room_iv[r].append(
                model.new_optional_fixed_size_interval_var(s, ci.length, lit, f"ri-{cid}-{r}")
            )
        model.add(sum(lits) == p)
        if ci.case.language:
            ilits = []
            for i in ci.interpreters:
                windows = [(lo, hi) for lo, hi in runs(ix.avail[i][day]) if hi - lo >= ci.length]
                for w, (lo, hi) in enumerate(windows):
                    lit = model.new_bool_var(f"i-{cid}-{i}-{w}")
                    model.add(s >= lo).only_enforce_if(lit)
                    model.add(s <= hi - ci.length).only_enforce_if(lit)
                    interp_lit[(cid, i * 1000 + w)] = lit
                    ilits.append(lit)
                    interp_iv[i].append(
                        model.new_optional_fixed_size_interval_var(
                            s, ci.length, lit, f"ii-{cid}-{i}-{w}"
                        )
                    )
            model.add(sum(ilits) == p)
    for ivs in room_iv.values():
        model.add_no_overlap(ivs)
    for ivs in interp_iv.values():
        model.add_no_overlap(ivs)
    model.add_cumulative(cw_iv, [1] * len(cw_iv), dd.caseworkers)
    if dd.max_interviews is not None:
        already = sum(1 for a in board.booked.values() if a.day == day)
        model.add(sum(present.values()) <= dd.max_interviews - already)
    value_of = values or {ci.case.id: ci.value for ci in cases}
    same_terms = []
    for cid, (kept_room, kept_start, kept_interp) in (keep or {}).items():
        if cid not in present or (cid, kept_room) not in room_lit:
            continue
        same = model.new_bool_var(f"same-{cid}")
        model.add_implication(same, room_lit[(cid, kept_room)])
        model.add(starts[cid] == kept_start).only_enforce_if(same)
        if kept_interp is not None:
            lits = [
                lit
                for (c2, key), lit in interp_lit.items()
                if c2 == cid and key // 1000 == kept_interp
            ]
            if not lits:
                continue
            model.add(sum(lits) == 1).only_enforce_if(same)
        same_terms.append(same)
    model.maximize(sum(value_of[c] * p for c, p in present.items()) + sum(same_terms))
    for cid, p in present.items():
        spot = hint.get(cid)
        model.add_hint(p, spot is not None)
        if spot is not None:
            model.add_hint(starts[cid], spot[1])
    solver = cp_model.CpSolver()
    solver_params(solver, seconds=seconds, workers=workers, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out: dict[str, Spot] = {}
    for ci in cases:
        cid = ci.case.id
        if not solver.boolean_value(present[cid]):
            continue
        room = next(r for r in ix.rooms_on(ci, day) if solver.boolean_value(room_lit[(cid, r)]))
        interp: int | None = None
        if ci.case.language:
            interp = next(
                key // 1000
                for (c2, key), lit in interp_lit.items()
                if c2 == cid and solver.boolean_value(lit)
            )
        out[cid] = (room, solver.value(starts[cid]), interp)
    return out


def assign_medical(ix: Index, board: Board, case_ids: Iterable[str]) -> list[str]:
    """Give the cases' medical assessments days; returns the cases that got none.

    Days are filled in order; each day takes first the families whose
    province travels that day anyway, then those waiting longest. With every
    case's options a suffix of the mission, filling each day as far as
    possible finds days for all whenever that is possible.
    """
    m = ix.mission
    gap = ix.medical_gap()
    waiting = sorted(
        (board.booked[c] for c in case_ids),
        key=lambda a: (a.day, a.case_id),
    )
    trips = {(ix.by_id[a.case_id].case.province, a.day) for a in board.booked.values()}
    trips |= {
        (ix.by_id[a.case_id].case.province, a.medical_day)
        for a in board.booked.values()
        if a.medical_day is not None
    }
    pending = list(waiting)
    for e in range(ix.n_days):
        room = m.days[e].medical_capacity - board.medical[e]
        if room <= 0 or not pending:
            continue
        ready = [a for a in pending if a.day + gap <= e]
        ready.sort(
            key=lambda a: ((ix.by_id[a.case_id].case.province, e) not in trips, a.day, a.case_id)
        )
        for a in ready[:room]:
            board.unbook(a.case_id)
            board.book(_with_medical(a, e))
            trips.add((ix.by_id[a.case_id].case.province, e))
            pending.remove(a)
    return [a.case_id for a in pending]


def _with_medical(a: Appointment, day: int | None) -> Appointment:
    return replace(a, medical_day=day)


def insert(
    ix: Index, board: Board, cases: list[CaseInfo], *, days: Iterable[int] | None = None
) -> list[CaseInfo]:
    """Insert cases where they fit, never moving others; returns those that did not fit.

    Each case tries first the days on which its province already travels.
    A case needing a medical assessment is only inserted with a medical day.
    """
    allowed = set(range(ix.n_days) if days is None else days)
    trips: set[tuple[str, int]] = set()
    for a in board.booked.values():
        p = ix.by_id[a.case_id].case.province
        trips.add((p, a.day))
        if a.medical_day is not None:
            trips.add((p, a.medical_day))
    left = []
    for ci in cases:
        p = ci.case.province
        options = sorted(
            (d for d in ci.days if d in allowed), key=lambda d: ((p, d) not in trips, d)
        )
        done = False
        for d in options:
            medical: int | None = None
            if ci.case.medical:
                medical = board.medical_day(d, trips, p)
                if medical is None:
                    continue
            spot = board.find(ci, d, best_fit=True)
            if spot is None:
                continue
            board.book(_appointment(ix, ci, d, spot, medical))
            trips.add((p, d))
            if medical is not None:
                trips.add((p, medical))
            done = True
            break
        if not done:
            left.append(ci)
    return left


def insert_evicting(ix: Index, board: Board, ci: CaseInfo) -> list[CaseInfo]:
    """Place an emergency or urgent case by unbooking lower-priority ones of a day.

    On each of the case's days (its province's trip days first), the day's
    lower-priority cases are unbooked, least valuable first, until the case
    fits (with a medical day if it needs one), at most MAX_EVICTIONS of them
    and for less value than the case brings. Returns the cases unbooked (to
    offer again elsewhere); the case stays out if no day works.
    """
    m = ix.mission
    p = ci.case.province
    trip_days = {a.day for a in board.booked.values() if ix.by_id[a.case_id].case.province == p}
    for d in sorted(ci.days, key=lambda d: (d not in trip_days, d)):
        candidates = sorted(
            (
                a
                for a in board.booked.values()
                if a.day == d and ix.by_id[a.case_id].case.priority > ci.case.priority
            ),
            key=lambda a: (ix.by_id[a.case_id].value, a.case_id),
        )
        evicted: list[Appointment] = []
        lost = 0
        while True:
            medical = board.medical_day(d) if ci.case.medical else None
            spot = board.find(ci, d, best_fit=True)
            if spot is not None and (medical is not None or not ci.case.medical):
                board.book(_appointment(ix, ci, d, spot, medical))
                return [ix.by_id[a.case_id] for a in evicted]
            if not candidates or len(evicted) >= MAX_EVICTIONS:
                break
            a = candidates.pop(0)
            lost += ix.by_id[a.case_id].value
            if lost >= ci.value:
                break
            evicted.append(board.unbook(a.case_id))
        for a in evicted:
            board.book(a)
    del m
    return []


def finish(
    ix: Index,
    board: Board,
    *,
    bound: float,
    started: float,
    method: str,
    status: str,
    moved: int = 0,
    stats: dict[str, float] | None = None,
) -> Schedule:
    """The Schedule of the board's bookings (caseworkers numbered, counts computed)."""
    m = ix.mission
    appointments = tuple(
        sorted(
            assign_caseworkers(list(board.booked.values())),
            key=lambda a: (a.day, a.start, a.room),
        )
    )
    trips, days_used = trips_and_days(m, appointments)
    return Schedule(
        mission_id=m.id,
        appointments=appointments,
        unscheduled=tuple(c.id for c in m.cases if c.id not in board.booked),
        objective=sum(ix.by_id[a.case_id].value for a in appointments),
        bound=bound,
        days_used=days_used,
        trips=trips,
        method=method,
        status=status,
        seconds=round(time.perf_counter() - started, 3),
        moved=moved,
        stats=stats or {},
    )


def schedule(
    mission: Mission,
    *,
    time_limit: float = 30,
    progress: Progress | None = None,
    workers: int = 2,
    seed: int = 0,
) -> Schedule:
    """Schedule the mission's interviews (module docstring); deterministic for a given input.

    `progress(stage, fraction)` is called as stages start (fraction in [0, 1]),
    for a background task to show. `time_limit` (seconds) sizes the CP-SAT
    budgets; the run normally takes well under it.
    """
    started = time.perf_counter()

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)

    stats: dict[str, float] = {}
    report("bound", 0.0)
    ix = Index(mission)
    dl = daylevel.build(ix)
    upper, x_lp = daylevel.solve_lp(ix, dl)
    stats["bound"] = upper
    stats["bound_seconds"] = round(time.perf_counter() - started, 3)

    report("days", 0.2)
    t = time.perf_counter()
    days_of = stage1.cluster(ix, dl, x_lp)
    if len(dl.xs) <= STAGE1_CP_MAX_VARIABLES:
        # Small missions: CP-SAT improves (often proves) the day assignment.
        days_of = stage1.choose_days(
            ix, dl, days_of, seconds=STAGE1_SHARE * time_limit, workers=workers, seed=seed
        )
    stats["stage1_seconds"] = round(time.perf_counter() - t, 3)
    stats["stage1_value"] = float(sum(ix.cases[c].value for c in days_of))

    report("sequence", 0.5)
    t = time.perf_counter()
    board = Board(ix)
    per_day: dict[int, list[CaseInfo]] = defaultdict(list)
    for c, d in days_of.items():
        per_day[d].append(ix.cases[c])
    dropped: list[CaseInfo] = []
    short_days = 0
    for n, d in enumerate(sorted(per_day)):
        report("sequence", 0.5 + 0.35 * n / max(1, len(per_day)))
        left = pack_day(
            ix, board, d, per_day[d], seconds=DAY_SHARE * time_limit, workers=workers, seed=seed
        )
        short_days += 1 if left else 0
        dropped.extend(left)
    stats["stage2_seconds"] = round(time.perf_counter() - t, 3)
    stats["stage2_dropped"] = float(len(dropped))
    stats["stage2_days_short"] = float(short_days)

    report("repair", 0.85)
    t = time.perf_counter()
    medical = [c for c, a in board.booked.items() if ix.by_id[c].case.medical]
    for case_id in assign_medical(ix, board, medical):
        board.unbook(case_id)  # not expected (stage 1 keeps the medical rows)
        dropped.append(ix.by_id[case_id])
    dropped.sort(key=lambda ci: (ci.case.priority, -ci.value, ci.pos))
    still = insert(ix, board, dropped)
    # Emergency and urgent cases come first: make room for any still out.
    for ci in [ci for ci in still if ci.case.priority < Priority.NORMAL]:
        still.remove(ci)
        still.extend(insert_evicting(ix, board, ci))
    rest = [ci for ci in ix.cases if ci.case.id not in board.booked]
    rest.sort(key=lambda ci: (-ci.value / ci.length, ci.pos))
    insert(ix, board, rest)
    stats["repair_seconds"] = round(time.perf_counter() - t, 3)
    report("done", 1.0)
    return finish(
        ix,
        board,
        bound=upper,
        started=started,
        method="scheduler",
        status="feasible",
        stats=stats,
    )
