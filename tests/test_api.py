"""The REST API at /api/v1/: reads, writes, authentication, errors, the schema."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from resettle.accounts.models import ApiToken, User
from resettle.api import api
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country, Organisation, Person, StateProfile
from resettle.forums.models import ConsultationCycle, Forum, Membership

Bearer = Callable[[User | None], dict[str, str]]
BASE = "/api/v1"


def send(
    client: Client, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> Any:
    """A JSON request to the API."""
    return client.generic(
        method,
        BASE + path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers or {},
    )


def error_fields(response: Any) -> set[str]:
    """The payload fields a 422 names (the last element of each error's loc)."""
    return {str(err["loc"][-1]) for err in response.json()["detail"]}


def counts() -> dict[str, int]:
    """Rows of every table an API write can touch."""
    models = (Country, Organisation, Person, StateProfile, Forum, Membership, ConsultationCycle)
    result = {m.__name__: m.objects.count() for m in models}
    result["AuditEntry"] = AuditEntry.objects.count()
    return result


# ---- lists: filters and pagination -----------------------------------------------


def test_countries_paginate_with_limit_and_offset(client: Client, db: None) -> None:
    total = Country.objects.count()
    assert total > 240  # ISO 3166-1, loaded by a migration
    first = client.get(f"{BASE}/countries?limit=5&offset=0").json()
    second = client.get(f"{BASE}/countries?limit=5&offset=5").json()
    assert first["count"] == second["count"] == total
    assert len(first["items"]) == len(second["items"]) == 5
    names = [c["name_en"] for c in first["items"] + second["items"]]
    assert names == sorted(names) and len(set(names)) == 10
    last = client.get(f"{BASE}/countries?limit=5&offset={total - 2}").json()
    assert len(last["items"]) == 2


def test_countries_filter_by_region_name_and_programme_stage(client: Client, deu: Country) -> None:
    europe = client.get(f"{BASE}/countries?unhcr_region=Europe&limit=500").json()
    assert europe["count"] > 30
    assert {c["unhcr_region"] for c in europe["items"]} == {"Europe"}
    found = client.get(f"{BASE}/countries?q=allemagne").json()
    assert [c["iso3"] for c in found["items"]] == ["DEU"]
    StateProfile.objects.create(country=deu, programme_stage="established")
    established = client.get(f"{BASE}/countries?programme_stage=established").json()
    assert [(c["iso3"], c["programme_stage"]) for c in established["items"]] == [
        ("DEU", "established")
    ]


def test_organisations_filter(client: Client, world: SimpleNamespace) -> None:
    ngos = client.get(f"{BASE}/organisations?kind=ngo").json()
    assert {o["name"] for o in ngos["items"]} == {
        "Caritas Germany",
        "Canadian Council for Refugees",
    }
    german_ngos = client.get(f"{BASE}/organisations?kind=ngo&country=DEU").json()
    assert [o["id"] for o in german_ngos["items"]] == [world.ngo_org.pk]
    assert german_ngos["items"][0]["country"] == "DEU"
    by_acronym = client.get(f"{BASE}/organisations?q=unhcr").json()
    assert [o["country"] for o in by_acronym["items"]] == [None]
    page = client.get(f"{BASE}/organisations?limit=3&offset=3").json()
    assert page["count"] == Organisation.objects.count() and len(page["items"]) == 3


def test_people_need_credentials_and_filter(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    assert client.get(f"{BASE}/people").status_code == 401
    Person.objects.create(given_name="Li", family_name="Wei", organisation=world.other_org)
    headers = bearer(world.users["refugee"])
    everyone = client.get(f"{BASE}/people", headers=headers).json()
    assert everyone["count"] == 2
    mine = client.get(f"{BASE}/people?organisation_id={world.ngo_org.pk}", headers=headers).json()
    assert [p["family_name"] for p in mine["items"]] == ["Schmidt"]
    assert client.get(f"{BASE}/people?q=wei", headers=headers).json()["count"] == 1


def test_forums_list_shows_members_only_forums_to_members_only(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    def names(headers: dict[str, str]) -> set[str]:
        return {f["acronym"] for f in client.get(f"{BASE}/forums", headers=headers).json()["items"]}

    assert names({}) == {"CRCP"}
    assert names(bearer(world.users["other"])) == {"CRCP"}
    assert names(bearer(world.users["ngo"])) == {"CRCP", "WGR"}
    assert names(bearer(world.users["unhcr"])) == {"CRCP", "WGR"}
    filtered = client.get(f"{BASE}/forums?kind=consultation&access=public").json()
    assert [f["acronym"] for f in filtered["items"]] == ["CRCP"]
    forum = filtered["items"][0]
    assert forum["chair_ids"] == [world.state_org.pk]
    assert forum["secretariat_ids"] == [world.unhcr_org.pk]
    assert forum["working_languages"] == ["en"]


def test_memberships_and_cycles_filter(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    public = client.get(f"{BASE}/memberships").json()
    assert {m["forum_id"] for m in public["items"]} == {world.public_forum.pk}
    assert public["count"] == 3
    headers = bearer(world.users["ngo"])
    in_wgr = client.get(
        f"{BASE}/memberships?forum_id={world.members_forum.pk}", headers=headers
    ).json()
    assert in_wgr["count"] == 2
    chairs = client.get(f"{BASE}/memberships?role=chair").json()
    assert [m["organisation_id"] for m in chairs["items"]] == [world.state_org.pk]
    cycles = client.get(f"{BASE}/cycles?state=DEU").json()
    assert [c["id"] for c in cycles["items"]] == [world.cycle.pk]
    assert client.get(f"{BASE}/cycles?state=CAN").json()["count"] == 0
    year = world.cycle.start_year
    assert client.get(f"{BASE}/cycles?start_year={year}").json()["count"] == 1


# ---- reads ------------------------------------------------------------------------


def test_read_one_of_each(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    deu = client.get(f"{BASE}/countries/deu").json()
    assert deu["name_fr"] == "Allemagne" and deu["unhcr_code"] == "GFR"
    assert deu["programme_stage"] is None
    org = client.get(f"{BASE}/organisations/{world.state_org.pk}").json()
    assert org == {
        "id": world.state_org.pk,
        "name": "Federal Office for Migration and Refugees",
        "acronym": "BAMF",
        "kind": "state",
        "country": "DEU",
        "parent_id": None,
        "website": "",
        "description": "",
    }
    person = client.get(f"{BASE}/people/{world.person.pk}", headers=bearer(world.users["rsf"]))
    assert person.json()["organisation_id"] == world.ngo_org.pk
    forum = client.get(f"{BASE}/forums/{world.public_forum.pk}").json()
    assert forum["kind"] == "consultation" and forum["access"] == "public"
    membership = client.get(f"{BASE}/memberships/{world.public_membership.pk}").json()
    assert membership["role"] == "member" and membership["end_date"] is None
    cycle = client.get(f"{BASE}/cycles/{world.cycle.pk}").json()
    assert cycle["state"] == "DEU" and cycle["status"] == "current"
    assert cycle["label"] == str(world.cycle.start_year)


def test_absent_and_hidden_objects_are_both_404(client: Client, world: SimpleNamespace) -> None:
    assert client.get(f"{BASE}/forums/{world.members_forum.pk}").status_code == 404
    assert client.get(f"{BASE}/forums/999999").status_code == 404
    assert client.get(f"{BASE}/countries/XXX").status_code == 404
    assert client.get(f"{BASE}/memberships/{world.members_membership.pk}").status_code == 404


# ---- writes: create and update, with their audit entries --------------------------


def _audit(obj: Any) -> AuditEntry:
    entries = list(AuditEntry.objects.for_object(obj))
    assert len(entries) == 1, entries
    return entries[0]


def test_create_and_update_organisation(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    user = world.users["ngo"]
    headers = bearer(user)
    created = send(
        client,
        "POST",
        "/organisations",
        {
            "name": "Welcome Network",
            "kind": "network",
            "country": "DEU",
            "parent_id": world.ngo_org.pk,
        },
        headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    org = Organisation.objects.get(pk=body["id"])
    assert (org.name, org.country, org.parent) == ("Welcome Network", world.deu, world.ngo_org)
    assert org.maintained_by == world.ngo_org  # the creator's organisation keeps the record
    entry = _audit(org)
    assert (entry.action, entry.actor, entry.before) == (AuditAction.CREATE, user, None)
    assert entry.after is not None and entry.after["name"] == "Welcome Network"

    changed = send(client, "PATCH", f"/organisations/{org.pk}", {"acronym": "WN"}, headers)
    assert changed.status_code == 200 and changed.json()["acronym"] == "WN"
    update = AuditEntry.objects.for_object(org).filter(action=AuditAction.UPDATE).get()
    assert update.before is not None and update.after is not None
    assert (update.before["acronym"], update.after["acronym"]) == ("", "WN")


def test_create_and_update_country(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    headers = bearer(world.users["admin"])
    created = send(
        client,
        "POST",
        "/countries",
        {
            "iso3": "XKX",
            "iso2": "XK",
            "name_en": "Kosovo",
            "name_ar": "كوسوفو",
            "name_fr": "Kosovo",
            "unhcr_region": "Europe",
        },
        headers,
    )
    assert created.status_code == 201, created.content
    assert Country.objects.get(iso3="XKX").unhcr_region == "Europe"
    changed = send(client, "PATCH", "/countries/XKX", {"unhcr_code": "KOS"}, headers)
    assert changed.status_code == 200 and changed.json()["unhcr_code"] == "KOS"
    cleared = send(client, "PATCH", "/countries/XKX", {"unhcr_region": None}, headers)
    assert cleared.json()["unhcr_region"] == ""
    assert AuditEntry.objects.for_object(Country.objects.get(iso3="XKX")).count() == 3


def test_create_and_update_person(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    headers = bearer(world.users["ngo"])
    created = send(
        client,
        "POST",
        "/people",
        {
            "given_name": "Omar",
            "family_name": "Haddad",
            "organisation_id": world.ngo_org.pk,
            "languages": "ar, en",
        },
        headers,
    )
    assert created.status_code == 201, created.content
    person = Person.objects.get(pk=created.json()["id"])
    changed = send(client, "PATCH", f"/people/{person.pk}", {"title": "Director"}, headers)
    assert changed.status_code == 200
    person.refresh_from_db()
    assert person.title == "Director"
    assert [e.action for e in AuditEntry.objects.for_object(person)] == ["update", "create"]


def test_cannot_add_a_contact_to_an_organisation_one_does_not_manage(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    before = counts()
    response = send(
        client,
        "POST",
        "/people",
        {"given_name": "Omar", "family_name": "Haddad", "organisation_id": world.other_org.pk},
        bearer(world.users["ngo"]),
    )
    assert response.status_code == 403
    assert counts() == before


def test_create_and_update_forum(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    headers = bearer(world.users["unhcr"])
    created = send(
        client,
        "POST",
        "/forums",
        {
            "name": "Core Group on Syria",
            "kind": "core_group",
            "parent_id": world.public_forum.pk,
            "chair_ids": [world.state_org.pk],
            "secretariat_ids": [world.unhcr_org.pk],
            "access": "members",
            "working_languages": "en, ar",
        },
        headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["chair_ids"] == [world.state_org.pk]
    assert body["working_languages"] == ["en", "ar"]
    forum = Forum.objects.get(pk=body["id"])
    entry = _audit(forum)
    assert entry.after is not None
    assert entry.after["chairs"] == [world.state_org.pk]

    changed = send(
        client,
        "PATCH",
        f"/forums/{forum.pk}",
        {"chair_ids": [world.state_org.pk, world.ngo_org.pk]},
        headers,
    )
    assert changed.status_code == 200, changed.content
    update = AuditEntry.objects.for_object(forum).get(action=AuditAction.UPDATE)
    assert update.before is not None and update.after is not None
    assert update.before["chairs"] == [world.state_org.pk]
    assert update.after["chairs"] == sorted([world.state_org.pk, world.ngo_org.pk])


def test_create_and_update_membership(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    headers = bearer(world.users["state"])  # the consultation's chair
    today = timezone.localdate()
    created = send(
        client,
        "POST",
        "/memberships",
        {
            "forum_id": world.public_forum.pk,
            "person_id": world.person.pk,
            "role": "refugee_representative",
            "start_date": today.isoformat(),
        },
        headers,
    )
    assert created.status_code == 201, created.content
    membership = Membership.objects.get(pk=created.json()["id"])
    assert membership.person == world.person and membership.organisation is None
    end = (today + datetime.timedelta(days=30)).isoformat()
    changed = send(client, "PATCH", f"/memberships/{membership.pk}", {"end_date": end}, headers)
    assert changed.status_code == 200 and changed.json()["end_date"] == end
    update = AuditEntry.objects.for_object(membership).get(action=AuditAction.UPDATE)
    assert update.before is not None and update.after is not None
    assert (update.before["end_date"], update.after["end_date"]) == (None, end)


def test_create_and_update_cycle(client: Client, world: SimpleNamespace, bearer: Bearer) -> None:
    headers = bearer(world.users["unhcr"])
    year = world.cycle.start_year + 1
    created = send(
        client,
        "POST",
        "/cycles",
        {
            "forum_id": world.public_forum.pk,
            "start_year": year,
            "end_year": year + 1,
            "state": "CAN",
            "government_cochair_id": world.can_state_org.pk,
            "ngo_cochair_id": world.other_org.pk,
            "theme": "Pathways",
        },
        headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["label"] == f"{year}-{str(year + 1)[-2:]}" and body["status"] == "planned"
    cycle = ConsultationCycle.objects.get(pk=body["id"])
    # The NGO co-chair edits its own cycle.
    changed = send(
        client,
        "PATCH",
        f"/cycles/{cycle.pk}",
        {"theme": "Sponsorship"},
        bearer(world.users["other"]),
    )
    assert changed.status_code == 200, changed.content
    update = AuditEntry.objects.for_object(cycle).get(action=AuditAction.UPDATE)
    assert update.actor == world.users["other"]
    assert update.before is not None and update.after is not None
    assert (update.before["theme"], update.after["theme"]) == ("Pathways", "Sponsorship")


# ---- invalid input: 422 naming the field, nothing written ------------------------


INVALID: list[tuple[str, str, str, Callable[[SimpleNamespace], dict[str, Any]], str]] = [
    # (who, method, path, payload, the field the 422 must name)
    # -- schema errors (Django Ninja's own validation) --
    ("admin", "POST", "/organisations", lambda w: {"name": "", "kind": "ngo"}, "name"),
    ("admin", "POST", "/organisations", lambda w: {"name": "X", "kind": "club"}, "kind"),
    ("unhcr", "POST", "/cycles", lambda w: {**_cycle(w), "start_year": 1900}, "start_year"),
    (
        "state",
        "POST",
        "/memberships",
        lambda w: {**_membership(w), "start_date": "soon"},
        "start_date",
    ),
    # -- ids the user may not see, or that do not exist --
    (
        "other",
        "POST",
        "/memberships",
        lambda w: {**_membership(w), "forum_id": w.members_forum.pk},
        "forum_id",
    ),
    (
        "admin",
        "POST",
        "/forums",
        lambda w: {"name": "F", "kind": "network", "parent_id": 999999},
        "parent_id",
    ),
    (
        "ngo",
        "POST",
        "/organisations",
        lambda w: {"name": "X", "kind": "ngo", "country": "XXX"},
        "country",
    ),
    (
        "admin",
        "POST",
        "/forums",
        lambda w: {"name": "F", "kind": "network", "chair_ids": [999999]},
        "chair_ids",
    ),
    (
        "unhcr",
        "POST",
        "/cycles",
        lambda w: {**_cycle(w), "ngo_cochair_id": 999999},
        "ngo_cochair_id",
    ),
    # -- the models' rules --
    (
        "unhcr",
        "POST",
        "/cycles",
        lambda w: {**_cycle(w), "ngo_cochair_id": w.other_org.pk},
        "ngo_cochair_id",
    ),
    (
        "unhcr",
        "POST",
        "/cycles",
        lambda w: {**_cycle(w), "forum_id": w.members_forum.pk},
        "forum_id",
    ),
    (
        "unhcr",
        "POST",
        "/cycles",
        lambda w: {**_cycle(w), "end_year": w.cycle.start_year},
        "end_year",
    ),
    (
        "state",
        "POST",
        "/memberships",
        lambda w: {**_membership(w), "end_date": "2000-01-01"},
        "end_date",
    ),
    (
        "state",
        "POST",
        "/memberships",
        lambda w: {**_membership(w), "organisation_id": None},
        "organisation_id",
    ),
    (
        "admin",
        "POST",
        "/forums",
        lambda w: {"name": w.public_forum.name, "kind": "network"},
        "name",
    ),
    (
        "admin",
        "PATCH",
        "/forums/{public_forum.pk}",
        lambda w: {"working_languages": "English"},
        "working_languages",
    ),
    ("ngo", "PATCH", "/people/{person.pk}", lambda w: {"email": "not an address"}, "email"),
    ("ngo", "PATCH", "/people/{person.pk}", lambda w: {"organisation_id": None}, "organisation_id"),
    (
        "ngo",
        "PATCH",
        "/cycles/{cycle.pk}",
        lambda w: {"start_year": w.cycle.start_year + 1},
        "end_year",
    ),
]


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "field"),
    INVALID,
    ids=[f"{c[1]} {c[2]} {c[4]}" for c in INVALID],
)
def test_invalid_input_is_422_naming_the_field(
    *,
    client: Client,
    world: SimpleNamespace,
    bearer: Bearer,
    role: str,
    method: str,
    path: str,
    body: Callable[[SimpleNamespace], dict[str, Any]],
    field: str,
) -> None:
    before = counts()
    response = send(
        client, method, path.format(**vars(world)), body(world), bearer(world.users[role])
    )
    assert response.status_code == 422, response.content
    assert field in error_fields(response), response.json()
    assert counts() == before


def _cycle(w: SimpleNamespace) -> dict[str, Any]:
    year = w.cycle.start_year + 1
    return {
        "forum_id": w.public_forum.pk,
        "start_year": year,
        "end_year": year,
        "state": "DEU",
        "government_cochair_id": w.state_org.pk,
        "ngo_cochair_id": w.ngo_org.pk,
    }


def _membership(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "forum_id": w.public_forum.pk,
        "organisation_id": w.other_org.pk,
        "role": "observer",
        "start_date": timezone.localdate().isoformat(),
    }


def test_a_members_only_forum_id_is_422_for_a_non_member(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    """The id of a forum the user may not see is refused like an unknown one."""
    before = counts()
    for forum_id in (world.members_forum.pk, 999999):
        response = send(
            client,
            "POST",
            "/memberships",
            {**_membership(world), "forum_id": forum_id},
            bearer(world.users["other"]),
        )
        assert response.status_code == 422
        assert error_fields(response) == {"forum_id"}
        assert str(forum_id) in response.json()["detail"][0]["msg"]
    assert counts() == before


def test_cycle_with_cochairs_from_two_states_names_both(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    before = counts()
    response = send(
        client,
        "POST",
        "/cycles",
        {**_cycle(world), "ngo_cochair_id": world.other_org.pk},
        bearer(world.users["unhcr"]),
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "ngo_cochair_id"]
    assert "Germany" in error["msg"] and "Canada" in error["msg"]
    assert counts() == before


# ---- authentication ------------------------------------------------------------------


def test_session_auth_writes_with_the_django_client(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["ngo"])
    response = send(client, "PATCH", f"/organisations/{world.ngo_org.pk}", {"acronym": "CAR"})
    assert response.status_code == 200
    assert client.get(f"{BASE}/people").status_code == 200


def test_session_write_without_csrf_token_is_refused(world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["ngo"])
    before = counts()
    response = send(client, "PATCH", f"/organisations/{world.ngo_org.pk}", {"acronym": "CAR"})
    assert response.status_code == 403
    assert counts() == before
    # Reads need no token.
    assert client.get(f"{BASE}/people").status_code == 200
    # With the token from the CSRF cookie, the same write goes through.
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = send(
        client,
        "PATCH",
        f"/organisations/{world.ngo_org.pk}",
        {"acronym": "CAR"},
        {"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    world.ngo_org.refresh_from_db()
    assert world.ngo_org.acronym == "CAR"


def test_bearer_token_needs_no_csrf_token(world: SimpleNamespace, bearer: Bearer) -> None:
    client = Client(enforce_csrf_checks=True)
    response = send(
        client,
        "PATCH",
        f"/organisations/{world.ngo_org.pk}",
        {"acronym": "CAR"},
        bearer(world.users["ngo"]),
    )
    assert response.status_code == 200


@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_anonymous_reads_public_data_and_cannot_write(
    world: SimpleNamespace, enforce_csrf: bool
) -> None:
    client = Client(enforce_csrf_checks=enforce_csrf)
    for path in ("/countries", "/organisations", "/forums", "/memberships", "/cycles"):
        assert client.get(BASE + path).status_code == 200, path
    before = counts()
    writes = [
        ("POST", "/organisations", {"name": "X", "kind": "ngo"}),
        ("PATCH", f"/organisations/{world.ngo_org.pk}", {"acronym": "X"}),
        ("POST", "/forums", {"name": "X", "kind": "network"}),
        ("PATCH", f"/cycles/{world.cycle.pk}", {"theme": "X"}),
        ("POST", "/memberships", _membership(world)),
        (
            "POST",
            "/countries",
            {"iso3": "XKX", "iso2": "XK", "name_en": "K", "name_ar": "K", "name_fr": "K"},
        ),
    ]
    for method, path, body in writes:
        response = send(client, method, path, body)
        assert response.status_code == 401, (method, path, response.content)
    assert counts() == before


def test_bad_tokens_are_refused(world: SimpleNamespace, api_token: Callable[[User], str]) -> None:
    client = Client()
    user = world.users["ngo"]
    path = f"/organisations/{world.ngo_org.pk}"

    def patch(raw: str) -> int:
        response = send(client, "PATCH", path, {"acronym": "X"}, {"Authorization": f"Bearer {raw}"})
        return int(response.status_code)

    assert patch("rst_not-a-token") == 401
    revoked = api_token(user)
    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())
    assert patch(revoked) == 401
    expired = api_token(user)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert patch(expired) == 401
    inactive = api_token(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert patch(inactive) == 401
    assert AuditEntry.objects.count() == 0


def test_token_sees_what_its_user_sees(
    client: Client, world: SimpleNamespace, bearer: Bearer
) -> None:
    url = f"{BASE}/forums/{world.members_forum.pk}"
    assert client.get(url, headers=bearer(world.users["state"])).status_code == 200
    assert client.get(url, headers=bearer(world.users["refugee"])).status_code == 404


# ---- the schema ----------------------------------------------------------------------

EXPECTED_OPERATIONS = {
    (method, f"{BASE}/{resource}{suffix}")
    for resource, key in (
        ("countries", "{iso3}"),
        ("organisations", "{pk}"),
        ("people", "{pk}"),
        ("forums", "{pk}"),
        ("memberships", "{pk}"),
        ("cycles", "{pk}"),
    )
    for method, suffix in (
        ("get", ""),
        ("post", ""),
        ("get", f"/{key}"),
        ("patch", f"/{key}"),
    )
}


def test_openapi_json_lists_every_operation(client: Client, db: None) -> None:
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Resettle API"
    operations = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert operations >= EXPECTED_OPERATIONS, EXPECTED_OPERATIONS - operations
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    # The schema served is the one the authorization matrix walks.
    assert schema["paths"].keys() == api.get_openapi_schema()["paths"].keys()
    for ops in schema["paths"].values():
        for op in ops.values():
            assert op.get("summary") or op.get("description"), op["operationId"]
