"""Authorization rows of the meetings app: pages and API.

A meeting is seen by whoever sees its forum. It is organised by administrators,
UNHCR, the organisations that chair or run its forum, and its cycle's
co-chairs. In the fixture world:

- `meeting` is in the public consultation (chaired by the German State) and in
  this year's cycle (co-chaired by the German State and the German NGO):
  organisers admin, unhcr, state, ngo.
- `hidden_meeting` is in the members-only working group (NGO co-chair, State
  member): organisers admin, unhcr, ngo; the State sees it but may not change
  it; everyone else gets 404.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from authz import (
    EVERYONE,
    MEMBERS_ONLY,
    THIS_YEAR,
    Case,
    Listed,
    W,
    api_pk,
    api_write,
    edit_form,
    pk,
    signed_in,
)
from resettle.accounts.models import User
from resettle.meetings.forms import MeetingForm
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker

ZURICH = ZoneInfo("Europe/Zurich")


def _at(month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(THIS_YEAR, month, day, hour, tzinfo=ZURICH)


def _meetings(w: W) -> None:
    w.meeting = Meeting.objects.create(
        forum=w.public_forum,
        cycle=w.cycle,
        title="CRCP",
        kind="consultation",
        starts_at=_at(6, 16, 9),
        ends_at=_at(6, 17, 18),
        time_zone="Europe/Zurich",
        format="in_person",
        venue="Palais des Nations",
    )
    w.hidden_meeting = Meeting.objects.create(
        forum=w.members_forum,
        title="WGR",
        kind="wgr",
        starts_at=_at(2, 10, 13),
        ends_at=_at(2, 10, 16),
        time_zone="Europe/Zurich",
        format="online",
        online_url="https://example.org/wgr",
    )
    w.session1 = AgendaSession.objects.create(meeting=w.meeting, title="Opening", position=0)
    w.session2 = AgendaSession.objects.create(meeting=w.meeting, title="Needs", position=1)
    w.hidden_session = AgendaSession.objects.create(meeting=w.hidden_meeting, title="Closed")
    w.speaker = SessionSpeaker.objects.create(
        session=w.session2, name="Amani Yusuf", stakeholder_group="refugee"
    )
    w.planning_member = PlanningMember.objects.create(
        meeting=w.meeting, name="Esther Nyandeng", stakeholder_group="refugee"
    )


ORGANISERS = signed_in(403, admin=200, unhcr=200, state=200, ngo=200)
ORGANISERS_POST = signed_in(403, admin=302, unhcr=302, state=302, ngo=302)
HIDDEN_ORGANISERS = signed_in(404, admin=200, unhcr=200, ngo=200, state=403)
API_ORGANISERS = api_write(403, admin=200, unhcr=200, state=200, ngo=200)
API_ORGANISERS_CREATE = api_write(403, admin=201, unhcr=201, state=201, ngo=201)


def _new_meeting(forum: str, form: bool) -> Any:
    def build(w: W, u: User | None) -> dict[str, Any]:
        data = {
            "forum": getattr(w, forum).pk,
            "title": "Side meeting",
            "kind": "other",
            "time_zone": "Europe/Zurich",
            "starts_at": f"{THIS_YEAR + 1}-03-04T09:00",
            "ends_at": f"{THIS_YEAR + 1}-03-04T12:00",
            "format": "online",
            "online_url": "https://example.org/side",
            "working_languages": "en",
        }
        if not form:
            data["forum_id"] = data.pop("forum")
            data["starts_at"] += ":00+01:00"
            data["ends_at"] += ":00+01:00"
        return data

    return build


# The lists show the members-only forum's meeting to those who see the forum.
LISTED = (Listed("meeting", EVERYONE), Listed("hidden_meeting", MEMBERS_ONLY))

MATRIX: dict[str | tuple[str, str], list[Case]] = {
    # -- pages --
    "meetings:meeting_list": [
        Case("GET", EVERYONE, query=f"?kind=consultation&year={THIS_YEAR}", setup=_meetings),
        Case("GET", EVERYONE, query="?forum={public_forum.pk}&when=past", setup=_meetings),
        Case(
            "GET",
            EVERYONE,
            query=f"?year={THIS_YEAR}",
            setup=_meetings,
            lists=LISTED,
            label="scoped",
        ),
    ],
    "meetings:meeting_detail": [
        Case("GET", EVERYONE, args=pk("meeting"), setup=_meetings),
        Case("GET", MEMBERS_ONLY, args=pk("hidden_meeting"), setup=_meetings, label="members-only"),
    ],
    "meetings:meeting_ics": [
        Case("GET", EVERYONE, args=pk("meeting"), setup=_meetings),
        Case("GET", MEMBERS_ONLY, args=pk("hidden_meeting"), setup=_meetings, label="members-only"),
    ],
    "meetings:meeting_add": [
        # Offered to whoever organises some forum's meetings (the NGO co-chairs the WGR).
        Case("GET", ORGANISERS),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            query="?forum={public_forum.pk}",
            data=_new_meeting("public_forum", form=True),
            writes=True,
        ),
    ],
    "meetings:meeting_edit": [
        Case("GET", ORGANISERS, args=pk("meeting"), setup=_meetings),
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("meeting"),
            setup=_meetings,
            data=edit_form(MeetingForm, "meeting", description="Changed"),
            writes=True,
        ),
        Case(
            "GET",
            HIDDEN_ORGANISERS,
            args=pk("hidden_meeting"),
            setup=_meetings,
            label="members-only",
        ),
    ],
    "meetings:agenda_editor": [
        Case("GET", ORGANISERS, args=pk("meeting"), setup=_meetings),
        Case(
            "GET",
            HIDDEN_ORGANISERS,
            args=pk("hidden_meeting"),
            setup=_meetings,
            label="members-only",
        ),
    ],
    "meetings:session_add": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"title": "Side event"},
            writes=True,
        ),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, ngo=302, state=403),
            args=pk("hidden_meeting"),
            setup=_meetings,
            data=lambda w, u: {"title": "Side event"},
            writes=True,
            label="members-only",
        ),
    ],
    "meetings:session_reorder": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"order": f"{w.session2.pk},{w.session1.pk}"},
            writes=2,
        ),
    ],
    "meetings:session_edit": [
        Case("GET", ORGANISERS, args=pk("session1"), setup=_meetings),
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("session1"),
            setup=_meetings,
            data=lambda w, u: {"title": "Welcome", "room": "XX"},
            writes=True,
        ),
        Case(
            "GET",
            HIDDEN_ORGANISERS,
            args=pk("hidden_session"),
            setup=_meetings,
            label="members-only",
        ),
    ],
    "meetings:session_move": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("session1"),
            setup=_meetings,
            data=lambda w, u: {"direction": "down"},
            writes=2,
        ),
    ],
    "meetings:session_delete": [
        Case("POST", ORGANISERS_POST, args=pk("session1"), setup=_meetings, writes=True),
    ],
    "meetings:speaker_add": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("session1"),
            setup=_meetings,
            data=lambda w, u: {
                "role": "speaker",
                "name": "Karim Nazari",
                "stakeholder_group": "refugee",
            },
            writes=True,
        ),
    ],
    "meetings:speaker_remove": [
        Case("POST", ORGANISERS_POST, args=pk("speaker"), setup=_meetings, writes=True),
    ],
    "meetings:planning_add": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {
                "name": "Rashid Alam",
                "stakeholder_group": "refugee",
                "role": "RAG",
            },
            writes=True,
        ),
    ],
    "meetings:planning_remove": [
        Case("POST", ORGANISERS_POST, args=pk("planning_member"), setup=_meetings, writes=True),
    ],
    # -- API --
    ("GET", "/api/v1/meetings"): [
        Case("GET", EVERYONE, query=f"?kind=wgr&year={THIS_YEAR}&when=past", setup=_meetings),
        Case(
            "GET",
            EVERYONE,
            query=f"?year={THIS_YEAR}",
            setup=_meetings,
            lists=LISTED,
            label="scoped",
        ),
    ],
    ("GET", "/api/v1/meetings/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("meeting"), setup=_meetings),
        Case(
            "GET",
            MEMBERS_ONLY,
            args=api_pk("hidden_meeting"),
            setup=_meetings,
            label="members-only",
        ),
    ],
    ("POST", "/api/v1/meetings"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            data=_new_meeting("public_forum", form=False),
            writes=True,
        ),
        # A forum the user may not see is an unknown id in the payload: 422.
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201, ngo=201, state=403),
            data=_new_meeting("members_forum", form=False),
            writes=True,
            label="members-only forum",
        ),
    ],
    ("PATCH", "/api/v1/meetings/{pk}"): [
        Case(
            "PATCH",
            API_ORGANISERS,
            args=api_pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"description": "Changed"},
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, admin=200, unhcr=200, ngo=200, state=403),
            args=api_pk("hidden_meeting"),
            setup=_meetings,
            data=lambda w, u: {"description": "Changed"},
            writes=True,
            label="members-only",
        ),
    ],
    ("POST", "/api/v1/meetings/{pk}/sessions"): [
        Case(
            "POST",
            API_ORGANISERS_CREATE,
            args=api_pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"title": "Side event"},
            writes=True,
        ),
    ],
    ("PATCH", "/api/v1/meetings/sessions/{pk}"): [
        Case(
            "PATCH",
            API_ORGANISERS,
            args=api_pk("session1"),
            setup=_meetings,
            data=lambda w, u: {"room": "XX"},
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, admin=200, unhcr=200, ngo=200, state=403),
            args=api_pk("hidden_session"),
            setup=_meetings,
            data=lambda w, u: {"room": "XX"},
            writes=True,
            label="members-only",
        ),
    ],
    ("DELETE", "/api/v1/meetings/sessions/{pk}"): [
        Case("DELETE", API_ORGANISERS, args=api_pk("session1"), setup=_meetings, writes=True),
    ],
    ("POST", "/api/v1/meetings/{pk}/sessions/reorder"): [
        Case(
            "POST",
            API_ORGANISERS,
            args=api_pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"order": [w.session2.pk, w.session1.pk]},
            writes=2,
        ),
    ],
    ("POST", "/api/v1/meetings/sessions/{pk}/speakers"): [
        Case(
            "POST",
            API_ORGANISERS_CREATE,
            args=api_pk("session1"),
            setup=_meetings,
            data=lambda w, u: {"name": "Karim Nazari", "stakeholder_group": "refugee"},
            writes=True,
        ),
    ],
    ("DELETE", "/api/v1/meetings/speakers/{pk}"): [
        Case("DELETE", API_ORGANISERS, args=api_pk("speaker"), setup=_meetings, writes=True),
    ],
    ("POST", "/api/v1/meetings/{pk}/planning-members"): [
        Case(
            "POST",
            API_ORGANISERS_CREATE,
            args=api_pk("meeting"),
            setup=_meetings,
            data=lambda w, u: {"name": "Rashid Alam", "stakeholder_group": "refugee"},
            writes=True,
        ),
    ],
    ("DELETE", "/api/v1/meetings/planning-members/{pk}"): [
        Case(
            "DELETE", API_ORGANISERS, args=api_pk("planning_member"), setup=_meetings, writes=True
        ),
    ],
}
