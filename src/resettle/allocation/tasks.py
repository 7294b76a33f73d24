"""Background work of the allocation: running the engine, by the task worker.

`run_allocation_task` executes a queued run (services.execute_run), which
writes its progress on the run so the progress page can show a bar. Run again
after its worker was killed, it computes the run afresh (the killed attempt
stored nothing: the assignments and the run's figures are written in one
transaction); given up, the run is marked failed with the reason.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from resettle.allocation.models import AllocationRun, RunStatus
from resettle.allocation.services import execute_run
from resettle.core.tasks_reliability import on_worker_lost


@task()
def run_allocation_task(*, run_id: int) -> dict[str, Any]:
    """Run the engine for a queued run; say how it ended."""
    if not AllocationRun.objects.filter(pk=run_id).exists():
        return {"outcome": "gone"}
    run = execute_run(run_id)
    return {"outcome": "done" if run.status == RunStatus.DONE else str(run.status), "run": run_id}


@on_worker_lost(run_allocation_task)
def _run_lost(kwargs: dict[str, Any], message: str) -> None:
    """Its worker stopped on every attempt: the run failed, and its page says why."""
    AllocationRun.objects.filter(
        pk=int(kwargs.get("run_id") or 0), status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ).update(status=RunStatus.FAILED, error=message, finished_at=timezone.now())
