"""`resettle subject-erase REFERENCE [--member ID] --reason TEXT [--medical-only] [--yes]`.

Erases a family's (or one member's) personal data, keeping the statistics
(pipeline/erasure.py): names become pseudonyms; dates of birth, medical
details and free text are removed. All in one transaction; erasing again
changes nothing. Without `--yes` it shows what would change and asks for the
case reference to be typed. Recorded and audited with the reason (which
must not name the person), as `cli:<operating system user>`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from resettle.pipeline.erasure import ErasureOutcome, do_erase_subject
from resettle.pipeline.management import problem
from resettle.pipeline.models import ErasureScope
from resettle.pipeline.subjects import find_case, find_member


def describe(outcome: ErasureOutcome) -> str:
    """The counts of an erasure, one line."""
    if not outcome.changed:
        return f"{outcome.case}: nothing left to erase ({outcome.scope})"
    detail = ", ".join(f"{n} {name}" for name, n in sorted(outcome.counts.items()))
    return f"{outcome.case} ({outcome.scope}): {detail}"


class Command(BaseCommand):
    """Erase (pseudonymise) a family's or one member's personal data."""

    help = "Erase a family's or one member's personal data, keeping non-identifying statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the case reference")
        parser.add_argument("--member", help="the id of one family member (default: the family)")
        parser.add_argument("--reason", required=True, help="why (kept in the log: no names)")
        parser.add_argument(
            "--medical-only", action="store_true", help="erase the medical details only"
        )
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        scope = ErasureScope.MEDICAL if options["medical_only"] else ErasureScope.PERSONAL
        try:
            case = find_case(options["reference"])
            member = find_member(case, options["member"])
            kwargs: dict[str, Any] = {
                "member": member,
                "reason": options["reason"],
                "scope": scope,
                "actor": None,
                "channel": "cli",
            }
            plan = do_erase_subject(case, dry_run=True, **kwargs)
            if not plan.changed:
                self.stdout.write(describe(plan))
                return
            if not options["yes"]:
                self.stdout.write(f"Would erase: {describe(plan)}")
                typed = input(f"Type the case reference ({case.reference}) to erase: ")
                if typed.strip() != case.reference:
                    raise CommandError("not confirmed: nothing was erased")
            outcome = do_erase_subject(case, **kwargs)
        except ValidationError as exc:
            raise problem(exc) from exc
        except EOFError as exc:
            raise CommandError("not confirmed (no input; use --yes): nothing was erased") from exc
        self.stdout.write(f"Erased: {describe(outcome)}")
