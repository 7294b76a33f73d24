"""Migrations: they apply to an empty database, and the models have none missing.

The database engine is the suite's: with DATABASE_URL pointing at PostgreSQL,
the migrations run from zero on a fresh PostgreSQL database (created next to
the test database and dropped afterwards); otherwise on a fresh SQLite file.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

RESETTLE = Path(sys.executable).parent / "resettle"
OUR_APPS = ("core", "accounts", "directory", "forums")


def test_no_migration_is_missing(db: None) -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # --check exits non-zero when a migration is missing
        pytest.fail(f"makemigrations found model changes without a migration:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


def test_the_test_database_is_fully_migrated(db: None) -> None:
    out = io.StringIO()
    call_command("showmigrations", "--plan", stdout=out)
    plan = out.getvalue().splitlines()
    assert plan and all(line.startswith("[X]") for line in plan), [
        line for line in plan if not line.startswith("[X]")
    ]


@pytest.fixture
def fresh_database_url(tmp_path: Path, django_db_blocker: object) -> Iterator[str]:
    """The URL of an empty database of the suite's engine."""
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    name = f"{settings['TEST']['NAME'] or 'test_' + settings['NAME']}_migrations"
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    try:
        yield f"postgres://{user}{password}@{host}{port}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _resettle(url: str, tmp_path: Path, *args: str) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATABASE_URL=url, RESETTLE_ENV="test", RESETTLE_VAR_DIR=str(tmp_path / "var"))
    result = subprocess.run(
        [str(RESETTLE), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"resettle {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


CHECK = """
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from resettle.directory.models import Country
executor = MigrationExecutor(connection)
pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
print(connection.vendor, len(pending), Country.objects.count())
"""


def _state(url: str, tmp_path: Path) -> tuple[str, int, int]:
    vendor, pending, countries = _resettle(url, tmp_path, "shell", "-c", CHECK).split()[-3:]
    return vendor, int(pending), int(countries)


def test_migrations_apply_from_zero_and_reverse(fresh_database_url: str, tmp_path: Path) -> None:
    url = fresh_database_url
    _resettle(url, tmp_path, "migrate", "--no-input")
    vendor, pending, countries = _state(url, tmp_path)
    assert (vendor, pending) == (connection.vendor, 0)
    assert countries >= 249  # the data migration loaded ISO 3166-1
    # Unwinding the directory takes every app built on it back to zero (the
    # countries' data migration reverses as a no-op); then all apply again.
    _resettle(url, tmp_path, "migrate", "directory", "zero", "--no-input")
    plan = _resettle(url, tmp_path, "showmigrations", *OUR_APPS)
    assert "[X]" not in plan
    _resettle(url, tmp_path, "migrate", "--no-input")
    assert _state(url, tmp_path)[1:] == (0, countries)
