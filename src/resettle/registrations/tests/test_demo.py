"""The demo registrations: loaded on top of the base and meetings demo, idempotent."""

from __future__ import annotations

import pytest

from resettle.accounts.models import User
from resettle.demo.services import do_load_demo
from resettle.meetings.demo import load_meetings_demo
from resettle.registrations.demo import load_registrations_demo
from resettle.registrations.models import Invitation, Registration, RegistrationStatus


@pytest.mark.django_db
def test_demo_registrations_load_once() -> None:
    assert load_registrations_demo() == 0  # nothing to register for yet: skipped quietly
    report = do_load_demo()  # the full demo runs the registrations loader itself
    load_meetings_demo()
    created = report.registrations + load_registrations_demo()
    assert created == Registration.objects.count() + Invitation.objects.count()
    assert created >= 25 + 3 + 4
    assert load_registrations_demo() == 0
    consultation = Registration.objects.filter(
        meeting__forum__acronym="CRCP", meeting__starts_at__year=2026
    )
    assert {r.status for r in consultation} == set(RegistrationStatus.values)
    groups = {r.stakeholder_group for r in consultation}
    assert {"refugee", "state", "ngo", "unhcr", "iom", "academia", "private_sector"} <= groups
    assert consultation.filter(stakeholder_group="refugee").count() >= 10
    assert consultation.exclude(accessibility_needs="").count() >= 3
    assert consultation.filter(attended_at__isnull=False).exists()
    for username in ("state", "ngo", "refugee"):
        assert Registration.objects.filter(user=User.objects.get(username=username)).exists()
    assert Invitation.objects.filter(registration__isnull=False).exists()
    assert Invitation.objects.filter(registration__isnull=True).exists()
