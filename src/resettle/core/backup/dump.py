"""`write_backup`: the whole database and the uploaded files into one archive.

The tables are read in one snapshot (PostgreSQL: a repeatable-read, read-only
transaction; SQLite: a deferred read transaction, which in WAL mode blocks no
writer), so a backup of a running platform is consistent.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import django
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from resettle.core.backup.archive import (
    COMPRESSLEVEL,
    MANIFEST,
    Manifest,
    TableEntry,
    write_media,
)
from resettle.core.backup.tables import (
    archive_line,
    backed_up_tables,
    canonical_line,
    row_values,
)

WRITE_BUFFER = 1024 * 1024


def applied_migrations(using: str) -> list[tuple[str, str]]:
    """The migrations applied to the database, sorted."""
    recorder = MigrationRecorder(connections[using])
    return sorted((str(app), str(name)) for app, name in recorder.applied_migrations())


@contextlib.contextmanager
def snapshot(using: str) -> Iterator[None]:
    """Read every table as of one moment."""
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction: it is the snapshot
        yield
        return
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django's atomic() would take the write lock (transaction_mode IMMEDIATE).
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    yield


def write_backup(path: Path, *, using: str = "default") -> Manifest:
    """Write the archive to `path` (replacing it only once complete); its manifest."""
    path = path.resolve()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    # Password hashes and sealed personal data: readable by the owner only.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as handle,
            zipfile.ZipFile(
                handle,
                "w",
                compression=zipfile.ZIP_DEFLATED,
                compresslevel=COMPRESSLEVEL,
                allowZip64=True,
            ) as archive,
        ):
            with snapshot(using):
                manifest = Manifest(
                    created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    engine=connections[using].vendor,
                    django=django.get_version(),
                    migrations=applied_migrations(using),
                )
                for table in backed_up_tables():
                    name = f"tables/{table.name}.jsonl"
                    digest, file_digest = hashlib.sha256(), hashlib.sha256()
                    rows = 0
                    with archive.open(name, "w", force_zip64=True) as out:
                        buffered: list[bytes] = []
                        size = 0
                        for values in row_values(table, using):
                            line = archive_line(values)
                            file_digest.update(line)
                            # Only JSON objects differ in their canonical line (sorted keys).
                            nested = any(isinstance(v, dict | list) for v in values)
                            digest.update(canonical_line(values) if nested else line)
                            rows += 1
                            buffered.append(line)
                            size += len(line)
                            if size >= WRITE_BUFFER:  # one compressor call per megabyte
                                out.write(b"".join(buffered))
                                buffered, size = [], 0
                        out.write(b"".join(buffered))
                    manifest.tables.append(
                        TableEntry(
                            table=table.name,
                            model=table.label,
                            columns=table.columns,
                            file=name,
                            rows=rows,
                            sha256=digest.hexdigest(),
                            file_sha256=file_digest.hexdigest(),
                        )
                    )
            manifest.media = write_media(archive, Path(settings.MEDIA_ROOT))
            archive.writestr(MANIFEST, manifest.to_json())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest
