"""Background work of the RSF app: computing interview schedules, by the task worker.

`run_schedule_task` executes a queued schedule run (`runs.execute_run`),
which writes its stage and progress on the run so the progress page can show
a bar, then stores the appointments and logistics.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from resettle.rsf.models import RunStatus, ScheduleRun
from resettle.rsf.runs import execute_run


@task()
def run_schedule_task(*, run_id: int) -> dict[str, Any]:
    """Compute a queued schedule run; say how it ended."""
    if not ScheduleRun.objects.filter(pk=run_id).exists():
        return {"outcome": "gone"}
    run = execute_run(run_id)
    return {"outcome": "done" if run.status == RunStatus.DONE else str(run.status), "run": run_id}
