"""`restore_backup`: an archive back into a database, all or nothing.

Before anything is written, restore checks that the archive is whole (every
table file and uploaded file against its checksum), that it was made at this
database's migration state, and that the database is empty (rows only in the
tables migrations fill) unless `force`. Then, in one transaction, it empties
every table, loads every row with its original id, resets PostgreSQL's
sequences, checks the references between tables, and reads every table back
to compare its row count and checksum with the manifest: any difference
raises, and the transaction rolls back. The uploaded files replace MEDIA_ROOT
at the end of that transaction (the files that were there are moved aside,
not deleted).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from resettle.core.append_only import audit_triggers_lifted
from resettle.core.backup.archive import (
    BackupError,
    Manifest,
    TableEntry,
    media_files,
    open_archive,
    remove_tree,
    stage_media,
    table_lines,
)
from resettle.core.backup.dump import applied_migrations
from resettle.core.backup.tables import (
    BATCH,
    Table,
    backed_up_tables,
    checksum,
    decode,
    tables_with_rows,
)

SHOWN = 8  # names listed in a message before "and N more"


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did."""

    manifest: Manifest
    media_aside: Path | None  # where the uploaded files that were there went


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _match_tables(manifest: Manifest) -> list[tuple[TableEntry, Table]]:
    current = {t.name: t for t in backed_up_tables()}
    archived = {e.table: e for e in manifest.tables}
    missing = sorted(current.keys() - archived.keys())
    extra = sorted(archived.keys() - current.keys())
    if missing or extra:
        raise BackupError(
            "the archive's tables are not this release's: "
            + "; ".join(
                part
                for part in (
                    f"only in the archive: {_listing(extra)}" if extra else "",
                    f"missing from the archive: {_listing(missing)}" if missing else "",
                )
                if part
            )
        )
    for entry in manifest.tables:
        if sorted(entry.columns) != sorted(current[entry.table].columns):
            raise BackupError(
                f"the archive's table {entry.table} has the columns "
                f"{', '.join(entry.columns)}; this release's has "
                f"{', '.join(current[entry.table].columns)}"
            )
    return [(e, current[e.table]) for e in manifest.tables]


def _check_migrations(manifest: Manifest, using: str) -> None:
    ours = set(applied_migrations(using))
    theirs = set(manifest.migrations)
    if not ours:
        raise BackupError(
            "the database has no tables yet: run `resettle migrate` first, then restore"
        )
    if ours != theirs:
        parts = []
        if only_archive := sorted(f"{a}.{n}" for a, n in theirs - ours):
            parts.append(f"applied in the archive only: {_listing(only_archive)}")
        if only_db := sorted(f"{a}.{n}" for a, n in ours - theirs):
            parts.append(f"applied in this database only: {_listing(only_db)}")
        raise BackupError(
            "the archive was made at another migration state than this database's ("
            + "; ".join(parts)
            + "). Restore it into a database migrated to the archive's state (the release "
            "that made it), then upgrade with `resettle migrate`."
        )


def _check_empty(using: str, media_root: Path) -> None:
    filled = tables_with_rows(using)
    files = media_files(media_root)
    if not filled and not files:
        return
    what = [f"{name} ({count} rows)" for name, count in sorted(filled.items())]
    if files:
        what.append(f"{len(files)} uploaded files in {media_root}")
    raise BackupError(
        f"the database is not empty: {_listing(what)}. Restore replaces everything: "
        "run it again with --force to empty the database first (in the same transaction), "
        "or restore into a new database."
    )


def _verify_archive(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    damaged = []
    for entry in manifest.tables:
        digest = hashlib.sha256()
        rows = 0
        for line in table_lines(archive, entry):
            digest.update(line)
            rows += 1
        if (rows, digest.hexdigest()) != (entry.rows, entry.file_sha256):
            damaged.append(f"{entry.table} ({rows} rows read, {entry.rows} in the manifest)")
    if damaged:
        raise BackupError(
            "the archive is damaged: these tables do not match their checksums: "
            f"{_listing(damaged)}. Nothing was restored."
        )


def _db_value(field: models.Field[Any, Any], value: Any, connection: BaseDatabaseWrapper) -> Any:
    python = decode(field, value)
    if python is None and isinstance(field, models.JSONField) and not field.null:
        return connection.ops.adapt_json_value(None, field.encoder)  # JSON null, not SQL NULL
    return field.get_db_prep_save(python, connection)


def _load_table(
    archive: zipfile.ZipFile, entry: TableEntry, table: Table, connection: BaseDatabaseWrapper
) -> None:
    by_column = {f.column: f for f in table.fields}
    fields = [by_column[c] for c in entry.columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from our models
        quote(entry.table),
        ", ".join(quote(c) for c in entry.columns),
        ", ".join(["%s"] * len(fields)),
    )
    batch: list[list[Any]] = []
    first = 1

    def flush(upto: int) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
        except DatabaseError as exc:
            raise BackupError(
                f"{entry.table}: the database refused the rows of lines {first}-{upto}: {exc}"
            ) from exc
        batch.clear()

    number = 0
    for number, line in enumerate(table_lines(archive, entry), start=1):
        try:
            values = json.loads(line)
            if not isinstance(values, list) or len(values) != len(fields):
                raise ValueError(f"expected {len(fields)} values")
            batch.append([_db_value(f, v, connection) for f, v in zip(fields, values, strict=True)])
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{entry.table}, line {number}: not a row: {exc}") from exc
        if len(batch) >= BATCH:
            flush(number)
            first = number + 1
    if batch:
        flush(number)


def _empty_database(tables: list[Table], connection: BaseDatabaseWrapper) -> None:
    # PostgreSQL refuses to TRUNCATE a table with deferred checks pending (rows
    # written earlier in an enclosing transaction): run those checks now.
    if connection.vendor == "postgresql":
        connection.check_constraints()
    statements = connection.ops.sql_flush(
        no_style(), [t.name for t in tables], reset_sequences=True
    )
    existing = set(connection.introspection.table_names())
    # The shared database cache holds figures computed from the old rows.
    for cache in settings.CACHES.values():
        backend, location = str(cache["BACKEND"]), str(cache.get("LOCATION", ""))
        if backend.endswith("DatabaseCache") and location in existing:
            statements.append(f"DELETE FROM {connection.ops.quote_name(location)}")  # noqa: S608 - our settings
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _verify_database(pairs: list[tuple[TableEntry, Table]], using: str) -> None:
    differ = []
    for entry, table in pairs:
        rows, sha = checksum(table, using, entry.columns)
        if (rows, sha) != (entry.rows, entry.sha256):
            differ.append(f"{entry.table} ({rows} rows, {entry.rows} in the archive)")
    if differ:
        raise BackupError(
            "after loading, these tables differ from the archive: "
            f"{_listing(differ)}. The restore was rolled back; nothing changed."
        )


class _MediaSwap:
    """Puts the staged files in MEDIA_ROOT's place, and can put the old ones back."""

    def __init__(self, staging: Path, root: Path) -> None:
        self.staging, self.root = staging, root
        self.aside: Path | None = None
        self.done = False

    def apply(self) -> None:
        if self.root.exists():
            if media_files(self.root):
                stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
                self.aside = self.root.with_name(f"{self.root.name}.before-restore-{stamp}")
                self.root.rename(self.aside)
            else:
                shutil.rmtree(self.root)
        self.staging.rename(self.root)
        self.done = True

    def undo(self) -> None:
        if not self.done:
            return
        shutil.rmtree(self.root, ignore_errors=True)
        if self.aside is not None:
            self.aside.rename(self.root)
        self.done = False


def restore_backup(path: Path, *, using: str = "default", force: bool = False) -> RestoreReport:
    """Load the archive at `path` into the database; see the module's docstring."""
    connection = connections[using]
    archive, manifest = open_archive(path)
    media_root = Path(settings.MEDIA_ROOT)
    staging = media_root.parent / f".{media_root.name}.restore-{os.getpid()}"
    with archive:
        _check_migrations(manifest, using)
        pairs = _match_tables(manifest)
        if not force:
            _check_empty(using, media_root)
        _verify_archive(archive, manifest)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        remove_tree(staging)
        swap = _MediaSwap(staging, media_root)
        try:
            stage_media(archive, manifest.media, staging)
            with transaction.atomic(using=using):
                # Emptying is not an edit of the audit log (see core/append_only.py).
                with audit_triggers_lifted(connection):
                    _empty_database([t for _, t in pairs], connection)
                for entry, table in pairs:
                    _load_table(archive, entry, table, connection)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(
                        no_style(), [t.model for _, t in pairs]
                    ):
                        cursor.execute(sql)
                try:
                    connection.check_constraints(table_names=[e.table for e, _ in pairs])
                except IntegrityError as exc:
                    raise BackupError(f"references between tables are broken: {exc}") from exc
                _verify_database(pairs, using)
                swap.apply()
        except BaseException:
            swap.undo()
            raise
        finally:
            remove_tree(staging)
    ContentType.objects.clear_cache()
    for cache in caches.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            cache.clear()
    return RestoreReport(manifest=manifest, media_aside=swap.aside)
