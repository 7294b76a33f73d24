"""Overdue-update reminders: who gets them, once per due date, and the `remind` command."""

from __future__ import annotations

import datetime
from io import StringIO
from types import SimpleNamespace
from typing import Any

from django.core.management import call_command
from django.test import override_settings

from resettle.accounts.models import User
from resettle.commitments.reminders import send_overdue_update_reminders
from resettle.core.models import Notification

from .conftest import MakeCommitment, at

TODAY = datetime.date(2025, 7, 1)


@override_settings(COMMITMENT_UPDATE_DAYS=30)
def test_reminders_go_to_the_committing_organisations_once(
    world: SimpleNamespace, make_commitment: MakeCommitment, mailoutbox: list[Any]
) -> None:
    late = make_commitment(
        world.ngo_org,
        world.state_org,
        title="Late pledge",
        created_at=at(datetime.date(2025, 5, 1)),
    )
    make_commitment(title="Recent", created_at=at(datetime.date(2025, 6, 20)))
    make_commitment(title="Done", created_at=at(datetime.date(2024, 1, 1)), status="fulfilled")
    # A second NGO user, and one without an e-mail address.
    User.objects.create_user(
        "ngo2",
        "ngo2@example.org",
        None,
        organisation=world.ngo_org,
        role="ngo",
        preferred_language="fr",
    )
    User.objects.create_user("noemail", "", None, organisation=world.ngo_org, role="ngo")

    assert send_overdue_update_reminders(TODAY) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ngo2@example.org",
        "ngo@example.org",
        "state@example.org",
    ]
    english = next(m for m in mailoutbox if m.to == ["ngo@example.org"])
    assert "Late pledge" in english.subject
    assert "2025-05-31" in english.body and f"/commitments/{late.pk}/" in english.body
    # Idempotent: the same due date is not mailed twice, the next day either.
    assert send_overdue_update_reminders(TODAY) == 0
    assert send_overdue_update_reminders(TODAY + datetime.timedelta(days=1)) == 0
    assert len(mailoutbox) == 3
    assert Notification.objects.filter(kind="commitment_update_overdue").count() == 3
    # An update moves the due date; once that is overdue again, a new reminder goes out.
    late.last_update_at = at(datetime.date(2025, 7, 2))
    late.save()
    # On 1 August only "Recent" (due 20 July) is overdue: the two NGO users hear of it.
    assert send_overdue_update_reminders(datetime.date(2025, 8, 1)) == 2
    assert send_overdue_update_reminders(datetime.date(2025, 8, 2)) == 3
    assert len(mailoutbox) == 8


@override_settings(COMMITMENT_UPDATE_DAYS=30)
def test_remind_command_reports_what_it_sent(
    world: SimpleNamespace, make_commitment: MakeCommitment, mailoutbox: list[Any]
) -> None:
    make_commitment(created_at=at(datetime.date(2025, 5, 1)))
    out = StringIO()
    call_command("remind", "--date", "2025-07-01", stdout=out)
    assert "Overdue commitment updates: 1 e-mail(s) sent." in out.getvalue()
    assert "Mandates ending:" in out.getvalue()
    assert len(mailoutbox) == 1
    out = StringIO()
    call_command("remind", "--date", "2025-07-01", stdout=out)
    assert "Overdue commitment updates: 0 e-mail(s) sent." in out.getvalue()
