"""The commitments API: lists by visibility and filters, detail with updates, writes."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from resettle.accounts.models import User
from resettle.commitments.models import Commitment, CommitmentUpdate

from .conftest import MakeCommitment, at

Bearer = Callable[[User | None], dict[str, str]]


def _post(
    client: Client, url: str, body: dict[str, Any], headers: dict[str, str], method: str = "POST"
) -> Any:
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


def test_list_and_detail(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment, bearer: Bearer
) -> None:
    public = make_commitment(title="Public", source="grf")
    make_commitment(title="Hidden", is_public=False)
    make_commitment(
        world.state_org,
        title="Old",
        created_at=at(timezone.localdate() - datetime.timedelta(days=400)),
    )
    CommitmentUpdate.objects.create(commitment=public, status="in_progress", progress="Going.")
    body = client.get("/api/v1/commitments").json()
    assert body["count"] == 2 and {i["title"] for i in body["items"]} == {"Public", "Old"}
    mine = client.get("/api/v1/commitments", headers=bearer(world.users["ngo"])).json()
    assert mine["count"] == 3
    assert client.get("/api/v1/commitments?source=grf").json()["count"] == 1
    assert client.get("/api/v1/commitments?overdue=true").json()["items"][0]["title"] == "Old"
    assert client.get("/api/v1/commitments?country=DEU").json()["count"] == 2
    assert client.get("/api/v1/commitments?country=XXX").json()["count"] == 0
    assert (
        client.get(f"/api/v1/commitments?organisation_id={world.state_org.pk}").json()["count"] == 1
    )
    detail = client.get(f"/api/v1/commitments/{public.pk}").json()
    assert detail["organisation_ids"] == [world.ngo_org.pk]
    assert [u["progress"] for u in detail["updates"]] == ["Going."]
    hidden = Commitment.objects.get(title="Hidden")
    assert client.get(f"/api/v1/commitments/{hidden.pk}").status_code == 404


def test_create_update_and_report(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    ngo = bearer(world.users["ngo"])
    refused = _post(
        client,
        "/api/v1/commitments",
        {"source": "grf", "title": "X", "organisation_ids": [world.state_org.pk]},
        ngo,
    )
    assert refused.status_code == 422 and "organisation_ids" in refused.content.decode()
    made = _post(
        client,
        "/api/v1/commitments",
        {
            "source": "pscg",
            "title": "Places",
            "organisation_ids": [world.ngo_org.pk],
            "target_number": 50,
            "target_unit": "places",
            "cycle_id": world.cycle.pk,
        },
        ngo,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["forum_id"] == world.public_forum.pk
    # A public commitment of another organisation: seen, but not theirs to change.
    other = bearer(world.users["refugee"])
    assert (
        _post(client, f"/api/v1/commitments/{pk}", {"title": "No"}, other, "PATCH").status_code
        == 403
    )
    patched = _post(client, f"/api/v1/commitments/{pk}", {"title": "More places"}, ngo, "PATCH")
    assert patched.status_code == 200 and patched.json()["title"] == "More places"
    assert (
        _post(
            client,
            f"/api/v1/commitments/{pk}",
            {"title": "No"},
            bearer(world.users["state"]),
            "PATCH",
        ).status_code
        == 403
    )
    report = _post(
        client,
        f"/api/v1/commitments/{pk}/updates",
        {"status": "in_progress", "progress": "20 arrived", "progress_number": 20},
        ngo,
    )
    assert report.status_code == 201 and report.json()["progress_number"] == 20
    c = Commitment.objects.get(pk=pk)
    assert c.status == "in_progress" and c.last_update_at is not None
    assert (
        _post(
            client,
            f"/api/v1/commitments/{pk}/updates",
            {"status": "fulfilled", "progress": "x"},
            {},
        ).status_code
        == 401
    )
