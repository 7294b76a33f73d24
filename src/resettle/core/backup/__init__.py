"""Backup and restore of the whole platform: every table and the uploaded files.

`write_backup(path)` writes a portable archive (see `archive.py`) that
`restore_backup(path)` loads into a database of either engine, SQLite or
PostgreSQL, at the same migration state. `resettle backup` and `resettle
restore` are the commands; `docs/deploy.md` says how to use them.
"""

from resettle.core.backup.archive import BackupError, Manifest
from resettle.core.backup.dump import write_backup
from resettle.core.backup.load import RestoreReport, restore_backup

__all__ = ["BackupError", "Manifest", "RestoreReport", "restore_backup", "write_backup"]
