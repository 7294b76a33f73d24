"""The records API: decisions, minutes and action points."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import Client

from resettle.accounts.models import User
from resettle.records.models import ActionPoint, Decision, Minutes, meeting_date

pytestmark = pytest.mark.django_db
Bearer = Callable[[User | None], dict[str, str]]


def _call(
    client: Client, method: str, url: str, headers: dict[str, str], body: object = None
) -> HttpResponse:
    return client.generic(
        method, url, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_decisions(rec: SimpleNamespace, bearer: Bearer, client: Client) -> None:
    w = rec
    url = f"/api/v1/records/meetings/{w.first.pk}/decisions"
    state = bearer(w.users["state"])
    r = _call(client, "POST", url, state, {"text": "One", "session_id": w.session.pk})
    assert r.status_code == 201, r.content
    assert r.json()["number"] == 1 and r.json()["session_id"] == w.session.pk
    r = _call(client, "POST", url, state, {"text": "Two"})
    assert r.json()["number"] == 2
    listed = client.get(url).json()
    assert [d["number"] for d in listed] == [1, 2]
    bad = _call(client, "POST", url, state, {"text": "x", "session_id": w.other_session.pk})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "session_id"]
    assert _call(client, "POST", url, bearer(w.users["ngo"]), {"text": "x"}).status_code == 403
    assert _call(client, "POST", url, {}, {"text": "x"}).status_code == 401
    assert Decision.objects.count() == 2
    hidden = f"/api/v1/records/meetings/{w.wgr_meeting.pk}/decisions"
    assert client.get(hidden).status_code == 404


def test_minutes_put_and_get(rec: SimpleNamespace, bearer: Bearer, client: Client) -> None:
    w = rec
    url = f"/api/v1/records/meetings/{w.first.pk}/minutes"
    unhcr = bearer(w.users["unhcr"])
    first = _call(client, "PUT", url, unhcr, {"language": "fr", "text": "Brouillon"}).json()
    again = _call(client, "PUT", url, unhcr, {"language": "fr", "text": "Final"}).json()
    assert first["id"] == again["id"] and again["text"] == "Final"
    assert [m["text"] for m in client.get(url).json()] == ["Final"]
    assert Minutes.objects.count() == 1
    refused = _call(client, "PUT", url, bearer(w.users["refugee"]), {"text": "x"})
    assert refused.status_code == 403


def test_action_points(rec: SimpleNamespace, bearer: Bearer, client: Client) -> None:
    w = rec
    state = bearer(w.users["state"])
    create = f"/api/v1/records/meetings/{w.first.pk}/action-points"
    due = (meeting_date(w.first) + datetime.timedelta(days=5)).isoformat()
    r = _call(
        client, "POST", create, state, {"text": "Do", "owner_id": w.ngo_org.pk, "due_date": due}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open" and body["overdue"] is True
    early = (meeting_date(w.first) - datetime.timedelta(days=5)).isoformat()
    bad = _call(
        client, "POST", create, state, {"text": "x", "owner_id": w.ngo_org.pk, "due_date": early}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "due_date"]
    missing = _call(client, "POST", create, state, {"text": "x", "owner_id": 999999})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "owner_id"]

    listed = client.get("/api/v1/records/action-points", {"overdue": "true"}).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]
    carried = client.get("/api/v1/records/action-points", {"carried_to": w.second.pk}).json()
    assert [a["id"] for a in carried["items"]] == [body["id"]]
    by_owner = client.get("/api/v1/records/action-points", {"owner_id": w.state_org.pk}).json()
    assert by_owner["items"] == []

    patch = f"/api/v1/records/action-points/{body['id']}"
    ngo = bearer(w.users["ngo"])
    assert _call(client, "PATCH", patch, ngo, {"text": "Rewrite"}).status_code == 403
    r = _call(
        client,
        "PATCH",
        patch,
        ngo,
        {"status": "done", "note": "Sent", "at_meeting_id": w.second.pk},
    )
    assert r.status_code == 200, r.content
    assert r.json()["closed_at_meeting_id"] == w.second.pk
    ap = ActionPoint.objects.get()
    assert list(ap.updates.values_list("status", "note")) == [("done", "Sent")]
    assert (
        _call(client, "PATCH", patch, bearer(w.users["rsf"]), {"status": "open"}).status_code == 403
    )
