"""Allocation services: rights, runs end to end, scenarios, confirmation, pledge lines."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from resettle.allocation import services
from resettle.allocation.models import AllocationRun, AssignmentReason, RunAssignment, RunStatus
from resettle.allocation.tests.fixtures import (
    THIS_YEAR,
    make_allocation_world,
    make_run,
    make_scenario,
)
from resettle.cases.models import CaseStatus
from resettle.cases.tests.fixtures import SHARE
from resettle.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def run_tasks() -> None:
    """Run the queued background tasks, as `resettle worker` would."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        result.claim("test")
        worker.run_task(result)


def _outcomes(run: AllocationRun) -> dict[str, tuple[str, str | None]]:
    return {
        a.case.reference: (a.reason, a.state.iso3 if a.state else None)
        for a in run.assignments.select_related("case", "state")
    }


def test_a_queued_run_is_executed_by_the_worker(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    run = services.do_start_run(THIS_YEAR, name="Queued", actor=world.users["unhcr"])
    assert (run.status, run.progress, run.case_count, run.line_count) == ("queued", 0, 4, 2)
    assert AuditEntry.objects.for_object(run).count() == 1

    run_tasks()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.objective is not None and run.bound is not None and run.bound >= run.objective
    assert run.gap is not None and 0 <= run.gap < 0.01
    assert _outcomes(run) == {
        "T-SYR-1": ("placed", "DEU"),
        "T-SYR-2": ("capacity_taken", None),
        "T-AFG-1": ("placed", "CAN"),
        "T-SOM-1": ("no_eligible_line", None),
    }
    # Referred cases are not in the run; no case moved: a run is a proposal.
    assert not run.assignments.filter(case=world.referred_deu).exists()
    world.case_syr.refresh_from_db()
    assert world.case_syr.status == CaseStatus.SUBMITTED
    som = run.assignments.get(case=world.case_som)
    assert som.explanation["excluded_by"] == {
        f"L{world.line_deu.pk}": "nationality",
        f"L{world.line_can.pk}": "nationality",
    }
    assert run.reserve[-1]["state"] == "" and run.reserve[-1]["capacity"] == 9


def test_only_unhcr_and_admins_start_runs(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    for role in ("state", "ngo", "refugee", "rsf", "other"):
        with pytest.raises(PermissionDenied):
            services.do_start_run(THIS_YEAR, actor=world.users[role])
    assert services.do_start_run(THIS_YEAR, actor=world.users["admin"]).status == "queued"
    assert AllocationRun.objects.count() == 1


def test_a_year_without_lines_is_refused(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    with pytest.raises(ValidationError) as exc:
        services.do_start_run(1999, actor=world.users["unhcr"])
    assert "year" in exc.value.message_dict


def test_a_scenario_changes_a_copy_and_reruns(world: SimpleNamespace) -> None:
    scenario = make_scenario(world)
    assert scenario.parent == world.run and scenario.status == RunStatus.DONE
    assert "11" in scenario.description
    assert _outcomes(scenario)["T-SYR-2"] == ("placed", "DEU")
    # The run itself keeps its input and result.
    assert _outcomes(world.run)["T-SYR-2"] == ("capacity_taken", None)
    world.line_deu.refresh_from_db()
    assert world.line_deu.capacity == 6


def test_a_scenario_with_a_bad_change_names_the_field(world: SimpleNamespace) -> None:
    run = make_run(world)
    with pytest.raises(ValidationError) as exc:
        services.do_create_scenario(
            run,
            [{"kind": "set_capacity", "line": "nope", "capacity": 3}],
            actor=world.users["unhcr"],
        )
    assert "line" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_create_scenario(run, [], actor=world.users["unhcr"])
    assert "changes" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.do_create_scenario(
            run,
            [{"kind": "set_capacity", "line": f"L{world.line_deu.pk}", "capacity": 3}],
            actor=world.users["state"],
        )


def test_adding_places_for_a_situation(world: SimpleNamespace) -> None:
    run = make_run(world)
    scenario = services.do_create_scenario(
        run,
        [{"kind": "add_capacity", "situation": "Test situation", "places": 10, "state": "DEU"}],
        actor=world.users["unhcr"],
        background=False,
    )
    assert scenario.status == RunStatus.DONE
    assert scenario.line_count == run.line_count + 1
    assert scenario.description == "10 places added for Test situation, by DEU."
    added = scenario.input.data["lines"][-1]
    assert (added["state"], added["capacity"], added["situations"]) == (
        "DEU",
        10,
        ["Test situation"],
    )
    assert _outcomes(scenario)["T-SYR-1"] == ("placed", "DEU")
    # The run keeps its own input.
    assert len(run.input.data["lines"]) == 2


def test_confirming_refers_the_placed_cases(world: SimpleNamespace) -> None:
    run = make_run(world)
    unhcr = world.users["unhcr"]
    for role in ("admin", "state", "ngo"):
        with pytest.raises(PermissionDenied):
            services.do_confirm_run(run, share=SHARE, actor=world.users[role])
    before = AuditEntry.objects.count()

    assert services.do_confirm_run(run, share=SHARE, actor=unhcr) == 2

    assert AuditEntry.objects.count() == before + 5  # two cases, their sharing records, the run
    for case, state in ((world.case_syr, "DEU"), (world.case_afg, "CAN")):
        case.refresh_from_db()
        assert case.status == CaseStatus.REFERRED and case.referred_state.iso3 == state
        assert case.referred_at is not None
        assert AuditEntry.objects.for_object(case).get().after["status"] == "referred"
    world.case_som.refresh_from_db()
    assert world.case_som.status == CaseStatus.SUBMITTED
    run.refresh_from_db()
    assert run.confirmed_by == unhcr and run.confirmed
    with pytest.raises(ValidationError):
        services.do_confirm_run(run, share=SHARE, actor=unhcr)


def test_a_run_whose_cases_moved_on_cannot_be_confirmed(world: SimpleNamespace) -> None:
    run = make_run(world)
    other = services.do_create_scenario(
        run,
        [{"kind": "set_capacity", "line": f"L{world.line_deu.pk}", "capacity": 6}],
        actor=None,
        background=False,
    )
    services.do_confirm_run(other, share=SHARE, actor=world.users["unhcr"])
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.do_confirm_run(run, share=SHARE, actor=world.users["unhcr"])
    assert AuditEntry.objects.count() == before


def test_pledge_lines_are_edited_by_unhcr_and_admins(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    line = world.line_deu
    with pytest.raises(PermissionDenied):
        services.do_update_line(line, {"capacity": 10}, actor=world.users["state"])
    services.do_update_line(line, {"capacity": 10}, actor=world.users["unhcr"])
    line.refresh_from_db()
    assert line.capacity == 10
    with pytest.raises(ValidationError) as exc:
        services.do_update_line(line, {"reserved_urgent": 50}, actor=world.users["unhcr"])
    assert "reserved_urgent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_update_line(line, {"priorities": []}, actor=world.users["unhcr"])
    assert "priorities" in exc.value.message_dict


def test_large_runs_store_assignments_in_batches(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "BATCH", 2)
    run = make_run(world)
    assert RunAssignment.objects.filter(run=run).count() == 4
    assert run.assignments.filter(reason=AssignmentReason.PLACED).count() == 2
