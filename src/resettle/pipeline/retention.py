"""Retention: personal data is erased once its retention period after closure is over.

A case file is closed when it reaches a final stage (departed, rejected,
withdrawn); the date it did (`stage_since`) starts the periods, read from the
settings (environment variables, see docs/data-protection.md):

- `RETENTION_MEDICAL_DAYS` (default 365): medical details (members' medical
  and accessibility needs, assessments' findings) are removed;
- `RETENTION_PERSONAL_DAYS` (default 1825, five years): the family's personal
  data is pseudonymised (erasure.py, scope personal).

`apply_retention` does both through the erasure service, one case file per
transaction (a failure leaves the others done; the next run takes it up), and
reports counts per kind. Run daily by `resettle retention` (cron); running it
twice the same day changes nothing the second time. A case file that is not
closed keeps its data: withdraw it to start the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from resettle.pipeline import stages
from resettle.pipeline.erasure import do_erase_subject
from resettle.pipeline.models import (
    CaseFile,
    ErasureScope,
    FamilyMember,
    MedicalAssessment,
    RequestOrigin,
)

DEFAULT_MEDICAL_DAYS = 365
DEFAULT_PERSONAL_DAYS = 5 * 365


def medical_days() -> int:
    """Days after closure that medical details are kept."""
    return int(getattr(settings, "RETENTION_MEDICAL_DAYS", DEFAULT_MEDICAL_DAYS))


def personal_days() -> int:
    """Days after closure that the family's personal data is kept."""
    return int(getattr(settings, "RETENTION_PERSONAL_DAYS", DEFAULT_PERSONAL_DAYS))


def _closed_before(day: datetime.date) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(stage__in=stages.FINAL, stage_since__lte=day)


def due_personal(today: datetime.date) -> QuerySet[CaseFile]:
    """Closed case files past the personal data period and not yet erased whole."""
    cutoff = today - datetime.timedelta(days=personal_days())
    return _closed_before(cutoff).filter(erased_at__isnull=True).order_by("pk")


def due_medical(today: datetime.date) -> QuerySet[CaseFile]:
    """Closed case files past the medical period that still hold medical details."""
    cutoff = today - datetime.timedelta(days=medical_days())
    members = FamilyMember.objects.filter(case_file=OuterRef("pk")).filter(
        ~Q(medical_needs_sealed="") | ~Q(accessibility_needs_sealed="")
    )
    findings = MedicalAssessment.objects.filter(case_file=OuterRef("pk")).exclude(
        findings_sealed=""
    )
    return _closed_before(cutoff).filter(Q(Exists(members)) | Q(Exists(findings))).order_by("pk")


@dataclass
class RetentionReport:
    """What a retention run erased (or, dry, would erase), per kind of personal data."""

    today: datetime.date
    dry_run: bool
    medical_days: int
    personal_days: int
    # kind -> {"case_files": n, "members": n, "findings": n, ...}
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    cases: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, reference: str, counts: dict[str, int]) -> None:
        total = self.counts.setdefault(kind, {"case_files": 0})
        total["case_files"] += 1
        for name, n in counts.items():
            total[name] = total.get(name, 0) + n
        self.cases.setdefault(kind, []).append(reference)

    def lines(self) -> list[str]:
        """The report, one line per kind."""
        verb = "would erase" if self.dry_run else "erased"
        out = []
        for kind, days in (("personal", self.personal_days), ("medical", self.medical_days)):
            counts = self.counts.get(kind, {"case_files": 0})
            detail = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            out.append(f"{kind} data ({days} days after closure): {verb} {detail}")
        return out


def apply_retention(
    today: datetime.date | None = None, *, dry_run: bool = False, channel: str = "cron"
) -> RetentionReport:
    """Erase what is past its retention period (see the module docstring)."""
    today = today or timezone.localdate()
    report = RetentionReport(today, dry_run, medical_days(), personal_days())
    plan = (
        ("personal", ErasureScope.PERSONAL, due_personal, personal_days()),
        ("medical", ErasureScope.MEDICAL, due_medical, medical_days()),
    )
    done: set[int] = set()
    for kind, scope, due, days in plan:
        for case_file in list(due(today).select_related("case")):
            if case_file.pk in done:  # a dry run: its personal erasure removes these too
                continue
            outcome = do_erase_subject(
                case_file.case,
                reason=(
                    f"Retention period over: {kind} data kept {days} days after closure "
                    f"({case_file.stage} on {case_file.stage_since.isoformat()})."
                ),
                scope=scope,
                origin=RequestOrigin.RETENTION,
                actor=None,
                channel=channel,
                dry_run=dry_run,
            )
            if outcome.changed:
                done.add(case_file.pk)
                report.add(kind, case_file.case.reference, outcome.counts)
    return report
