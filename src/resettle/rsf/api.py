"""API of the rsf app: missions, schedule runs, appointments, no-shows, reschedules.

RSF staff, UNHCR staff and administrators see and manage every mission; a
receiving State's officials read their State's missions; others get 404.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from resettle.core.api_support import READ_AUTH, WRITE_AUTH, BoundedPagination, api_actor, api_user
from resettle.rsf import services
from resettle.rsf.models import Appointment, Mission, MissionCase, ScheduleRun

router = Router(tags=["rsf"])


class MissionOut(Schema):
    """A mission of the facility."""

    id: int
    name: str
    receiving_state: str
    kind: str
    mode: str
    start_date: datetime.date
    end_date: datetime.date
    timezone: str
    status: str
    caseworkers: int
    interview_base_minutes: int
    interview_per_adult_minutes: int
    medical_capacity: int
    is_illustrative: bool

    @staticmethod
    def resolve_receiving_state(obj: Mission) -> str:
        return obj.receiving_state.iso3


class RunOut(Schema):
    """A schedule run and its figures."""

    id: int
    mission: int
    status: str
    stage: str
    progress: int
    objective: int | None
    bound: float | None
    gap: float | None
    days_used: int | None
    trips: int | None
    moved: int | None
    unscheduled: list[str]
    previous: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_mission(obj: ScheduleRun) -> int:
        return obj.mission_id

    @staticmethod
    def resolve_previous(obj: ScheduleRun) -> int | None:
        return obj.previous_id


class AppointmentOut(Schema):
    """An interview appointment of the schedule in force (case reference only)."""

    case: str
    day: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    room: str
    interpreter: str | None
    medical_day: datetime.date | None

    @staticmethod
    def resolve_case(obj: Appointment) -> str:
        return obj.case.case.reference

    @staticmethod
    def resolve_room(obj: Appointment) -> str:
        return obj.room.name

    @staticmethod
    def resolve_interpreter(obj: Appointment) -> str | None:
        return obj.interpreter.name if obj.interpreter else None


class NoShowIn(Schema):
    """The case reference of the family that did not come."""

    case: str


class EventOut(Schema):
    """A recorded event waiting for a reschedule."""

    id: int
    kind: str
    days: list[str]


@router.get("/rsf/missions", response=list[MissionOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_missions(request: HttpRequest) -> models.QuerySet[Mission]:
    """The missions you may see."""
    return Mission.objects.visible_to(api_user(request)).select_related("receiving_state")


@router.get("/rsf/missions/{int:pk}", response=MissionOut, auth=READ_AUTH)
def get_mission(request: HttpRequest, pk: int) -> Mission:
    """One mission (404 when it is not yours to see)."""
    return services.get_mission_for_user(pk, api_user(request))


@router.post("/rsf/missions/{int:pk}/schedule", response={201: RunOut}, auth=WRITE_AUTH)
def start_schedule(request: HttpRequest, pk: int) -> Status[ScheduleRun]:
    """Queue a schedule of the mission; follow it on GET /rsf/runs/{id}."""
    mission = services.get_mission_for_user(pk, api_user(request))
    return Status(201, services.do_start_schedule(mission, actor=api_actor(request)))


@router.get("/rsf/runs/{int:pk}", response=RunOut, auth=READ_AUTH)
def get_run(request: HttpRequest, pk: int) -> ScheduleRun:
    """A schedule run: its status and progress, then its figures."""
    return services.get_run_for_user(pk, api_user(request))


@router.get("/rsf/missions/{int:pk}/appointments", response=list[AppointmentOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_appointments(request: HttpRequest, pk: int) -> models.QuerySet[Appointment]:
    """The appointments of the mission's schedule in force (empty before the first)."""
    mission = services.get_mission_for_user(pk, api_user(request))
    run = mission.latest_run()
    return (
        Appointment.objects.filter(run=run)
        .select_related("case__case", "room", "interpreter")
        .order_by("start", "room__name")
    )


@router.post("/rsf/missions/{int:pk}/no-show", response={201: EventOut}, auth=WRITE_AUTH)
def no_show(request: HttpRequest, pk: int, payload: NoShowIn) -> Status[object]:
    """Record that a family did not come (answered by the next reschedule)."""
    mission = services.get_mission_for_user(pk, api_user(request))
    actor = api_actor(request)
    services.require_manager(actor)
    mc = MissionCase.objects.filter(mission=mission, case__reference=payload.case).first()
    if mc is None:
        raise ValidationError({"case": _("No such case in the mission.")})
    return Status(201, services.do_mark_no_show(mc, actor=actor))


@router.post("/rsf/missions/{int:pk}/reschedule", response={201: RunOut}, auth=WRITE_AUTH)
def reschedule(request: HttpRequest, pk: int) -> Status[ScheduleRun]:
    """Queue a reschedule answering the recorded no-shows and lost interpreters."""
    mission = services.get_mission_for_user(pk, api_user(request))
    return Status(201, services.do_reschedule(mission, actor=api_actor(request)))
