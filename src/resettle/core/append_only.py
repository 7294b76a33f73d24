"""Lifting the audit log's SQLite triggers while the whole database is emptied.

The triggers (core migration 0006) refuse every DELETE of an audit entry. A
database reset is not an edit of the log, and PostgreSQL's resets (TRUNCATE)
pass them by, as row triggers do not see a TRUNCATE. SQLite's resets are a
DELETE per table, so code that empties the whole database on SQLite (the
`flush` command, a restore from a backup) does it inside
`audit_triggers_lifted`: the triggers are dropped, and created again as they
were, within one transaction. Other connections never see the table without
them (SQLite has one writer at a time), and if anything fails the transaction
rolls back, triggers included. Never use it to delete some entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from resettle.core.models import AuditEntry


@contextmanager
def audit_triggers_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Run the block in a transaction; on SQLite, with the audit log's triggers dropped."""
    table = AuditEntry._meta.db_table
    with transaction.atomic(using=connection.alias):
        if connection.vendor != "sqlite":
            # PostgreSQL's triggers are per row and TRUNCATE fires none of them:
            # only the transaction matters, so a failed reset rolls back whole.
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        yield
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
