"""`resettle subject-export REFERENCE [--member ID] [--out FILE]`: everything held about a family.

Writes one UTF-8 JSON file (or standard output): the case, its sharing records
and allocation outcomes, the case file, the family members with their
decrypted personal data, stages, medical assessments, orientation, travel,
RSF missions and appointments, the reads of their data and the audit entries
about them. The export itself is recorded and audited (who exported whom,
never the data), as `cli:<operating system user>`. See docs/data-protection.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from resettle.pipeline.management import problem
from resettle.pipeline.subjects import do_export_subject, export_json, find_case, find_member


class Command(BaseCommand):
    """Export everything held about a family or one of its members."""

    help = "Export everything held about a family (or one member) as one UTF-8 JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the case reference")
        parser.add_argument("--member", help="the id of one family member (see an export)")
        parser.add_argument("--out", help="the JSON file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            case = find_case(options["reference"])
            member = find_member(case, options["member"])
        except ValidationError as exc:
            raise problem(exc) from exc
        out = options["out"]
        if out and Path(out).exists():
            raise CommandError(f"{out} exists already: choose another file (nothing was done)")
        data = export_json(do_export_subject(case, member=member, actor=None, channel="cli"))
        if out:
            Path(out).write_bytes(data)
            self.stderr.write(f"wrote {out} ({len(data)} bytes)")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
