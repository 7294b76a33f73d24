"""Real worker processes (`resettle worker`) against the test database, killed with SIGKILL.

Each test starts workers as subprocesses on this test's own database: on
PostgreSQL the test database itself; on SQLite, whose test database lives in
this process's memory, a file copy of it that this test's connection switches
to for its length. Leases are short here (TASK_LEASE_SECONDS=4, heartbeat every
second) so that a killed worker's task is taken up within seconds.

- Several workers share one queue and run each task once (three on
  PostgreSQL; on SQLite, the embedded default, one: scale-out needs PostgreSQL).
- A worker killed in the middle of a long task: another one (on SQLite, the
  worker restarted after the crash) takes the task up once its lease expired
  and it completes once; killed on every attempt, the task fails clearly.
- A worker killed at random moments of a real import (the Refugee Data
  Finder's 9,614 rows): the database holds nothing of that import or all of
  it, and after the retry all of it, once.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resettle.core.task_leases import TaskLease
from resettle.core.tests.reliability_tasks import record_run, runs

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 4
# A loaded two-core machine starts a worker in 2 to 20 seconds.
WAIT = 120.0


def _is_postgresql() -> bool:
    return connections["default"].vendor == "postgresql"


@pytest.fixture
def shared_db(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL for worker processes, naming the database this test uses."""
    conn = connections["default"]
    settings_dict = conn.settings_dict
    if conn.vendor == "postgresql":
        user = quote(settings_dict["USER"] or "", safe="")
        password = quote(settings_dict["PASSWORD"] or "", safe="")
        host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
        yield f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"
        return
    if not conn.is_in_memory_db():  # type: ignore[attr-defined]
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    # Copy the in-memory test database to a file and use the file meanwhile; the
    # memory connection is kept aside, open (closing it would drop that database).
    path = tmp_path / "shared.sqlite3"
    conn.ensure_connection()
    memory = conn.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = settings_dict["NAME"]
    conn.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        conn.close()
        settings_dict["NAME"] = name
        conn.connection = memory


@dataclass
class Workers:
    """Worker processes started by a test; all are killed when it ends."""

    database_url: str
    var_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    started: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str) -> subprocess.Popen[bytes]:
        """Start `resettle worker` as worker `name` and wait until it polls the queue."""
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "RESETTLE_ENV": "test",
            "RESETTLE_VAR_DIR": str(self.var_dir),
            "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            "TASK_HEARTBEAT_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        log = self.log(name).open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "resettle.cli",
                "worker",
                "--worker-id",
                name,
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
                "--skip-checks",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started[name] = proc
        wait_for(lambda: "Starting worker" in self.output(name), f"worker {name} to start", self)
        return proc

    def log(self, name: str) -> Path:
        return self.var_dir / f"worker-{name}.log"

    def output(self, name: str) -> str:
        path = self.log(name)
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str) -> None:
        """SIGKILL: no handler runs, no transaction is committed, nothing is cleaned up."""
        proc = self.started[name]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.started.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)

    def report(self) -> str:
        return "\n".join(f"--- {name}\n{self.output(name)[-3000:]}" for name in self.started)


@pytest.fixture
def workers(shared_db: str, tmp_path: Path, settings: Any) -> Iterator[Workers]:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    # The workers' file storage (staged imports) is this test's.
    settings.MEDIA_ROOT = var_dir / "media"
    pool = Workers(shared_db, var_dir)
    try:
        yield pool
    finally:
        pool.stop_all()


def wait_for(
    predicate: Callable[[], Any], what: str, pool: Workers | None = None, poll: float = 0.1
) -> Any:
    deadline = time.monotonic() + WAIT
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{pool.report() if pool else ''}")
        time.sleep(poll)


def status_of(task_id: Any) -> str:
    return str(DBTaskResult.objects.values_list("status", flat=True).get(pk=task_id))


DONE = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def finished(task_id: Any) -> bool:
    return status_of(task_id) in DONE


# ---- one queue, several workers --------------------------------------------------------


def test_every_task_runs_exactly_once(workers: Workers, tmp_path: Path) -> None:
    names = ["w1", "w2", "w3"] if _is_postgresql() else ["w1"]
    for name in names:
        workers.start(name)
    log = tmp_path / "runs.log"
    ids = [record_run.enqueue(log=str(log), key=str(i), seconds=0.3, steps=3).id for i in range(30)]

    wait_for(lambda: all(finished(i) for i in ids), "the 30 tasks", workers)

    rows = DBTaskResult.objects.filter(pk__in=ids)
    assert {row.status for row in rows} == {TaskResultStatus.SUCCESSFUL}
    # Claimed once each: no task was run again.
    assert all(len(row.worker_ids) == 1 for row in rows), [row.worker_ids for row in rows]
    events = runs(log)
    assert Counter((event, key) for event, key, _pid in events) == {
        (event, str(i)): 1 for i in range(30) for event in ("start", "done")
    }
    # Every worker took part.
    assert {row.worker_ids[0] for row in rows} == set(names), workers.report()
    assert len({pid for _e, _k, pid in events}) == len(names)
    assert not TaskLease.objects.exists()


# ---- a worker killed in the middle of a task ------------------------------------------------


def _claimed_by(task_id: Any) -> str:
    row = DBTaskResult.objects.get(pk=task_id)
    return str(row.worker_ids[-1]) if row.status == TaskResultStatus.RUNNING else ""


def test_a_killed_workers_task_is_taken_up_and_completes_once(
    workers: Workers, tmp_path: Path
) -> None:
    names = ["w1", "w2"] if _is_postgresql() else ["w1"]
    for name in names:
        workers.start(name)
    log = tmp_path / "runs.log"
    task_id = record_run.enqueue(log=str(log), key="long", seconds=6, steps=30).id
    victim = wait_for(lambda: _claimed_by(task_id), "a worker to claim the task", workers)
    wait_for(lambda: runs(log), "the task to start", workers)
    time.sleep(1.5)

    workers.kill(victim)
    killed_at = time.monotonic()
    if not _is_postgresql():
        workers.start("w2")  # the embedded default's worker, restarted after the crash

    wait_for(lambda: finished(task_id), "the task to be taken up and finish", workers)
    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == TaskResultStatus.SUCCESSFUL, workers.report()
    rescuer = "w2" if victim == "w1" else "w1"
    assert row.worker_ids == [victim, rescuer]
    events = runs(log)
    victim_pid, rescuer_pid = workers.started[victim].pid, workers.started[rescuer].pid
    assert events == [
        ("start", "long", victim_pid),
        ("start", "long", rescuer_pid),
        ("done", "long", rescuer_pid),
    ]
    # Taken up only once the lease had expired, then run in full (6 s).
    assert time.monotonic() - killed_at > 6
    assert "queued again" in workers.output(rescuer)
    assert not TaskLease.objects.exists()


def _start_claim_and_kill(
    workers: Workers, name: str, task_id: Any, log: Path, attempt: int
) -> None:
    workers.start(name)
    wait_for(lambda: _claimed_by(task_id) == name, f"{name} to claim the task", workers)
    wait_for(lambda: len(runs(log)) == attempt, f"attempt {attempt} to start", workers)
    workers.kill(name)


def test_a_task_whose_worker_is_killed_on_every_attempt_fails_clearly(
    workers: Workers, tmp_path: Path
) -> None:
    workers.extra_env["TASK_MAX_ATTEMPTS"] = "2"
    log = tmp_path / "runs.log"
    task_id = record_run.enqueue(log=str(log), key="doomed", seconds=60, steps=60).id
    for attempt, name in enumerate(["w1", "w2"], start=1):
        _start_claim_and_kill(workers, name, task_id, log, attempt)
    workers.start("w3")

    wait_for(lambda: finished(task_id), "the reaper to give the task up", workers)

    result = record_run.get_result(str(task_id))
    assert result.status == TaskResultStatus.FAILED
    assert result.worker_ids == ["w1", "w2"]
    assert "The task worker running it stopped (2 attempts)" in result.errors[0].traceback
    assert [event for event, _key, _pid in runs(log)] == ["start", "start"]
    assert "marked failed" in workers.output("w3")
    assert not TaskLease.objects.exists()


# ---- a real import, killed at random moments ----------------------------------------------

IMPORTS_PER_PHASE = 2  # imports killed mid-way while checking, and while writing
MAX_IMPORTS = 14


def _reference_data() -> None:
    """The countries and populations the data migrations load (a transactional test
    before this one may have flushed them)."""
    from resettle.directory.countries import country_rows
    from resettle.directory.models import Country
    from resettle.needs.models import Population
    from resettle.needs.populations import GROUPS

    if not Country.objects.exists():
        Country.objects.bulk_create(Country(**dict(row)) for row in country_rows())
    if not Population.objects.exists():
        names = ("name_en", "name_ar", "name_fr")
        Population.objects.bulk_create(
            [
                *(
                    Population(code=c.iso3, country=c, **{n: getattr(c, n) for n in names})
                    for c in Country.objects.all()
                ),
                *(Population(code=g["code"], **{n: g[n] for n in names}) for g in GROUPS),
            ]
        )


def _held(series: str, version_id: int, rows: int) -> str:
    """What the database holds of one import: "nothing", "everything" or what else."""
    from resettle.core.models import AuditEntry
    from resettle.needs.models import DatasetVersion, FlowFigure, VersionStatus

    done = list(DatasetVersion.objects.filter(series=series, status=VersionStatus.DONE))
    figures = FlowFigure.objects.filter(version__series=series).count()
    version = DatasetVersion.objects.filter(pk=version_id).first()
    audits = AuditEntry.objects.for_object(version).count() if version is not None else 0
    if not done and figures == 0 and audits == 0:
        return "nothing"
    if (
        [v.pk for v in done] == [version_id]
        and done[0].row_count == rows
        and figures == rows
        and audits == 1
    ):
        return "everything"
    return f"half: versions done={[v.pk for v in done]} figures={figures} audit entries={audits}"


@dataclass
class KilledImport:
    """One import of the file, its worker killed at a random moment."""

    workers: Workers
    importer: Any
    data: bytes
    rows: int
    rnd: random.Random
    seed: int

    def run(self, i: int, worker: str) -> tuple[str, str]:
        """Import i under `worker`, kill it, check, let a new worker finish the import;
        what the database held after the kill, and the worker now running."""
        from resettle.needs import services
        from resettle.needs.demo import RDF_FILE
        from resettle.needs.models import DatasetVersion, FlowFigure

        workers, rows = self.workers, self.rows
        series = f"killed-{i}"
        staged, _table = services.do_stage_upload(
            "departures",
            self.data,
            file_name=RDF_FILE.name,
            series=series,
            is_public=False,  # no gap to warm afterwards
            actor=self.importer,
        )
        pending, job_id = services.do_start_import(
            staged, mapping=None, layout=None, series=series, actor=self.importer
        )
        # On a fast machine a short import may be claimed and done between two polls.
        wait_for(
            lambda: _claimed_by(job_id) == worker or finished(job_id),
            f"{worker} to claim import {i}",
            workers,
            poll=0.01,
        )

        # A random moment: while the rows are checked, or while they are written
        # (all checked, the transaction open).
        phase = "checking" if i % 2 == 0 else "writing"
        fraction = self.rnd.uniform(0.05, 0.9) if phase == "checking" else 1.0
        # Writing the rows takes a fraction of a second (COPY on PostgreSQL, a bulk
        # insert on SQLite): a kill later than that finds the import done.
        delay = self.rnd.uniform(0.0, 0.05) if phase == "writing" else 0.0

        def reached() -> bool:
            done = DatasetVersion.objects.values_list("rows_done", flat=True).get(pk=pending.pk)
            return done >= fraction * rows or finished(job_id)

        wait_for(reached, f"import {i} to reach its moment", workers, poll=0.01)
        time.sleep(delay)
        workers.kill(worker)

        held = _held(series, pending.pk, rows)
        context = f"seed {self.seed}, import {i}, {phase} {fraction:.2f} +{delay:.2f}s: {held}"
        assert held in {"nothing", "everything"}, context + workers.report()
        if finished(job_id):
            # It ended before the kill landed (the worker's last act): nothing to take up.
            assert held == "everything", context
            assert FlowFigure.objects.count() == rows * (i + 1), context
            worker = f"w{i + 1}"
            workers.start(worker)
            return f"{phase}: done before the kill", worker

        worker = f"w{i + 1}"
        workers.start(worker)  # takes the killed worker's task up once its lease expired
        wait_for(lambda: finished(job_id), f"import {i} to be taken up ({context})", workers)
        result = DBTaskResult.objects.get(pk=job_id)
        assert result.status == TaskResultStatus.SUCCESSFUL, context + workers.report()
        assert result.return_value["outcome"] == "imported", result.return_value
        assert result.return_value["version"] == pending.pk
        assert _held(series, pending.pk, rows) == "everything", context
        # Exactly once: no rows of any killed attempt anywhere.
        assert FlowFigure.objects.count() == rows * (i + 1), context
        if phase == "checking":
            # Killed for sure before its transaction: nothing held, then a second attempt.
            assert held == "nothing" and len(result.worker_ids) == 2, context
        return f"{phase}: {held}, {len(result.worker_ids)} attempt(s)", worker


def test_an_import_killed_at_random_moments_holds_nothing_or_all_of_it(
    workers: Workers,
) -> None:
    from resettle.accounts.models import User
    from resettle.accounts.roles import Role
    from resettle.needs.demo import RDF_FILE

    _reference_data()
    importer = User.objects.create_user("importer", "importer@example.org", None, role=Role.ADMIN)
    data = RDF_FILE.read_bytes()
    rows = len(data.decode().strip().splitlines()) - 1
    # RELIABILITY_SEED=N repeats the moments of a failed run (the seed is in the message).
    seed = int(os.environ.get("RELIABILITY_SEED") or time.time_ns() % 1_000_000)
    rnd = random.Random(seed)  # noqa: S311 - test timings, not secrets
    importing = KilledImport(workers, importer, data, rows, rnd, seed)
    worker = "w0"
    workers.start(worker)
    seen = []
    # Until the worker was killed mid-import at least twice in each phase (an import
    # that ended before its kill does not count), within MAX_IMPORTS.
    i = 0
    while i < MAX_IMPORTS and not all(
        sum(o.startswith(phase) and "done before" not in o for o in seen) >= IMPORTS_PER_PHASE
        for phase in ("checking", "writing")
    ):
        outcome, worker = importing.run(i, worker)
        seen.append(outcome)
        i += 1

    for phase in ("checking", "writing"):
        killed = [o for o in seen if o.startswith(phase) and "done before" not in o]
        assert len(killed) >= IMPORTS_PER_PHASE, f"seed {seed}: {seen}"
    print(f"seed {seed}:", "; ".join(seen))  # shown with -s
    # Once the last worker is idle (the imports queue a gap-warming task each), no lease.
    wait_for(lambda: not DBTaskResult.objects.exclude(status__in=DONE).exists(), "idle", workers)
    assert not TaskLease.objects.exists()
