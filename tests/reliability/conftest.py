"""Fixtures of the reliability tests: the test database, shared with server processes.

A server process (gunicorn, started by the test) must see the rows a test
writes, so these tests commit (`transaction=True`) and restore the data
migrations' rows first: an earlier transactional test may have flushed every
table, and pytest-django restores nothing unless the database was serialized,
so `shared_db` runs the data migrations' loaders again (they skip rows present).
On PostgreSQL the server uses the test database itself; on SQLite, whose test
database lives in this process's memory, a file copy of it that this test's
connection switches to meanwhile.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connections

from resettle.core.liveserver import database_url

# The data migrations whose rows the demo dataset needs, in dependency order.
_DATA_MIGRATIONS = (
    "resettle.directory.migrations.0002_load_countries",
    "resettle.needs.migrations.0002_load_populations",
)


@pytest.fixture
def migration_rows(transactional_db: None) -> None:
    """The rows the data migrations load (countries, populations), loaded again if flushed."""
    for name in _DATA_MIGRATIONS:
        importlib.import_module(name).load(apps, None)


@pytest.fixture
def shared_db(migration_rows: None, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL for server processes naming the database this test uses.

    On SQLite the file is `tmp_path/db/shared.sqlite3`, in a folder of its own
    (the outage tests take the folder away).
    """
    conn = connections["default"]
    if conn.vendor == "postgresql" or not conn.is_in_memory_db():  # type: ignore[attr-defined]
        yield database_url()
        return
    # Copy the in-memory test database to a file and use the file meanwhile; the
    # memory connection is kept aside, open (closing it would drop that database).
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "shared.sqlite3"
    conn.ensure_connection()
    memory = conn.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    settings_dict = conn.settings_dict
    name = settings_dict["NAME"]
    conn.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield database_url()
    finally:
        conn.close()
        settings_dict["NAME"] = name
        conn.connection = memory
