"""`reschedule(mission, previous, events)`: repair a schedule after a no-show or a lost interpreter.

Lexicographic aims, in order: (1) drop as few previously scheduled families
as possible; (2) change as few other appointments as possible (an appointment
is changed when its day, room, start, interpreter or medical day differs);
(3) then the usual objective (priority-weighted persons, trips).

Steps:

- days before `today` are the past: their appointments stay as they were;
- a no-show frees its appointment (and medical day); the family may be
  rebooked on a day after the no-show, where it fits without moving anyone;
- interviews of a lost interpreter on the lost days, and interviews in a room
  closed since (`Room.closed`), are *displaced*. Each is
  first given another interpreter at the same time and room if one is free,
  then any free place on its day, then (when it does not fit) the day is
  re-solved with CP-SAT with everyone of the day kept where they were when
  possible (a bonus for each one left in place), then any other day from
  `today` on;
- the capacity freed is then offered to the cases still unscheduled
  (without moving anyone), as the scheduler's repair step does.

Interpreters lost are removed from the mission for those days
(`apply_events`): check the result against `apply_events(mission, events)`.
"""

from __future__ import annotations

import time
from dataclasses import replace

from resettle.rsf.scheduler.index import Board, CaseInfo, Index
from resettle.rsf.scheduler.model import (
    Appointment,
    Availability,
    Event,
    Interpreter,
    InterpreterLost,
    Mission,
    NoShow,
    Schedule,
)
from resettle.rsf.scheduler.solve import _cp_day, finish, insert
from resettle.rsf.scheduler.solve import bound as upper_bound

# Value of keeping a family scheduled, against 1 for each appointment left in place.
KEEP = 1_000_000


def apply_events(mission: Mission, events: tuple[Event, ...] | list[Event]) -> Mission:
    """The mission with lost interpreters made unavailable on their lost days."""
    lost: dict[str, set[int]] = {}
    for e in events:
        if isinstance(e, InterpreterLost):
            lost.setdefault(e.interpreter_id, set()).update(e.days)
    if not lost:
        return mission
    interpreters = []
    for it in mission.interpreters:
        gone = lost.get(it.id)
        if not gone:
            interpreters.append(it)
            continue
        if it.available is None:
            available = tuple(
                Availability(day=d.index) for d in mission.days if d.index not in gone
            )
        else:
            available = tuple(a for a in it.available if a.day not in gone)
        interpreters.append(Interpreter(id=it.id, languages=it.languages, available=available))
    return replace(mission, interpreters=tuple(interpreters))


def _changed(a: Appointment, b: Appointment | None) -> bool:
    return b is None or (a.day, a.room, a.start, a.interpreter, a.medical_day) != (
        b.day,
        b.room,
        b.start,
        b.interpreter,
        b.medical_day,
    )


def reschedule(
    mission: Mission,
    previous: Schedule,
    events: tuple[Event, ...] | list[Event],
    *,
    today: int | None = None,
    time_limit: float = 10,
    workers: int = 2,
    seed: int = 0,
) -> Schedule:
    """A new schedule close to `previous` after the events (module docstring).

    `today` is the first day that may change (default: the earliest event's
    day). The result's `moved` counts previous appointments (no-shows
    excluded) that were changed or dropped.
    """
    started = time.perf_counter()
    m2 = apply_events(mission, events)
    ix = Index(m2)
    if today is None:
        firsts = [e.day if isinstance(e, NoShow) else min(e.days, default=0) for e in events]
        today = min(firsts, default=0)
    no_show = {e.case_id: e.day for e in events if isinstance(e, NoShow)}
    lost = {(e.interpreter_id, d) for e in events if isinstance(e, InterpreterLost) for d in e.days}
    board = Board(ix)
    displaced: list[Appointment] = []
    for a in previous.appointments:
        if a.case_id in no_show or a.case_id not in ix.by_id:
            continue
        if a.day >= today and (
            (a.interpreter, a.day) in lost or ix.room_pos[a.room] in ix.closed[a.day]
        ):
            # Its interpreter is gone that day, or its room has closed since.
            displaced.append(a)
            continue
        board.book(a)
    old = {a.case_id: a for a in previous.appointments}

    lost_families: list[CaseInfo] = []
    for a in sorted(displaced, key=lambda a: (-ix.by_id[a.case_id].value, a.day, a.start)):
        ci = ix.by_id[a.case_id]
        if _same_place(ix, board, ci, a) or _same_day(ix, board, ci, a):
            continue
        if _resolve_day(ix, board, ci, a, time_limit=time_limit, workers=workers, seed=seed):
            continue
        lost_families.append(ci)
    # Families that could not stay on their day: another day, from today on.
    insert(ix, board, lost_families, days=range(today, ix.n_days))  # the rest are dropped
    # No-shows: rebooked after the day they missed, without moving anyone.
    for case_id, day in sorted(no_show.items()):
        again = ix.by_id.get(case_id)
        if again is not None and case_id not in board.booked:
            insert(ix, board, [again], days=range(max(today, day + 1), ix.n_days))
    # Freed capacity: the cases still waiting, by value per slot.
    waiting = [
        ci for ci in ix.cases if ci.case.id not in board.booked and ci.case.id not in no_show
    ]
    waiting.sort(key=lambda ci: (-ci.value / ci.length, ci.pos))
    insert(ix, board, waiting, days=range(today, ix.n_days))
    moved = sum(
        1
        for case_id, a in old.items()
        if case_id not in no_show and _changed(a, board.booked.get(case_id))
    )
    return finish(
        ix,
        board,
        bound=upper_bound(m2, ix),
        started=started,
        method="reschedule",
        status="feasible",
        moved=moved,
        stats={"displaced": float(len(displaced)), "no_shows": float(len(no_show))},
    )


def _same_place(ix: Index, board: Board, ci: CaseInfo, a: Appointment) -> bool:
    """Another interpreter at the same day, room and start."""
    room = ix.room_pos[a.room]
    order = sorted(ci.interpreters, key=lambda i: (len(ix.mission.interpreters[i].languages), i))
    for i in order:
        if board.fits(ci, a.day, room, a.start, i):
            board.book(replace(a, interpreter=ix.mission.interpreters[i].id))
            return True
    return False


def _same_day(ix: Index, board: Board, ci: CaseInfo, a: Appointment) -> bool:
    """Any free place on the same day (the medical day stays valid: same day)."""
    spot = board.find(ci, a.day, best_fit=True)
    if spot is None:
        return False
    room, start, interp = spot
    board.book(
        replace(
            a,
            room=ix.mission.rooms[room].id,
            start=start,
            interpreter=None if interp is None else ix.mission.interpreters[interp].id,
        )
    )
    return True


def _resolve_day(
    ix: Index,
    board: Board,
    ci: CaseInfo,
    a: Appointment,
    *,
    time_limit: float,
    workers: int,
    seed: int,
) -> bool:
    """Re-solve the day with everyone kept in place when possible; True if the case fits."""
    m = ix.mission
    day = a.day
    others = [b for b in board.booked.values() if b.day == day]
    for b in others:
        board.unbook(b.case_id)
    cases = [ix.by_id[b.case_id] for b in others] + [ci]
    keep = {
        b.case_id: (
            ix.room_pos[b.room],
            b.start,
            None if b.interpreter is None else ix.interp_pos[b.interpreter],
        )
        for b in others
    }
    values = {c.case.id: KEEP for c in cases}
    solution = _cp_day(
        ix,
        board,
        day,
        cases,
        keep,
        seconds=min(5.0, time_limit / 2),
        workers=workers,
        seed=seed,
        values=values,
        keep=keep,
    )
    if solution is None or any(b.case_id not in solution for b in others):
        for b in others:
            board.book(b)
        return False
    by_id = {b.case_id: b for b in others}
    by_id[ci.case.id] = a
    for case_id, (room, start, interp) in solution.items():
        board.book(
            replace(
                by_id[case_id],
                room=m.rooms[room].id,
                start=start,
                interpreter=None if interp is None else m.interpreters[interp].id,
            )
        )
    return ci.case.id in solution
