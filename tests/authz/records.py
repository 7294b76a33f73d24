"""Authorization rows of the records app: minutes, decisions and action points.

`rec_meeting` is a meeting of the public consultation (organised by
administrators, UNHCR and the German State that chairs the forum), with a
decision and an action point owned by the German NGO; `rec_hidden_meeting`
is a meeting of the members-only working group with its own action point.
Organisers record; the owner organisation (the NGO) may also report the
action point's status; a records page follows its meeting's visibility.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from authz import EVERYONE, MEMBERS_ONLY, Case, Listed, W, api_write, pk, signed_in
from resettle.accounts.models import User
from resettle.meetings.models import Meeting, MeetingKind
from resettle.records.models import ActionPoint, Decision


def _meeting(forum: Any, title: str) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=10)
    return Meeting.objects.create(
        forum=forum,
        title=title,
        kind=MeetingKind.CONSULTATION,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        format="online",
        online_url="https://meet.example.org/records",
    )


def _records(w: W) -> None:
    w.rec_meeting = _meeting(w.public_forum, "Consultation with records")
    w.rec_decision = Decision.objects.create(
        meeting=w.rec_meeting, number=1, text="Adopted", decided_at=w.today
    )
    w.rec_action = ActionPoint.objects.create(
        meeting=w.rec_meeting, text="Send the mapping", owner=w.ngo_org
    )
    w.rec_hidden_meeting = _meeting(w.members_forum, "Working group with records")
    w.rec_hidden_action = ActionPoint.objects.create(
        meeting=w.rec_hidden_meeting, text="Internal follow-up", owner=w.state_org
    )


def _mid(w: W) -> dict[str, Any]:
    return {"pk": w.rec_meeting.pk}


def _ap(w: W) -> dict[str, Any]:
    return {"pk": w.rec_action.pk}


# The list (and the export, by text) shows the members-only forum's action point to its members.
LISTED = (Listed("rec_action", EVERYONE), Listed("rec_hidden_action", MEMBERS_ONLY))
EXPORTED = tuple(Listed(listed.obj, listed.to, lambda w, ap: ap.text) for listed in LISTED)

ORGANISERS_PAGE = signed_in(403, admin=200, unhcr=200, state=200)
ORGANISERS_POST = signed_in(403, admin=302, unhcr=302, state=302)


def _text(w: W, u: User | None) -> dict[str, Any]:
    return {"text": "Recorded in the matrix"}


def _action(w: W, u: User | None) -> dict[str, Any]:
    return {"text": "Follow up", "owner": w.ngo_org.pk, "due_date": w.today.isoformat()}


def _minutes(w: W, u: User | None) -> dict[str, Any]:
    return {"language": "en", "text": "Minutes of the matrix"}


def _status(w: W, u: User | None) -> dict[str, Any]:
    return {"status": "in_progress", "note": "Started"}


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "records:action_point_list": [Case("GET", EVERYONE, setup=_records, lists=LISTED)],
    "records:action_point_export": [Case("GET", EVERYONE, setup=_records, lists=EXPORTED)],
    "records:action_point_detail": [
        Case("GET", EVERYONE, args=pk("rec_action"), setup=_records),
        Case(
            "GET",
            MEMBERS_ONLY,
            args=pk("rec_hidden_action"),
            setup=_records,
            label="members-only forum",
        ),
    ],
    "records:action_point_edit": [
        Case("GET", ORGANISERS_PAGE, args=pk("rec_action"), setup=_records),
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("rec_action"),
            setup=_records,
            data=lambda w, u: {"text": "Send the full mapping", "owner": w.ngo_org.pk},
            writes=True,
        ),
    ],
    "records:action_point_status": [
        # Organisers and the owner organisation (the NGO) report the status.
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302, ngo=302),
            args=pk("rec_action"),
            setup=_records,
            data=_status,
            writes=2,  # the action point and its history entry
        ),
    ],
    "records:decision_edit": [
        Case("GET", ORGANISERS_PAGE, args=pk("rec_decision"), setup=_records),
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("rec_decision"),
            setup=_records,
            data=lambda w, u: {"text": "Adopted as amended"},
            writes=True,
        ),
    ],
    "records:decision_delete": [
        Case("POST", ORGANISERS_POST, args=pk("rec_decision"), setup=_records, writes=True)
    ],
    "records:meeting_records": [
        Case("GET", EVERYONE, args=pk("rec_meeting"), setup=_records),
        Case(
            "GET",
            MEMBERS_ONLY,
            args=pk("rec_hidden_meeting"),
            setup=_records,
            label="members-only forum",
        ),
    ],
    "records:decision_add": [
        Case(
            "POST", ORGANISERS_POST, args=pk("rec_meeting"), setup=_records, data=_text, writes=True
        )
    ],
    "records:action_point_add": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("rec_meeting"),
            setup=_records,
            data=_action,
            writes=True,
        )
    ],
    "records:minutes_save": [
        Case(
            "POST",
            ORGANISERS_POST,
            args=pk("rec_meeting"),
            setup=_records,
            data=_minutes,
            writes=True,
        )
    ],
    # -- API --
    ("GET", "/api/v1/records/meetings/{pk}/decisions"): [
        Case("GET", EVERYONE, args=_mid, setup=_records)
    ],
    ("POST", "/api/v1/records/meetings/{pk}/decisions"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            args=_mid,
            setup=_records,
            data=_text,
            writes=True,
        )
    ],
    ("GET", "/api/v1/records/meetings/{pk}/minutes"): [
        Case("GET", EVERYONE, args=_mid, setup=_records)
    ],
    ("PUT", "/api/v1/records/meetings/{pk}/minutes"): [
        Case(
            "PUT",
            api_write(403, admin=200, unhcr=200, state=200),
            args=_mid,
            setup=_records,
            data=_minutes,
            writes=True,
        )
    ],
    ("GET", "/api/v1/records/action-points"): [Case("GET", EVERYONE, setup=_records, lists=LISTED)],
    ("POST", "/api/v1/records/meetings/{pk}/action-points"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            args=_mid,
            setup=_records,
            data=lambda w, u: {"text": "Follow up", "owner_id": w.ngo_org.pk},
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/records/action-points/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, unhcr=200, state=200, ngo=200),
            args=_ap,
            setup=_records,
            data=_status,
            writes=2,
        )
    ],
}
