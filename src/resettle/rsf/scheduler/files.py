"""JSON files of missions, schedules and events, and iCalendar timetables (docs/scheduler.md).

Reading validates everything and raises `InputError` naming the JSON path of
the bad value (e.g. `$.cases[3].persons: must be an integer >= 1`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as IcsEvent

from resettle.rsf.scheduler.model import (
    Appointment,
    Availability,
    Case,
    Day,
    Event,
    Interpreter,
    InterpreterLost,
    InterviewRule,
    Mission,
    NoShow,
    Priority,
    Room,
    Schedule,
    Weights,
)

T = TypeVar("T")
PRIORITIES = {"emergency": Priority.EMERGENCY, "urgent": Priority.URGENT, "normal": Priority.NORMAL}


class InputError(ValueError):
    """A bad value in an input file, with its JSON path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _get(obj: Any, key: str, path: str, check: Callable[[Any], T], default: Any = ...) -> T:
    if not isinstance(obj, dict):
        raise InputError(path, "must be an object")
    if key not in obj:
        if default is ...:
            raise InputError(f"{path}.{key}", "is required")
        return default  # type: ignore[no-any-return]
    return check_value(obj[key], f"{path}.{key}", check)


def check_value(value: Any, path: str, check: Callable[[Any], T]) -> T:
    """Apply a checker; its ValueError becomes an InputError at `path`."""
    try:
        return check(value)
    except (ValueError, TypeError) as exc:
        raise InputError(path, str(exc)) from None


def _int(minimum: int) -> Callable[[Any], int]:
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ValueError(f"must be an integer >= {minimum}")
        return int(v)

    return check


def _optional_int(minimum: int) -> Callable[[Any], int | None]:
    def check(v: Any) -> int | None:
        return None if v is None else _int(minimum)(v)

    return check


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("must be a string")
    return v


def _id(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("must be a non-empty string")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("must be true or false")
    return v


def _date(v: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_str(v))
    except ValueError:
        raise ValueError("must be a date YYYY-MM-DD") from None


def _time(v: Any) -> dt.time:
    try:
        return dt.time.fromisoformat(_str(v))
    except ValueError:
        raise ValueError("must be a time HH:MM") from None


def _priority(v: Any) -> Priority:
    if v not in PRIORITIES:
        raise ValueError("must be one of emergency, urgent, normal")
    return PRIORITIES[v]


def _list(obj: Any, key: str, path: str, *, required: bool = True) -> list[Any]:
    value = _get(obj, key, path, lambda v: v, default=... if required else [])
    if not isinstance(value, list):
        raise InputError(f"{path}.{key}", "must be a list")
    return value


def mission_from_json(data: Any) -> Mission:
    """A Mission from its JSON form (docs/scheduler.md), validated."""
    p = "$"
    days = []
    for n, d in enumerate(_list(data, "days", p)):
        dp = f"$.days[{n}]"
        index = _get(d, "index", dp, _int(0), default=n)
        if index != n:
            raise InputError(f"{dp}.index", f"must be {n} (days are numbered in order)")
        cap = _get(d, "max_interviews", dp, _optional_int(0), None)
        days.append(
            Day(
                index=n,
                date=_get(d, "date", dp, _date),
                slots=_get(d, "slots", dp, _int(1)),
                start=_get(d, "start", dp, _time, dt.time(8, 30)),
                caseworkers=_get(d, "caseworkers", dp, _int(0), 4),
                max_interviews=cap,
                medical_capacity=_get(d, "medical_capacity", dp, _int(0), 0),
            )
        )
    rooms = []
    for n, r in enumerate(_list(data, "rooms", p)):
        rp = f"$.rooms[{n}]"
        closed = _list(r, "closed_days", rp, required=False)
        for k, d in enumerate(closed):
            check_value(d, f"{rp}.closed_days[{k}]", _int(0))
            if d >= len(days):
                raise InputError(f"{rp}.closed_days[{k}]", f"must be a day index below {len(days)}")
        rooms.append(
            Room(
                id=_get(r, "id", rp, _id),
                video=_get(r, "video", rp, _bool, False),
                capacity=_get(r, "capacity", rp, _int(1), 8),
                closed=frozenset(closed),
            )
        )
    interpreters = []
    for n, it in enumerate(_list(data, "interpreters", p)):
        ip = f"$.interpreters[{n}]"
        langs = _get(it, "languages", ip, lambda v: v)
        if not isinstance(langs, list) or not langs:
            raise InputError(f"{ip}.languages", "must be a non-empty list of strings")
        for k, lang in enumerate(langs):
            check_value(lang, f"{ip}.languages[{k}]", _id)
        raw = _get(it, "available", ip, lambda v: v, None)
        available: tuple[Availability, ...] | None = None
        if raw is not None:
            if not isinstance(raw, list):
                raise InputError(f"{ip}.available", "must be null (always) or a list of windows")
            windows = []
            for k, w in enumerate(raw):
                wp = f"{ip}.available[{k}]"
                day = _get(w, "day", wp, _int(0))
                if day >= len(days):
                    raise InputError(f"{wp}.day", f"must be a day index below {len(days)}")
                start = _get(w, "start", wp, _int(0), 0)
                end = _get(w, "end", wp, _optional_int(start + 1), None)
                windows.append(Availability(day=day, start=start, end=end))
            available = tuple(windows)
        interpreters.append(
            Interpreter(id=_get(it, "id", ip, _id), languages=frozenset(langs), available=available)
        )
    cases = []
    for n, c in enumerate(_list(data, "cases", p)):
        cp = f"$.cases[{n}]"
        persons = _get(c, "persons", cp, _int(1))
        adults = _get(c, "adults", cp, _int(1), 1)
        if adults > persons:
            raise InputError(f"{cp}.adults", f"must be at most persons ({persons})")
        cases.append(
            Case(
                id=_get(c, "id", cp, _id),
                persons=persons,
                adults=adults,
                language=_get(c, "language", cp, _str, ""),
                priority=_get(c, "priority", cp, _priority, Priority.NORMAL),
                province=_get(c, "province", cp, _str, ""),
                remote=_get(c, "remote", cp, _bool, False),
                medical=_get(c, "medical", cp, _bool, False),
            )
        )
    ids: list[tuple[str, list[str]]] = [
        ("rooms", [r.id for r in rooms]),
        ("interpreters", [i.id for i in interpreters]),
        ("cases", [c.id for c in cases]),
    ]
    for key, names in ids:
        seen: set[str] = set()
        for n, name in enumerate(names):
            if name in seen:
                raise InputError(f"$.{key}[{n}].id", f"duplicate id {name!r}")
            seen.add(name)
    rule = _get(data, "interview", p, lambda v: v, {})
    weights = _get(data, "weights", p, lambda v: v, {})
    defaults = Weights().priority
    return Mission(
        id=_get(data, "id", p, _id),
        days=tuple(days),
        rooms=tuple(rooms),
        interpreters=tuple(interpreters),
        cases=tuple(cases),
        slot_minutes=_get(data, "slot_minutes", p, _int(1), 15),
        interview=InterviewRule(
            base_minutes=_get(rule, "base_minutes", "$.interview", _int(0), 30),
            per_adult_minutes=_get(rule, "per_adult_minutes", "$.interview", _int(0), 30),
        ),
        weights=Weights(
            priority=(
                _get(weights, "emergency", "$.weights", _int(0), defaults[0]),
                _get(weights, "urgent", "$.weights", _int(0), defaults[1]),
                _get(weights, "normal", "$.weights", _int(0), defaults[2]),
            )
        ),
        medical_gap_days=_get(data, "medical_gap_days", p, _int(1), 1),
        timezone=_get(data, "timezone", p, _zone, "Europe/Istanbul"),
    )


def _zone(v: Any) -> str:
    try:
        ZoneInfo(_str(v))
    except (KeyError, ValueError):
        raise ValueError("must be an IANA time zone such as Europe/Istanbul") from None
    return str(v)


def mission_to_json(mission: Mission) -> dict[str, Any]:
    """The JSON form of a mission (mission_from_json reads it back)."""
    names = {v: k for k, v in PRIORITIES.items()}
    return {
        "id": mission.id,
        "timezone": mission.timezone,
        "slot_minutes": mission.slot_minutes,
        "interview": {
            "base_minutes": mission.interview.base_minutes,
            "per_adult_minutes": mission.interview.per_adult_minutes,
        },
        "weights": dict(
            zip(("emergency", "urgent", "normal"), mission.weights.priority, strict=True)
        ),
        "medical_gap_days": mission.medical_gap_days,
        "days": [
            {
                "date": d.date.isoformat(),
                "start": d.start.strftime("%H:%M"),
                "slots": d.slots,
                "caseworkers": d.caseworkers,
                "max_interviews": d.max_interviews,
                "medical_capacity": d.medical_capacity,
            }
            for d in mission.days
        ],
        "rooms": [
            {"id": r.id, "video": r.video, "capacity": r.capacity, "closed_days": sorted(r.closed)}
            for r in mission.rooms
        ],
        "interpreters": [
            {
                "id": i.id,
                "languages": sorted(i.languages),
                "available": None
                if i.available is None
                else [{"day": a.day, "start": a.start, "end": a.end} for a in i.available],
            }
            for i in mission.interpreters
        ],
        "cases": [
            {
                "id": c.id,
                "persons": c.persons,
                "adults": c.adults,
                "language": c.language,
                "priority": names[c.priority],
                "province": c.province,
                "remote": c.remote,
                "medical": c.medical,
            }
            for c in mission.cases
        ],
    }


def schedule_to_json(mission: Mission, schedule: Schedule) -> dict[str, Any]:
    """The JSON form of a schedule, with dates and clock times for people to read."""
    days = {d.index: d for d in mission.days}

    def clock(day: int, slot: int) -> str:
        return mission.slot_time(days[day], slot).strftime("%H:%M")

    return {
        "mission": schedule.mission_id,
        "method": schedule.method,
        "status": schedule.status,
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": round(schedule.gap, 6),
        "days_used": schedule.days_used,
        "trips": schedule.trips,
        "moved": schedule.moved,
        "seconds": schedule.seconds,
        "stats": schedule.stats,
        "appointments": [
            {
                "case": a.case_id,
                "day": a.day,
                "date": days[a.day].date.isoformat(),
                "room": a.room,
                "start": a.start,
                "length": a.length,
                "from": clock(a.day, a.start),
                "to": clock(a.day, a.end),
                "interpreter": a.interpreter,
                "caseworker": a.caseworker,
                "medical_day": a.medical_day,
                "medical_date": None
                if a.medical_day is None
                else days[a.medical_day].date.isoformat(),
            }
            for a in schedule.appointments
        ],
        "unscheduled": list(schedule.unscheduled),
    }


def schedule_from_json(data: Any) -> Schedule:
    """A schedule read back from schedule_to_json's form (for rescheduling)."""
    appointments = []
    for n, a in enumerate(_list(data, "appointments", "$")):
        ap = f"$.appointments[{n}]"
        appointments.append(
            Appointment(
                case_id=_get(a, "case", ap, _id),
                day=_get(a, "day", ap, _int(0)),
                room=_get(a, "room", ap, _id),
                start=_get(a, "start", ap, _int(0)),
                length=_get(a, "length", ap, _int(1)),
                interpreter=_get(a, "interpreter", ap, lambda v: v if v is None else _id(v), None),
                caseworker=_get(a, "caseworker", ap, _int(0), 0),
                medical_day=_get(a, "medical_day", ap, _optional_int(0), None),
            )
        )
    return Schedule(
        mission_id=_get(data, "mission", "$", _str, ""),
        appointments=tuple(appointments),
        unscheduled=tuple(
            check_value(c, f"$.unscheduled[{n}]", _id)
            for n, c in enumerate(_list(data, "unscheduled", "$", required=False))
        ),
        objective=_get(data, "objective", "$", _int(0), 0),
        bound=float(_get(data, "bound", "$", float, 0.0)),
        days_used=_get(data, "days_used", "$", _int(0), 0),
        trips=_get(data, "trips", "$", _int(0), 0),
        method=_get(data, "method", "$", _str, "scheduler"),
    )


def events_from_json(data: Any) -> list[Event]:
    """Events: [{"type": "no_show", "case": ID, "day": N} | {"type": "interpreter_lost",
    "interpreter": ID, "days": [N, ...]}]."""
    if not isinstance(data, list):
        raise InputError("$", "must be a list of events")
    out: list[Event] = []
    for n, e in enumerate(data):
        ep = f"$[{n}]"
        kind = _get(e, "type", ep, _str)
        if kind == "no_show":
            out.append(NoShow(case_id=_get(e, "case", ep, _id), day=_get(e, "day", ep, _int(0))))
        elif kind == "interpreter_lost":
            days = _list(e, "days", ep)
            out.append(
                InterpreterLost(
                    interpreter_id=_get(e, "interpreter", ep, _id),
                    days=tuple(
                        check_value(d, f"{ep}.days[{k}]", _int(0)) for k, d in enumerate(days)
                    ),
                )
            )
        else:
            raise InputError(f"{ep}.type", "must be no_show or interpreter_lost")
    return out


def read_json(path: Path) -> Any:
    """Parse a JSON file; an unreadable or malformed file is an InputError at `$`."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError("$", f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError("$", f"{path} is not JSON (line {exc.lineno}: {exc.msg})") from None


def write_ics(mission: Mission, schedule: Schedule, folder: Path) -> list[Path]:
    """One iCalendar file per room and per interpreter (room-R01.ics, interpreter-I01.ics)."""
    zone = ZoneInfo(mission.timezone)
    days = {d.index: d for d in mission.days}
    cases = {c.id: c for c in mission.cases}
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # fixed: the files depend on the schedule only
    written = []
    for kind, groups in (("room", schedule.by_room()), ("interpreter", schedule.by_interpreter())):
        for key, items in groups.items():
            cal = Calendar()
            cal.add("prodid", "-//Resettle//RSF interview scheduler//EN")
            cal.add("version", "2.0")
            cal.add("x-wr-calname", f"{mission.id} {kind} {key}")
            for a in items:
                case = cases[a.case_id]
                event = IcsEvent()
                event.add("uid", f"{mission.id}-{a.case_id}-{a.day}@resettle")
                event.add("dtstamp", stamp)
                event.add("dtstart", mission.slot_time(days[a.day], a.start).replace(tzinfo=zone))
                event.add("dtend", mission.slot_time(days[a.day], a.end).replace(tzinfo=zone))
                mode = "video" if case.remote else "in person"
                event.add(
                    "summary",
                    f"Interview {a.case_id} ({case.persons} persons, "
                    f"{case.language or 'no interpreter'}, {mode})",
                )
                event.add("location", f"Room {a.room}")
                event.add(
                    "description",
                    f"Interpreter: {a.interpreter or '-'}; caseworker {a.caseworker + 1}",
                )
                cal.add_component(event)
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in key)
            path = folder / f"{kind}-{safe}.ics"
            path.write_bytes(cal.to_ical())
            written.append(path)
    return written
