"""Background work of the RSF app: computing interview schedules, by the task worker.

`run_schedule_task` executes a queued schedule run (`runs.execute_run`),
which writes its stage and progress on the run so the progress page can show
a bar, then stores the appointments and logistics in one transaction. Run
again after its worker was killed, it computes the run afresh (the killed
attempt stored nothing); given up, the run is marked failed with the reason.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from resettle.core.tasks_reliability import on_worker_lost
from resettle.rsf.models import RunStatus, ScheduleRun
from resettle.rsf.runs import execute_run


@task()
def run_schedule_task(*, run_id: int) -> dict[str, Any]:
    """Compute a queued schedule run; say how it ended."""
    if not ScheduleRun.objects.filter(pk=run_id).exists():
        return {"outcome": "gone"}
    run = execute_run(run_id)
    return {"outcome": "done" if run.status == RunStatus.DONE else str(run.status), "run": run_id}


@on_worker_lost(run_schedule_task)
def _run_lost(kwargs: dict[str, Any], message: str) -> None:
    """Its worker stopped on every attempt: the run failed, and its page says why."""
    ScheduleRun.objects.filter(
        pk=int(kwargs.get("run_id") or 0), status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ).update(status=RunStatus.FAILED, error=message, finished_at=timezone.now())
