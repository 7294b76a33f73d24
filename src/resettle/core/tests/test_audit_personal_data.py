"""Refugees' personal data never reaches the audit log: not in clear, not encrypted.

The case pipeline logs every read of personal data (PersonalDataAccess, itself
audited). After adding family members and reading their names and dates of
birth, through the service and through the page, no audit entry and no
denied-request row holds a name, a date of birth (in any usual spelling) or
the ciphertext of either.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from resettle.core.audit import sealed_fingerprint
from resettle.core.models import AuditEntry, DeniedRequest
from resettle.pipeline import services
from resettle.pipeline.models import FamilyMember, PersonalDataAccess
from resettle.pipeline.tests.fixtures import BORN, NAME, make_pipeline_world

pytestmark = pytest.mark.django_db


def _spellings(date: datetime.date) -> list[str]:
    return [
        date.isoformat(),
        date.strftime("%d/%m/%Y"),
        date.strftime("%m/%d/%Y"),
        date.strftime("%d.%m.%Y"),
        date.strftime("%Y%m%d"),
        f"{date:%B} {date.day}, {date.year}",
        f"{date.day} {date:%B} {date.year}",
    ]


def _table_text(model: type) -> str:
    """Every column of every row of a table, as the database holds it."""
    table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's table
        return "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


def test_reading_a_members_name_and_birth_date_leaves_neither_in_the_log(
    world: SimpleNamespace,
) -> None:
    pw = make_pipeline_world(world)
    rsf = pw.users["rsf"]
    rows = services.read_personal_data(pw.file_deu, user=rsf, purpose="mission preparation")
    assert {"name": NAME, "date_of_birth": BORN}.items() <= rows[0].items()  # the read worked
    client = Client()
    client.force_login(rsf)
    page = client.post(reverse("pipeline:personal_data", args=[pw.file_deu.pk]), {"purpose": "x"})
    assert page.status_code == 200 and NAME in page.content.decode()

    # The reads were logged, twice, and audited.
    assert PersonalDataAccess.objects.filter(case_file=pw.file_deu).count() == 2
    assert AuditEntry.objects.filter(content_type__model="personaldataaccess").count() == 2

    member = FamilyMember.objects.get(pk=pw.member_deu.pk)
    secret = [NAME, *NAME.split(), *_spellings(BORN)]
    ciphertext = [member.name_sealed, member.date_of_birth_sealed]
    for model in (AuditEntry, DeniedRequest):
        text = _table_text(model)
        found = [s for s in secret + ciphertext if s in text]
        assert not found, f"{model.__name__} holds {found}"
    # The members' own entries show that the values were set, by fingerprint.
    created = AuditEntry.objects.for_object(member).get()
    assert created.after is not None
    assert created.after["name_sealed"] == sealed_fingerprint(member.name_sealed)
    assert created.after["date_of_birth_sealed"] == sealed_fingerprint(member.date_of_birth_sealed)


def test_a_changed_name_is_still_an_audited_change(world: SimpleNamespace) -> None:
    """Fingerprints differ when the ciphertext does, so the change is on the record."""
    pw = make_pipeline_world(world)
    member = FamilyMember.objects.get(pk=pw.member_deu.pk)
    before = sealed_fingerprint(member.name_sealed)
    from django.db import transaction

    from resettle.core.audit import save_with_audit

    with transaction.atomic():
        save_with_audit(member, {"name": "Amal Haddad-Nour"}, actor=pw.users["rsf"])
    update = AuditEntry.objects.for_object(member).first()
    assert update is not None and update.action == "update"
    assert update.changes() == [
        (
            "name_sealed",
            before,
            sealed_fingerprint(FamilyMember.objects.get(pk=member.pk).name_sealed),
        )
    ]
    assert "Haddad-Nour" not in _table_text(AuditEntry)
