"""`resettle demo [--once]`: load the demo dataset and print one login per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from resettle.demo.data import DEMO_PASSWORD
from resettle.demo.services import DemoReport, demo_logins, demo_users_exist, do_load_demo

# How each count of the report is named in the output.
LABELS = {
    "state_profiles": "resettlement State profiles",
    "organisations": "organisations",
    "people": "contacts",
    "forums": "forums",
    "cycles": "consultation cycles",
    "memberships": "memberships",
    "users": "demo users",
    "datasets": "dataset versions (needs, pledges, departures)",
    "meetings": "meeting records (meetings, sessions, speakers, planning committees)",
    "registrations": "registrations and invitations",
    "documents": "document records",
    "records": "minutes, decisions and action points",
    "governance": "recommendations and RAG advice records",
    "commitments": "commitment records",
    "situations": "priority situation records (targets, practice, host countries)",
    "capacity": "capacity-building records (assessments, assistance, training, GROW)",
    "cases": "resettlement cases",
    "allocation": "allocation records (pledge lines, runs, scenarios)",
    "library": "knowledge library items",
    "pipeline": "case pipeline records (case files, family members, stages)",
    "rsf": "Resettlement Support Facility records (rooms, interpreters, missions)",
}


class Command(BaseCommand):
    """Load the demo dataset (idempotent) and list the demo logins."""

    help = (
        "Load the demo dataset: resettlement States, organisations, forums, CRCP cycles, "
        "memberships, one user per role, the needs, pledges and departures datasets, "
        "meetings with agendas, registrations, documents, decisions and action points, "
        "Steering Committee recommendations, RAG advice, commitments and priority situations. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """--once: skip loading when the demo users are already there."""
        parser.add_argument(
            "--once",
            action="store_true",
            help="if the demo users already exist, only print the logins (fast start-up)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load (unless --once finds it done), then print the logins."""
        # The demo accounts share a published password: never in production.
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "The demo dataset is not loaded when RESETTLE_ENV=production: its accounts "
                "share a published password."
            )
        try:
            if options["once"] and demo_users_exist():
                self.stdout.write("Demo dataset already loaded.")
            else:
                self._report(do_load_demo(actor=None))
            logins = demo_logins()
        except (ImproperlyConfigured, ValidationError, DatabaseError) as exc:
            raise CommandError(f"Could not load the demo dataset: {_explain(exc)}") from exc
        self.stdout.write("Demo logins (username / password — role — organisation):")
        for username, role, organisation in logins:
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} — {role} — {organisation}")

    def _report(self, report: DemoReport) -> None:
        if report.total == 0:
            self.stdout.write("Demo dataset already loaded: nothing to create.")
            return
        created = ", ".join(
            f"{count} {LABELS[name]}" for name, count in report.counts().items() if count
        )
        self.stdout.write(self.style.SUCCESS(f"Demo dataset loaded. Created: {created}."))


def _explain(exc: Exception) -> str:
    """A one-line account of a failure, naming fields for validation errors."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DatabaseError):
        # Most often a database that has not been migrated yet.
        return f"{exc} (has `resettle migrate` been run?)"
    return str(exc) or exc.__class__.__name__
