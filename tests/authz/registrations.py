"""Authorization rows of the registrations app (merged by tests/test_authorization_matrix.py).

The world's meeting belongs to the public consultation and to no cycle, so
its organisers are the administrator, UNHCR (secretariat) and the German
State (chair). The refugee user has registered for it: the registration is
theirs and the organisers'; to anyone else it does not exist (404).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from authz import Case, Listed, W, api_write, link, roles, signed_in
from resettle.meetings.models import Meeting
from resettle.registrations import services
from resettle.registrations.models import Invitation, Registration

ORGANISERS = {"admin": 200, "unhcr": 200, "state": 200}
ORGANISE = signed_in(403, **ORGANISERS)
# The members-only working group: UNHCR runs it, the NGO co-chairs it, the State is a
# member (sees it, does not organise it); the others do not see it at all.
ORGANISE_HIDDEN = signed_in(404, admin=200, unhcr=200, ngo=200, state=403)
# "My registrations" lists the refugee's registration to them alone, not to its organisers.
MINE = (Listed("registration", {"refugee"}, link("registrations:registration_detail")),)


def _meeting(forum: Any, **fields: Any) -> Meeting:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    values: dict[str, Any] = {
        "forum": forum,
        "title": "Geneva consultation 2031",
        "kind": "consultation",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "format": "in_person",
        "venue": "Geneva",
        "working_languages": "en, ar, fr",
        "registration_open": True,
    }
    values.update(fields)
    return Meeting.objects.create(**values)


def _meetings(w: W) -> None:
    w.meeting = _meeting(w.public_forum)
    w.hidden_meeting = _meeting(w.members_forum, title="WGR")


def _registration(status: str = "pending") -> Any:
    def setup(w: W) -> None:
        _meetings(w)
        refugee = w.users["refugee"]
        w.registration = Registration.objects.create(
            meeting=w.meeting,
            user=refugee,
            name="Amina",
            email=refugee.email,
            stakeholder_group="refugee",
            status=status,
        )

    return setup


def _invitation(w: W) -> None:
    _meetings(w)
    w.invitation = Invitation.objects.create(meeting=w.meeting, email="guest@example.org")


def _feed(w: W) -> None:
    w.feed_key = services.do_reset_calendar_feed(actor=w.users["ngo"])


def _register_form(w: W, u: Any) -> dict[str, Any]:
    return {
        "name": "Participant",
        "email": u.email if u is not None else "x@example.org",
        "stakeholder_group": "ngo",
        "languages": ["en"],
    }


REG = {"args": lambda w: [w.registration.pk]}
API_REG = {"args": lambda w: {"pk": w.registration.pk}}
API_MEETING = {"args": lambda w: {"meeting_pk": w.meeting.pk}}
# Decisions: organisers may; the person themself gets 403; anyone else 404.
DECIDE = signed_in(404, refugee=403, admin=302, unhcr=302, state=302)
API_DECIDE = api_write(404, refugee=403, **ORGANISERS)
OWN_OR_ORGANISER = signed_in(404, refugee=200, **ORGANISERS)

MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "registrations:mine": [Case("GET", signed_in(200), setup=_registration(), lists=MINE)],
    "registrations:mine_ics": [Case("GET", signed_in(200), setup=_registration("approved"))],
    "registrations:feed_reset": [Case("POST", signed_in(200), writes=True)],
    "registrations:feed": [
        # The secret address is the credential: it works without signing in.
        Case("GET", roles(200), args=lambda w: [w.feed_key], setup=_feed),
        Case("GET", roles(404), args=lambda w: ["not-a-key"], label="unknown key"),
    ],
    "registrations:register": [
        Case("GET", signed_in(200), args=lambda w: [w.meeting.pk], setup=_meetings),
        Case(
            "POST",
            signed_in(302),
            args=lambda w: [w.meeting.pk],
            setup=_meetings,
            data=_register_form,
            writes=True,
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, state=200, ngo=200),
            args=lambda w: [w.hidden_meeting.pk],
            setup=_meetings,
            label="members-only meeting",
        ),
    ],
    "registrations:meeting_registrations": [
        Case("GET", ORGANISE, args=lambda w: [w.meeting.pk], setup=_registration()),
        Case(
            "GET",
            ORGANISE_HIDDEN,
            args=lambda w: [w.hidden_meeting.pk],
            setup=_meetings,
            label="members-only meeting",
        ),
    ],
    "registrations:attendance": [
        Case("GET", ORGANISE, args=lambda w: [w.meeting.pk], setup=_registration("approved")),
    ],
    "registrations:invitations": [
        Case("GET", ORGANISE, args=lambda w: [w.meeting.pk], setup=_invitation),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            args=lambda w: [w.meeting.pk],
            setup=_meetings,
            data=lambda w, u: {"emails": "invitee@example.org, Invitee, refugee"},
            writes=True,
        ),
        Case(
            "GET",
            ORGANISE_HIDDEN,
            args=lambda w: [w.hidden_meeting.pk],
            setup=_meetings,
            label="members-only meeting",
        ),
    ],
    "registrations:invitation": [
        # Anyone with the link sees what it invites to; signed in, they go to the form.
        Case(
            "GET", roles(302, anonymous=200), args=lambda w: [w.invitation.token], setup=_invitation
        ),
        Case("GET", roles(404), args=lambda w: ["unknown"], label="unknown token"),
    ],
    "registrations:registration_detail": [
        Case("GET", OWN_OR_ORGANISER, setup=_registration(), **REG),
    ],
    "registrations:approve": [Case("POST", DECIDE, setup=_registration(), writes=True, **REG)],
    "registrations:decline": [
        Case(
            "POST",
            DECIDE,
            setup=_registration(),
            data=lambda w, u: {"reason": "Full"},
            writes=True,
            **REG,
        )
    ],
    "registrations:cancel": [
        Case(
            "POST",
            signed_in(404, refugee=302, admin=302, unhcr=302, state=302),
            setup=_registration(),
            writes=True,
            **REG,
        )
    ],
    "registrations:toggle_attendance": [
        Case(
            "POST",
            DECIDE,
            setup=_registration("approved"),
            data=lambda w, u: {"attended": "on"},
            writes=True,
            **REG,
        )
    ],
    # ---- API ----
    ("GET", "/api/v1/registrations/mine"): [
        Case("GET", api_write(200), setup=_registration(), lists=MINE)
    ],
    ("GET", "/api/v1/registrations/{pk}"): [
        Case("GET", api_write(404, refugee=200, **ORGANISERS), setup=_registration(), **API_REG)
    ],
    ("POST", "/api/v1/registrations/meetings/{meeting_pk}"): [
        Case(
            "POST",
            api_write(201),
            setup=_meetings,
            data=lambda w, u: {"languages": ["ar"]},
            writes=True,
            **API_MEETING,
        ),
        Case(
            "POST",
            api_write(404, admin=201, unhcr=201, state=201, ngo=201),
            setup=_meetings,
            args=lambda w: {"meeting_pk": w.hidden_meeting.pk},
            writes=True,
            label="members-only meeting",
        ),
    ],
    ("POST", "/api/v1/registrations/{pk}/cancel"): [
        Case(
            "POST",
            api_write(404, refugee=200, **ORGANISERS),
            setup=_registration(),
            writes=True,
            **API_REG,
        )
    ],
    ("GET", "/api/v1/registrations/meetings/{meeting_pk}"): [
        Case("GET", api_write(403, **ORGANISERS), setup=_registration(), **API_MEETING)
    ],
    ("POST", "/api/v1/registrations/{pk}/approve"): [
        Case("POST", API_DECIDE, setup=_registration(), writes=True, **API_REG)
    ],
    ("POST", "/api/v1/registrations/{pk}/decline"): [
        Case(
            "POST",
            API_DECIDE,
            setup=_registration(),
            data=lambda w, u: {"reason": "Full"},
            writes=True,
            **API_REG,
        )
    ],
    ("POST", "/api/v1/registrations/{pk}/attendance"): [
        Case(
            "POST",
            API_DECIDE,
            setup=_registration("approved"),
            data=lambda w, u: {"attended": True},
            writes=True,
            **API_REG,
        )
    ],
    ("GET", "/api/v1/registrations/meetings/{meeting_pk}/invitations"): [
        Case("GET", api_write(403, **ORGANISERS), setup=_invitation, **API_MEETING)
    ],
    ("POST", "/api/v1/registrations/meetings/{meeting_pk}/invitations"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            setup=_meetings,
            data=lambda w, u: {"invitees": [{"email": "invitee@example.org"}]},
            writes=True,
            **API_MEETING,
        )
    ],
}
