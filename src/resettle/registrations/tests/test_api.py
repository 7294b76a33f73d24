"""The registrations API at /api/v1/registrations/..."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client

from resettle.accounts.models import User
from resettle.meetings.models import Meeting
from resettle.registrations import services
from resettle.registrations.models import Invitation, Registration

from .conftest import make_meeting

BASE = "/api/v1/registrations"
Bearer = Callable[[User | None], dict[str, str]]


def send(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.generic(
        method,
        BASE + path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def test_register_list_mine_and_cancel(
    client: Client, world: SimpleNamespace, meeting: Meeting, bearer: Bearer
) -> None:
    ngo = bearer(world.users["ngo"])
    created = send(
        client,
        "POST",
        f"/meetings/{meeting.pk}",
        {"languages": ["fr"], "accessibility_needs": "Hearing loop"},
        ngo,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["languages"], body["stakeholder_group"]) == (
        "pending",
        ["fr"],
        "ngo",
    )
    again = send(client, "POST", f"/meetings/{meeting.pk}", {}, ngo)
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "meeting"]
    assert "already registered" in again.json()["detail"][0]["msg"]

    mine = client.get(f"{BASE}/mine", headers=ngo).json()
    assert [r["id"] for r in mine["items"]] == [body["id"]]
    assert client.get(f"{BASE}/mine").status_code == 401

    other = bearer(world.users["refugee"])
    assert client.get(f"{BASE}/{body['id']}", headers=other).status_code == 404
    assert send(client, "POST", f"/{body['id']}/cancel", None, other).status_code == 404
    cancelled = send(client, "POST", f"/{body['id']}/cancel", None, ngo)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_bad_language_is_422_naming_the_field(
    client: Client, world: SimpleNamespace, meeting: Meeting, bearer: Bearer
) -> None:
    response = send(
        client, "POST", f"/meetings/{meeting.pk}", {"languages": ["de"]}, bearer(world.users["ngo"])
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "languages"]
    assert not Registration.objects.exists()


def test_organisers_decide_and_mark_attendance(
    client: Client, world: SimpleNamespace, meeting: Meeting, bearer: Bearer
) -> None:
    a = services.do_register(meeting, {}, actor=world.users["ngo"])
    b = services.do_register(meeting, {}, actor=world.users["refugee"])
    state, ngo = bearer(world.users["state"]), bearer(world.users["ngo"])
    listing = client.get(f"{BASE}/meetings/{meeting.pk}?status=pending", headers=state).json()
    assert listing["count"] == 2
    assert client.get(f"{BASE}/meetings/{meeting.pk}", headers=ngo).status_code == 403
    assert send(client, "POST", f"/{a.pk}/approve", None, ngo).status_code == 403
    approved = send(client, "POST", f"/{a.pk}/approve", None, state)
    assert approved.json()["status"] == "approved"
    declined = send(client, "POST", f"/{b.pk}/decline", {"reason": "Full"}, state)
    assert declined.json()["decline_reason"] == "Full"
    marked = send(client, "POST", f"/{a.pk}/attendance", {"attended": True}, state)
    assert marked.status_code == 200 and marked.json()["attended_at"]
    refused = send(client, "POST", f"/{b.pk}/attendance", {"attended": True}, state)
    assert refused.status_code == 422


def test_invitations(
    client: Client, world: SimpleNamespace, bearer: Bearer, mailoutbox: list[Any]
) -> None:
    meeting = make_meeting(world.public_forum, registration_open=False)
    state = bearer(world.users["state"])
    created = send(
        client,
        "POST",
        f"/meetings/{meeting.pk}/invitations",
        {"invitees": [{"email": "rsf@example.org", "name": "R", "stakeholder_group": "other"}]},
        state,
    )
    assert created.status_code == 201, created.content
    assert created.json()[0]["state"] == "sent" and "token" not in created.json()[0]
    assert len(mailoutbox) == 1
    token = Invitation.objects.get().token
    rsf = bearer(world.users["rsf"])
    assert send(client, "POST", f"/meetings/{meeting.pk}", {}, rsf).status_code == 422
    registered = send(client, "POST", f"/meetings/{meeting.pk}", {"invitation_token": token}, rsf)
    assert registered.status_code == 201
    listing = client.get(f"{BASE}/meetings/{meeting.pk}/invitations", headers=state).json()
    assert listing["items"][0]["state"] == "registered"
    bad = send(
        client, "POST", f"/meetings/{meeting.pk}/invitations", {"invitees": [{"email": "x"}]}, state
    )
    assert bad.status_code == 422
