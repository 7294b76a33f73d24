"""`resettle import needs|pledges|departures FILE`: import a dataset file as a new version.

Prints a progress bar on stderr while it checks and writes the rows; a refused
file prints the report (row, line, column, reason) on stderr and exits with
status 1, having written nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.needs import importing
from resettle.needs.loader import CHECKING, ImportRefused, describe_error
from resettle.needs.services import do_import_dataset

BAR_WIDTH = 30
MAX_SHOWN = 50  # problems printed; the rest are counted


class ProgressBar:
    """A one-line progress bar, redrawn at most ten times a second."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.last = 0.0
        self.drawn = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = round(BAR_WIDTH * share)
        label = _("checking") if phase == CHECKING else _("writing")
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stream.write(f"\r{label:<9} [{bar}] {share:4.0%} {done:,}/{total:,}   ", ending="")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        """Move past the bar."""
        if self.drawn:
            self.stream.write("")
            self.stream.flush()
            self.drawn = False


class Command(BaseCommand):
    """Import needs, pledges or departures from a CSV, XLSX or HXL-tagged CSV file."""

    help = (
        "Import a dataset file (CSV, XLSX, HXL-tagged CSV, or the Refugee Data Finder's "
        "layout) as the next version of a series. A file with any problem is refused "
        "whole (exit status 1) and nothing is written; the same figures as the current "
        "version change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["needs", "pledges", "departures"])
        parser.add_argument("file", help="path of the CSV or XLSX file")
        parser.add_argument(
            "--series",
            default="",
            help="series the version belongs to (default: pgrn, pledges, departures; "
            "rdf-arrivals for the Refugee Data Finder layout)",
        )
        parser.add_argument("--source", default="", help="where the figures come from")
        parser.add_argument(
            "--layout",
            choices=list(importing.LAYOUTS),
            default=None,
            help="rdf: the Refugee Data Finder's solutions layout (detected from the header "
            "when not given)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="feed a field from a column (header name, HXL hashtag or 0-based index); "
            "repeatable; FIELD= leaves the field out",
        )
        parser.add_argument("--note", default="", help="a note kept with the version")
        parser.add_argument(
            "--private", action="store_true", help="for signed-in users only (default: public)"
        )
        parser.add_argument(
            "--illustrative",
            action="store_true",
            help="mark the figures as illustrative (not published anywhere)",
        )
        parser.add_argument(
            "--user",
            default="",
            help="record the import as this user's (default: system); they need the right",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping: dict[str, int | str | None] = {}
        for item in options["map"]:
            field, sep, column = item.partition("=")
            if not sep or not field.strip():
                raise CommandError(_("--map takes FIELD=COLUMN, not %(item)s") % {"item": item})
            mapping[field.strip()] = column.strip() or None
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user %(name)s.") % {"name": options["user"]})
        bar = None if options["no_progress"] else ProgressBar(self.stderr)
        try:
            result = do_import_dataset(
                options["kind"],
                options["file"],
                series=options["series"],
                source=options["source"],
                mapping=mapping or None,
                layout=options["layout"],
                actor=actor,
                progress=bar,
                is_public=not options["private"],
                is_illustrative=options["illustrative"],
                note=options["note"],
            )
        except ImportRefused as exc:
            if bar is not None:
                bar.end()
            self._report(exc)
            raise CommandError(_("Refused: nothing was written."), returncode=1) from exc
        except PermissionDenied as exc:
            raise CommandError(_("This user may not import datasets.")) from exc
        except ValidationError as exc:
            if bar is not None:
                bar.end()
            raise CommandError(" ".join(exc.messages)) from exc
        if bar is not None:
            bar.end()
        version = result.version
        values = {
            "rows": f"{result.rows:,}",
            "series": version.series,
            "number": version.number,
            "skipped": f"{result.skipped:,}",
            "seconds": f"{result.seconds:.1f}",
        }
        if result.imported:
            text = _("Imported %(rows)s rows as %(series)s version %(number)s") % values
            if result.skipped:
                text += " " + _("(%(skipped)s rows without figures skipped)") % values
            self.stdout.write(self.style.SUCCESS(text + "."))
        else:
            self.stdout.write(
                _(
                    "Unchanged: the file holds the same figures as %(series)s version "
                    "%(number)s; nothing was written."
                )
                % values
            )

    def _report(self, exc: ImportRefused) -> None:
        err = self.stderr
        err.write(
            _("The file was refused: %(count)s problems.") % {"count": f"{exc.error_count:,}"}
        )
        for error in exc.report[:MAX_SHOWN]:
            err.write("  " + describe_error(error))
        more = exc.error_count - min(len(exc.report), MAX_SHOWN)
        if more > 0:
            err.write("  " + _("And %(count)s more problems.") % {"count": f"{more:,}"})
