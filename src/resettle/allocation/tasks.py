"""Background work of the allocation: running the engine, by the task worker.

`run_allocation_task` executes a queued run (services.execute_run), which
writes its progress on the run so the progress page can show a bar.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from resettle.allocation.models import AllocationRun, RunStatus
from resettle.allocation.services import execute_run


@task()
def run_allocation_task(*, run_id: int) -> dict[str, Any]:
    """Run the engine for a queued run; say how it ended."""
    if not AllocationRun.objects.filter(pk=run_id).exists():
        return {"outcome": "gone"}
    run = execute_run(run_id)
    return {"outcome": "done" if run.status == RunStatus.DONE else str(run.status), "run": run_id}
