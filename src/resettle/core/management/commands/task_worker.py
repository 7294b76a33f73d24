"""`resettle worker` (`manage.py task_worker`): the background task worker.

django-tasks-db's `db_worker`, with the same options, running a
`core.task_worker.ReliableWorker`: leases on running tasks, a heartbeat and
the reaper, so that the tasks of a killed worker are run again or clearly
failed. Run every worker this way; a plain `db_worker` takes no leases, and
the reaper of the other workers would take its tasks for abandoned ones.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from resettle.core import tasks_reliability
from resettle.core.task_worker import ReliableWorker


class Command(DbWorkerCommand):
    """db_worker with leases, a heartbeat and the reaper."""

    help = (
        "Run a background task worker: the tasks of a worker that stops are queued "
        "again (TASK_MAX_ATTEMPTS) or marked failed."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        problem = tasks_reliability.settings_problem()
        if problem:
            raise CommandError(problem)
        self.configure_logging(verbosity)
        # The same steps as db_worker's handle (django-tasks-db 0.13), with our worker.
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReliableWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
