"""The read-only API of needs, pledges, flows, versions and the gap (figures from gap_fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from resettle.accounts.models import User
from resettle.needs.tests.gap_fixtures import make_gap_world


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


def _json(client: Client, url: str, headers: dict[str, str] | None = None) -> Any:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def test_versions_list_and_detail(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/dataset-versions")
    series = {(v["series"], v["number"]) for v in data["items"]}
    assert series == {("pgrn", 1), ("pgrn", 2), ("pledges", 1), ("flows", 1)}
    current = _json(client, "/api/v1/dataset-versions?current=true&kind=needs")
    assert [v["id"] for v in current["items"]] == [w.pgrn2.pk]
    one = _json(client, f"/api/v1/dataset-versions/{w.pgrn1.pk}")
    assert one["source"] == "UNHCR PGRN 2024" and one["status"] == "done"
    assert client.get(f"/api/v1/dataset-versions/{w.private.pk}").status_code == 404


def test_private_versions_need_credentials(
    client: Client, w: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    reader = User.objects.create_user("reader", "r@example.org", None, role="ngo")
    headers = bearer(reader)
    assert _json(client, f"/api/v1/dataset-versions/{w.private.pk}", headers)["is_public"] is False
    flows = _json(client, f"/api/v1/flows?version={w.private.pk}", headers)
    assert [f["departed"] for f in flows["items"]] == [10000]
    assert client.get(f"/api/v1/flows?version={w.private.pk}").status_code == 404


def test_needs_list_filters_and_paginates(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/needs?limit=3")
    assert data["count"] == 8 and len(data["items"]) == 3
    item = data["items"][0]
    assert set(item) == {
        "id",
        "version_id",
        "year",
        "population",
        "asylum",
        "category",
        "priority",
        "persons",
    }
    assert item["version_id"] == w.pgrn2.pk
    page2 = _json(client, "/api/v1/needs?limit=3&offset=3")
    assert {i["id"] for i in page2["items"]}.isdisjoint({i["id"] for i in data["items"]})
    syria = _json(client, "/api/v1/needs?population=syr&year=2024")
    assert sorted(i["persons"] for i in syria["items"]) == [200, 900]
    urgent = _json(client, "/api/v1/needs?priority=urgent")
    assert sum(i["persons"] for i in urgent["items"]) == 500
    first = _json(client, f"/api/v1/needs?version={w.pgrn1.pk}")
    assert first["count"] == 6
    assert client.get(f"/api/v1/needs?version={w.flows.pk}").status_code == 404


def test_pledges_list(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/pledges?year=2025")
    assert [(p["state"], p["persons"], p["end_year"]) for p in data["items"]] == [
        ("CAN", 3001, 2025)
    ]
    germany = _json(client, "/api/v1/pledges?state=DEU")["items"][0]
    assert germany["breakdowns"][0] == {"kind": "nationality", "value": "SYR", "persons": 400}
    assert germany["pathways"] == [{"pathway": "sponsorship", "persons": 200}]


def test_flows_list(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/flows?year=2024&resettlement_state=CAN")
    assert sorted((f["origin"], f["departed"]) for f in data["items"]) == [
        ("AFG", 200),
        ("ROHINGYA", 50),
    ]
    afg = next(f for f in data["items"] if f["origin"] == "AFG")
    assert afg["departed_within_6_months"] is None and afg["asylum"] == "PAK"
    assert _json(client, "/api/v1/flows?origin=SYR")["count"] == 2


def test_gap(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/gap?year=2024")
    assert data["years"] == [2025, 2024, 2023]
    total = data["total"]
    assert (total["need"], total["pledged"], total["submitted"], total["departed"]) == (
        6800,
        2501,
        1000,
        550,
    )
    assert data["ratios"]["departed_submitted"] == pytest.approx(0.55)
    indicators = {i["code"]: i for i in data["indicators"]}
    assert indicators["emergency_urgent_places"]["met"] is True
    assert indicators["departed_within_6_months"]["value"] == pytest.approx(0.2)
    assert data["roadmap"]["departed"] == 800 and data["roadmap"]["target"] == 1_000_000
    assert [r["key"] for r in data["most_unmet"]][:2] == ["AFG", "ROHINGYA"]
    assert data["most_urgent"][0]["key"] == "ROHINGYA"
    assert {s["id"] for s in data["sources"]} == {w.pgrn2.pk, w.pledges.pk, w.flows.pk}
    by_state = _json(client, "/api/v1/gap?year=2024&cut=state")
    assert {r["key"]: r["figures"]["pledged"] for r in by_state["rows"]} == {
        "DEU": 1000,
        "CAN": 1501,
    }
    as_of = _json(client, f"/api/v1/gap?year=2024&version={w.pgrn1.pk}")
    assert as_of["total"]["need"] == 6000 and as_of["as_of"] == w.pgrn1.pk
    assert client.get(f"/api/v1/gap?version={w.private.pk}").status_code == 404
    assert client.get("/api/v1/gap?cut=nonsense").status_code == 422


def test_gap_trends(client: Client, w: SimpleNamespace) -> None:
    data = _json(client, "/api/v1/gap/trends")
    assert [(p["year"], p["figures"]["departed"]) for p in data["points"]] == [
        (2023, 250),
        (2024, 550),
        (2025, 0),
    ]
    syria = _json(client, "/api/v1/gap/trends?cut=population&key=SYR")
    assert [(p["year"], p["figures"]["need"]) for p in syria["points"]] == [
        (2023, 0),
        (2024, 1100),
        (2025, 1200),
    ]


def test_openapi_lists_the_needs_operations(client: Client, db: None) -> None:
    paths = _json(client, "/api/v1/openapi.json")["paths"]
    for path in (
        "/api/v1/dataset-versions",
        "/api/v1/dataset-versions/{pk}",
        "/api/v1/needs",
        "/api/v1/pledges",
        "/api/v1/flows",
        "/api/v1/gap",
        "/api/v1/gap/trends",
    ):
        assert set(paths[path]) == {"get"}, path
