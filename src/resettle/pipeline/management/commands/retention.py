"""`resettle retention [--dry-run] [--date YYYY-MM-DD]`: erase personal data past its retention.

Meant to run daily from cron (like `resettle remind`). Closed case files
(departed, rejected, withdrawn) lose their medical details
`RETENTION_MEDICAL_DAYS` after closure and their personal data
`RETENTION_PERSONAL_DAYS` after it (pipeline/retention.py, through the
erasure service). The record of denied requests loses its rows older than
`RETENTION_DENIED_REQUESTS_DAYS` (core/denials.py). Prints the counts per
kind; running it twice changes nothing the second time. `--dry-run` counts
and writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from resettle.core.denials import purge_denied_requests
from resettle.pipeline.retention import apply_retention


class Command(BaseCommand):
    """Apply the retention periods of personal data."""

    help = "Erase personal and medical data past their retention periods (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = apply_retention(options["date"], dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        denied = purge_denied_requests(report.today, dry_run=options["dry_run"])
        verb = "would delete" if options["dry_run"] else "deleted"
        days = settings.RETENTION_DENIED_REQUESTS_DAYS
        self.stdout.write(f"denied requests ({days} days): {verb} {denied} rows")
        if options["verbosity"] > 1:
            for kind, refs in sorted(report.cases.items()):
                self.stdout.write(f"{kind}: {', '.join(refs)}")
