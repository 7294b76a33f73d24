"""Business rules of the Resettlement Support Facility: missions, their set-up, schedules.

Writes are `do_<verb>_<noun>(..., *, actor)`: atomic, checking rights
(RSF staff, UNHCR staff and administrators manage missions; the receiving
State's officials read theirs; everyone else gets 404), validating, and
audited through `save_with_audit`. A schedule run is queued here and
executed by the task worker (`rsf.tasks.run_schedule_task` ->
`rsf.runs.execute_run`), which feeds the pure scheduler.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.cases.models import CaseStatus, ResettlementCase, ShareRecord
from resettle.cases.sharing import SHARE_FIELDS, record_share, share_terms
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.rsf.models import (
    Appointment,
    EventKind,
    Interpreter,
    Mission,
    MissionCase,
    MissionCaseStatus,
    MissionCaseworker,
    MissionInterpreter,
    Room,
    RoomClosure,
    RunStatus,
    ScheduleEvent,
    ScheduleRun,
    is_manager,
)

# Language codes of the case records, named as the facility's interpreters name them.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "fa": "Farsi",
    "prs": "Dari",
    "ps": "Pashto",
    "ku": "Kurmanji",
    "kmr": "Kurmanji",
    "ckb": "Sorani",
    "tr": "Turkish",
    "en": "English",
    "fr": "French",
    "so": "Somali",
    "ti": "Tigrinya",
    "am": "Amharic",
    "ur": "Urdu",
    "rhg": "Rohingya",
    "my": "Burmese",
    "sw": "Swahili",
}


def can_manage_missions(user: User | None) -> bool:
    """RSF staff, UNHCR staff and administrators manage missions."""
    return is_manager(user)


def _manager(actor: User | None) -> None:
    require(can_manage_missions(actor), "rsf")


# ---- reads ----------------------------------------------------------------------------


def get_mission_for_user(pk: int | str, user: Any) -> Mission:
    """A mission the user may see, or Http404."""
    return get_visible(Mission, user, pk=pk)


def get_run_for_user(pk: int | str, user: Any) -> ScheduleRun:
    """A schedule run of a mission the user may see, or Http404."""
    run = ScheduleRun.objects.select_related("mission").filter(pk=pk).first()
    pk_mission = run.mission_id if run is not None else -1
    get_mission_for_user(pk_mission, user)  # 404 when absent or not the user's
    assert run is not None  # noqa: S101 - the mission lookup raised otherwise
    return run


def get_mission_case(mission: Mission, pk: int | str) -> MissionCase:
    """A case of the mission (the mission was checked), or Http404."""
    found: MissionCase = get_visible_in(MissionCase.objects.filter(mission=mission), pk)
    return found


def get_visible_in(qs: Any, pk: int | str) -> Any:
    """One row of an already-checked queryset, or Http404."""
    from django.http import Http404  # noqa: PLC0415

    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(str(qs.model._meta.verbose_name)) from exc


def rooms_for_user(user: Any) -> Any:
    """The facility's rooms (managers only; PermissionDenied otherwise)."""
    _manager(as_user(user))
    return Room.objects.all()


def interpreters_for_user(user: Any) -> Any:
    """The facility's interpreters (managers only; PermissionDenied otherwise)."""
    _manager(as_user(user))
    return Interpreter.objects.all()


# ---- missions, rooms, interpreters -----------------------------------------------------

MISSION_FIELDS = (
    "name",
    "receiving_state",
    "delegation",
    "kind",
    "mode",
    "start_date",
    "end_date",
    "timezone",
    "status",
    "day_start",
    "day_hours",
    "caseworkers",
    "interview_base_minutes",
    "interview_per_adult_minutes",
    "medical_capacity",
    "notes",
    "is_illustrative",
)


def _pick(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {k: data[k] for k in names if k in data}


@transaction.atomic
def do_create_mission(data: Mapping[str, Any], *, actor: User | None) -> Mission:
    """A new mission (managers; actor None for the demo)."""
    if actor is not None:
        _manager(actor)
    return save_with_audit(Mission(), _pick(data, MISSION_FIELDS), actor=actor)


@transaction.atomic
def do_update_mission(mission: Mission, data: Mapping[str, Any], *, actor: User) -> Mission:
    """Change a mission's details."""
    _manager(actor)
    return save_with_audit(mission, _pick(data, MISSION_FIELDS), actor=actor)


@transaction.atomic
def do_create_room(data: Mapping[str, Any], *, actor: User | None) -> Room:
    """A new facility room."""
    if actor is not None:
        _manager(actor)
    return save_with_audit(
        Room(), _pick(data, ("name", "video", "capacity", "is_illustrative")), actor=actor
    )


@transaction.atomic
def do_update_room(room: Room, data: Mapping[str, Any], *, actor: User) -> Room:
    """Change a room."""
    _manager(actor)
    return save_with_audit(room, _pick(data, ("name", "video", "capacity")), actor=actor)


def _languages(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return sorted({str(v).strip() for v in value or [] if str(v).strip()})


@transaction.atomic
def do_create_interpreter(data: Mapping[str, Any], *, actor: User | None) -> Interpreter:
    """A new interpreter with their languages."""
    if actor is not None:
        _manager(actor)
    fields = _pick(data, ("name", "is_illustrative"))
    fields["languages"] = _languages(data.get("languages"))
    return save_with_audit(Interpreter(), fields, actor=actor)


@transaction.atomic
def do_update_interpreter(
    interpreter: Interpreter, data: Mapping[str, Any], *, actor: User
) -> Interpreter:
    """Change an interpreter's name or languages."""
    _manager(actor)
    fields = _pick(data, ("name",))
    if "languages" in data:
        fields["languages"] = _languages(data["languages"])
    return save_with_audit(interpreter, fields, actor=actor)


@transaction.atomic
def do_assign_interpreter(
    mission: Mission,
    interpreter: Interpreter,
    days: Iterable[datetime.date] = (),
    *,
    actor: User | None,
) -> MissionInterpreter:
    """Put an interpreter on the mission on some of its days (none given: every day)."""
    if actor is not None:
        _manager(actor)
    row = MissionInterpreter.objects.filter(mission=mission, interpreter=interpreter).first()
    return save_with_audit(
        row or MissionInterpreter(mission=mission, interpreter=interpreter),
        {"days": _mission_days(mission, days)},
        actor=actor,
    )


@transaction.atomic
def do_remove_interpreter(assignment: MissionInterpreter, *, actor: User) -> None:
    """Take an interpreter off the mission."""
    _manager(actor)
    delete_with_audit(assignment, actor=actor)


def _mission_days(mission: Mission, days: Iterable[datetime.date]) -> list[str]:
    """The days as ISO strings, refused when one is not a day of the mission."""
    mission_days = set(mission.days())
    chosen = sorted(set(days))
    outside = [d for d in chosen if d not in mission_days]
    if outside:
        raise ValidationError(
            {"days": _("%(day)s is not a day of the mission.") % {"day": outside[0]}}
        )
    return [d.isoformat() for d in chosen]


@transaction.atomic
def do_add_caseworker(
    mission: Mission,
    name: str,
    days: Iterable[datetime.date] = (),
    *,
    actor: User | None,
) -> MissionCaseworker:
    """Name a caseworker of the mission, on some of its days (none given: every day).

    Naming the same caseworker again changes their days.
    """
    if actor is not None:
        _manager(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the caseworker's name.")})
    row = MissionCaseworker.objects.filter(mission=mission, name=name).first()
    return save_with_audit(
        row or MissionCaseworker(mission=mission, name=name),
        {"days": _mission_days(mission, days)},
        actor=actor,
    )


@transaction.atomic
def do_remove_caseworker(row: MissionCaseworker, *, actor: User) -> None:
    """Take a named caseworker off the mission (schedules already made keep the name)."""
    _manager(actor)
    delete_with_audit(row, actor=actor)


@transaction.atomic
def do_close_room(
    room: Room, date: datetime.date, reason: str = "", *, actor: User | None
) -> RoomClosure:
    """Close a room for a day; schedules computed afterwards leave it free that day."""
    if actor is not None:
        _manager(actor)
    if RoomClosure.objects.filter(room=room, date=date).exists():
        raise ValidationError(
            {"date": _("Room %(room)s is already closed on %(day)s.") % {"room": room, "day": date}}
        )
    return save_with_audit(
        RoomClosure(room=room, date=date), {"reason": reason.strip()}, actor=actor
    )


@transaction.atomic
def do_reopen_room(closure: RoomClosure, *, actor: User) -> None:
    """Remove a room's closure."""
    _manager(actor)
    delete_with_audit(closure, actor=actor)


def room_closures_for_user(user: Any) -> Any:
    """The facility's room closures from today on (managers only)."""
    require_manager(as_user(user))
    return RoomClosure.objects.filter(date__gte=timezone.localdate()).select_related("room")


# ---- cases -------------------------------------------------------------------------------


def selectable_cases(mission: Mission) -> Any:
    """Cases that may join the mission: not withdrawn, not referred to another State,
    not already in it."""
    return (
        ResettlementCase.objects.exclude(status=CaseStatus.WITHDRAWN)
        .exclude(Q(status=CaseStatus.REFERRED) & ~Q(referred_state_id=mission.receiving_state_id))
        .exclude(pk__in=MissionCase.objects.filter(mission=mission).values("case_id"))
    )


def case_file_defaults(case: ResettlementCase) -> dict[str, Any]:
    """Province, adults to interview and languages from the pipeline's case file, if any.

    The pipeline app is optional here: without it (or without a case file),
    nothing is returned and the case's own fields give the defaults.
    """
    if not django_apps.is_installed("resettle.pipeline"):
        return {}
    case_file = getattr(case, "case_file", None) if _has_case_file(case) else None
    if case_file is None:
        return {}
    out: dict[str, Any] = {"province": case_file.province}
    interviewees = case_file.interviewees()
    if interviewees:
        out["adults"] = interviewees
    languages = case_file.languages()
    if languages:
        out["language_codes"] = languages
    return out


def _has_case_file(case: ResettlementCase) -> bool:
    try:
        return getattr(case, "case_file", None) is not None
    except ObjectDoesNotExist:
        return False


def interview_language(case: ResettlementCase, codes: list[str] | None = None) -> str:
    """The interview language derived from the first language code (the case's by default)."""
    codes = [str(c).lower() for c in (codes if codes is not None else case.languages or [])]
    if not codes:
        return ""
    return LANGUAGE_NAMES.get(codes[0], codes[0])


@transaction.atomic
def do_select_case(
    mission: Mission,
    case: ResettlementCase,
    data: Mapping[str, Any] | None = None,
    *,
    actor: User | None,
) -> MissionCase:
    """Select a case into the mission, with its interview needs.

    Defaults: from the pipeline's case file when there is one (province,
    members to interview, members' languages); else adults = ceil(persons / 2)
    and the language from the case's first language code;
    remote when the mission is remote, medical when the case has medical needs.

    The mission's State delegation then sees the case: unless it was already
    shared with that State (a referral), `data` must hold the terms of sharing
    (purpose, consent, consent_date or override_reason; cases/sharing.py) and a
    sharing record is written.
    """
    if actor is not None:
        _manager(actor)
    data = data or {}
    known = case_file_defaults(case)
    if case.status == CaseStatus.WITHDRAWN:
        raise ValidationError({"case": _("The case was withdrawn.")})
    if case.status == CaseStatus.REFERRED and case.referred_state_id not in (
        None,
        mission.receiving_state_id,
    ):
        raise ValidationError({"case": _("The case is referred to another State.")})
    if MissionCase.objects.filter(mission=mission, case=case).exists():
        raise ValidationError({"case": _("The case is already in the mission.")})
    if not ShareRecord.objects.filter(case=case, state_id=mission.receiving_state_id).exists():
        terms = share_terms({name: data.get(name) for name in SHARE_FIELDS})
        record_share(case, mission.receiving_state, terms, actor=actor)
    fields = {
        "mission": mission,
        "case": case,
        "province": str(data.get("province") or known.get("province") or ""),
        "language": str(
            data.get("language", interview_language(case, known.get("language_codes")))
        ),
        "adults": int(
            data.get("adults") or known.get("adults") or MissionCase.default_adults(case.persons)
        ),
        "remote": bool(data.get("remote", mission.mode == "remote")),
        "medical": bool(data.get("medical", case.medical_needs or case.serious_medical)),
    }
    return save_with_audit(MissionCase(), fields, actor=actor)


@transaction.atomic
def do_select_cases(
    mission: Mission,
    cases: Sequence[ResettlementCase],
    data: Mapping[str, Any] | None = None,
    *,
    actor: User | None,
) -> list[MissionCase]:
    """Select several cases with the same data, all or none: an error names the case."""
    selected = []
    for case in cases:
        try:
            selected.append(do_select_case(mission, case, data, actor=actor))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"case": exc.messages}
            errors.setdefault("case", []).insert(
                0, _("Case %(ref)s cannot be selected.") % {"ref": case.reference}
            )
            raise ValidationError(errors) from exc
    return selected


@transaction.atomic
def do_update_mission_case(
    mission_case: MissionCase, data: Mapping[str, Any], *, actor: User
) -> MissionCase:
    """Change a mission case's province, language, adults, remote, medical or status."""
    _manager(actor)
    fields = _pick(data, ("province", "language", "adults", "remote", "medical", "status"))
    return save_with_audit(mission_case, fields, actor=actor)


# ---- schedule runs --------------------------------------------------------------------------


def _enqueue(run: ScheduleRun) -> None:
    from resettle.rsf.tasks import run_schedule_task  # noqa: PLC0415 - tasks import us

    run_schedule_task.enqueue(run_id=run.pk)


def _busy(mission: Mission) -> bool:
    return mission.runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists()


def _start(
    mission: Mission, fields: dict[str, Any], *, actor: User | None, background: bool
) -> ScheduleRun:
    from resettle.rsf.runs import execute_run  # noqa: PLC0415 - runs import us

    if _busy(mission):
        raise ValidationError(_("A schedule is already being computed for this mission."))
    run = save_with_audit(
        ScheduleRun(), {"mission": mission, "created_by": actor, **fields}, actor=actor
    )
    if background:
        # Enqueued in the run's own transaction: the worker sees it once committed.
        _enqueue(run)
    else:
        execute_run(run.pk)
        run.refresh_from_db()
    return run


@transaction.atomic
def do_start_schedule(
    mission: Mission, *, actor: User | None, background: bool = True
) -> ScheduleRun:
    """Queue a schedule of the mission's cases (background=False: compute it now)."""
    if actor is not None:
        _manager(actor)
    if (
        not MissionCase.objects.filter(mission=mission)
        .exclude(status=MissionCaseStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("The mission has no cases to schedule."))
    if not Room.objects.exists():
        raise ValidationError(_("The facility has no rooms."))
    return _start(mission, {}, actor=actor, background=background)


def appointment_of(mission_case: MissionCase) -> Appointment | None:
    """The case's appointment in the schedule in force."""
    run = mission_case.mission.latest_run()
    if run is None:
        return None
    return Appointment.objects.filter(run=run, case=mission_case).first()


@transaction.atomic
def do_mark_no_show(mission_case: MissionCase, *, actor: User) -> ScheduleEvent:
    """The family did not come to its interview: record it for the next reschedule."""
    _manager(actor)
    appointment = appointment_of(mission_case)
    if appointment is None:
        raise ValidationError({"case": _("The case has no appointment in the schedule.")})
    if ScheduleEvent.objects.filter(
        case=mission_case, kind=EventKind.NO_SHOW, applied_in__isnull=True
    ).exists():
        raise ValidationError({"case": _("This no-show is already recorded.")})
    event = save_with_audit(
        ScheduleEvent(),
        {
            "mission": mission_case.mission,
            "kind": EventKind.NO_SHOW,
            "case": mission_case,
            "days": [appointment.day.isoformat()],
        },
        actor=actor,
    )
    save_with_audit(mission_case, {"status": MissionCaseStatus.NO_SHOW}, actor=actor)
    return event


@transaction.atomic
def do_mark_interpreter_lost(
    mission: Mission,
    interpreter: Interpreter,
    days: Iterable[datetime.date],
    *,
    actor: User,
) -> ScheduleEvent:
    """An interpreter cannot work on some mission days: record it for the next reschedule."""
    _manager(actor)
    chosen = sorted(set(days))
    if not chosen:
        raise ValidationError({"days": _("Choose at least one day.")})
    mission_days = set(mission.days())
    if any(d not in mission_days for d in chosen):
        raise ValidationError({"days": _("Choose days of the mission.")})
    if not MissionInterpreter.objects.filter(mission=mission, interpreter=interpreter).exists():
        raise ValidationError({"interpreter": _("The interpreter does not work on this mission.")})
    return save_with_audit(
        ScheduleEvent(),
        {
            "mission": mission,
            "kind": EventKind.INTERPRETER_LOST,
            "interpreter": interpreter,
            "days": [d.isoformat() for d in chosen],
        },
        actor=actor,
    )


def pending_events(mission: Mission) -> Any:
    """Events no reschedule has answered yet."""
    return ScheduleEvent.objects.filter(mission=mission, applied_in__isnull=True).select_related(
        "case__case", "interpreter"
    )


@transaction.atomic
def do_reschedule(mission: Mission, *, actor: User | None, background: bool = True) -> ScheduleRun:
    """Queue a new schedule answering the pending events, keeping the others' appointments."""
    if actor is not None:
        _manager(actor)
    previous = mission.latest_run()
    if previous is None:
        raise ValidationError(_("The mission has no schedule yet."))
    events = list(pending_events(mission))
    if not events:
        raise ValidationError(_("There is no no-show or lost interpreter to answer."))
    payload = [
        {
            "id": e.pk,
            "type": e.kind,
            "case": e.case.case.reference if e.case else None,
            "interpreter": e.interpreter_id,
            "days": e.days,
        }
        for e in events
    ]
    return _start(
        mission, {"previous": previous, "events": payload}, actor=actor, background=background
    )


def require_manager(user: User | None) -> None:
    """PermissionDenied unless the user manages missions."""
    if not can_manage_missions(user):
        raise PermissionDenied("rsf")
