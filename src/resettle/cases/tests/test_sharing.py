"""Sharing a case with a State records the purpose and the consent, or an override's reason.

The two services that share cases (the referral when a run is confirmed, the
facility opening a case file for the referred State) refuse without them,
naming the field, and write nothing; with them each case gets a sharing record
with its audit entry.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resettle.allocation import services as allocation
from resettle.allocation.tests.fixtures import make_allocation_world, make_run
from resettle.cases.models import CaseStatus, ShareRecord
from resettle.cases.sharing import ShareTerms, share_terms
from resettle.cases.tests.fixtures import SHARE
from resettle.core.models import AuditEntry
from resettle.pipeline.models import CaseFile
from resettle.pipeline.services import do_open_case_file

pytestmark = pytest.mark.django_db

OVERRIDE = {"purpose": "medical", "consent": "override", "override_reason": "Medical emergency"}


def _errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        share_terms(data)
    return sorted(caught.value.message_dict)


def test_the_terms_are_checked_field_by_field() -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _errors({}) == ["consent", "purpose"]
    assert _errors({**SHARE, "purpose": "curiosity"}) == ["purpose"]
    assert _errors({**SHARE, "consent_date": None}) == ["consent_date"]
    assert _errors({**SHARE, "consent_date": "5 Jan"}) == ["consent_date"]
    assert _errors({**SHARE, "consent_date": tomorrow}) == ["consent_date"]
    assert _errors({**OVERRIDE, "override_reason": "  "}) == ["override_reason"]
    assert share_terms({**SHARE, "consent_date": "2025-01-06", "override_reason": "x"}) == (
        ShareTerms("resettlement", "given", datetime.date(2025, 1, 6), "")
    )
    assert share_terms({**OVERRIDE, "consent_date": "2025-01-06"}) == ShareTerms(
        "medical", "override", None, "Medical emergency"
    )


def test_confirming_a_run_records_each_sharing(world: SimpleNamespace) -> None:
    run = make_run(world)
    unhcr = world.users["unhcr"]
    assert allocation.do_confirm_run(run, share=OVERRIDE, actor=unhcr) == 2
    records = {r.case.reference: r for r in ShareRecord.objects.select_related("case", "state")}
    assert {ref: r.state.iso3 for ref, r in records.items()} == {
        "T-SYR-1": "DEU",
        "T-AFG-1": "CAN",
    }
    record = records["T-SYR-1"]
    assert (record.purpose, record.consent, record.override_reason, record.actor) == (
        "medical",
        "override",
        "Medical emergency",
        unhcr,
    )
    entry = AuditEntry.objects.for_object(record).get()
    assert entry.actor == unhcr and entry.after["override_reason"] == "Medical emergency"


def test_a_run_confirmed_without_terms_refers_nothing(world: SimpleNamespace) -> None:
    run = make_run(world)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        allocation.do_confirm_run(
            run, share={"purpose": "travel", "consent": "given"}, actor=world.users["unhcr"]
        )
    assert list(caught.value.message_dict) == ["consent_date"]
    world.case_syr.refresh_from_db()
    assert world.case_syr.status == CaseStatus.SUBMITTED
    assert not ShareRecord.objects.exists() and AuditEntry.objects.count() == entries


def test_opening_a_case_file_records_the_sharing_with_the_referred_state(
    world: SimpleNamespace,
) -> None:
    make_allocation_world(world)
    rsf = world.users["rsf"]
    with pytest.raises(ValidationError) as caught:
        do_open_case_file(world.referred_can, {"province": "Peshawar"}, actor=rsf)
    assert sorted(caught.value.message_dict) == ["consent", "purpose"]
    assert not CaseFile.objects.exists() and not ShareRecord.objects.exists()

    do_open_case_file(world.referred_can, {"province": "Peshawar", **SHARE}, actor=rsf)
    record = ShareRecord.objects.get()
    assert (record.case, record.state.iso3, record.consent_date, record.actor) == (
        world.referred_can,
        "CAN",
        SHARE["consent_date"],
        rsf,
    )


def test_the_open_case_file_form_asks_for_the_terms(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    client = Client()
    client.force_login(world.users["rsf"])
    url = reverse("pipeline:casefile_add")
    form = client.get(url).content.decode()
    for name in ("purpose", "consent", "consent_date", "override_reason"):
        assert f'name="{name}"' in form
    base = {"case": world.referred_can.pk, "province": "Peshawar"}
    refused = client.post(url, {**base, "purpose": "travel", "consent": "override"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="id_override_reason_error"' in html and "Say why the case is shared" in html
    assert not CaseFile.objects.exists()
    done = client.post(url, {**base, **OVERRIDE})
    assert done.status_code == 302
    assert ShareRecord.objects.get().purpose == "medical"


def test_the_case_page_lists_its_sharing_records(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    do_open_case_file(world.referred_can, {"province": "Peshawar", **OVERRIDE}, actor=None)
    client = Client()
    client.force_login(world.users["unhcr"])
    page = client.get(world.referred_can.get_absolute_url()).content.decode()
    assert 'data-testid="shares"' in page and "Override: Medical emergency" in page
