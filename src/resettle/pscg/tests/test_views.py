"""Pages and API of the pscg app."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.core.models import AuditEntry
from resettle.pscg.models import SituationTarget
from resettle.pscg.tests.fixtures import make_pledges, make_pscg_forum, make_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    make_pscg_forum(world)
    make_situation(world)
    world.versions = make_pledges(world)
    return world


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_situation_list_and_page(w: SimpleNamespace) -> None:
    client = _client(None)
    page = client.get(reverse("pscg:situation_list")).content.decode()
    assert "Test situation" in page
    response = client.get(reverse("pscg:situation_detail", args=[w.situation.pk]) + "?year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lebanon" in html and "Jordan" in html
    # Objective 1: the target of 1,000 and 451 places pledged in 2025.
    assert 'data-testid="progress"' in html
    assert "451" in html and "1,000" in html
    assert "<svg" in html and "Places pledged against the target" in html
    assert "cut=situation" in html and "year=2025" in html
    assert "key=Test+situation" in html
    # Anonymous visitors see the public practice, not the members-only one.
    assert "Remote interviews from Beirut" in html
    assert "Dossier selection, members only" not in html


def test_situation_page_for_a_member(w: SimpleNamespace) -> None:
    html = (
        _client(w.users["state"])
        .get(reverse("pscg:situation_detail", args=[w.situation.pk]))
        .content.decode()
    )
    assert "Dossier selection, members only" in html


def test_host_country_page(w: SimpleNamespace) -> None:
    url = reverse("pscg:host_country", args=[w.situation.pk, "LBN"])
    anon = _client(None).get(url).content.decode()
    assert "Public narrative on Lebanon." in anon
    assert "Members-only narrative" not in anon
    member = _client(w.users["ngo"]).get(url).content.decode()
    # The latest indicators are those of the newest update the reader may see.
    assert "Members-only narrative on Lebanon." in member
    assert member.index("Members-only narrative") < member.index("Public narrative")
    assert (
        _client(None).get(reverse("pscg:host_country", args=[w.situation.pk, "TUR"])).status_code
        == 404
    )
    jordan = _client(None).get(reverse("pscg:host_country", args=[w.situation.pk, "JOR"]))
    assert jordan.status_code == 200 and 'data-testid="no-updates"' in jordan.content.decode()


def test_members_only_practice_page_is_404_for_others(w: SimpleNamespace) -> None:
    url = reverse("pscg:practice_detail", args=[w.members_practice.pk])
    assert _client(None).get(url).status_code == 404
    assert _client(w.users["refugee"]).get(url).status_code == 404
    assert _client(w.users["state"]).get(url).status_code == 200
    listing = _client(w.users["other"]).get(reverse("pscg:practice_list")).content.decode()
    assert "Remote interviews from Beirut" in listing
    assert "Dossier selection, members only" not in listing


def test_target_form(w: SimpleNamespace) -> None:
    client = _client(w.users["ngo"])
    response = client.post(
        reverse("pscg:target_add"),
        {"situation": w.situation.pk, "year": 2025, "places": 5},
    )
    assert response.status_code == 400
    assert "already has a target" in response.content.decode()
    response = client.post(
        reverse("pscg:target_add"),
        {"situation": w.situation.pk, "year": 2027, "places": 1500},
    )
    assert response.status_code == 302
    assert SituationTarget.objects.filter(situation=w.situation, year=2027, places=1500).exists()


def test_delete_update_page(w: SimpleNamespace) -> None:
    url = reverse("pscg:update_delete", args=[w.public_update.pk])
    assert _client(w.users["state"]).post(url).status_code == 403
    response = _client(w.users["unhcr"]).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("pscg:host_country", args=[w.situation.pk, "LBN"])


# ---- API -------------------------------------------------------------------------------


def test_api_situation_detail_with_objective1(
    w: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    response = Client().get(f"/api/v1/situations/{w.situation.pk}")
    assert response.status_code == 200
    body = response.json()
    assert {"population": "SYR", "asylum": "LBN"} in body["areas"]
    assert body["objective1"][0] == {
        "year": 2025,
        "target": 1000,
        "pledged": 451,
        "progress": pytest.approx(0.451),
        "remaining": 549,
    }
    assert {"state": "CAN", "year": 2025, "places": 151} in body["by_state"]
    assert {"state": "DEU", "year": 2026, "places": 200} in body["by_state"]
    names = [s["name"] for s in Client().get("/api/v1/situations").json()]
    assert "Test situation" in names


def test_api_practices_visibility(
    w: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    anon = Client().get("/api/v1/situations/practices").json()["items"]
    assert [p["title"] for p in anon] == ["Remote interviews from Beirut"]
    member = Client().get("/api/v1/situations/practices", headers=bearer(w.users["state"]))
    assert len(member.json()["items"]) == 2
    url = f"/api/v1/situations/practices/{w.members_practice.pk}"
    assert Client().get(url, headers=bearer(w.users["rsf"])).status_code == 404


def test_api_target_crud(
    w: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    headers = bearer(w.users["ngo"])
    client = Client()
    before = AuditEntry.objects.count()
    created = client.post(
        "/api/v1/situations/targets",
        json.dumps({"situation_id": w.situation.pk, "year": 2026, "places": 700}),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/situations/targets/{pk}",
        json.dumps({"places": 900}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["places"] == 900
    refused = client.delete(f"/api/v1/situations/targets/{pk}", headers=bearer(w.users["state"]))
    assert refused.status_code == 403
    assert client.delete(f"/api/v1/situations/targets/{pk}", headers=headers).status_code == 200
    assert AuditEntry.objects.count() == before + 3


def test_api_host_update_validation(
    w: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    response = Client().post(
        "/api/v1/situations/host-updates",
        json.dumps(
            {"situation_id": w.situation.pk, "host_country": "TUR", "narrative": "Not a host."}
        ),
        content_type="application/json",
        headers=bearer(w.users["admin"]),
    )
    assert response.status_code == 422
    assert "host_country" in response.content.decode()
    response = Client().post(
        "/api/v1/situations/host-updates",
        json.dumps(
            {
                "situation_id": w.situation.pk,
                "host_country": "jor",
                "narrative": "Jordan opens work permits.",
                "access_to_work": 4,
                "complementary_pathways": True,
            }
        ),
        content_type="application/json",
        headers=bearer(w.users["admin"]),
    )
    assert response.status_code == 201, response.content
    assert response.json()["host_country"] == "JOR"
    assert response.json()["access"] == "members"
    listed = Client().get("/api/v1/situations/host-updates?host_country=jor").json()["items"]
    assert listed == []  # members only: not for anonymous readers
