"""Writing audit entries and applying audited changes to model instances.

Every service function changes models through `save_with_audit` or
`delete_with_audit`, inside its own `transaction.atomic()`, so an entry exists
exactly when the change does.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from resettle.core.models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from resettle.accounts.models import User

M = TypeVar("M", bound=models.Model)


# Fields whose values must never reach the audit log (a password hash, an API
# token's hash): the log says that they changed, through the other fields.
_SECRET_FIELDS = ("password", "key_hash")
# Columns named `*_sealed` hold encrypted personal data (the case pipeline's
# names, dates of birth, medical details). Not even the ciphertext goes into
# the append-only log, which the key would open and which an erasure could not
# reach: the entry holds a fingerprint of the ciphertext instead, which shows
# that the value changed and reveals nothing (Fernet encrypts with a random IV).
SEALED_SUFFIX = "_sealed"


def sealed_fingerprint(ciphertext: str) -> str:
    """What the log holds for an encrypted value: "" for none, else a digest of it."""
    if not ciphertext:
        return ""
    return "sealed:" + hashlib.sha256(ciphertext.encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        # Not hasattr(value, "url"): on an empty file that raises ValueError.
        return value.name or None
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete fields and many-to-many ids, as JSON-ready values."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _plain(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    for secret in _SECRET_FIELDS:  # never copy credentials into the log
        data.pop(secret, None)
    for name, value in data.items():
        if name.endswith(SEALED_SUFFIX) and isinstance(value, str):
            data[name] = sealed_fingerprint(value)
    return data


def actor_label(actor: User | None) -> str:
    """How an actor is named in the log."""
    if actor is None:
        return "system"
    return actor.get_username()


def record(
    actor: User | None,
    action: AuditAction,
    obj: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> AuditEntry:
    """Write one audit entry (call inside the transaction of the change)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=actor_label(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )


def save_with_audit(
    obj: M,
    fields: Mapping[str, Any],
    *,
    actor: User | None,
    m2m: Mapping[str, Any] | None = None,
) -> M:
    """Set fields (and many-to-many sets), validate, save and audit the change.

    Raises django.core.exceptions.ValidationError, naming the fields, before
    anything is written. The caller holds the transaction.
    """
    creating = obj.pk is None
    before = None if creating else snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    after = snapshot(obj)
    if creating:
        record(actor, AuditAction.CREATE, obj, None, after)
    elif before != after:
        record(actor, AuditAction.UPDATE, obj, before, after)
    return obj


def delete_with_audit(obj: models.Model, *, actor: User | None) -> None:
    """Delete an object and audit it (the caller holds the transaction)."""
    before = snapshot(obj)
    record(actor, AuditAction.DELETE, obj, before, None)
    obj.delete()
