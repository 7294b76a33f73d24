"""Erasure of a family's (or one member's) personal data, keeping the statistics.

`do_erase_subject` pseudonymises, in one transaction:

- each family member erased: the name becomes a pseudonym ("[erased #2]"),
  the date of birth, medical and accessibility needs are removed (the
  minor/adult flag is set from the date of birth first, so the scheduler's
  and the indicators' counts stay as they were); sex, relationship,
  languages and the interview flag stay;
- for a whole family, also every free text about it: stage notes and the hold
  or withdrawal reason become "[erased]", medical findings are removed;
  for one member, only the texts that mention their name or date of birth;
- purposes typed when reading personal data, where they mention them.

The case (reference, size, nationality, country of asylum, categories,
needs flags), the stages and their dates, the assessments' outcomes,
attendance, flights, missions and appointments stay: indicators, the gap's
departures and the audit trail still add up. The scope `medical` removes
only medical details (members' medical and accessibility needs, findings):
the retention job's first step.

Every change goes through `save_with_audit` (sealed fields reach the log as
fingerprints only), and a `SubjectRequest` records who erased what and why.
Erasing again changes nothing and writes nothing. A reason that names the
person is refused: the log keeps it. See docs/data-protection.md.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.cases.models import ResettlementCase
from resettle.core.access import require
from resettle.core.audit import save_with_audit
from resettle.pipeline.models import (
    CaseFile,
    ErasureScope,
    FamilyMember,
    MedicalAssessment,
    PersonalDataAccess,
    RequestKind,
    RequestOrigin,
    StageEvent,
    SubjectRequest,
)
from resettle.pipeline.subjects import can_handle_subject_requests, case_file_of, who

REDACTED = "[erased]"
MIN_TOKEN = 3  # shorter parts of a name ("Al", "Bo") would match everywhere


def pseudonym(member: FamilyMember) -> str:
    """What an erased member's name becomes: their number in the family, nothing else."""
    return f"[erased #{member.position}]"


def date_spellings(born: datetime.date) -> list[str]:
    """The usual ways a date of birth is typed."""
    return [
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        born.strftime("%m/%d/%Y"),
        born.strftime("%d.%m.%Y"),
        born.strftime("%d-%m-%Y"),
        born.strftime("%Y%m%d"),
        f"{born.day} {born:%B} {born.year}",
        f"{born:%B} {born.day}, {born.year}",
    ]


def identifiers(member: FamilyMember) -> list[str]:
    """The strings that identify a member in free text: name, its parts, date of birth."""
    found: list[str] = []
    if member.erased_at is None:
        name = member.name.strip()
        if name:
            found.append(name)
            found += [part for part in name.replace("-", " ").split() if len(part) >= MIN_TOKEN]
    born = member.date_of_birth
    if born is not None:
        found += date_spellings(born)
    return found


def mentions(text: str, needles: list[str]) -> bool:
    """Whether a text mentions any of the identifiers, as whole words, in any case.

    Whole words: "Amal" is in "Amal's file", not in "Guatemala".
    """
    return any(
        re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text, re.IGNORECASE)
        for needle in needles
        if needle
    )


@dataclass
class ErasureOutcome:
    """What an erasure changed, by kind of record (all zero: nothing left to erase)."""

    case: str
    scope: str
    counts: dict[str, int] = field(default_factory=dict)
    request: SubjectRequest | None = None

    @property
    def changed(self) -> int:
        return sum(self.counts.values())


def _members_work(members: list[FamilyMember], scope: str, actor: User | None) -> int:
    changed = 0
    now = timezone.now()
    for member in members:
        fields: dict[str, Any] = {}
        if member.medical_needs_sealed:
            fields["medical_needs"] = ""
        if member.accessibility_needs_sealed:
            fields["accessibility_needs"] = ""
        if scope == ErasureScope.PERSONAL:
            if member.date_of_birth_sealed:
                # Keep the adult/minor count the indicators and scheduler read.
                fields["is_minor"] = not member.is_adult()
                fields["date_of_birth"] = None
            if member.erased_at is None:
                fields["name"] = pseudonym(member)
                fields["erased_at"] = now
        if fields:
            save_with_audit(member, fields, actor=actor)
            changed += 1
    return changed


def _texts_work(
    case_file: CaseFile,
    needles: list[str],
    *,
    scope: str,
    whole_family: bool,
    actor: User | None,
) -> dict[str, int]:
    counts = {"findings": 0, "notes": 0, "reasons": 0, "purposes": 0}
    for assessment in MedicalAssessment.objects.filter(case_file=case_file):
        text = assessment.findings
        if text and (whole_family or mentions(text, needles)):
            save_with_audit(assessment, {"findings": ""}, actor=actor)
            counts["findings"] += 1
    if scope != ErasureScope.PERSONAL:
        return counts
    for event in StageEvent.objects.filter(case_file=case_file):
        text = event.note
        if text and text != REDACTED and (whole_family or mentions(text, needles)):
            save_with_audit(event, {"note": REDACTED}, actor=actor)
            counts["notes"] += 1
    reason = case_file.reason
    if reason and reason != REDACTED and (whole_family or mentions(reason, needles)):
        save_with_audit(case_file, {"reason": REDACTED}, actor=actor)
        counts["reasons"] += 1
    for access in PersonalDataAccess.objects.filter(case_file=case_file):
        text = access.purpose
        if text and text != REDACTED and mentions(text, needles):
            save_with_audit(access, {"purpose": REDACTED}, actor=actor)
            counts["purposes"] += 1
    return counts


@transaction.atomic
def do_erase_subject(
    case: ResettlementCase,
    *,
    member: FamilyMember | None = None,
    reason: str,
    scope: str = ErasureScope.PERSONAL,
    origin: str = RequestOrigin.REQUEST,
    actor: User | None,
    channel: str = "admin",
    dry_run: bool = False,
) -> ErasureOutcome:
    """Erase a family's (or one member's) personal data; see the module docstring.

    Refuses (ValidationError naming the field) a missing reason, a reason that
    names the person, a case without a case file (`reference`: it holds no
    personal data), a member of another case. `dry_run` counts what would
    change and writes nothing.
    """
    if actor is not None:
        require(can_handle_subject_requests(actor), "subject requests")
    if scope not in ErasureScope.values:
        raise ValidationError({"scope": _("Choose personal data or medical details.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the personal data is erased.")})
    case_file = case_file_of(case)
    if case_file is None:
        raise ValidationError(
            {
                "reference": _(
                    "Case %(ref)s has no case file: the platform holds no personal data of it."
                )
                % {"ref": case.reference}
            }
        )
    case_file = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if member is not None and member.case_file_id != case_file.pk:
        raise ValidationError(
            {"member": _("This family member is not of case %(ref)s.") % {"ref": case.reference}}
        )
    # Fresh rows: the caller's instances may hold a dry run's values.
    members = list(case_file.members.filter(pk=member.pk) if member else case_file.members.all())
    needles = [needle for m in members for needle in identifiers(m)]
    if mentions(reason, needles):
        raise ValidationError(
            {
                "reason": _(
                    "The reason must not name the person or give their date of birth: it is kept."
                )
            }
        )
    sid = transaction.savepoint()
    counts = {"members": _members_work(members, scope, actor)}
    counts.update(
        _texts_work(case_file, needles, scope=scope, whole_family=member is None, actor=actor)
    )
    if scope == ErasureScope.PERSONAL and member is None and case_file.erased_at is None:
        save_with_audit(case_file, {"erased_at": timezone.now()}, actor=actor)
        counts["families"] = 1
    outcome = ErasureOutcome(case.reference, scope, {k: v for k, v in counts.items() if v})
    if dry_run or not outcome.changed:
        transaction.savepoint_rollback(sid)
        return outcome
    transaction.savepoint_commit(sid)
    outcome.request = save_with_audit(
        SubjectRequest(),
        {
            "kind": RequestKind.ERASURE,
            "case": case,
            "member": member,
            "scope": scope,
            "origin": origin,
            "reason": reason,
            "counts": outcome.counts,
            "actor": actor if actor is not None and actor.pk else None,
            "actor_repr": who(actor, channel),
            "channel": channel[:10],
        },
        actor=actor,
    )
    return outcome
