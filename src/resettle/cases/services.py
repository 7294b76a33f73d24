"""Business rules for resettlement cases: who sees them, importing them, referring them.

Referring a case shares it with a State: the purpose and the consent are
recorded with it (`cases/sharing.py`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.cases import importing
from resettle.cases.models import ALL_CASES_ROLES, CaseStatus, ResettlementCase
from resettle.cases.sharing import ShareTerms, record_shares, share_terms
from resettle.core.access import get_visible, require
from resettle.core.audit import actor_label, save_with_audit, snapshot
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country

# ---- reads -------------------------------------------------------------------


def get_case_for_user(pk: int | str, user: Any) -> ResettlementCase:
    """A case the user may see (404 otherwise, absent and hidden alike)."""
    return get_visible(ResettlementCase, user, pk=pk)


def can_manage_cases(user: User | None) -> bool:
    """UNHCR staff and administrators submit, import and refer cases."""
    return (
        user is not None
        and user.is_active
        and (user.is_platform_admin or user.role in ALL_CASES_ROLES)
    )


# ---- import ------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: cases created, or the problems that refused the file."""

    created: int
    errors: list[importing.RowProblem]

    @property
    def refused(self) -> bool:
        """Whether the file was refused whole."""
        return bool(self.errors)


@transaction.atomic
def do_import_cases(data: bytes, *, actor: User | None) -> ImportOutcome:
    """Create the cases of a CSV file (the engine's cases format), all or nothing.

    A file with any problem (a bad value, an unknown country or situation, a
    reference already in the database or twice in the file) creates nothing
    and returns every problem by row. Each case created has its audit entry.
    """
    if actor is not None:
        require(can_manage_cases(actor), "cases")
    parsed = importing.read_cases(data)
    if parsed.errors:
        return ImportOutcome(0, parsed.errors)
    created = 0
    for row in parsed.rows:
        save_with_audit(ResettlementCase(), row.fields, actor=actor)
        created += 1
    return ImportOutcome(created, [])


# ---- referral ----------------------------------------------------------------


def refer_cases(
    referrals: Sequence[tuple[ResettlementCase, Country]],
    *,
    share: ShareTerms | Mapping[str, Any],
    actor: User | None,
    when: datetime.datetime | None = None,
) -> int:
    """Refer cases to States (call inside the caller's transaction, rights checked by it).

    Written in bulk (a confirmed run may refer tens of thousands of cases),
    with one audit entry per case saying what changed. `share` gives the
    purpose and the consent (or the override's reason): each case gets its
    sharing record (cases/sharing.py); terms in error raise ValidationError
    naming the field before anything is written.
    """
    terms = share_terms(share)
    when = when or timezone.now()
    ctype = ContentType.objects.get_for_model(ResettlementCase)
    entries: list[AuditEntry] = []
    changed: list[ResettlementCase] = []
    for case, state in referrals:
        if case.status != CaseStatus.SUBMITTED:
            raise ValidationError(
                {"cases": _("Case %(ref)s is no longer submitted.") % {"ref": case.reference}}
            )
        before = snapshot(case)
        case.status = CaseStatus.REFERRED
        case.referred_state = state
        case.referred_at = when
        entries.append(
            AuditEntry(
                actor=actor if actor is not None and actor.pk else None,
                actor_repr=actor_label(actor),
                action=AuditAction.UPDATE,
                content_type=ctype,
                object_id=str(case.pk),
                object_repr=str(case)[:300],
                before=before,
                after=snapshot(case),
            )
        )
        changed.append(case)
    for start in range(0, len(changed), BATCH):
        ResettlementCase.objects.bulk_update(
            changed[start : start + BATCH], ["status", "referred_state", "referred_at"]
        )
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    record_shares(
        [(case, case.referred_state) for case in changed if case.referred_state is not None],
        terms,
        actor=actor,
        when=when,
    )
    return len(changed)


BATCH = 2000


@transaction.atomic
def do_withdraw_case(case: ResettlementCase, *, actor: User) -> ResettlementCase:
    """Withdraw a submitted case (it leaves the allocation)."""
    require(can_manage_cases(actor), "cases")
    if case.status != CaseStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted case can be withdrawn.")})
    return save_with_audit(case, {"status": CaseStatus.WITHDRAWN}, actor=actor)


def cases_by_reference(references: Iterable[str]) -> dict[str, ResettlementCase]:
    """The cases with these references, by reference."""
    refs = list(references)
    found: dict[str, ResettlementCase] = {}
    for start in range(0, len(refs), BATCH):
        found.update(
            ResettlementCase.objects.in_bulk(refs[start : start + BATCH], field_name="reference")
        )
    return found
