"""The tables a backup holds, in dependency order, and their rows' canonical form.

A row is one JSON array of its column values, in the order of the model's
concrete fields, with every value in one engine-neutral form (dates and times
in ISO 8601, datetimes in UTC, decimals as text, durations in microseconds,
UUIDs with hyphens, binary data in base64). The archive's file holds one such
line per row, in primary-key order, with the keys of JSON values in the order
the database gave them (so SQLite gets back the very text it had). A table's
checksum is the SHA-256 of its canonical lines: the same arrays with the keys
of JSON values sorted, since PostgreSQL's jsonb keeps no key order. A table
read from SQLite or from PostgreSQL therefore hashes the same.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.models import F
from django.db.models.functions import Collate

# Rows of these tables come from migrations (content types and permissions through
# post_migrate, countries and populations through data migrations): a freshly
# migrated database has them, so they do not make a database "not empty". Restore
# replaces them with the archive's rows, ids included, like every other table, so
# every reference to them (permissions, audit entries, admin log) stays consistent.
# test_backup.py checks that a freshly migrated database has rows in no other table.
SEEDED_BY_MIGRATIONS = frozenset(
    {"contenttypes.contenttype", "auth.permission", "directory.country", "needs.population"}
)
# Rows are read and written in batches of this many: tables stream, never whole.
BATCH = 2000
# Column types whose primary keys sort as text; PostgreSQL sorts them in code-point
# order (collation "C") so that both engines read rows in the same order.
TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})


@dataclass(frozen=True)
class Table:
    """One table of the backup: its model, name and columns (concrete fields)."""

    model: type[models.Model]
    fields: tuple[models.Field[Any, Any], ...]

    @property
    def name(self) -> str:
        """The database table name."""
        return str(self.model._meta.db_table)

    @property
    def label(self) -> str:
        """app_label.model_name, lower case."""
        return str(self.model._meta.label_lower)

    @property
    def columns(self) -> list[str]:
        """Column names, in the order of the values in each row."""
        return [str(f.column) for f in self.fields]


def _stored_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    # Generated columns are computed by the database from the others.
    return tuple(f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False))


def backed_up_tables() -> list[Table]:
    """Every table of every installed app's managed models, parents before children.

    This covers the project's apps, Django's contrib apps in use (users, groups,
    permissions, content types, sessions, the admin log) and django-tasks' task
    results, plus the many-to-many tables Django creates.
    """
    found = {
        m._meta.db_table: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    ordered = _dependency_order(list(found.values()))
    return [Table(model=m, fields=_stored_fields(m)) for m in ordered]


def _dependency_order(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Referenced tables first; ties (and cycles, which deferred constraints allow) by label."""
    by_label = {m._meta.label_lower: m for m in models_}
    needs: dict[str, set[str]] = {}
    for label, model in by_label.items():
        needs[label] = {
            f.related_model._meta.label_lower
            for f in _stored_fields(model)
            if isinstance(f.related_model, type) and f.related_model is not model
        } & by_label.keys()
    ordered: list[type[models.Model]] = []
    remaining = dict(needs)
    while remaining:
        ready = sorted(label for label, deps in remaining.items() if not deps)
        # A cycle: take the first by label; its references are checked at commit.
        chosen = ready[0] if ready else min(remaining)
        ordered.append(by_label[chosen])
        del remaining[chosen]
        for deps in remaining.values():
            deps.discard(chosen)
    return ordered


def _base_field(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """The field that decides a column's type: a foreign key's target, followed."""
    while field.is_relation:
        target = getattr(field, "target_field", None)
        if target is None:
            break
        field = target
    return field


# ---- canonical values --------------------------------------------------------------


def encode(value: Any) -> Any:
    """A column's Python value (as the ORM reads it) in its JSON form."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"no canonical form for {type(value).__name__}")


def decode(field: models.Field[Any, Any], value: Any) -> Any:
    """The Python value of a column from its JSON form (the reverse of `encode`)."""
    if value is None:
        return None
    kind = _base_field(field).get_internal_type()
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat(value)
    if kind == "DateField":
        return datetime.date.fromisoformat(value)
    if kind == "TimeField":
        return datetime.time.fromisoformat(value)
    if kind == "DecimalField":
        return Decimal(value)
    if kind == "DurationField":
        return datetime.timedelta(microseconds=value)
    if kind == "UUIDField":
        return uuid.UUID(value)
    if kind == "BinaryField":
        return base64.b64decode(value)
    return value


def archive_line(values: list[Any]) -> bytes:
    """One row's line in the archive's file, newline included."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def canonical_line(values: list[Any]) -> bytes:
    """One row's line of the checksum: JSON values' keys sorted, newline included."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8") + b"\n"


# ---- reading a table -----------------------------------------------------------------


def row_values(table: Table, using: str, columns: list[str] | None = None) -> Iterator[list[Any]]:
    """The table's rows in primary-key order, each as its list of JSON values, read in
    batches. `columns` (an archive's column order) defaults to the model's own."""
    by_column = {f.column: f for f in table.fields}
    fields = [by_column[c] for c in (columns or table.columns)]
    pk = table.model._meta.pk
    if pk is None:  # pragma: no cover - every concrete model has one
        raise TypeError(f"{table.label} has no primary key")
    order: Any = pk.attname
    if connections[using].vendor == "postgresql" and (
        _base_field(pk).get_internal_type() in TEXT_TYPES
    ):
        order = Collate(F(pk.attname), "C")
    rows = (
        table.model._base_manager.using(using)
        .order_by(order)
        .values_list(*(f.attname for f in fields))
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        yield [encode(v) for v in row]


def checksum(table: Table, using: str, columns: list[str] | None = None) -> tuple[int, str]:
    """The table's row count and the SHA-256 of its canonical lines."""
    digest = hashlib.sha256()
    count = 0
    for values in row_values(table, using, columns):
        digest.update(canonical_line(values))
        count += 1
    return count, digest.hexdigest()


def tables_with_rows(using: str) -> dict[str, int]:
    """Row counts of the tables that are not filled by migrations and have rows."""
    found: dict[str, int] = {}
    for table in backed_up_tables():
        if table.label in SEEDED_BY_MIGRATIONS:
            continue
        count = table.model._base_manager.using(using).count()
        if count:
            found[table.name] = count
    return found
