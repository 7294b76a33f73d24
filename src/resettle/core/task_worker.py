"""The task worker of `resettle worker`: django-tasks-db's, with leases and a reaper.

`ReliableWorker` claims tasks exactly as django-tasks-db's database worker does
(one row locked and marked RUNNING at a time, `SELECT ... FOR UPDATE SKIP
LOCKED` on PostgreSQL), and in addition:

- takes a lease on the task it claimed, which its `Heartbeat` thread renews;
- runs the reaper when it starts and with every heartbeat (core.tasks_reliability);
- records the task's outcome only while it still holds the task;
- when it is made to stop in the middle of a task (a second Ctrl-C or
  SIGTERM), puts the task back in the queue at once.

The heartbeat runs in a thread of the worker's own process: it stops with the
process, which is the point. The engines that tasks run (HiGHS, CP-SAT, the
COPY of an import) release the interpreter while they compute, so a busy
worker keeps renewing its lease (measured: at most 0.8 s between two beats of
a 0.2 s heartbeat during a 100,000-case allocation).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from resettle.core import tasks_reliability as reliability

logger = logging.getLogger("resettle.tasks")


class Heartbeat(threading.Thread):
    """Renews the lease on the worker's current task and runs the reaper, every
    TASK_HEARTBEAT_SECONDS, on its own database connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="task-heartbeat", daemon=True)
        self.worker_id = worker_id
        # The task the worker runs now (set and cleared by the worker's thread).
        self.current: Any = None
        self.lost: set[str] = set()
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopping.wait(reliability.heartbeat_seconds()):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connections

    def beat(self) -> None:
        """Renew the current lease, then reap; a database error waits for the next beat."""
        current = self.current
        try:
            lost = current is not None and not reliability.renew_lease(current, self.worker_id)
            if lost and str(current) not in self.lost:
                self.lost.add(str(current))
                logger.error(
                    "Task id=%s: this worker (%s) lost its lease, so the task was given "
                    "to another attempt; this attempt's outcome will be dropped",
                    current,
                    self.worker_id,
                )
            reliability.reap(spare_worker=self.worker_id)
        except DatabaseError:
            # On SQLite the task's own long write can hold the database past the
            # busy timeout; on PostgreSQL the server may be restarting.
            logger.warning("Task heartbeat: the database did not answer", exc_info=True)
            connections["default"].close()

    def stop(self) -> None:
        """Stop beating (the worker is leaving) and wait for the thread."""
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=reliability.heartbeat_seconds() + 30)


class ReliableWorker(Worker):
    """django-tasks-db's worker with leases, a heartbeat and the reaper."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id)

    def run(self) -> None:
        problem = reliability.settings_problem()
        if problem:
            raise ValueError(problem)
        reaped = reliability.reap(spare_worker=self.worker_id)
        if reaped.requeued or reaped.failed:
            logger.warning(
                "Worker %s starting: %d task(s) of stopped workers queued again, %d failed",
                self.worker_id,
                len(reaped.requeued),
                len(reaped.failed),
            )
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        """Run a claimed task under a lease, recording its outcome only if still held.

        The same steps as django-tasks-db's `Worker.run_task` (0.13), whose
        outcome writes are not conditional.
        """
        task_id = db_task_result.pk
        try:
            reliability.take_lease(task_id, self.worker_id, len(db_task_result.worker_ids))
        except DatabaseError:
            # The reaper still sees a lease-less RUNNING task once a lease has passed.
            logger.exception("Task id=%s: the lease could not be taken", task_id)
        self.heartbeat.current = task_id
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    return_value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
            except (SystemExit, KeyboardInterrupt):
                # Stopped by force mid-task: the task's transaction was rolled back
                # by the exception; queue it again now rather than after the lease.
                reliability.give_back(task_id, self.worker_id)
                raise
            # Recorded inside the error handling, so that a failure to record it
            # (a return value JSON cannot hold) is recorded as the task's error.
            succeeded = functools.partial(db_task_result.set_successful, return_value)
            if self._finish(db_task_result, succeeded):
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if self._finish(db_task_result, functools.partial(db_task_result.set_failed, exc)):
                self._report_failure(db_task_result)
        finally:
            self.heartbeat.current = None
            self.running_task = False
            self._run_tasks += 1

    def _finish(self, db_task_result: DBTaskResult[Any, Any], record: Callable[[], None]) -> bool:
        if reliability.finish_owned(db_task_result.pk, self.worker_id, record):
            return True
        logger.error(
            "Task id=%s: this worker (%s) no longer holds it (its lease expired); "
            "its outcome is dropped",
            db_task_result.pk,
            self.worker_id,
        )
        return False

    def _report_failure(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except Exception:
            logger.exception("Task id=%s failed unexpectedly", db_task_result.pk)
        else:
            task_finished.send(sender=sender, task_result=task_result)
