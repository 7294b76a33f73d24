"""Refused requests are recorded (who, path, method, status, address), throttled."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.core.models import DeniedRequest

pytestmark = pytest.mark.django_db


def _client(user: User | None = None, ip: str = "192.0.2.7") -> Client:
    client = Client(REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user)
    return client


def _rows() -> list[dict[str, Any]]:
    return list(
        DeniedRequest.objects.order_by("id").values(
            "client", "user_id", "user_repr", "ip", "method", "path", "status", "reason", "count"
        )
    )


def test_a_forbidden_page_is_recorded_with_who_where_and_how(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    response = _client(ngo).get(reverse("needs:import") + "?secret=query")
    assert response.status_code == 403
    assert _rows() == [
        {
            "client": f"user:{ngo.pk}",
            "user_id": ngo.pk,
            "user_repr": "ngo",
            "ip": "192.0.2.7",
            "method": "GET",
            "path": "/needs/import/",  # never the query string
            "status": 403,
            "reason": "PermissionDenied",
            "count": 1,
        }
    ]


def test_a_hidden_object_is_recorded_and_an_unknown_path_is_not(world: SimpleNamespace) -> None:
    hidden = reverse("forums:forum_detail", args=[world.members_forum.pk])
    anonymous = _client(ip="198.51.100.9")
    assert anonymous.get(hidden).status_code == 404
    assert anonymous.get("/wp-login.php").status_code == 404  # no route: no access decision
    [row] = _rows()
    assert (row["client"], row["user_id"], row["user_repr"]) == (
        "ip:198.51.100.9",
        None,
        "anonymous",
    )
    assert (row["path"], row["status"], row["reason"][:6]) == (hidden, 404, "Http40")


def test_the_api_refusals_are_recorded(
    world: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    ngo = world.users["ngo"]
    body = {
        "iso3": "XKX",
        "iso2": "XK",
        "name_en": "Secret-in-the-body",
        "name_ar": "كوسوفو",
        "name_fr": "Kosovo",
    }
    anonymous = _client()
    assert anonymous.post("/api/v1/countries", body, "application/json").status_code == 401
    token = _client()
    response = token.post(
        "/api/v1/countries", json.dumps(body), "application/json", headers=bearer(ngo)
    )
    assert response.status_code == 403
    assert token.get(f"/api/v1/forums/{world.members_forum.pk}").status_code == 404
    rows = _rows()
    assert [(r["client"], r["method"], r["status"]) for r in rows] == [
        ("ip:192.0.2.7", "POST", 401),
        (f"user:{ngo.pk}", "POST", 403),
        ("ip:192.0.2.7", "GET", 404),
    ]
    # Never the request's body.
    assert not DeniedRequest.objects.filter(reason__contains="Secret").exists()
    assert "Secret" not in repr(rows)


def test_allowed_requests_and_login_redirects_are_not_recorded(world: SimpleNamespace) -> None:
    assert _client(world.users["admin"]).get(reverse("needs:import")).status_code == 200
    assert _client().get(reverse("needs:import")).status_code == 302  # to the login page
    assert not DeniedRequest.objects.exists()


def test_repeats_are_counted_on_one_row(world: SimpleNamespace) -> None:
    client = _client(world.users["ngo"])
    for _ in range(3):
        assert client.get(reverse("needs:import")).status_code == 403
    assert [(r["path"], r["count"]) for r in _rows()] == [("/needs/import/", 3)]


def test_a_client_over_its_hourly_limit_is_counted_not_listed(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.DENIED_REQUESTS_PER_CLIENT = 2
    crawler = _client(ip="203.0.113.5")
    forums = [90_000 + n for n in range(5)]
    for pk in forums:
        assert crawler.get(reverse("forums:forum_detail", args=[pk])).status_code == 404
    assert crawler.get(reverse("forums:forum_detail", args=[forums[-1]])).status_code == 404
    rows = _rows()
    assert [r["path"] for r in rows] == [
        reverse("forums:forum_detail", args=[forums[0]]),
        reverse("forums:forum_detail", args=[forums[1]]),
        "*",
    ]
    assert rows[2]["count"] == 4 and rows[2]["client"] == "ip:203.0.113.5"
    # Another client still has its own allowance.
    assert (
        _client(ip="203.0.113.6").get(reverse("forums:forum_detail", args=[forums[0]])).status_code
        == 404
    )
    assert DeniedRequest.objects.filter(client="ip:203.0.113.6", path__startswith="/").count() == 1


def test_all_clients_together_have_an_hourly_limit(world: SimpleNamespace, settings: Any) -> None:
    settings.DENIED_REQUESTS_PER_HOUR = 3
    url = reverse("forums:forum_detail", args=[world.members_forum.pk])
    for n in range(6):
        assert _client(ip=f"203.0.113.{n + 10}").get(url).status_code == 404
    rows = _rows()
    assert len(rows) == 4  # three clients listed, then one row for the rest
    assert (rows[3]["client"], rows[3]["path"], rows[3]["count"]) == ("*", "*", 3)
    assert rows[3]["ip"] is None and rows[3]["user_id"] is None


def test_a_csrf_refusal_is_recorded(world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.8")
    client.force_login(world.users["ngo"])
    assert client.post(reverse("set_language"), {"language": "fr"}).status_code == 403
    [row] = _rows()
    assert (row["path"], row["status"], row["reason"]) == ("/i18n/setlang/", 403, "forbidden")
