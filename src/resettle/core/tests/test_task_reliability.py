"""Leases, the reaper and idempotent task bodies, in one process, on both databases.

The worker processes killed with SIGKILL are in test_task_workers.py; here the
same functions run in the test's own transaction, with leases made to expire
by moving their expiry into the past.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resettle.accounts.models import User
from resettle.allocation import services as allocation
from resettle.allocation.models import AllocationRun, RunAssignment, RunStatus
from resettle.allocation.tasks import run_allocation_task
from resettle.allocation.tests.fixtures import THIS_YEAR, make_allocation_world
from resettle.core import tasks_reliability as reliability
from resettle.core.models import AuditEntry
from resettle.core.task_leases import TaskLease
from resettle.core.task_worker import ReliableWorker
from resettle.core.tests.reliability_tasks import record_run, runs, stopped_midway
from resettle.needs import services as needs
from resettle.needs.models import DatasetVersion, FlowFigure, VersionStatus
from resettle.needs.tests.test_loader import FLOWS

pytestmark = pytest.mark.django_db


def claim(task_id: Any, worker_id: str, *, lease: bool = True) -> DBTaskResult[Any, Any]:
    """Claim a queued task as a worker would (and take its lease)."""
    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == TaskResultStatus.READY
    row.claim(worker_id)
    if lease:
        reliability.take_lease(row.pk, worker_id, len(row.worker_ids))
    return row


def expire(task_id: Any) -> None:
    """The lease's worker stopped renewing it a while ago."""
    past = timezone.now() - datetime.timedelta(seconds=5)
    assert TaskLease.objects.filter(task_id=task_id).update(expires_at=past) == 1


def worker(worker_id: str = "in-process") -> ReliableWorker:
    return ReliableWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def enqueue(tmp_path: Any, key: str = "a") -> Any:
    return record_run.enqueue(log=str(tmp_path / "runs.log"), key=key).id


def test_a_lease_runs_on_the_database_clock(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")

    lease = TaskLease.objects.get(task_id=task_id)
    assert (lease.worker_id, lease.attempt) == ("w1", 1)
    length = (lease.expires_at - lease.claimed_at).total_seconds()
    assert length == pytest.approx(reliability.lease_seconds(), abs=1)
    assert abs((lease.claimed_at - timezone.now()).total_seconds()) < 5
    assert reliability.renew_lease(task_id, "w1")
    assert not reliability.renew_lease(task_id, "w2")


def test_a_live_lease_is_left_alone(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")

    assert reliability.reap() == reliability.Reaped()
    assert DBTaskResult.objects.get(pk=task_id).status == TaskResultStatus.RUNNING


def test_an_expired_lease_puts_the_task_back_in_the_queue(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")
    expire(task_id)

    reaped = reliability.reap()

    assert reaped.requeued == [str(task_id)] and reaped.failed == []
    row = DBTaskResult.objects.get(pk=task_id)
    assert (row.status, row.started_at, row.worker_ids) == (TaskResultStatus.READY, None, ["w1"])
    assert not TaskLease.objects.exists()
    # The next worker takes it; the attempt count goes on.
    claim(task_id, "w2")
    assert TaskLease.objects.get(task_id=task_id).attempt == 2


def test_a_worker_never_reaps_its_own_task(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")
    expire(task_id)

    assert reliability.reap(spare_worker="w1") == reliability.Reaped()
    assert reliability.reap(spare_worker="w2").requeued == [str(task_id)]


def test_a_running_task_without_a_lease_is_reaped_once_a_lease_has_passed(
    tmp_path: Any,
) -> None:
    fresh, old = enqueue(tmp_path, "fresh"), enqueue(tmp_path, "old")
    claim(fresh, "plain", lease=False)
    claim(old, "plain", lease=False)
    past = timezone.now() - datetime.timedelta(seconds=reliability.lease_seconds() + 5)
    DBTaskResult.objects.filter(pk=old).update(started_at=past)

    assert reliability.reap().requeued == [str(old)]
    assert DBTaskResult.objects.get(pk=fresh).status == TaskResultStatus.RUNNING


def test_the_last_attempt_lost_fails_the_task_clearly(settings: Any, tmp_path: Any) -> None:
    settings.TASK_MAX_ATTEMPTS = 2
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")
    expire(task_id)
    assert reliability.reap().requeued == [str(task_id)]
    claim(task_id, "w2")
    expire(task_id)

    reaped = reliability.reap()

    assert reaped.failed == [str(task_id)] and reaped.requeued == []
    result = record_run.get_result(str(task_id))
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == reliability.WORKER_LOST_PATH
    message = "The task worker running it stopped (2 attempts); start it again."
    assert reliability.failure_messages(result) == [message]
    assert message in result.errors[0].traceback
    assert not TaskLease.objects.exists()
    # Nothing more happens to it.
    assert reliability.reap() == reliability.Reaped()


def test_an_outcome_is_recorded_only_by_the_worker_holding_the_task(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    claim(task_id, "w1")
    expire(task_id)
    reliability.reap()
    claim(task_id, "w2")
    recorded: list[str] = []

    assert not reliability.finish_owned(task_id, "w1", lambda: recorded.append("w1"))
    assert reliability.finish_owned(task_id, "w2", lambda: recorded.append("w2"))
    assert recorded == ["w2"]
    assert not TaskLease.objects.exists()


def test_the_reliable_worker_runs_a_task_under_a_lease(tmp_path: Any) -> None:
    task_id = enqueue(tmp_path)
    row = DBTaskResult.objects.get(pk=task_id)
    row.claim("in-process")

    worker().run_task(row)

    result = record_run.get_result(str(task_id))
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "a")
    assert [event for event, _key, _pid in runs(tmp_path / "runs.log")] == ["start", "done"]
    assert not TaskLease.objects.exists()


def test_a_worker_stopped_mid_task_gives_the_task_back(tmp_path: Any) -> None:
    task_id = stopped_midway.enqueue(log=str(tmp_path / "runs.log")).id
    row = DBTaskResult.objects.get(pk=task_id)
    row.claim("in-process")

    with pytest.raises(SystemExit):
        worker().run_task(row)

    row.refresh_from_db()
    assert (row.status, row.worker_ids) == (TaskResultStatus.READY, ["in-process"])
    assert not TaskLease.objects.exists()
    assert len(runs(tmp_path / "runs.log")) == 1


def test_the_settings_must_leave_room_for_a_late_heartbeat(settings: Any) -> None:
    settings.TASK_LEASE_SECONDS, settings.TASK_HEARTBEAT_SECONDS = 60, 10
    assert reliability.settings_problem() is None
    settings.TASK_HEARTBEAT_SECONDS = 31
    assert "at least twice" in str(reliability.settings_problem())


# ---- the task bodies: all or nothing, and once in effect ------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _start_import(user: User, series: str = "bg") -> tuple[DatasetVersion, str]:
    staged, _table = needs.do_stage_upload(
        "departures", FLOWS.encode(), file_name="flows.csv", actor=user
    )
    return needs.do_start_import(staged, mapping=None, layout=None, series=series, actor=user)


@pytest.mark.usefixtures("media")
def test_an_import_run_again_after_it_committed_reports_the_same_version(
    unhcr_user: User,
) -> None:
    pending, job_id = _start_import(unhcr_user)
    row = DBTaskResult.objects.get(pk=job_id)
    row.claim("w1")
    # The first attempt imports, and its worker dies before recording the outcome.
    first = row.task.call(**row.args_kwargs["kwargs"])
    counts = (FlowFigure.objects.count(), AuditEntry.objects.count())

    second = row.task.call(**row.args_kwargs["kwargs"])

    assert first["outcome"] == second["outcome"] == "imported"
    assert first["version"] == second["version"] == pending.pk
    assert (FlowFigure.objects.count(), AuditEntry.objects.count()) == counts
    pending.refresh_from_db()
    assert (pending.status, pending.row_count) == (VersionStatus.DONE, 3)


@pytest.mark.usefixtures("media")
def test_an_attempt_that_finds_its_version_written_by_another_keeps_it(
    unhcr_user: User,
) -> None:
    pending, job_id = _start_import(unhcr_user)
    kwargs = DBTaskResult.objects.get(pk=job_id).args_kwargs["kwargs"]
    data = (pending.file_name, FLOWS.encode())
    # Two attempts started together: each holds the pending version as RUNNING...
    stale = DatasetVersion.objects.get(pk=pending.pk)
    needs.do_import_dataset(
        "departures", data[1], series="bg", actor=unhcr_user, pending=pending, file_name=data[0]
    )
    # ...the second one writes after the first committed: unchanged, and nothing removed.
    again = needs.do_import_dataset(
        "departures", data[1], series="bg", actor=unhcr_user, pending=stale, file_name=data[0]
    )

    assert again.outcome == "unchanged" and again.version.pk == pending.pk
    assert DatasetVersion.objects.filter(pk=pending.pk, status=VersionStatus.DONE).exists()
    assert FlowFigure.objects.filter(version_id=pending.pk).count() == 3
    assert kwargs["version_id"] == pending.pk


@pytest.mark.usefixtures("media")
def test_an_import_given_up_says_why_on_its_progress_page(settings: Any, unhcr_user: User) -> None:
    settings.TASK_MAX_ATTEMPTS = 1
    pending, job_id = _start_import(unhcr_user)
    claim(job_id, "w1")
    expire(job_id)

    assert reliability.reap().failed == [job_id]

    job = needs.get_import_job_for_user(job_id, unhcr_user)
    assert job.state == "failed"
    assert job.messages == ["The task worker running it stopped (1 attempt); start it again."]
    pending.refresh_from_db()
    assert pending.status == VersionStatus.FAILED
    assert not FlowFigure.objects.filter(version_id=pending.pk).exists()


def test_an_allocation_run_again_stores_its_result_once(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    run = allocation.do_start_run(THIS_YEAR, name="Queued", actor=world.users["unhcr"])
    audit = AuditEntry.objects.for_object(run).count()
    # A killed attempt left the run RUNNING with some progress and nothing stored.
    AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40)

    allocation.execute_run(run.pk)
    stored = sorted(RunAssignment.objects.filter(run=run).values_list("case__reference", "reason"))
    # A late duplicate attempt (a worker presumed dead) changes nothing.
    allocation.execute_run(run.pk)

    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert stored == [
        ("T-AFG-1", "placed"),
        ("T-SOM-1", "no_eligible_line"),
        ("T-SYR-1", "placed"),
        ("T-SYR-2", "capacity_taken"),
    ]
    again = sorted(RunAssignment.objects.filter(run=run).values_list("case__reference", "reason"))
    assert again == stored
    assert AuditEntry.objects.for_object(run).count() == audit + 1


def test_an_allocation_run_given_up_is_marked_failed(settings: Any, world: SimpleNamespace) -> None:
    settings.TASK_MAX_ATTEMPTS = 1
    make_allocation_world(world)
    run = allocation.do_start_run(THIS_YEAR, name="Queued", actor=world.users["unhcr"])
    task_id = DBTaskResult.objects.get(task_path=run_allocation_task.module_path).pk
    claim(task_id, "w1")
    AllocationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40)
    expire(task_id)

    assert reliability.reap().failed == [str(task_id)]

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished
    assert run.error == "The task worker running it stopped (1 attempt); start it again."
    assert not RunAssignment.objects.filter(run=run).exists()
