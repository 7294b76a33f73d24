"""The allocation API: pledge lines, runs, scenarios, confirmation, assignments, explanations."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from resettle.accounts.models import User
from resettle.allocation.models import AllocationRun, PledgeLine
from resettle.allocation.tests.fixtures import THIS_YEAR, make_allocation_world, make_run
from resettle.allocation.tests.test_alloc_services import run_tasks
from resettle.cases.models import CaseStatus
from resettle.cases.tests.fixtures import SHARE_JSON

pytestmark = pytest.mark.django_db

Bearer = Callable[[User | None], dict[str, str]]


def test_runs_from_start_to_confirmation(world: SimpleNamespace, bearer: Bearer) -> None:
    make_allocation_world(world)
    client = Client()
    headers = bearer(world.users["unhcr"])
    started = client.post(
        "/api/v1/allocation/runs",
        {"year": THIS_YEAR, "name": "API run"},
        content_type="application/json",
        headers=headers,
    )
    assert started.status_code == 201 and started.json()["status"] == "queued"
    run_id = started.json()["id"]
    run_tasks()
    run = client.get(f"/api/v1/allocation/runs/{run_id}", headers=headers).json()
    assert run["status"] == "done" and run["progress"] == 100 and run["gap"] is not None

    placed = client.get(
        f"/api/v1/allocation/runs/{run_id}/assignments?reason=placed", headers=headers
    ).json()
    assert {(a["case"], a["state"]) for a in placed["items"]} == {
        ("T-SYR-1", "DEU"),
        ("T-AFG-1", "CAN"),
    }
    why = client.get(
        f"/api/v1/allocation/runs/{run_id}/cases/{world.case_som.pk}", headers=headers
    ).json()
    assert why["reason"] == "no_eligible_line"
    assert set(why["words"]) == {"en", "ar", "fr"}
    assert why["words"]["en"]["headline"] == "Not placed: no pledge line takes this case."

    scenario = client.post(
        f"/api/v1/allocation/runs/{run_id}/scenarios",
        {"changes": [{"kind": "set_capacity", "line": f"L{world.line_deu.pk}", "capacity": 11}]},
        content_type="application/json",
        headers=headers,
    )
    assert scenario.status_code == 201 and scenario.json()["parent_id"] == run_id
    bad = client.post(
        f"/api/v1/allocation/runs/{run_id}/scenarios",
        {"changes": [{"kind": "set_capacity", "line": "L0", "capacity": 11}]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and "line" in bad.content.decode()

    confirm = f"/api/v1/allocation/runs/{run_id}/confirm"
    refused = client.post(
        confirm, {"purpose": "travel", "consent": "override"}, "application/json", headers=headers
    )
    assert refused.status_code == 422 and "override_reason" in refused.content.decode()
    confirmed = client.post(confirm, SHARE_JSON, "application/json", headers=headers)
    assert confirmed.status_code == 200 and confirmed.json()["referred"] == 2
    world.case_afg.refresh_from_db()
    assert world.case_afg.status == CaseStatus.REFERRED


def test_runs_are_hidden_from_states(world: SimpleNamespace, bearer: Bearer) -> None:
    run = make_run(world)
    client = Client()
    headers = bearer(world.users["state"])
    assert client.get("/api/v1/allocation/runs", headers=headers).json()["items"] == []
    assert client.get(f"/api/v1/allocation/runs/{run.pk}", headers=headers).status_code == 404
    assert (
        client.post(
            f"/api/v1/allocation/runs/{run.pk}/confirm",
            SHARE_JSON,
            "application/json",
            headers=headers,
        ).status_code
        == 404
    )
    assert AllocationRun.objects.get(pk=run.pk).confirmed_at is None


def test_pledge_lines_crud(world: SimpleNamespace, bearer: Bearer) -> None:
    make_allocation_world(world)
    client = Client()
    headers = bearer(world.users["unhcr"])
    created = client.post(
        "/api/v1/allocation/lines",
        {"year": THIS_YEAR, "state": "deu", "capacity": 20, "situations": ["Test situation"]},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "DEU" and body["priorities"] == ["emergency", "urgent", "normal"]
    assert body["nationalities"] is None and body["situations"] == ["Test situation"]
    line_id = body["id"]
    patched = client.patch(
        f"/api/v1/allocation/lines/{line_id}",
        {"capacity": 30, "nationalities": ["syr"]},
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["capacity"] == 30 and patched.json()["nationalities"] == ["SYR"]
    unknown = client.post(
        "/api/v1/allocation/lines",
        {"year": THIS_YEAR, "state": "XXX", "capacity": 20},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 422 and "state" in unknown.content.decode()
    listed = client.get(f"/api/v1/allocation/lines?year={THIS_YEAR}&state=DEU", headers=headers)
    assert {item["id"] for item in listed.json()["items"]} == {world.line_deu.pk, line_id}
    deleted = client.delete(f"/api/v1/allocation/lines/{line_id}", headers=headers)
    assert deleted.status_code == 204 and not PledgeLine.objects.filter(pk=line_id).exists()
