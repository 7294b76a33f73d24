"""The demo commitments: every status, a couple overdue, every source; idempotent."""

from __future__ import annotations

import pytest

from resettle.commitments.demo import COMMITMENTS, load_commitments_demo
from resettle.commitments.models import Commitment, CommitmentUpdate
from resettle.core.models import AuditEntry
from resettle.demo.services import do_load_demo

pytestmark = pytest.mark.django_db


def test_without_the_base_demo_nothing_is_created() -> None:
    assert load_commitments_demo() == 0
    assert not Commitment.objects.exists()


def test_demo_commitments_are_complete_and_idempotent() -> None:
    created = do_load_demo().commitments  # the base demo loads the commitments too
    expected = len(COMMITMENTS) + sum(len(spec.updates) for spec in COMMITMENTS)
    assert created == expected
    # The capacity-building demo adds its GROW support commitments (and their updates).
    ours = Commitment.objects.exclude(source="grow")
    assert ours.count() == len(COMMITMENTS)
    updates = CommitmentUpdate.objects.exclude(commitment__source="grow")
    assert updates.count() == expected - len(COMMITMENTS)
    statuses = set(ours.values_list("status", flat=True))
    assert statuses == {"planning", "in_progress", "fulfilled", "withdrawn"}
    assert set(ours.values_list("source", flat=True)) == {
        "consultation",
        "pscg",
        "grf",
    }
    assert Commitment.objects.overdue().count() >= 2
    assert Commitment.objects.filter(is_illustrative=False).count() == 0
    assert all("Illustrative" in c.description for c in Commitment.objects.all())
    # Linked to the demo's cycles and situations, and made by States, NGOs and UNHCR.
    assert Commitment.objects.filter(cycle__start_year=2024, forum__acronym="CRCP").exists()
    assert Commitment.objects.filter(situation__name__startswith="Syrian").exists()
    kinds = set(Commitment.objects.values_list("organisations__kind", flat=True))
    assert {"state", "ngo", "un", "refugee_led"} <= kinds
    # The demo NGO user (Accem) has a commitment to report on.
    assert Commitment.objects.filter(organisations__name="Accem").count() == 2
    # A second run creates nothing.
    again = AuditEntry.objects.count()
    assert load_commitments_demo() == 0
    assert AuditEntry.objects.count() == again
