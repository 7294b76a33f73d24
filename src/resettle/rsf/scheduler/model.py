"""The interview scheduler's plain data: a mission, its cases, and the schedule.

This is the contract between the scheduler and whoever feeds it (the RSF
Django app, the CLI's JSON files, the benchmark's generator). Everything is
immutable and free of Django. Times are in *slots*: a day's working hours are
cut into `Mission.slot_minutes`-minute slots numbered from 0 at `Day.start`;
an interval [start, start + length) covers `length` slots. Days are numbered
0..n-1 in the order of `Mission.days` (their dates need not be consecutive).

Rules the solver keeps (the hard constraints; `check.violations` tests them):

- one block per family: a case's interview is one contiguous interval on one
  day, in one room, with one interpreter (none when `Case.language` is empty)
  and one caseworker;
- the interpreter speaks the case's language and is available for the whole
  interval (`Interpreter.available`);
- no room, interpreter, caseworker or family is booked twice at once;
- the room seats the family (`Room.capacity >= Case.persons`: the whole family
  attends), has video equipment when the interview is remote, and is open on
  the day (not in `Room.closed`);
- at most `Day.caseworkers` interviews run at once (each needs one caseworker)
  and at most `Day.max_interviews` start on the day;
- a case with `medical` has its medical assessment on a *later* mission day
  (at least `Mission.medical_gap_days` after the interview day), and at most
  `Day.medical_capacity` families are assessed per day;
- a case is scheduled completely (interview, and medical day if needed) or
  not at all.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar


class Priority(enum.IntEnum):
    """UNHCR's submission priority: lower comes first."""

    EMERGENCY = 0
    URGENT = 1
    NORMAL = 2


@dataclass(frozen=True)
class Day:
    """One mission day: its date, working hours, caseworkers and medical capacity.

    `slots` is the number of working slots (e.g. 32 slots of 15 minutes from
    08:30 for an eight-hour day). `caseworkers` interviews may run at once;
    `max_interviews` caps the interviews of the day (None: no cap beyond the
    caseworkers' time). `medical_capacity` is the number of family medical
    assessments the medical team can do that day.
    """

    index: int
    date: dt.date
    slots: int
    start: dt.time = dt.time(8, 30)
    caseworkers: int = 4
    max_interviews: int | None = None
    medical_capacity: int = 0


@dataclass(frozen=True)
class Room:
    """A facility room: how many people it seats and whether it has video equipment.

    `closed` holds the mission days (indices) on which the room cannot be used:
    closed for maintenance, or taken by another mission the same day (the
    facility's rooms are shared between missions).
    """

    id: str
    video: bool = False
    capacity: int = 8
    closed: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Availability:
    """An interpreter's window on one day: slots [start, end); end None = end of day."""

    day: int
    start: int = 0
    end: int | None = None


@dataclass(frozen=True)
class Interpreter:
    """An interpreter with the languages they interpret and when they are available.

    `available` None means every slot of every day; otherwise only the listed
    windows (several windows on one day are allowed, e.g. a morning and an
    afternoon). A whole day is `Availability(day)`.
    """

    id: str
    languages: frozenset[str]
    available: tuple[Availability, ...] | None = None

    def windows(self, day: Day) -> tuple[tuple[int, int], ...]:
        """The interpreter's [start, end) windows on the day, clipped to its slots."""
        if self.available is None:
            return ((0, day.slots),)
        out = []
        for a in self.available:
            if a.day == day.index:
                end = day.slots if a.end is None else min(a.end, day.slots)
                if end > a.start:
                    out.append((max(0, a.start), end))
        return tuple(sorted(out))


@dataclass(frozen=True)
class Case:
    """A family to interview, never split.

    `persons` is the family size (everyone attends, and counts in the
    objective); `adults` is the number of members to interview (sets the
    interview's length, see InterviewRule). `language` is the one language the
    interview is interpreted in ("" when no interpreter is needed).
    `province` groups families that travel together to the facility.
    `remote` interviews are held by video with a delegation abroad, so need a
    room with video equipment. `medical` cases have a medical assessment after
    the interview.
    """

    id: str
    persons: int
    adults: int
    language: str
    priority: Priority = Priority.NORMAL
    province: str = ""
    remote: bool = False
    medical: bool = False


@dataclass(frozen=True)
class InterviewRule:
    """Interview length: `base_minutes` + `per_adult_minutes` x adults, rounded up to slots."""

    base_minutes: int = 30
    per_adult_minutes: int = 30


@dataclass(frozen=True)
class Weights:
    """Per-person value of a scheduled case, by priority (emergency, urgent, normal).

    The defaults are lexicographic per family: one person of a level is worth
    more than the largest family (12 persons) of the level below (13 = 12 + 1),
    so a higher-priority family is never traded for one lower-priority family.
    Days used and transport trips come after the weighted persons,
    lexicographically (see solve.py).
    """

    priority: tuple[int, int, int] = (169, 13, 1)

    def value(self, case: Case) -> int:
        """The case's contribution to the objective when scheduled."""
        return self.priority[int(case.priority)] * case.persons


@dataclass(frozen=True)
class Mission:
    """A selection mission: days, rooms, interpreters, cases, and the rules' parameters."""

    id: str
    days: tuple[Day, ...]
    rooms: tuple[Room, ...]
    interpreters: tuple[Interpreter, ...]
    cases: tuple[Case, ...]
    slot_minutes: int = 15
    interview: InterviewRule = field(default_factory=InterviewRule)
    weights: Weights = field(default_factory=Weights)
    medical_gap_days: int = 1
    timezone: str = "Europe/Istanbul"  # of the days' clock times (calendar files)

    def length(self, case: Case) -> int:
        """The case's interview length in slots."""
        minutes = self.interview.base_minutes + self.interview.per_adult_minutes * case.adults
        return max(1, math.ceil(minutes / self.slot_minutes))

    def value(self, case: Case) -> int:
        """The case's priority-weighted persons."""
        return self.weights.value(case)

    def slot_time(self, day: Day, slot: int) -> dt.datetime:
        """The naive local date and time at which `slot` of `day` starts."""
        start = dt.datetime.combine(day.date, day.start)
        return start + dt.timedelta(minutes=self.slot_minutes * slot)


@dataclass(frozen=True)
class Appointment:
    """A scheduled case: its interview block and, if needed, its medical day.

    `caseworker` numbers the day's caseworkers from 0 (no two appointments of
    a day overlap on the same number). `interpreter` is None for a case
    without a language.
    """

    case_id: str
    day: int
    room: str
    start: int
    length: int
    interpreter: str | None
    caseworker: int
    medical_day: int | None = None

    @property
    def end(self) -> int:
        """The first slot after the interview."""
        return self.start + self.length


@dataclass(frozen=True)
class NoShow:
    """The family did not come on `day`: its appointment is freed; it may be rebooked later."""

    case_id: str
    day: int


@dataclass(frozen=True)
class InterpreterLost:
    """The interpreter is unavailable on `days` (e.g. illness): their interviews need another."""

    interpreter_id: str
    days: tuple[int, ...]


Event = NoShow | InterpreterLost


@dataclass(frozen=True)
class Schedule:
    """The scheduler's answer: the appointments and how good they are.

    `objective` is the priority-weighted persons scheduled; `bound` an upper
    bound on what any schedule can reach (LP relaxation of the day-level
    capacities, solve.bound), so `gap` bounds the distance to the optimum.
    `days_used` counts days with at least one interview; `trips` the
    (province, day) pairs with a family travelling for an interview or a
    medical assessment. `moved` (rescheduling only) counts previous
    appointments changed (day, room, start or interpreter) or dropped.
    """

    mission_id: str
    appointments: tuple[Appointment, ...]
    unscheduled: tuple[str, ...]
    objective: int
    bound: float
    days_used: int
    trips: int
    method: str = "scheduler"
    status: str = "feasible"
    seconds: float = 0.0
    moved: int = 0
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """(bound - objective) / bound; 0 when the bound is 0."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    def by_case(self) -> dict[str, Appointment]:
        """Case id -> its appointment."""
        return {a.case_id: a for a in self.appointments}

    def by_day(self) -> dict[int, list[Appointment]]:
        """Day index -> the day's interviews by start, then room."""
        return _group(self.appointments, lambda a: a.day)

    def by_room(self) -> dict[str, list[Appointment]]:
        """Room id -> its interviews by day and start."""
        return _group(self.appointments, lambda a: a.room)

    def by_interpreter(self) -> dict[str, list[Appointment]]:
        """Interpreter id -> their interviews by day and start (cases without one omitted)."""
        return _group(
            [a for a in self.appointments if a.interpreter], lambda a: a.interpreter or ""
        )

    def medical_by_day(self) -> dict[int, list[str]]:
        """Day index -> the case ids assessed by the medical team that day."""
        out: dict[int, list[str]] = defaultdict(list)
        for a in sorted(self.appointments, key=lambda a: a.case_id):
            if a.medical_day is not None:
                out[a.medical_day].append(a.case_id)
        return dict(sorted(out.items()))


K = TypeVar("K", int, str)


def _group(
    appointments: Iterable[Appointment], key: Callable[[Appointment], K]
) -> dict[K, list[Appointment]]:
    out: dict[K, list[Appointment]] = defaultdict(list)
    for a in sorted(appointments, key=lambda a: (a.day, a.start, a.room)):
        out[key(a)].append(a)
    return dict(sorted(out.items()))
