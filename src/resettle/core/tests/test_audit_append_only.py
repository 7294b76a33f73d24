"""The audit log is append-only: in the ORM, in the database (triggers), in the admin.

Every test runs on the suite's database, so on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.test import Client

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.append_only import audit_triggers_lifted
from resettle.core.audit import record, save_with_audit
from resettle.core.models import AuditAction, AuditEntry, AuditEntryIsAppendOnly, DeniedRequest

TABLE = AuditEntry._meta.db_table
TRIGGERS = {
    "sqlite": {f"{TABLE}_no_delete", f"{TABLE}_no_update"},
    "postgresql": {f"{TABLE}_append_only"},
}


def _entry(world: SimpleNamespace, actor: User | None = None) -> AuditEntry:
    with transaction.atomic():
        save_with_audit(world.ngo_org, {"acronym": "AUD"}, actor=actor or world.users["admin"])
    return AuditEntry.objects.get()


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        return {row[0] for row in cursor.fetchall()}


def _refused(sql: str, params: list[Any]) -> None:
    """The statement fails with the triggers' integrity error, and changes nothing."""
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


# ---- the ORM ---------------------------------------------------------------------------------


def test_an_entry_cannot_be_saved_again_or_deleted(world: SimpleNamespace) -> None:
    entry = _entry(world)
    entry.object_repr = "rewritten"
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.save()
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.delete()
    stored = AuditEntry.objects.get()
    assert stored.object_repr != "rewritten"


def test_the_queryset_refuses_update_delete_and_bulk_update(world: SimpleNamespace) -> None:
    entry = _entry(world)
    with pytest.raises(AuditEntryIsAppendOnly, match="append-only"):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="rewritten")
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.all().delete()
    entry.object_repr = "rewritten"
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["object_repr"])
    assert AuditEntry.objects.get().object_repr != "rewritten"


def test_a_new_entry_with_an_existing_id_is_never_an_update(world: SimpleNamespace) -> None:
    entry = _entry(world)
    copy = AuditEntry(
        pk=entry.pk,
        actor_repr="forger",
        action=AuditAction.UPDATE,
        content_type=entry.content_type,
        object_id=entry.object_id,
        object_repr="forged",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # an INSERT, which the primary key refuses
    assert AuditEntry.objects.get().actor_repr == "admin"


# ---- the database ----------------------------------------------------------------------------


def test_the_triggers_exist(db: None) -> None:
    """A migration that rebuilt the table (SQLite) would have dropped them: this says so."""
    assert TRIGGERS[connection.vendor] <= _triggers()


def test_the_database_refuses_a_delete(world: SimpleNamespace) -> None:
    entry = _entry(world)
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608 - a constant
    _refused(f"DELETE FROM {TABLE}", [])  # noqa: S608 - a constant
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


NEW_VALUES: dict[str, Any] = {
    "at": "2001-01-01 00:00:00",
    "actor_repr": "forger",
    "action": "delete",
    "object_id": "999",
    "object_repr": "forged",
    "before": '{"forged": true}',
    "after": '{"forged": true}',
}


@pytest.mark.parametrize(
    "column",
    [f.column for f in AuditEntry._meta.concrete_fields if f.column != "actor_id"],
)
def test_the_database_refuses_to_change_any_column(world: SimpleNamespace, column: str) -> None:
    """Every column, the id included; a column added later fails here until the triggers know it."""
    entry = _entry(world)
    if column == "id":
        value: Any = entry.pk + 1000
    elif column == "content_type_id":
        value = ContentType.objects.get_for_model(User).pk
    else:
        value = NEW_VALUES[column]
    quoted = connection.ops.quote_name(column)
    cast = "::jsonb" if connection.vendor == "postgresql" and column in {"before", "after"} else ""
    _refused(
        f"UPDATE {TABLE} SET {quoted} = %s{cast} WHERE id = %s",  # noqa: S608 - model columns
        [value, entry.pk],
    )
    assert AuditEntry.objects.get() == entry and AuditEntry.objects.get().actor_repr == "admin"


def test_the_actor_can_only_be_unlinked(world: SimpleNamespace) -> None:
    entry = _entry(world)
    other = world.users["ngo"].pk
    _refused(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [other, entry.pk])  # noqa: S608
    # Unlinking together with another change is refused too.
    _refused(
        f"UPDATE {TABLE} SET actor_id = NULL, actor_repr = %s WHERE id = %s",  # noqa: S608
        ["forger", entry.pk],
    )
    assert AuditEntry.objects.get().actor_id == world.users["admin"].pk


def test_deleting_an_account_unlinks_its_entries_and_keeps_its_name(
    world: SimpleNamespace,
) -> None:
    leaver = User.objects.create_user("leaver", "l@example.org", "x", role=Role.NGO)
    entry = _entry(world, actor=leaver)
    leaver.delete()  # Django's SET_NULL: the one change the triggers let through
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id is None and entry.actor_repr == "leaver"
    assert entry.after is not None and entry.after["acronym"] == "AUD"


def _plain_entry() -> AuditEntry:
    """An entry needing no fixture world (a transactional test's flush empties it)."""
    user = User.objects.create_user("someone", "someone@example.org", "x", role=Role.NGO)
    with transaction.atomic():
        return record(None, AuditAction.CREATE, user, None, {"username": "someone"})


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_triggers() -> None:
    """A transactional test: the suite flushes after it, as after every browser test."""
    _plain_entry()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert TRIGGERS[connection.vendor] <= _triggers()
    # Refusing as before: a fresh entry cannot be deleted.
    entry = _plain_entry()
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608 - a constant
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_lifting_the_triggers_rolls_back_with_a_failed_reset() -> None:
    _plain_entry()
    # The database's own reset statement: DELETE on SQLite, TRUNCATE on PostgreSQL.
    [reset] = connection.ops.sql_flush(no_style(), [TABLE])
    with pytest.raises(RuntimeError), audit_triggers_lifted(connection):
        with connection.cursor() as cursor:
            cursor.execute(reset)
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - a constant
            assert cursor.fetchone() == (0,)
        raise RuntimeError("the reset failed half-way")
    assert AuditEntry.objects.count() == 1
    assert TRIGGERS[connection.vendor] <= _triggers()


# ---- the admin -------------------------------------------------------------------------------


def test_the_admin_shows_the_logs_read_only(world: SimpleNamespace) -> None:
    entry = _entry(world)
    admin_client = Client()
    admin_client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    denied = DeniedRequest.objects.create(
        window=entry.at,
        client="ip:192.0.2.1",
        user_repr="anonymous",
        method="GET",
        path="/x/",
        status=404,
        reason="not found",
    )
    for model, obj in (("auditentry", entry), ("deniedrequest", denied)):
        base = f"/admin/core/{model}/"
        assert admin_client.get(base).status_code == 200
        assert admin_client.get(f"{base}add/").status_code == 403
        page = admin_client.get(f"{base}{obj.pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert admin_client.post(f"{base}{obj.pk}/change/", {}).status_code == 403
        assert admin_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert DeniedRequest.objects.filter(pk=denied.pk).exists()


# ---- the data migration that took ciphertext out of earlier entries --------------------------


def test_the_migration_replaces_ciphertext_by_its_fingerprint() -> None:
    migration = importlib.import_module(
        "resettle.core.migrations.0004_audit_entries_hold_no_ciphertext"
    )
    from resettle.core.audit import sealed_fingerprint

    data = {"name_sealed": "gAAAAB-cipher", "date_of_birth_sealed": "", "sex": "F"}
    scrubbed = migration._scrub(data)
    assert scrubbed == {
        "name_sealed": sealed_fingerprint("gAAAAB-cipher"),
        "date_of_birth_sealed": "",
        "sex": "F",
    }
    assert migration._scrub(scrubbed) == scrubbed  # running it again changes nothing
    assert migration._scrub(None) is None
