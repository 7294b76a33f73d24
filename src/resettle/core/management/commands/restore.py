"""`resettle restore FILE [--force]`: load an archive of `resettle backup`, all or nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from resettle.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    """Restore every table and MEDIA_ROOT from an archive, verified, in one transaction."""

    help = (
        "Load FILE (written by `resettle backup`) into this database, which must be migrated "
        "to the archive's migration state and empty unless --force. Every table is loaded in "
        "one transaction and checked against the archive's row counts and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE, --force and the database."""
        parser.add_argument("file", help="the archive to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty a database that has data first (in the same transaction)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        """Restore and say what was loaded."""
        path = Path(options["file"])
        started = time.monotonic()
        try:
            report = restore_backup(path, using=options["database"], force=options["force"])
        except (BackupError, DatabaseError, OSError) as exc:
            raise CommandError(f"Restore refused: {exc}") from exc
        manifest = report.manifest
        self.stdout.write(
            f"Restored {manifest.total_rows} rows of {len(manifest.tables)} tables and "
            f"{len(manifest.media)} uploaded files from {path} (made {manifest.created_at} "
            f"on {manifest.engine}) in {time.monotonic() - started:.1f} s; "
            "row counts and checksums verified."
        )
        if report.media_aside is not None:
            self.stdout.write(
                f"The uploaded files that were there are kept in {report.media_aside}."
            )
