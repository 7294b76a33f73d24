"""The rules of registering: seats, waiting list, decisions, invitations, e-mails."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from resettle.core.models import AuditEntry
from resettle.meetings.models import Meeting
from resettle.registrations import services
from resettle.registrations.models import Invitation, Registration, RegistrationStatus

from .conftest import make_meeting

S = RegistrationStatus


def reg(meeting: Meeting, user: Any, **data: Any) -> Registration:
    return services.do_register(meeting, data, actor=user)


def status(r: Registration) -> str:
    r.refresh_from_db()
    return r.status


# ---- registering ---------------------------------------------------------------


def test_register_prefills_from_the_account(
    world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    refugee = world.users["refugee"]
    refugee.first_name, refugee.last_name = "Amina", "Yusuf"
    refugee.save()
    r = services.do_register(
        meeting,
        {"languages": ["ar", "en"], "accessibility_needs": " Interpretation "},
        actor=refugee,
    )
    assert (r.name, r.email, r.organisation, r.stakeholder_group) == (
        "Amina Yusuf",
        "refugee@example.org",
        world.refugee_org,
        "refugee",
    )
    assert (r.languages, r.accessibility_needs, r.status) == ("ar, en", "Interpretation", "pending")
    assert r.user == refugee and r.decided_at is None
    assert AuditEntry.objects.for_object(r).count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["refugee@example.org"]
    assert mailoutbox[0].subject == f"Registration received: {meeting.title}"


def test_language_must_be_a_working_language(world: SimpleNamespace, meeting: Meeting) -> None:
    with pytest.raises(ValidationError) as exc:
        reg(meeting, world.users["ngo"], languages=["de"])
    assert "languages" in exc.value.error_dict
    assert "de is not a working language" in str(exc.value)
    assert not Registration.objects.exists()


def test_without_approval_registrations_are_approved_at_once(
    world: SimpleNamespace, mailoutbox: list[Any]
) -> None:
    meeting = make_meeting(world.public_forum, requires_approval=False, capacity=1)
    first = reg(meeting, world.users["ngo"])
    second = reg(meeting, world.users["refugee"])
    assert first.status == S.APPROVED and first.decided_at is not None
    assert second.status == S.WAITLISTED
    assert [m.subject for m in mailoutbox] == [
        f"Registration confirmed: {meeting.title}",
        f"On the waiting list: {meeting.title}",
    ]


def test_duplicate_registration_is_refused_clearly(
    world: SimpleNamespace, meeting: Meeting
) -> None:
    ngo = world.users["ngo"]
    reg(meeting, ngo)
    with pytest.raises(ValidationError) as exc:
        reg(meeting, ngo)
    assert "You are already registered for this meeting (status: Awaiting approval)" in str(
        exc.value.error_dict["meeting"]
    )
    assert Registration.objects.count() == 1


def test_register_again_after_cancelling(world: SimpleNamespace, meeting: Meeting) -> None:
    ngo = world.users["ngo"]
    first = reg(meeting, ngo)
    services.do_cancel_registration(first, actor=ngo)
    second = reg(meeting, ngo)
    assert second.pk != first.pk and second.status == S.PENDING


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"registration_open": False}, "not open"),
        ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "is closed"),
    ],
)
def test_registration_closed_or_not_open_is_refused(
    world: SimpleNamespace, fields: dict[str, Any], message: str
) -> None:
    meeting = make_meeting(world.public_forum, **fields)
    with pytest.raises(ValidationError) as exc:
        reg(meeting, world.users["ngo"])
    assert message in str(exc.value.error_dict["meeting"])
    assert not Registration.objects.exists()


def test_a_past_meeting_is_closed(world: SimpleNamespace) -> None:
    past = timezone.now() - datetime.timedelta(days=3)
    meeting = make_meeting(
        world.public_forum, starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    assert services.registration_state(meeting) == "closed"
    with pytest.raises(ValidationError):
        reg(meeting, world.users["ngo"])


def test_anonymous_and_unseeing_users_cannot_register(
    world: SimpleNamespace, hidden_meeting: Meeting
) -> None:
    with pytest.raises(PermissionDenied):
        reg(hidden_meeting, None)
    with pytest.raises(PermissionDenied):
        reg(hidden_meeting, world.users["refugee"])  # not a member of the working group
    assert reg(hidden_meeting, world.users["ngo"]).status == S.PENDING


# ---- capacity and the waiting list ---------------------------------------------


def test_capacity_and_waiting_list_promotion(
    world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    u = world.users
    a, b = reg(meeting, u["ngo"]), reg(meeting, u["refugee"])
    c, d = reg(meeting, u["rsf"]), reg(meeting, u["other"])
    assert [a.status, b.status, c.status, d.status] == [
        "pending",
        "pending",
        "waitlisted",
        "waitlisted",
    ]
    assert services.waiting_list(meeting) == [c, d]
    counts = services.registration_counts(meeting)
    assert (counts.pending, counts.waitlisted, counts.seats_left) == (2, 2, 0)

    mailoutbox.clear()
    services.do_cancel_registration(a, actor=u["ngo"])
    # The first on the waiting list moves up (to "awaiting approval": the meeting needs approval).
    assert (status(a), status(c), status(d)) == ("cancelled", "pending", "waitlisted")
    assert sorted(m.subject for m in mailoutbox) == sorted(
        [f"Registration cancelled: {meeting.title}", f"Off the waiting list: {meeting.title}"]
    )
    assert [m.to for m in mailoutbox if "waiting list" in m.subject] == [["rsf@example.org"]]

    services.do_decline_registration(b, actor=u["state"], reason="One seat per organisation")
    assert (status(b), status(d)) == ("declined", "pending")
    b.refresh_from_db()
    assert b.decline_reason == "One seat per organisation"
    assert services.registration_counts(meeting).seats_left == 0


def test_promotion_is_approval_when_none_is_needed(
    world: SimpleNamespace, mailoutbox: list[Any]
) -> None:
    meeting = make_meeting(world.public_forum, requires_approval=False, capacity=1)
    first, second = reg(meeting, world.users["ngo"]), reg(meeting, world.users["refugee"])
    mailoutbox.clear()
    services.do_cancel_registration(first, actor=world.users["state"])
    assert status(second) == "approved"
    second.refresh_from_db()
    assert second.decided_at is not None
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["refugee@example.org"] == f"A seat is yours: {meeting.title}"
    assert subjects["ngo@example.org"] == f"Registration cancelled: {meeting.title}"
    assert "The organisers have cancelled your registration." in mailoutbox[0].body


def test_no_limit_means_no_waiting_list(world: SimpleNamespace) -> None:
    meeting = make_meeting(world.public_forum, capacity=None)
    for role in ("ngo", "refugee", "rsf", "other"):
        assert reg(meeting, world.users[role]).status == S.PENDING
    assert services.registration_counts(meeting).seats_left is None


# ---- decisions -----------------------------------------------------------------


def test_organisers_approve_and_decline(
    world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    a = reg(meeting, world.users["ngo"])
    b = reg(meeting, world.users["refugee"])
    mailoutbox.clear()
    for outsider in (world.users["ngo"], world.users["other"], None):
        with pytest.raises(PermissionDenied):
            services.do_approve_registration(a, actor=outsider)
    services.do_approve_registration(a, actor=world.users["unhcr"])
    assert status(a) == "approved"
    with pytest.raises(ValidationError) as exc:
        services.do_approve_registration(a, actor=world.users["unhcr"])
    assert "Only a registration awaiting approval" in str(exc.value)
    services.do_decline_registration(b, actor=world.users["admin"], reason="Late")
    assert status(b) == "declined"
    with pytest.raises(ValidationError):
        services.do_decline_registration(b, actor=world.users["admin"])
    assert [m.subject for m in mailoutbox] == [
        f"Registration approved: {meeting.title}",
        f"Registration declined: {meeting.title}",
    ]
    assert "Reason given: Late" in mailoutbox[1].body


def test_approving_from_the_waiting_list_needs_a_free_seat(
    world: SimpleNamespace, meeting: Meeting
) -> None:
    reg(meeting, world.users["ngo"])
    reg(meeting, world.users["refugee"])
    waiting = reg(meeting, world.users["rsf"])
    with pytest.raises(ValidationError) as exc:
        services.do_approve_registration(waiting, actor=world.users["state"])
    assert "the meeting is full (capacity 2)" in str(exc.value)


def test_only_the_person_or_organisers_cancel(world: SimpleNamespace, meeting: Meeting) -> None:
    r = reg(meeting, world.users["ngo"])
    with pytest.raises(PermissionDenied):
        services.do_cancel_registration(r, actor=world.users["refugee"])
    services.do_cancel_registration(r, actor=world.users["ngo"])
    with pytest.raises(ValidationError):
        services.do_cancel_registration(r, actor=world.users["ngo"])


# ---- attendance ------------------------------------------------------------------


def test_attendance_for_approved_registrations_only(
    world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    r = reg(meeting, world.users["refugee"])
    with pytest.raises(ValidationError):
        services.do_mark_attendance(r, actor=world.users["state"])
    services.do_approve_registration(r, actor=world.users["state"])
    with pytest.raises(PermissionDenied):
        services.do_mark_attendance(r, actor=world.users["refugee"])
    sent = len(mailoutbox)
    services.do_mark_attendance(r, actor=world.users["state"])
    assert r.attended
    services.do_mark_attendance(r, actor=world.users["state"])  # twice: no second change
    assert AuditEntry.objects.for_object(r).count() == 3
    services.do_unmark_attendance(r, actor=world.users["state"])
    r.refresh_from_db()
    assert not r.attended
    assert len(mailoutbox) == sent  # attendance is not mailed


# ---- invitations -----------------------------------------------------------------


def test_invitation_flow(world: SimpleNamespace, mailoutbox: list[Any]) -> None:
    meeting = make_meeting(world.public_forum, registration_open=False)
    specs = [
        services.InviteeSpec("other@example.org", "Olu Adeyemi", "refugee"),
        services.InviteeSpec("guest@example.org"),
    ]
    with pytest.raises(PermissionDenied):
        services.do_invite(meeting, specs, actor=world.users["ngo"])
    created = services.do_invite(meeting, specs, actor=world.users["state"])
    assert [i.email for i in created] == ["other@example.org", "guest@example.org"]
    assert all(i.sent_at for i in created)
    assert [m.subject for m in mailoutbox] == [f"Invitation: {meeting.title}"] * 2
    invitation = created[0]
    assert f"/registrations/invitation/{invitation.token}/" in mailoutbox[0].body
    assert "Dear Olu Adeyemi," in mailoutbox[0].body

    # Registration is not open to all, but the invitation lets the invitee in.
    other = world.users["other"]
    with pytest.raises(ValidationError):
        reg(meeting, other)
    initial = services.registration_initial(meeting, other, invitation)
    assert (initial["name"], initial["stakeholder_group"]) == ("Olu Adeyemi", "refugee")
    r = services.do_register(meeting, {}, actor=other, invitation=invitation)
    assert (r.name, r.stakeholder_group, r.status) == ("Olu Adeyemi", "refugee", "pending")
    invitation.refresh_from_db()
    assert invitation.registration == r
    assert services.invitation_state(invitation) == "registered"
    with pytest.raises(ValidationError):
        services.do_register(meeting, {}, actor=world.users["rsf"], invitation=invitation)


def test_inviting_twice_is_refused_naming_the_address(
    world: SimpleNamespace, meeting: Meeting
) -> None:
    services.do_invite(meeting, [services.InviteeSpec("a@example.org")], actor=world.users["state"])
    with pytest.raises(ValidationError) as exc:
        services.do_invite(
            meeting,
            [services.InviteeSpec("b@example.org"), services.InviteeSpec("A@example.org")],
            actor=world.users["state"],
        )
    assert "A@example.org has already been invited" in str(exc.value)
    assert Invitation.objects.count() == 1  # all or nothing


def test_an_invitation_opens_a_members_only_meeting(
    world: SimpleNamespace, hidden_meeting: Meeting
) -> None:
    [invitation] = services.do_invite(
        hidden_meeting, [services.InviteeSpec("refugee@example.org")], actor=world.users["unhcr"]
    )
    r = services.do_register(
        hidden_meeting, {}, actor=world.users["refugee"], invitation=invitation
    )
    assert r.meeting == hidden_meeting


# ---- language of the e-mails -------------------------------------------------------


def test_mails_go_in_the_persons_language(
    world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    refugee = world.users["refugee"]
    refugee.preferred_language = "ar"
    refugee.save()
    reg(meeting, refugee)
    body = mailoutbox[0].body
    assert "الحالة" in body  # "Status", from the Arabic catalogue
    assert services.person_language(meeting, refugee) == "ar"


def test_mail_language_falls_back_to_the_meetings_then_english(world: SimpleNamespace) -> None:
    french = make_meeting(world.public_forum, working_languages="fr, en")
    german = make_meeting(world.public_forum, working_languages="de")
    assert services.person_language(french, None, "nobody@example.org") == "fr"
    assert services.person_language(german, None, "nobody@example.org") == "en"
    # An address that belongs to an account follows the account's language.
    assert services.person_language(french, None, "ngo@example.org") == "en"


def test_invitation_mail_in_french_for_a_french_meeting(
    world: SimpleNamespace, mailoutbox: list[Any]
) -> None:
    meeting = make_meeting(world.public_forum, working_languages="fr")
    services.do_invite(meeting, [services.InviteeSpec("x@example.org")], actor=world.users["state"])
    assert "Statut" not in mailoutbox[0].body  # no registration yet: no status line
    assert meeting.title in mailoutbox[0].subject


# ---- the private feed --------------------------------------------------------------


def test_feed_key_is_hashed_and_reset(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    first = services.do_reset_calendar_feed(actor=ngo)
    assert services.feed_user(first) == ngo
    second = services.do_reset_calendar_feed(actor=ngo)
    assert services.feed_user(first) is None
    assert services.feed_user(second) == ngo
    entries = AuditEntry.objects.filter(object_repr__startswith="ngo (")
    assert entries.count() == 2
    assert all(first not in str(e.after) and second not in str(e.after) for e in entries)
    with pytest.raises(PermissionDenied):
        services.do_reset_calendar_feed(actor=None)


def test_an_address_already_registered_is_refused_naming_the_field(
    world: SimpleNamespace, meeting: Meeting
) -> None:
    reg(meeting, world.users["ngo"])
    with pytest.raises(ValidationError) as exc:
        reg(meeting, world.users["refugee"], email="NGO@example.org")
    assert "already registered" in str(exc.value.error_dict["email"])
    # The other person's registration does not show as the refugee user's own.
    assert services.active_registration(meeting, world.users["refugee"]) is None
