"""Notices of mandates ending."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail

from resettle.directory.models import Person
from resettle.forums.models import Membership
from resettle.governance.reminders import send_mandate_ending_reminders

pytestmark = pytest.mark.django_db


def test_mandates_ending_are_announced_once(
    gw: SimpleNamespace, mailoutbox: list[mail.EmailMessage]
) -> None:
    rep = Person.objects.create(
        given_name="Amal",
        family_name="Haddad",
        organisation=gw.refugee_org,
        email="amal@example.org",
    )
    Membership.objects.create(
        forum=gw.rag,
        person=rep,
        role="refugee_representative",
        start_date=gw.today - datetime.timedelta(days=300),
        end_date=gw.today + datetime.timedelta(days=10),
    )
    sent = send_mandate_ending_reminders(gw.today)
    # The State's seat on the Steering Committee (its one user) and the person's RAG seat.
    assert sent == 2
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["amal@example.org", "state@example.org"]
    body = next(m for m in mailoutbox if m.to == ["state@example.org"]).body
    assert "Steering Committee of the Consultations" in body and "20 days" in body
    assert send_mandate_ending_reminders(gw.today) == 0
    assert len(mailoutbox) == 2
    # A renewed mandate that comes near its new end is announced again.
    gw.sc_ending.end_date = gw.today + datetime.timedelta(days=40)
    gw.sc_ending.save()
    assert send_mandate_ending_reminders(gw.today) == 1


def test_nothing_outside_the_window(
    gw: SimpleNamespace, mailoutbox: list[mail.EmailMessage]
) -> None:
    far = gw.today - datetime.timedelta(days=200)
    assert send_mandate_ending_reminders(far) == 0
    assert mailoutbox == []


def test_language_of_the_recipient(
    gw: SimpleNamespace, mailoutbox: list[mail.EmailMessage]
) -> None:
    state = gw.users["state"]
    state.preferred_language = "fr"
    state.save()
    send_mandate_ending_reminders(gw.today)
    [message] = mailoutbox
    assert message.to == ["state@example.org"]
