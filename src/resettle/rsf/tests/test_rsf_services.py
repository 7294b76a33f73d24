"""Services of the RSF app: rights, schedule runs end to end, no-show and reschedule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resettle.cases.models import CaseStatus, ShareRecord
from resettle.cases.tests.fixtures import SHARE
from resettle.core.models import AuditEntry
from resettle.directory.models import Country
from resettle.rsf import runs, services
from resettle.rsf.models import (
    Accommodation,
    Appointment,
    Mission,
    MissionCase,
    MissionCaseStatus,
    RunStatus,
    ScheduleRun,
    TransportTrip,
)
from resettle.rsf.scheduler.check import violations
from resettle.rsf.scheduler.reschedule import apply_events
from resettle.rsf.tests.fixtures import make_rsf_world, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any]) -> Any:
    world = make_rsf_world()
    world.users = users
    return world


def test_who_sees_a_mission(w: Any, can_state_org: Any) -> None:
    from resettle.accounts.models import User

    for role in ("admin", "unhcr", "rsf", "state"):
        assert services.get_mission_for_user(w.mission.pk, w.users[role]) == w.mission
    for role in ("ngo", "refugee", "other"):
        with pytest.raises(Http404):
            services.get_mission_for_user(w.mission.pk, w.users[role])
    with pytest.raises(Http404):
        services.get_mission_for_user(w.mission.pk, None)
    canada = User.objects.create_user(
        "ircc", "i@example.org", None, organisation=can_state_org, role="state"
    )
    with pytest.raises(Http404):
        services.get_mission_for_user(w.mission.pk, canada)


def test_only_managers_write(w: Any) -> None:
    for role in ("state", "ngo", "refugee", "other"):
        with pytest.raises(PermissionDenied):
            services.do_update_mission(w.mission, {"notes": "x"}, actor=w.users[role])
        with pytest.raises(PermissionDenied):
            services.do_start_schedule(w.mission, actor=w.users[role])
    before = AuditEntry.objects.count()
    services.do_update_mission(w.mission, {"notes": "Bring the forms"}, actor=w.users["rsf"])
    assert AuditEntry.objects.count() == before + 1


def test_mission_dates_are_checked(w: Any) -> None:
    data = {
        "name": "Backwards",
        "receiving_state": Country.objects.get(iso3="DEU"),
        "start_date": datetime.date(2030, 5, 5),
        "end_date": datetime.date(2030, 5, 1),
    }
    with pytest.raises(ValidationError) as exc:
        services.do_create_mission(data, actor=w.users["rsf"])
    assert "end_date" in exc.value.error_dict


def test_selection_defaults_and_refusals(w: Any) -> None:
    mc = w.cases[1]  # 4 persons, Arabic
    assert (mc.adults, mc.language, mc.province) == (2, "Arabic", "Gaziantep")
    with pytest.raises(ValidationError) as exc:
        services.do_select_case(w.mission, mc.case, actor=w.users["rsf"])
    assert "case" in exc.value.error_dict
    other = w.cases[2].case
    other.referred_state = Country.objects.get(iso3="CAN")
    other.save()
    mission2 = Mission.objects.create(
        name="Second",
        receiving_state=Country.objects.get(iso3="DEU"),
        start_date=datetime.date(2030, 6, 1),
        end_date=datetime.date(2030, 6, 2),
    )
    with pytest.raises(ValidationError):
        services.do_select_case(mission2, other, actor=w.users["rsf"])
    assert other not in services.selectable_cases(mission2)


def test_schedule_task_end_to_end_without_violations(w: Any) -> None:
    run = services.do_start_schedule(w.mission, actor=w.users["rsf"])
    assert run.status == RunStatus.QUEUED
    run_tasks()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    task = DBTaskResult.objects.get(task_path__endswith="run_schedule_task")
    assert task.status == TaskResultStatus.SUCCESSFUL
    model = runs.mission_model(w.mission)
    schedule = runs.previous_schedule(run)
    assert violations(model, schedule) == []
    assert Appointment.objects.filter(run=run).count() == len(schedule.appointments) == 12
    assert run.objective and run.objective > 0 and run.bound and run.objective <= run.bound + 1e-6
    w.mission.refresh_from_db()
    assert w.mission.status == "scheduled"
    assert set(w.mission.cases.values_list("status", flat=True)) == {MissionCaseStatus.SCHEDULED}
    # Logistics: families of a province on one day share a trip; medical stays cost nights.
    trips = TransportTrip.objects.filter(mission=w.mission)
    keys = [(t.province, t.date, t.direction) for t in trips]
    assert len(keys) == len(set(keys))
    assert sum(t.families for t in trips.filter(direction="to")) == 12
    assert Accommodation.objects.filter(mission=w.mission).count() == sum(
        1 for a in schedule.appointments if a.medical_day is not None
    )
    costs = runs.costs(w.mission)
    assert costs["total"] == costs["transport"] + costs["accommodation"] > 0
    assert len(costs["per_case"]) == 12


def test_no_show_then_reschedule_moves_few(w: Any) -> None:
    first = services.do_start_schedule(w.mission, actor=w.users["rsf"], background=False)
    assert first.status == RunStatus.DONE
    mc = w.mission_case
    appointment = Appointment.objects.get(run=first, case=mc)
    with pytest.raises(ValidationError):
        services.do_reschedule(w.mission, actor=w.users["rsf"])  # nothing to answer
    services.do_mark_no_show(mc, actor=w.users["rsf"])
    mc.refresh_from_db()
    assert mc.status == MissionCaseStatus.NO_SHOW
    with pytest.raises(ValidationError):
        services.do_mark_no_show(mc, actor=w.users["rsf"])
    second = services.do_reschedule(w.mission, actor=w.users["rsf"])
    run_tasks()
    second.refresh_from_db()
    assert second.status == RunStatus.DONE and second.previous_id == first.pk
    assert second.moved is not None and second.moved <= 2
    assert not services.pending_events(w.mission).exists()
    kept = Appointment.objects.filter(run=second).exclude(case=mc)
    same = sum(
        1
        for a in kept
        if Appointment.objects.filter(
            run=first, case=a.case, start=a.start, room=a.room, interpreter=a.interpreter
        ).exists()
    )
    assert same >= kept.count() - 2
    rebooked = Appointment.objects.filter(run=second, case=mc).first()
    if rebooked is not None:
        assert rebooked.day > appointment.day
    model = runs.mission_model(w.mission)
    assert violations(model, runs.previous_schedule(second)) == []


def test_lost_interpreter_reschedule_keeps_constraints(w: Any) -> None:
    first = services.do_start_schedule(w.mission, actor=w.users["unhcr"], background=False)
    used = Appointment.objects.filter(run=first, interpreter__isnull=False).first()
    assert used is not None
    services.do_mark_interpreter_lost(w.mission, used.interpreter, [used.day], actor=w.users["rsf"])
    second = services.do_reschedule(w.mission, actor=w.users["rsf"], background=False)
    assert second.status == RunStatus.DONE
    assert not Appointment.objects.filter(
        run=second, interpreter=used.interpreter, day=used.day
    ).exists()
    model = runs.mission_model(w.mission)
    events = runs.events_of(second, w.mission)
    assert violations(apply_events(model, events), runs.previous_schedule(second)) == []


def test_one_run_at_a_time(w: Any) -> None:
    services.do_start_schedule(w.mission, actor=w.users["rsf"])
    with pytest.raises(ValidationError):
        services.do_start_schedule(w.mission, actor=w.users["rsf"])
    assert ScheduleRun.objects.count() == 1


def test_demo_is_idempotent_and_scheduled_without_violations() -> None:
    from resettle.cases.demo import load_cases_demo
    from resettle.rsf.demo import MISSION_NAME, load_rsf_demo

    load_cases_demo()
    created = load_rsf_demo()
    assert created > 50
    assert load_rsf_demo() == 0
    mission = Mission.objects.get(name=MISSION_NAME)
    assert mission.is_illustrative and mission.cases.count() == 40
    run = mission.latest_run()
    assert run is not None and run.status == RunStatus.DONE
    assert violations(runs.mission_model(mission), runs.previous_schedule(run)) == []
    assert Appointment.objects.filter(run=run).count() >= 30


def _unreferred_case(reference: str, persons: int = 2) -> Any:
    from resettle.cases.models import ResettlementCase

    return ResettlementCase.objects.create(
        reference=reference,
        persons=persons,
        nationality="SYR",
        asylum=Country.objects.get(iso3="TUR"),
        category="LPN",
        priority="normal",
        submitted_on=datetime.date(2029, 1, 1),
        languages=["ar"],
    )


def test_selection_reads_the_pipeline_case_file(w: Any) -> None:
    from resettle.pipeline.models import CaseFile

    case = _unreferred_case("T-RSF-CF", persons=5)
    CaseFile.objects.create(case=case, province="Mersin")
    mc = services.do_select_case(w.mission, case, SHARE, actor=w.users["rsf"])
    assert (mc.province, mc.language, mc.adults) == ("Mersin", "Arabic", 3)


def test_selecting_a_case_shares_it_with_the_missions_state(w: Any) -> None:
    """The delegation sees the cases of its mission: sharing needs purpose and consent."""
    rsf = w.users["rsf"]
    case = _unreferred_case("T-RSF-NEW")
    with pytest.raises(ValidationError) as exc:
        services.do_select_case(w.mission, case, {"province": "Hatay"}, actor=rsf)
    assert {"purpose", "consent"} <= set(exc.value.error_dict)
    assert not MissionCase.objects.filter(case=case).exists()
    assert not ShareRecord.objects.filter(case=case).exists()

    override = {"purpose": "selection_mission", "consent": "override"}
    with pytest.raises(ValidationError) as exc:
        services.do_select_case(w.mission, case, override, actor=rsf)
    assert set(exc.value.error_dict) == {"override_reason"}

    before = AuditEntry.objects.count()
    services.do_select_case(
        w.mission, case, {**override, "override_reason": "Emergency: protection risk"}, actor=rsf
    )
    record = ShareRecord.objects.get(case=case)
    assert (record.state, record.purpose, record.consent, record.actor) == (
        w.mission.receiving_state,
        "selection_mission",
        "override",
        rsf,
    )
    assert AuditEntry.objects.count() == before + 2  # the sharing and the selection

    # A case already shared with that State (its referral) needs no new terms.
    shared = _unreferred_case("T-RSF-SHARED")
    ShareRecord.objects.create(case=shared, state=w.mission.receiving_state, **SHARE)
    services.do_select_case(w.mission, shared, actor=rsf)
    assert ShareRecord.objects.filter(case=shared).count() == 1


def test_selecting_several_cases_is_all_or_nothing(w: Any) -> None:
    first, second = _unreferred_case("T-RSF-A"), _unreferred_case("T-RSF-B")
    second.status = CaseStatus.WITHDRAWN
    second.save()
    with pytest.raises(ValidationError) as exc:
        services.do_select_cases(w.mission, [first, second], SHARE, actor=w.users["rsf"])
    assert exc.value.message_dict["case"] == [
        "Case T-RSF-B cannot be selected.",
        "The case was withdrawn.",
    ]
    assert not MissionCase.objects.filter(case__in=[first, second]).exists()
    assert not ShareRecord.objects.filter(case__in=[first, second]).exists()
