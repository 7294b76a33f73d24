"""The `resettle` command: serve, worker, demo, createuser, and every Django command.

`resettle serve` runs gunicorn (static files through whitenoise) and a
django-tasks database worker as child processes, and stops both on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

USAGE = """\
usage: resettle COMMAND [options]

Resettle commands:
  serve [--bind HOST:PORT] [--workers N] [--no-worker]
                     serve the platform with gunicorn and a task worker
  worker             run a background task worker (django-tasks database backend, with
                     leases: a stopped worker's tasks are run again or marked failed)
  migrate            apply database migrations
  demo               load the demo dataset (running it again changes nothing)
  createuser         create a user account with an organisation and a role
  allocate --cases CASES.csv --pledges PLEDGES.csv --out RESULT.csv [--today YYYY-MM-DD]
                     allocate cases to pledge lines from files (no database needed)
  schedule MISSION.json [--out SCHEDULE.json] [--ics DIR]
                     schedule a mission's interviews from a file (no database needed)
  import-cases FILE  import resettlement cases (the allocation engine's CSV format)
  remind             e-mail overdue commitment updates and mandates ending soon
  subject-export REFERENCE [--member ID] [--out FILE]
                     everything held about a family or member, as one JSON file
  subject-erase REFERENCE [--member ID] --reason TEXT [--medical-only] [--yes]
                     erase (pseudonymise) a family's or member's personal data
  retention [--dry-run]
                     erase personal data past its retention period (run daily)
  check --deploy     check the production settings

Every Django management command works too: resettle help lists them.
"""


def _django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resettle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["resettle", *argv])
    return 0


def _serve(argv: Sequence[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="resettle serve")
    parser.add_argument("--bind", default=os.environ.get("RESETTLE_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")
    args = parser.parse_args(argv)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "resettle.settings"}
    python = sys.executable
    children = [
        subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "resettle.wsgi:application",
                "--bind",
                args.bind,
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
            env=env,
        )
    ]
    if not args.no_worker:
        children.append(subprocess.Popen([python, "-m", "resettle.cli", "worker"], env=env))

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # If either child dies, stop the other: a server without its worker (or the
    # reverse) would look healthy while background work silently piles up.
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    stop(signal.SIGTERM, None)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    codes = [child.returncode for child in children]
    interrupted = all(code in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes)
    return 0 if interrupted else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `resettle` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "serve":
        return _serve(rest)
    if command == "worker":
        # db_worker with leases, a heartbeat and the reaper (core/task_worker.py).
        return _django(["task_worker", *rest])
    # The engines' own commands read and write files only: no settings, no database.
    if command == "allocate":
        from resettle.allocation.engine.cli import main as allocate

        return allocate(rest)
    if command == "schedule":
        from resettle.rsf.scheduler.cli import main as schedule

        return schedule(rest)
    return _django([command, *rest])


if __name__ == "__main__":
    sys.exit(main())
