"""`resettle import-cases FILE`: create resettlement cases from a CSV file, all or nothing.

The file is the allocation engine's cases format (`resettle allocate` reads
the same files). A file with any problem prints the report (row, column,
reason) on stderr, exits with status 1 and creates nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resettle.cases.services import do_import_cases


class Command(BaseCommand):
    """Import resettlement cases from a CSV file."""

    help = (
        "Create resettlement cases from a CSV file in the allocation engine's cases format. "
        "A file with any problem is refused whole (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        outcome = do_import_cases(data, actor=None)
        if outcome.refused:
            for problem in outcome.errors:
                where = f"row {problem.row}" if problem.row else "file"
                column = f", {problem.column}" if problem.column else ""
                self.stderr.write(f"{where}{column}: {problem.message}")
            raise CommandError(f"refused: {len(outcome.errors)} problems; nothing was imported")
        self.stdout.write(f"imported {outcome.created} cases")
