"""The database side of the interview scheduler: build its input, run it, store its answer.

`mission_model` turns a mission's rows into the pure `scheduler.model.Mission`
(ids: case references, room names, interpreters "I<pk>");
`execute_run` (called by the task worker, or at once by the demo) runs
`solve.schedule` or, for a reschedule, `reschedule.reschedule` on the
previous run's appointments and the recorded events, then stores the
appointments, the cases' statuses and the logistics derived from them
(transport trips, accommodation nights and their costs).
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from resettle.core.audit import save_with_audit
from resettle.rsf.models import (
    Accommodation,
    Appointment,
    Direction,
    Interpreter,
    Mission,
    MissionCase,
    MissionCaseStatus,
    MissionCaseworker,
    MissionInterpreter,
    MissionStatus,
    Room,
    RoomClosure,
    RunStatus,
    ScheduleEvent,
    ScheduleRun,
    TransportTrip,
)
from resettle.rsf.scheduler import model as sm

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
TIME_LIMIT = 20.0  # seconds of solver budget for a web run

# Illustrative rates (EUR) until the facility's contracts are entered.
TRIP_COST = Decimal("250.00")  # one vehicle, one way, per province and day
NIGHT_COST_PER_PERSON = Decimal("20.00")

PRIORITIES = {"emergency": sm.Priority.EMERGENCY, "urgent": sm.Priority.URGENT}
STAGE_SHARE = {"bound": 5, "days": 30, "sequence": 50, "repair": 85, "done": 95}


def interpreter_id(interpreter_pk: int) -> str:
    """The scheduler's id of an interpreter."""
    return f"I{interpreter_pk}"


def _schedulable(mission: Mission) -> Any:
    return (
        MissionCase.objects.filter(mission=mission)
        .exclude(status__in=(MissionCaseStatus.CANCELLED, MissionCaseStatus.INTERVIEWED))
        .select_related("case")
        .order_by("case__reference")
    )


def caseworkers_by_day(mission: Mission) -> list[list[str]] | None:
    """The named caseworkers working each mission day, by name; None if none are named.

    The scheduler numbers a day's caseworkers 0..n-1; number k is the k-th
    name of the day's list.
    """
    named = list(MissionCaseworker.objects.filter(mission=mission).order_by("name"))
    if not named:
        return None
    return [[c.name for c in named if c.works_on(d)] for d in mission.days()]


def closed_rooms(mission: Mission) -> dict[int, set[datetime.date]]:
    """Room pk -> the mission's dates on which the room cannot be used.

    A room is closed on a date it has a closure for, or when another mission's
    schedule in force has an interview in it that day (rooms are shared).
    """
    dates = mission.days()
    out: dict[int, set[datetime.date]] = defaultdict(set)
    for room_id, date in RoomClosure.objects.filter(date__in=dates).values_list("room_id", "date"):
        out[room_id].add(date)
    others = (
        Mission.objects.exclude(pk=mission.pk)
        .exclude(status=MissionStatus.CANCELLED)
        .filter(start_date__lte=mission.end_date, end_date__gte=mission.start_date)
    )
    for other in others:
        run = other.latest_run()
        if run is None:
            continue
        used = Appointment.objects.filter(run=run, day__in=dates).values_list("room_id", "day")
        for room_id, date in used.distinct():
            out[room_id].add(date)
    return out


def mission_model(mission: Mission) -> sm.Mission:
    """The scheduler's view of the mission (no names: case references only)."""
    dates = mission.days()
    slots = max(1, mission.day_hours * 60 // Mission.slot_minutes)
    named = caseworkers_by_day(mission)
    days = tuple(
        sm.Day(
            index=i,
            date=d,
            slots=slots,
            start=mission.day_start,
            caseworkers=mission.caseworkers if named is None else len(named[i]),
            medical_capacity=mission.medical_capacity,
        )
        for i, d in enumerate(dates)
    )
    index = {d: i for i, d in enumerate(dates)}
    closed = closed_rooms(mission)
    rooms = tuple(
        sm.Room(
            id=r.name,
            video=r.video,
            capacity=r.capacity,
            closed=frozenset(index[d] for d in closed.get(r.pk, ())),
        )
        for r in Room.objects.all()
    )
    interpreters = []
    for row in MissionInterpreter.objects.filter(mission=mission).select_related("interpreter"):
        available = (
            None
            if not row.days
            else tuple(sm.Availability(index[d]) for d in row.available_dates() if d in index)
        )
        interpreters.append(
            sm.Interpreter(
                id=interpreter_id(row.interpreter_id),
                languages=frozenset(row.interpreter.languages),
                available=available,
            )
        )
    remote_mission = mission.mode == "remote"
    cases = tuple(
        sm.Case(
            id=mc.case.reference,
            persons=mc.case.persons,
            adults=mc.adults,
            language=mc.language,
            priority=PRIORITIES.get(mc.case.priority, sm.Priority.NORMAL),
            province=mc.province,
            remote=mc.remote or remote_mission,
            medical=mc.medical,
        )
        for mc in _schedulable(mission)
    )
    return sm.Mission(
        id=f"mission-{mission.pk}",
        days=days,
        rooms=rooms,
        interpreters=tuple(interpreters),
        cases=cases,
        slot_minutes=Mission.slot_minutes,
        interview=sm.InterviewRule(
            mission.interview_base_minutes, mission.interview_per_adult_minutes
        ),
        timezone=mission.timezone,
    )


def previous_schedule(run: ScheduleRun) -> sm.Schedule:
    """A stored run as the scheduler's Schedule (for rescheduling)."""
    rows = Appointment.objects.filter(run=run).select_related("case__case", "room")
    appointments = tuple(
        sm.Appointment(
            case_id=a.case.case.reference,
            day=a.day_index,
            room=a.room.name,
            start=a.start_slot,
            length=a.length,
            interpreter=interpreter_id(a.interpreter_id) if a.interpreter_id else None,
            caseworker=a.caseworker,
            medical_day=a.medical_day_index,
        )
        for a in rows
    )
    return sm.Schedule(
        mission_id=f"mission-{run.mission_id}",
        appointments=appointments,
        unscheduled=tuple(run.unscheduled),
        objective=run.objective or 0,
        bound=run.bound or 0.0,
        days_used=run.days_used or 0,
        trips=run.trips or 0,
    )


def events_of(run: ScheduleRun, mission: Mission) -> list[sm.Event]:
    """The scheduler's events from a reschedule run's recorded events."""
    index = {d.isoformat(): i for i, d in enumerate(mission.days())}
    out: list[sm.Event] = []
    for e in run.events:
        days = [index[d] for d in e.get("days", []) if d in index]
        if e["type"] == "no_show" and e.get("case") and days:
            out.append(sm.NoShow(e["case"], days[0]))
        elif e["type"] == "interpreter_lost" and e.get("interpreter"):
            out.append(sm.InterpreterLost(interpreter_id(int(e["interpreter"])), tuple(days)))
    return out


def _progress_writer(run_id: int) -> Callable[[str, float], None]:
    last = 0.0

    def progress(stage: str, fraction: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_INTERVAL and stage != "done":
            return
        last = now
        base = STAGE_SHARE.get(stage, 50)
        following = [v for v in STAGE_SHARE.values() if v > base]
        top = min(following) if following else 95
        percent = int(base + (top - base) * max(0.0, min(1.0, float(fraction))))
        ScheduleRun.objects.filter(pk=run_id).update(stage=stage[:20], progress=max(1, percent))

    return progress


def execute_run(run_id: int) -> ScheduleRun:
    """Compute a queued run and store its appointments; a failure marks it failed."""
    from resettle.rsf.scheduler import reschedule, solve  # noqa: PLC0415 - heavy imports

    run = ScheduleRun.objects.select_related("mission").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    ScheduleRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, progress=1)
    mission = run.mission
    try:
        model = mission_model(mission)
        if run.previous_id is not None:
            assert run.previous is not None  # noqa: S101 - previous_id is set
            result = reschedule.reschedule(
                model, previous_schedule(run.previous), events_of(run, mission), time_limit=10
            )
        else:
            result = solve.schedule(
                model, time_limit=TIME_LIMIT, progress=_progress_writer(run_id), workers=2
            )
        with transaction.atomic():
            store(run, model, result)
    except Exception as exc:
        ScheduleRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


def store(run: ScheduleRun, model: sm.Mission, result: sm.Schedule) -> None:
    """Write a computed schedule: appointments, statuses, logistics, the run's figures."""
    mission = run.mission
    zone = ZoneInfo(mission.timezone)
    days = {d.index: d for d in model.days}
    cases = {mc.case.reference: mc for mc in _schedulable(mission)}
    rooms = {r.name: r for r in Room.objects.all()}
    interpreters = {interpreter_id(i.pk): i for i in Interpreter.objects.all()}
    named = caseworkers_by_day(mission)
    rows = []
    for a in result.appointments:
        day = days[a.day]
        names = named[a.day] if named is not None else []
        rows.append(
            Appointment(
                run=run,
                case=cases[a.case_id],
                day=day.date,
                day_index=a.day,
                room=rooms[a.room],
                start=model.slot_time(day, a.start).replace(tzinfo=zone),
                end=model.slot_time(day, a.end).replace(tzinfo=zone),
                start_slot=a.start,
                length=a.length,
                interpreter=interpreters[a.interpreter] if a.interpreter else None,
                caseworker=a.caseworker,
                caseworker_name=names[a.caseworker] if a.caseworker < len(names) else "",
                medical_day=days[a.medical_day].date if a.medical_day is not None else None,
                medical_day_index=a.medical_day,
            )
        )
    Appointment.objects.bulk_create(rows)
    # Derived data, rewritten whole with each schedule: statuses and logistics.
    booked = {a.case_id for a in result.appointments}
    no_shows = {e.get("case") for e in run.events if e.get("type") == "no_show"}
    for reference, mc in cases.items():
        if reference in booked:
            status = MissionCaseStatus.SCHEDULED
        elif reference in no_shows or mc.status == MissionCaseStatus.NO_SHOW:
            status = MissionCaseStatus.NO_SHOW
        else:
            status = MissionCaseStatus.SELECTED
        if mc.status != status:
            MissionCase.objects.filter(pk=mc.pk).update(status=status)
    derive_logistics(run)
    ScheduleEvent.objects.filter(pk__in=[e.get("id") for e in run.events]).update(applied_in=run)
    if mission.status == MissionStatus.PLANNED:
        Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.SCHEDULED)
    save_with_audit(
        run,
        {
            "status": RunStatus.DONE,
            "stage": "done",
            "progress": 100,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "days_used": result.days_used,
            "trips": result.trips,
            "moved": result.moved if run.previous_id else None,
            "unscheduled": list(result.unscheduled),
            "finished_at": timezone.now(),
            "error": "",
        },
        actor=None,
    )


def derive_logistics(run: ScheduleRun) -> None:
    """Transport trips and accommodation nights of a run's families.

    A family travels to the facility on its interview day and goes home
    after its medical day (or the interview day without one), staying the
    nights between. Families of one province travelling on the same day in
    the same direction share a trip.
    """
    mission = run.mission
    TransportTrip.objects.filter(mission=mission).delete()
    Accommodation.objects.filter(mission=mission).delete()
    groups: dict[tuple[str, datetime.date, str], list[Appointment]] = defaultdict(list)
    stays = []
    for a in Appointment.objects.filter(run=run).select_related("case__case"):
        leave = a.medical_day or a.day
        groups[(a.case.province or "-", a.day, Direction.TO_FACILITY)].append(a)
        groups[(a.case.province or "-", leave, Direction.FROM_FACILITY)].append(a)
        nights = (leave - a.day).days
        if nights > 0:
            cost = NIGHT_COST_PER_PERSON * nights * a.case.case.persons
            stays.append(
                Accommodation(mission=mission, run=run, case=a.case, nights=nights, cost=cost)
            )
    Accommodation.objects.bulk_create(stays)
    for (province, date, direction), items in sorted(groups.items()):
        trip = TransportTrip.objects.create(
            mission=mission,
            run=run,
            province=province,
            date=date,
            direction=direction,
            families=len(items),
            persons=sum(a.case.case.persons for a in items),
            cost=TRIP_COST,
        )
        trip.cases.set([a.case for a in items])


def costs(mission: Mission) -> dict[str, Any]:
    """The mission's logistics costs: totals, and per case (its share of trips + nights)."""
    per_case: dict[int, Decimal] = defaultdict(Decimal)
    transport = Decimal(0)
    trips = list(TransportTrip.objects.filter(mission=mission).prefetch_related("cases"))
    for trip in trips:
        transport += trip.cost
        members = list(trip.cases.all())
        for mc in members:
            per_case[mc.pk] += trip.cost / len(members)
    accommodation = Decimal(0)
    nights = 0
    for stay in Accommodation.objects.filter(mission=mission):
        accommodation += stay.cost
        nights += stay.nights
        per_case[stay.case_id] += stay.cost
    cases = {mc.pk: mc for mc in MissionCase.objects.filter(pk__in=per_case).select_related("case")}
    return {
        "trips": len(trips),
        "transport": transport,
        "nights": nights,
        "accommodation": accommodation,
        "total": transport + accommodation,
        "per_case": sorted(
            ((cases[pk], amount.quantize(Decimal("0.01"))) for pk, amount in per_case.items()),
            key=lambda row: row[0].case.reference,
        ),
    }
