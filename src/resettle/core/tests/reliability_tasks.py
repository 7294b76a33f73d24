"""Tasks for the reliability tests only (no test module is collected from this file).

The worker processes of the tests import this module by its path when they
run one of these tasks, as django-tasks does for every task.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


def _append(log: str, line: str) -> None:
    # One short write in append mode: lines of several processes never mix.
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@task()
def record_run(*, log: str, key: str, seconds: float = 0.0, steps: int = 1) -> str:
    """Write `start KEY PID` to the log, sleep `seconds` in `steps`, write `done KEY PID`."""
    _append(log, f"start {key} {os.getpid()}")
    for _ in range(steps):
        time.sleep(seconds / steps)
    _append(log, f"done {key} {os.getpid()}")
    return key


def runs(log: str | Path) -> list[tuple[str, str, int]]:
    """The log's lines as (event, key, pid)."""
    path = Path(log)
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        event, key, pid = line.split()
        rows.append((event, key, int(pid)))
    return rows


@task()
def stopped_midway(*, log: str) -> None:
    """Write `start`, then leave as db_worker's handler of a second Ctrl-C makes a task
    leave (sys.exit inside the task)."""
    _append(log, f"start stopped {os.getpid()}")
    raise SystemExit(1)
