"""`resettle backup FILE`: the whole database and the uploaded files into one archive."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from resettle.core.backup import BackupError, write_backup


class Command(BaseCommand):
    """Back up every table and MEDIA_ROOT to a portable archive."""

    help = (
        "Write every table (in one consistent snapshot) and the uploaded files to FILE, "
        "a zip archive that `resettle restore` loads into SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE and the database."""
        parser.add_argument("file", help="the archive to write (replaced once complete)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the archive and say what it holds."""
        path = Path(options["file"])
        if not path.resolve().parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        started = time.monotonic()
        try:
            manifest = write_backup(path, using=options["database"])
        except (BackupError, DatabaseError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(
            f"Backed up {manifest.total_rows} rows of {len(manifest.tables)} tables and "
            f"{len(manifest.media)} uploaded files to {path} "
            f"({path.stat().st_size} bytes) in {time.monotonic() - started:.1f} s."
        )
