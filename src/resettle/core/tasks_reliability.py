"""Background tasks that survive a killed worker: leases, the reaper, failing clearly.

django-tasks-db claims a task by locking its row (`SELECT ... FOR UPDATE SKIP
LOCKED` on PostgreSQL, an exclusive transaction on SQLite) and marking it
RUNNING, then never looks at a RUNNING task again: one whose worker died
(`kill -9`, the OOM killer, a lost machine) would stay RUNNING for ever, and its
user would watch a progress bar that never moves. Here:

- the worker (`resettle worker`, `core.task_worker`) takes a lease
  (`TaskLease`) on each task it claims, valid TASK_LEASE_SECONDS by the
  database's clock, and renews it every TASK_HEARTBEAT_SECONDS from a thread
  while the task runs;
- every worker runs the reaper (`reap`) when it starts and with every
  heartbeat, so recovery needs no particular process: a RUNNING task whose
  lease has expired (or that has none and started longer than a lease ago:
  claimed by a worker killed at once, or by a worker without leases) goes
  back to the queue while it has had fewer than TASK_MAX_ATTEMPTS attempts
  (each claim adds the worker's id to `worker_ids`, which counts them), and
  is otherwise marked FAILED with `WorkerLost`, whose message the task's
  progress page shows (`failure_messages`); a task module says what then
  becomes of its own records with `on_worker_lost`;
- a worker records a task's outcome only while it still holds the task
  (`finish_owned`): one presumed dead that wakes up later drops its outcome.

So a task runs at least once and, in effect, once: its body must write its
result in one transaction and do nothing more when run again (see
docs/architecture.md, "Background work and failures").
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import TaskResult
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from resettle.core.task_leases import TaskLease

logger = logging.getLogger("resettle.tasks")

DEFAULT_LEASE_SECONDS = 60
DEFAULT_HEARTBEAT_SECONDS = 10
DEFAULT_MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The worker running a task stopped before finishing it, on its last attempt."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"

# What a task module does to its own records when its task is given up:
# called with the task's keyword arguments and the message, in the transaction
# that marks the task failed.
LostHandler = Callable[[dict[str, Any], str], None]
_on_lost: dict[str, LostHandler] = {}


def lease_seconds() -> int:
    """How long a lease lasts without a heartbeat."""
    return int(getattr(settings, "TASK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def heartbeat_seconds() -> int:
    """How often a worker renews its lease and runs the reaper."""
    return int(getattr(settings, "TASK_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))


def max_attempts() -> int:
    """How many times a task is claimed before a lost worker fails it."""
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def settings_problem() -> str | None:
    """What is wrong with the three settings together, or None."""
    if heartbeat_seconds() < 1 or max_attempts() < 1:
        return "TASK_HEARTBEAT_SECONDS and TASK_MAX_ATTEMPTS must be at least 1"
    # Two heartbeats per lease at least: one late heartbeat must not lose the task.
    if heartbeat_seconds() * 2 > lease_seconds():
        return (
            f"TASK_LEASE_SECONDS ({lease_seconds()}) must be at least twice "
            f"TASK_HEARTBEAT_SECONDS ({heartbeat_seconds()})"
        )
    return None


def on_worker_lost(task: Task[Any, Any]) -> Callable[[LostHandler], LostHandler]:
    """Register what becomes of a task's own records when its worker is lost for good.

    For example an allocation run is marked failed with the message, so that
    its page stops waiting. The handler runs in the transaction that fails the
    task; an error in it is logged and does not keep the task from failing.
    """

    def register(handler: LostHandler) -> LostHandler:
        _on_lost[task.module_path] = handler
        return handler

    return register


def lost_message(attempts: int) -> str:
    """The message of a task given up after its worker stopped `attempts` times."""
    return ngettext(
        "The task worker running it stopped (%(attempts)d attempt); start it again.",
        "The task worker running it stopped (%(attempts)d attempts); start it again.",
        attempts,
    ) % {"attempts": attempts}


def failure_messages(result: TaskResult[Any]) -> list[str]:
    """What a progress page says of a failed task given up by the reaper ([] otherwise)."""
    if any(error.exception_class_path == WORKER_LOST_PATH for error in result.errors):
        return [lost_message(len(result.worker_ids))]
    return []


# ---- leases --------------------------------------------------------------------------


def _expiry() -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(
        Now() + datetime.timedelta(seconds=lease_seconds()), output_field=DateTimeField()
    )


def take_lease(task_id: Any, worker_id: str, attempt: int) -> None:
    """Record that this worker process runs the task, for one lease from now."""
    with transaction.atomic():
        TaskLease.objects.filter(task_id=task_id).delete()
        # Times by the database's clock, like the reaper's comparisons.
        TaskLease.objects.create(
            task_id=task_id,
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            attempt=attempt,
            claimed_at=Now(),
            renewed_at=Now(),
            expires_at=_expiry(),
        )


def renew_lease(task_id: Any, worker_id: str) -> bool:
    """Extend the worker's lease on a task; False when the worker no longer holds it."""
    renewed = TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(
        renewed_at=Now(), expires_at=_expiry()
    )
    return renewed == 1


def finish_owned(task_id: Any, worker_id: str, record: Callable[[], None]) -> bool:
    """Record a task's outcome (`record`) if this worker still holds the task.

    The task's row is locked meanwhile, so the reaper cannot give the task to
    another attempt half-way. False (nothing recorded) when the lease was lost.
    """
    with transaction.atomic():
        held = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=task_id, status=TaskResultStatus.RUNNING)
            .values_list("worker_ids", flat=True)
            .first()
        )
        if not held or held[-1] != worker_id:
            return False
        record()
        TaskLease.objects.filter(task_id=task_id).delete()
    return True


# ---- the reaper ------------------------------------------------------------------------


@dataclass
class Reaped:
    """What one pass of the reaper did, by task id."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _candidates(spare_worker: str | None) -> set[Any]:
    expired = TaskLease.objects.filter(expires_at__lt=Now())
    if spare_worker is not None:
        expired = expired.exclude(worker_id=spare_worker)
    ids = set(expired.values_list("task_id", flat=True))
    started_before = ExpressionWrapper(
        Now() - datetime.timedelta(seconds=lease_seconds()), output_field=DateTimeField()
    )
    ids.update(
        DBTaskResult.objects.running()
        .filter(lease__isnull=True, started_at__lt=started_before)
        .values_list("id", flat=True)
    )
    return ids


def reap(*, spare_worker: str | None = None) -> Reaped:
    """Re-queue, or fail for good, the running tasks whose worker is gone.

    `spare_worker` is the calling worker's own id: a worker never reaps its own
    task (it is alive: it is running the reaper), which matters on SQLite,
    where its heartbeat can wait behind its own task's long write.
    """
    reaped = Reaped()
    for task_id in _candidates(spare_worker):
        try:
            _reap_one(task_id, spare_worker, reaped)
        except Exception:
            # One task's trouble must not stop the others' recovery.
            logger.exception("The reaper could not handle task id=%s", task_id)
    return reaped


def give_back(task_id: Any, worker_id: str) -> Reaped:
    """Put a task this worker is abandoning (it is being stopped) back in the queue at
    once, instead of waiting for its lease to expire (failed if it was its last attempt)."""
    reaped = Reaped()
    _reap_one(task_id, None, reaped, holder=worker_id)
    return reaped


def _reap_one(task_id: Any, spare_worker: str | None, reaped: Reaped, holder: str = "") -> None:
    with transaction.atomic():
        # A worker recording the outcome holds this lock: then it is alive, skip it.
        row = DBTaskResult.objects.select_for_update(skip_locked=True).filter(pk=task_id).first()
        if row is None:
            return
        lease = TaskLease.objects.select_for_update().filter(task_id=task_id).first()
        if row.status != TaskResultStatus.RUNNING:
            if lease is not None:
                lease.delete()  # left over: the task is no longer running
            return
        if holder:
            if not row.worker_ids or row.worker_ids[-1] != holder:
                return
        elif lease is not None:
            if lease.worker_id == spare_worker:
                return
            # Checked again under the lock: a heartbeat may have renewed it meanwhile.
            if not TaskLease.objects.filter(task_id=task_id, expires_at__lt=Now()).exists():
                return
        if lease is not None:
            lease.delete()
        attempts = len(row.worker_ids)
        if attempts < max_attempts():
            row.status = TaskResultStatus.READY
            row.started_at = None
            row.save(update_fields=["status", "started_at"])
            reaped.requeued.append(str(row.pk))
            logger.warning(
                "Task id=%s path=%s: its worker %s stopped; queued again (attempt %d of %d done)",
                row.pk,
                row.task_path,
                row.worker_ids[-1] if row.worker_ids else "?",
                attempts,
                max_attempts(),
            )
            return
        _fail(row, attempts)
        reaped.failed.append(str(row.pk))


def _fail(row: DBTaskResult[Any, Any], attempts: int) -> None:
    # Stored in the platform's language: the worker serves no one in particular.
    with translation.override(settings.LANGUAGE_CODE):
        message = lost_message(attempts)
    row.status = TaskResultStatus.FAILED
    row.finished_at = timezone.now()
    row.return_value = None
    row.exception_class_path = WORKER_LOST_PATH
    row.traceback = f"{WORKER_LOST_PATH}: {message}\n"
    row.save(
        update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"]
    )
    logger.error(
        "Task id=%s path=%s: its worker stopped on each of %d attempts; marked failed",
        row.pk,
        row.task_path,
        attempts,
    )
    try:
        # Importing the task's module registers its handler.
        row.task  # noqa: B018 - the import is the point
    except (ImportError, SuspiciousOperation):
        return
    handler = _on_lost.get(row.task_path)
    if handler is None:
        return
    try:
        with transaction.atomic():
            handler(dict(row.args_kwargs.get("kwargs") or {}), message)
    except Exception:
        logger.exception("Task id=%s: its on_worker_lost handler failed", row.pk)
