"""Sharing a case with a State: the purpose and the consent (or an audited override).

Every service that gives a State access to a case asks for `ShareTerms` and
writes a `ShareRecord` in the transaction of the sharing:

- UNHCR's referral of the cases an allocation run placed (`refer_cases`,
  called when a run is confirmed), one record per case, written in bulk;
- the facility opening a case file (`pipeline.services.do_open_case_file`):
  the referred State then sees the family members' personal data.

`share_terms` checks what a form, the API or a script gives and raises a
ValidationError naming the field (purpose, consent, consent_date,
override_reason).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.cases.models import Consent, ResettlementCase, SharePurpose, ShareRecord
from resettle.core.audit import actor_label, save_with_audit, snapshot
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country

SHARE_FIELDS = ("purpose", "consent", "consent_date", "override_reason")
BATCH = 2000


@dataclass(frozen=True)
class ShareTerms:
    """Why a case is shared and on what ground: consent on a date, or an override."""

    purpose: str
    consent: str
    consent_date: datetime.date | None = None
    override_reason: str = ""


def _date(value: Any) -> datetime.date | str | None:
    """A date from a date or an ISO text; the text itself when it is not one."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)


def share_terms(data: ShareTerms | Mapping[str, Any]) -> ShareTerms:
    """The sharing terms of a form, a payload or a script, checked field by field.

    Consent given needs its date (not in the future); an override needs a
    reason. Raises ValidationError naming every field in error.
    """
    if isinstance(data, ShareTerms):
        data = {name: getattr(data, name) for name in SHARE_FIELDS}
    errors: dict[str, str] = {}
    purpose = str(data.get("purpose") or "").strip()
    if purpose not in SharePurpose.values:
        errors["purpose"] = _("Choose the purpose of sharing: %(choices)s.") % {
            "choices": ", ".join(str(label) for label in SharePurpose.labels)
        }
    consent = str(data.get("consent") or "").strip()
    when = _date(data.get("consent_date"))
    reason = str(data.get("override_reason") or "").strip()
    if consent not in Consent.values:
        errors["consent"] = _(
            "Say whether the family consented (with the date) or why the case is shared "
            "without consent."
        )
    elif consent == Consent.GIVEN:
        if when is None:
            errors["consent_date"] = _("Give the date the family consented.")
        elif isinstance(when, str):
            errors["consent_date"] = _("Give the date as YYYY-MM-DD.")
        elif when > timezone.localdate():
            errors["consent_date"] = _("The date of consent cannot be in the future.")
        reason = ""
    else:
        if not reason:
            errors["override_reason"] = _(
                "Say why the case is shared without consent (an emergency, for example)."
            )
        when = None
    if errors:
        raise ValidationError(errors)
    return ShareTerms(purpose, consent, when if isinstance(when, datetime.date) else None, reason)


def record_share(
    case: ResettlementCase, state: Country, terms: ShareTerms, *, actor: User | None
) -> ShareRecord:
    """Record one sharing (call inside the transaction of the sharing)."""
    return save_with_audit(
        ShareRecord(),
        {
            "case": case,
            "state": state,
            "purpose": terms.purpose,
            "consent": terms.consent,
            "consent_date": terms.consent_date,
            "override_reason": terms.override_reason,
            "actor": actor if actor is not None and actor.pk else None,
            "at": timezone.now(),
        },
        actor=actor,
    )


def record_shares(
    pairs: Sequence[tuple[ResettlementCase, Country]],
    terms: ShareTerms,
    *,
    actor: User | None,
    when: datetime.datetime | None = None,
) -> int:
    """Record the sharing of many cases at once (a confirmed run refers thousands).

    Written in bulk, each record with its audit entry, in the caller's transaction.
    """
    when = when or timezone.now()
    who = actor if actor is not None and actor.pk else None
    records = [
        ShareRecord(
            case=case,
            state=state,
            purpose=terms.purpose,
            consent=terms.consent,
            consent_date=terms.consent_date,
            override_reason=terms.override_reason,
            actor=who,
            at=when,
        )
        for case, state in pairs
    ]
    for record in records[:1]:
        record.full_clean(exclude=["case", "state", "actor"])  # the terms, once
    ShareRecord.objects.bulk_create(records, batch_size=BATCH)
    ctype = ContentType.objects.get_for_model(ShareRecord)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=who,
                actor_repr=actor_label(actor),
                action=AuditAction.CREATE,
                content_type=ctype,
                object_id=str(record.pk),
                object_repr=str(record)[:300],
                before=None,
                after=snapshot(record),
            )
            for record in records
        ),
        batch_size=BATCH,
    )
    return len(records)
