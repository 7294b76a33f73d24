"""What every part of the scheduler derives from a mission once: lengths, values, compatibilities.

`Index` precomputes, per case, its interview length, its value, the rooms that
seat it (and have video when remote), the interpreters who speak its language
and the days it can be interviewed on. Availability is kept as bit masks (bit
s set = slot s available), so that fitting an interval is a mask test.
`Board` is a day-by-day occupancy (rooms, interpreters, caseworkers, medical
team) used by the greedy baseline, the repair step and rescheduling.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from resettle.rsf.scheduler.model import Appointment, Case, Mission


def interval_mask(start: int, length: int) -> int:
    """Bit mask of slots [start, start + length)."""
    return ((1 << length) - 1) << start


def runs(mask: int) -> list[tuple[int, int]]:
    """The maximal [start, end) runs of set bits of `mask`."""
    out = []
    s = 0
    while mask >> s:
        if (mask >> s) & 1:
            e = s
            while (mask >> e) & 1:
                e += 1
            out.append((s, e))
            s = e
        else:
            s += 1
    return out


@dataclass(frozen=True)
class CaseInfo:
    """A case with what the scheduler derives from it."""

    pos: int  # position in Mission.cases
    case: Case
    length: int
    value: int
    rooms: tuple[int, ...]  # room positions that fit the family (and have video if remote)
    interpreters: tuple[int, ...]  # interpreter positions speaking the language (all if none)
    days: tuple[int, ...]  # days the interview could take place (ignoring others' bookings)


class Index:
    """Derived data of a mission, shared by the solver, the greedy baseline and the checks."""

    def __init__(self, mission: Mission) -> None:
        self.mission = mission
        self.n_days = len(mission.days)
        self.room_pos = {r.id: i for i, r in enumerate(mission.rooms)}
        self.interp_pos = {it.id: i for i, it in enumerate(mission.interpreters)}
        # avail[i][d]: interpreter i's available slots on day d as a mask.
        self.avail: list[list[int]] = []
        for it in mission.interpreters:
            row = []
            for day in mission.days:
                m = 0
                for a, b in it.windows(day):
                    m |= interval_mask(a, b - a)
                row.append(m)
            self.avail.append(row)
        self.day_mask = [interval_mask(0, day.slots) for day in mission.days]
        # closed[d]: positions of the rooms that cannot be used on day d.
        self.closed: list[frozenset[int]] = [
            frozenset(r for r, room in enumerate(mission.rooms) if d in room.closed)
            for d in range(self.n_days)
        ]
        medical_later = [False] * self.n_days
        gap = max(1, mission.medical_gap_days)
        for d in range(self.n_days):
            medical_later[d] = any(
                mission.days[e].medical_capacity > 0 for e in range(d + gap, self.n_days)
            )
        self.medical_later = medical_later
        self.cases: list[CaseInfo] = []
        by_language: dict[str, list[int]] = defaultdict(list)
        for i, it in enumerate(mission.interpreters):
            for lang in it.languages:
                by_language[lang].append(i)
        for pos, case in enumerate(mission.cases):
            length = mission.length(case)
            rooms = tuple(
                r
                for r, room in enumerate(mission.rooms)
                if room.capacity >= case.persons and (room.video or not case.remote)
            )
            interps = tuple(by_language.get(case.language, ())) if case.language else ()
            days = []
            for d, day in enumerate(mission.days):
                if length > day.slots or day.caseworkers < 1:
                    continue
                if not any(r not in self.closed[d] for r in rooms):
                    continue
                if day.max_interviews is not None and day.max_interviews < 1:
                    continue
                if case.medical and not medical_later[d]:
                    continue
                if case.language and not any(self.fits_window(i, d, length) for i in interps):
                    continue
                days.append(d)
            self.cases.append(
                CaseInfo(
                    pos=pos,
                    case=case,
                    length=length,
                    value=mission.value(case),
                    rooms=rooms,
                    interpreters=interps,
                    days=tuple(days),
                )
            )
        self.by_id = {ci.case.id: ci for ci in self.cases}

    def rooms_on(self, ci: CaseInfo, day: int) -> tuple[int, ...]:
        """The rooms that seat the case and are open on the day."""
        closed = self.closed[day]
        return tuple(r for r in ci.rooms if r not in closed) if closed else ci.rooms

    def fits_window(self, interp: int, day: int, length: int) -> bool:
        """Whether the interpreter has a run of `length` available slots on the day."""
        return any(b - a >= length for a, b in runs(self.avail[interp][day]))

    def medical_gap(self) -> int:
        """Days between the interview and the earliest medical day (at least 1)."""
        return max(1, self.mission.medical_gap_days)


class Board:
    """Bookings so far, day by day: what is busy, and where a case still fits."""

    def __init__(self, index: Index) -> None:
        self.ix = index
        m = index.mission
        n_rooms, n_int = len(m.rooms), len(m.interpreters)
        # A closed room is busy all day, so no search or check has to know about closures.
        self.room_busy = [
            [index.day_mask[d] if r in index.closed[d] else 0 for r in range(n_rooms)]
            for d in range(len(m.days))
        ]
        self.interp_busy = [[0] * n_int for _ in m.days]
        self.cw_load = [[0] * day.slots for day in m.days]
        self.interviews = [0] * len(m.days)
        self.medical = [0] * len(m.days)
        self.booked: dict[str, Appointment] = {}

    def fits(self, ci: CaseInfo, day: int, room: int, start: int, interp: int | None) -> bool:
        """Whether the case's interview fits there now."""
        m = self.ix.mission
        dd = m.days[day]
        if start < 0 or start + ci.length > dd.slots:
            return False
        if dd.max_interviews is not None and self.interviews[day] >= dd.max_interviews:
            return False
        mask = interval_mask(start, ci.length)
        if self.room_busy[day][room] & mask:
            return False
        if interp is not None and (
            self.interp_busy[day][interp] & mask or self.ix.avail[interp][day] & mask != mask
        ):
            return False
        load = self.cw_load[day]
        return all(load[s] < dd.caseworkers for s in range(start, start + ci.length))

    def _starts(self, free: int, length: int) -> int:
        """Mask of the starts s such that slots [s, s + length) are all in `free`."""
        ok = free
        for k in range(1, length):
            ok &= free >> k
        return ok

    def find(
        self, ci: CaseInfo, day: int, *, best_fit: bool = False
    ) -> tuple[int, int, int | None] | None:
        """A (room, start, interpreter) where the case fits on the day, or None.

        First fit scans rooms in order, then starts, then interpreters. Best
        fit prefers the earliest start, then the smallest room that seats the
        family (video rooms last for in-person cases), then the interpreter
        with the fewest languages, so scarce resources stay free.
        """
        m = self.ix.mission
        dd = m.days[day]
        if dd.max_interviews is not None and self.interviews[day] >= dd.max_interviews:
            return None
        full = self.ix.day_mask[day]
        cw_free = full
        for s, load in enumerate(self.cw_load[day]):
            if load >= dd.caseworkers:
                cw_free &= ~(1 << s)
        base = self._starts(cw_free, ci.length)
        if not base:
            return None
        interps: list[tuple[int | None, int]] = []
        if ci.case.language:
            for i in ci.interpreters:
                ok = self._starts(self.ix.avail[i][day] & ~self.interp_busy[day][i], ci.length)
                if ok & base:
                    interps.append((i, ok))
            if not interps:
                return None
            any_interp = 0
            for _, ok in interps:
                any_interp |= ok
            base &= any_interp
        else:
            interps.append((None, base))
        rooms = list(ci.rooms)
        if best_fit:
            rooms.sort(key=lambda r: (m.rooms[r].video and not ci.case.remote, m.rooms[r].capacity))
            interps.sort(key=lambda p: 0 if p[0] is None else len(m.interpreters[p[0]].languages))
        best: tuple[int, int] | None = None  # (start, room)
        for r in rooms:
            ok = base & self._starts(full & ~self.room_busy[day][r], ci.length)
            if not ok:
                continue
            start = (ok & -ok).bit_length() - 1
            if not best_fit:
                best = (start, r)
                break
            if best is None or start < best[0]:
                best = (start, r)
        if best is None:
            return None
        first, room = best
        for who, ok in interps:
            if (ok >> first) & 1:
                return room, first, who
        return None  # pragma: no cover - base only keeps starts some interpreter has

    def medical_day(
        self, day: int, province_days: set[tuple[str, int]] | None = None, province: str = ""
    ) -> int | None:
        """A medical day after `day` with capacity left (one with a trip already preferred)."""
        m = self.ix.mission
        options = [
            e
            for e in range(day + self.ix.medical_gap(), len(m.days))
            if self.medical[e] < m.days[e].medical_capacity
        ]
        if not options:
            return None
        if province_days:
            for e in options:
                if (province, e) in province_days:
                    return e
        return options[0]

    def book(self, a: Appointment) -> None:
        """Record an appointment (its interview and medical day)."""
        ci = self.ix.by_id[a.case_id]
        mask = interval_mask(a.start, a.length)
        self.room_busy[a.day][self.ix.room_pos[a.room]] |= mask
        if a.interpreter is not None:
            self.interp_busy[a.day][self.ix.interp_pos[a.interpreter]] |= mask
        for s in range(a.start, a.start + a.length):
            self.cw_load[a.day][s] += 1
        self.interviews[a.day] += 1
        if a.medical_day is not None:
            self.medical[a.medical_day] += 1
        self.booked[ci.case.id] = a

    def unbook(self, case_id: str) -> Appointment:
        """Remove a case's appointment; returns it."""
        a = self.booked.pop(case_id)
        mask = interval_mask(a.start, a.length)
        self.room_busy[a.day][self.ix.room_pos[a.room]] &= ~mask
        if a.interpreter is not None:
            self.interp_busy[a.day][self.ix.interp_pos[a.interpreter]] &= ~mask
        for s in range(a.start, a.start + a.length):
            self.cw_load[a.day][s] -= 1
        self.interviews[a.day] -= 1
        if a.medical_day is not None:
            self.medical[a.medical_day] -= 1
        return a


def assign_caseworkers(appointments: list[Appointment]) -> list[Appointment]:
    """Number the caseworkers of each day's interviews (interval colouring).

    Taking interviews by start and giving each the lowest number free at its
    start uses at most as many numbers as interviews ever run at once, so a
    day within its caseworker count gets valid numbers.
    """
    out: list[Appointment] = []
    by_day: dict[int, list[Appointment]] = defaultdict(list)
    for a in appointments:
        by_day[a.day].append(a)
    for day in sorted(by_day):
        busy_until: list[int] = []  # caseworker number -> first free slot
        for a in sorted(by_day[day], key=lambda a: (a.start, a.case_id)):
            number = next((k for k, t in enumerate(busy_until) if t <= a.start), None)
            if number is None:
                number = len(busy_until)
                busy_until.append(0)
            busy_until[number] = a.end
            out.append(replace(a, caseworker=number))
    return out


def trips_and_days(
    mission: Mission, appointments: list[Appointment] | tuple[Appointment, ...]
) -> tuple[int, int]:
    """(transport trips, days used) of a set of appointments (see Schedule)."""
    province = {c.id: c.province for c in mission.cases}
    trips: set[tuple[str, int]] = set()
    days: set[int] = set()
    for a in appointments:
        trips.add((province[a.case_id], a.day))
        days.add(a.day)
        if a.medical_day is not None:
            trips.add((province[a.case_id], a.medical_day))
    return len(trips), len(days)
