"""Entries written before the audit log left ciphertext out: replace it by its fingerprint.

Runs before the append-only triggers (0006) exist. Only the case pipeline has
`*_sealed` columns; its entries are the only ones read. The fingerprint is
core.audit.sealed_fingerprint's, copied here so that this migration keeps
doing what it did if that function changes.
"""

import hashlib
from typing import Any

from django.db import migrations


def _fingerprint(value: Any) -> Any:
    if not isinstance(value, str) or not value or value.startswith("sealed:"):
        return value
    return "sealed:" + hashlib.sha256(value.encode()).hexdigest()[:16]


def _scrub(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    return {k: _fingerprint(v) if k.endswith("_sealed") else v for k, v in data.items()}


def forwards(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("core", "AuditEntry")
    entries = entry_model.objects.filter(content_type__app_label="pipeline")
    for entry in entries.iterator(chunk_size=500):
        before, after = _scrub(entry.before), _scrub(entry.after)
        if (before, after) != (entry.before, entry.after):
            entry_model.objects.filter(pk=entry.pk).update(before=before, after=after)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_notification")]

    # The ciphertext is not kept anywhere to put back: going back leaves the fingerprints.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
