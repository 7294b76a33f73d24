"""Audit entries become append-only in the database itself: triggers refuse UPDATE and DELETE.

Whatever the client (the application, a shell, a script with the database's
password), an UPDATE or DELETE of `core_auditentry` fails with an integrity
error, on PostgreSQL and on SQLite alike. One change passes: setting `actor_id`
to NULL with every other column unchanged, which is what deleting an account
does (Django's SET_NULL); the entry still names the actor in `actor_repr`.

Emptying the whole database still works: PostgreSQL's flush is a TRUNCATE,
which row triggers do not see; on SQLite, `flush` lifts these triggers for the
length of its transaction (core/append_only.py).

On SQLite a column added to the table later must be added to the update
trigger's list (core/tests/test_audit_append_only.py fails until it is), and a
migration that rebuilds the table drops the triggers with the old table (the
same test fails until they are created again).
"""

from typing import Any

from django.db import migrations

TABLE = "core_auditentry"
MESSAGE = "audit entries are append-only"
# Every column but actor_id, which may only become NULL.
KEPT = ("id", "at", "actor_repr", "action", "content_type_id", "object_id", "object_repr")
KEPT_QUOTED = (*KEPT, "before", "after")  # keywords in SQLite, quoted below

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
           AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
            RETURN NEW;  -- an account was deleted: its entries keep its name
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % refused on {TABLE}', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()
    """,
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]

_UNCHANGED = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in KEPT_QUOTED)
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused on {TABLE}'); END
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (NEW."actor_id" IS NULL AND {_UNCHANGED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused on {TABLE}'); END
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
]

SQL = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor: Any, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in SQL:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for statement in SQL[vendor][0 if forward else 1]:
        schema_editor.execute(statement, params=None)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, forward=True)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_record_denied_requests")]

    operations = [migrations.RunPython(forwards, backwards)]
