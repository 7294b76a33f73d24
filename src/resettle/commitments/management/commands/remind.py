"""`resettle remind`: the daily e-mail reminders (overdue commitment updates, mandates ending).

Meant to run once a day from cron; every reminder is idempotent, so running it
twice sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from resettle.commitments.reminders import send_overdue_update_reminders


class Command(BaseCommand):
    """Send the reminders that are due today."""

    help = "Send the daily reminders: overdue commitment updates and mandates ending."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); for testing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options["date"] or timezone.localdate()
        sent = send_overdue_update_reminders(today)
        self.stdout.write(f"Overdue commitment updates: {sent} e-mail(s) sent.")
        try:
            # The governance app's reminders are written separately and may not exist
            # yet; only the import is guarded, so errors inside it still surface.
            from resettle.governance.reminders import (  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: PLC0415 - optional module, see above
                send_mandate_ending_reminders,
            )
        except ImportError:
            self.stdout.write("Mandates ending: not available.")
        else:
            mandates = send_mandate_ending_reminders(today)
            self.stdout.write(f"Mandates ending: {mandates} e-mail(s) sent.")
