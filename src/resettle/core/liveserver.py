"""A production-like server process on loopback: gunicorn on this process's database.

The load benchmark (core/loadbench.py) and the outage tests run the platform as
it runs in service, in processes of its own: gunicorn's sync workers, production
settings (RESETTLE_ENV=production, DEBUG off, whitenoise's compressed manifest
storage, multi-factor authentication for staff), over plain HTTP on 127.0.0.1
(RESETTLE_HTTPS=0), with our SECRET_KEY and RESETTLE_VAR_DIR (so that uploaded
files and personal data encrypted with a key derived from SECRET_KEY stay
readable).

Static files are collected into RESETTLE_VAR_DIR/static, the production
location, when they are missing or older than their sources: compressing them
takes a minute of CPU, paid once rather than on every run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.db import connection

from resettle.core.httpload import Browser

HOST = "127.0.0.1"
# A loaded two-core machine may take a while to boot several workers.
START_TIMEOUT_S = 180.0
# Served by whitenoise without the database: answers as soon as a worker is up.
PROBE_PATH = "/static/resettle/resettle.css"


def database_url() -> str:
    """A DATABASE_URL naming the database this process uses (for a server process)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(s["USER"] or "", safe="")
        password = quote(s["PASSWORD"] or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        return f"postgres://{auth}{s['HOST'] or HOST}:{s['PORT'] or 5432}/{s['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        return f"sqlite:///{s['NAME']}"
    raise RuntimeError("a server process needs PostgreSQL or a SQLite file, not this database")


def free_port() -> int:
    """A loopback port free now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def production_env(database: str) -> dict[str, str]:
    """The environment of a production-like server on loopback HTTP."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "resettle.settings",
        "RESETTLE_ENV": "production",
        "RESETTLE_HTTPS": "0",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database,
        "RESETTLE_VAR_DIR": str(settings.VAR_DIR),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("RESETTLE_MFA_REQUIRED_ROLES", None)  # production's default
    return env


def _newest_source() -> float:
    newest = 0.0
    for finder in get_finders():
        for path, storage in finder.list([]):
            newest = max(newest, os.stat(storage.path(path)).st_mtime)
    return newest


def collect_static(env: dict[str, str], log: Callable[[str], Any]) -> None:
    """`collectstatic` into STATIC_ROOT unless it is up to date (one process at a time)."""
    root = Path(settings.STATIC_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    with (root.parent / "static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = root / "staticfiles.json"
        if manifest.exists() and manifest.stat().st_mtime >= _newest_source():
            return
        log(f"collecting static files into {root}\n")
        # Our own interpreter and our own command, with fixed arguments.
        subprocess.run(
            [sys.executable, "-m", "resettle.cli", "collectstatic", "--no-input", "-v0"],
            env=env,
            check=True,
        )


@contextlib.contextmanager
def production_server(
    database: str, *, workers: int, log: Callable[[str], Any] = lambda _: None
) -> Iterator[tuple[int, Path]]:
    """gunicorn with production settings on a free loopback port: (port, its log file).

    The server is stopped (SIGTERM, then SIGKILL) when the block ends.
    """
    env = production_env(database)
    collect_static(env, log)
    with tempfile.TemporaryDirectory(prefix="resettle-server-") as folder:
        logfile = Path(folder) / "server.log"
        port = free_port()
        with logfile.open("wb") as out:
            server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "resettle.wsgi:application",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(workers),
                    "--graceful-timeout",
                    "5",
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready(server, port, workers, logfile)
            log(f"gunicorn: {workers} workers on http://{HOST}:{port}\n")
            yield port, logfile
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_ready(server: subprocess.Popen[bytes], port: int, workers: int, logfile: Path) -> None:
    """Until every worker has booted (the log says so) and the server answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    probe = Browser(HOST, port)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up:\n{tail(logfile)}")
        with contextlib.suppress(OSError):
            booted = logfile.read_text(errors="replace").count("Booting worker")
            if booted >= workers and probe.get(PROBE_PATH).status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_S:.0f} s:\n{tail(logfile)}")


def tail(logfile: Path, lines: int = 30) -> str:
    """The last lines of a log file."""
    return "\n".join(logfile.read_text(errors="replace").splitlines()[-lines:])
