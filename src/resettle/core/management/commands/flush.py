"""Django's `flush`, able to empty the append-only audit log on SQLite too.

Flushing empties every table: the database's reset, not an edit of the log.
PostgreSQL flushes with TRUNCATE, which the audit log's row triggers (core
migration 0006) do not see; SQLite flushes with a DELETE per table, which
they refuse, so there the flush runs inside `audit_triggers_lifted`
(core/append_only.py). Test cases that flush between tests
(TransactionTestCase, pytest-django's `transactional_db`, the browser tests)
go through this command.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from resettle.core.append_only import audit_triggers_lifted


class Command(flush.Command):
    """flush, with the audit log's SQLite triggers lifted for its transaction."""

    def handle(self, **options: Any) -> None:
        with audit_triggers_lifted(connections[options["database"]]):
            super().handle(**options)
