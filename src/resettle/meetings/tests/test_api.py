"""The meetings API: lists and filters, details with agenda, writes by organisers only."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client

from resettle.accounts.models import User
from resettle.core.models import AuditEntry
from resettle.meetings import services
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker

Bearer = Callable[[User | None], dict[str, str]]
BASE = "/api/v1/meetings"


def send(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.generic(
        method, BASE + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_list_filters_and_visibility(
    client: Client,
    world: SimpleNamespace,
    meeting: Meeting,
    hidden_meeting: Meeting,
    bearer: Bearer,
) -> None:
    anonymous = client.get(BASE).json()
    assert [m["title"] for m in anonymous["items"]] == [meeting.title]
    headers = bearer(world.users["ngo"])
    assert client.get(BASE, headers=headers).json()["count"] == 2
    year = meeting.starts_at.year
    for query, count in (
        (f"?forum_id={world.members_forum.pk}", 1),
        ("?kind=consultation", 1),
        (f"?year={year}", 2),
        (f"?year={year - 5}", 0),
        (f"?cycle_id={world.cycle.pk}", 1),
        ("?when=past", 2),
        ("?when=upcoming", 0),
    ):
        assert client.get(BASE + query, headers=headers).json()["count"] == count, query
    assert client.get(BASE + "?when=someday").status_code == 422


def test_detail_has_agenda_speakers_and_committee(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    SessionSpeaker.objects.create(
        session=sessions[1], name="Amani Yusuf", stakeholder_group="refugee"
    )
    PlanningMember.objects.create(meeting=meeting, person=world.person, stakeholder_group="ngo")
    body = client.get(f"{BASE}/{meeting.pk}").json()
    assert body["time_zone"] == "Europe/Zurich"
    assert body["working_languages"] == ["en", "ar", "fr"]
    assert [s["title"] for s in body["sessions"]] == ["Opening", "Needs", "Pathways"]
    speaker = body["sessions"][1]["speakers"][0]
    assert speaker["name"] == "Amani Yusuf" and speaker["is_refugee"] is True
    assert body["planning_members"][0]["name"] == "Anna Schmidt"


def test_organisers_create_and_edit_the_agenda(
    client: Client, world: SimpleNamespace, meeting: Meeting, bearer: Bearer
) -> None:
    year = meeting.starts_at.year
    headers = bearer(world.users["state"])
    created = send(
        client,
        "POST",
        "",
        {
            "forum_id": world.public_forum.pk,
            "title": "WGR",
            "kind": "wgr",
            "starts_at": "2030-02-10T13:00:00+01:00",
            "ends_at": "2030-02-10T16:00:00+01:00",
            "time_zone": "Europe/Zurich",
            "format": "online",
            "online_url": "https://example.org/wgr",
            "reported_refugee_participants": 3,
        },
        headers,
    )
    assert created.status_code == 201, created.content
    stored = Meeting.objects.get(pk=created.json()["id"])
    assert stored.starts_at == datetime.datetime(2030, 2, 10, 12, tzinfo=datetime.UTC)

    s1 = send(client, "POST", f"/{meeting.pk}/sessions", {"title": "Opening"}, headers).json()
    s2 = send(
        client,
        "POST",
        f"/{meeting.pk}/sessions",
        {"title": "Needs", "starts_at": f"{year}-06-16T11:00:00+02:00"},
        headers,
    ).json()
    assert (s1["position"], s2["position"]) == (0, 1)
    bad = send(
        client,
        "POST",
        f"/{meeting.pk}/sessions",
        {"title": "Later", "starts_at": f"{year}-09-16T11:00:00+02:00"},
        headers,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "starts_at"]
    patched = send(client, "PATCH", f"/sessions/{s1['id']}", {"room": "XX"}, headers)
    assert patched.json()["room"] == "XX"
    order = send(
        client, "POST", f"/{meeting.pk}/sessions/reorder", {"order": [s2["id"], s1["id"]]}, headers
    )
    assert [s["title"] for s in order.json()] == ["Needs", "Opening"]
    wrong = send(client, "POST", f"/{meeting.pk}/sessions/reorder", {"order": [s2["id"]]}, headers)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "order"]

    speaker = send(
        client,
        "POST",
        f"/sessions/{s1['id']}/speakers",
        {"person_id": world.person.pk, "stakeholder_group": "ngo", "role": "moderator"},
        headers,
    )
    assert speaker.status_code == 201 and speaker.json()["name"] == "Anna Schmidt"
    member = send(
        client,
        "POST",
        f"/{meeting.pk}/planning-members",
        {"name": "Esther Nyandeng", "stakeholder_group": "refugee"},
        headers,
    )
    assert member.status_code == 201 and member.json()["is_refugee"] is True
    assert (
        send(client, "DELETE", f"/speakers/{speaker.json()['id']}", None, headers).status_code
        == 200
    )
    assert (
        send(
            client, "DELETE", f"/planning-members/{member.json()['id']}", None, headers
        ).status_code
        == 200
    )
    assert send(client, "DELETE", f"/sessions/{s2['id']}", None, headers).status_code == 200
    assert [s.title for s in services.ordered_sessions(meeting)] == ["Opening"]
    assert (
        send(client, "PATCH", f"/{meeting.pk}", {"title": "CRCP"}, headers).json()["title"]
        == "CRCP"
    )


def test_writes_are_refused_to_others_and_write_nothing(
    client: Client,
    world: SimpleNamespace,
    meeting: Meeting,
    hidden_meeting: Meeting,
    bearer: Bearer,
) -> None:
    before = AuditEntry.objects.count()
    refugee = bearer(world.users["refugee"])
    assert send(client, "PATCH", f"/{meeting.pk}", {"title": "x"}, refugee).status_code == 403
    assert (
        send(client, "PATCH", f"/{hidden_meeting.pk}", {"title": "x"}, refugee).status_code == 404
    )
    assert (
        send(client, "POST", f"/{meeting.pk}/sessions", {"title": "x"}, refugee).status_code == 403
    )
    assert send(client, "POST", f"/{meeting.pk}/sessions", {"title": "x"}, {}).status_code == 401
    hidden_forum = send(
        client,
        "POST",
        "",
        {
            "forum_id": world.members_forum.pk,
            "title": "x",
            "kind": "wgr",
            "starts_at": "2030-02-10T13:00:00Z",
            "ends_at": "2030-02-10T16:00:00Z",
            "format": "online",
            "online_url": "https://example.org/x",
        },
        refugee,
    )
    assert hidden_forum.status_code == 422
    assert hidden_forum.json()["detail"][0]["loc"] == ["body", "forum_id"]
    assert AuditEntry.objects.count() == before
    assert not AgendaSession.objects.exists() and Meeting.objects.count() == 2
