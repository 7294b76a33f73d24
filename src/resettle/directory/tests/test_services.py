"""Directory services: ownership of records, State profiles, countries, the audit log."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditAction, AuditEntry
from resettle.directory import services
from resettle.directory.models import Country, Organisation, Person, StateProfile


def _rows() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Country, Organisation, Person, StateProfile, AuditEntry)
    )


# ---- rights ------------------------------------------------------------------------------


def test_who_manages_an_organisation(world: SimpleNamespace) -> None:
    managers = {
        role
        for role, u in world.users.items()
        if services.can_manage_organisation(u, world.ngo_org)
    }
    assert managers == {"admin", "ngo"}
    world.other_org.maintained_by = world.ngo_org
    assert services.can_manage_organisation(world.users["ngo"], world.other_org)
    assert services.can_manage_organisation(world.users["other"], world.other_org)
    assert not services.can_manage_organisation(world.users["ngo"], None)


def test_who_edits_a_state_profile(world: SimpleNamespace) -> None:
    deu = {r for r, u in world.users.items() if services.can_edit_state_profile(u, world.deu)}
    assert deu == {"admin", "unhcr", "state"}
    can = {r for r, u in world.users.items() if services.can_edit_state_profile(u, world.can)}
    assert can == {"admin", "unhcr"}  # Germany's officials do not edit Canada's profile


def test_reads(world: SimpleNamespace) -> None:
    assert services.get_country_for_user("deu", None) == world.deu
    with pytest.raises(Http404):
        services.get_country_for_user("XXX", None)
    with pytest.raises(Http404):
        services.get_person_for_user(world.person.pk, None)  # contacts need a signed-in user
    assert services.get_person_for_user(world.person.pk, world.users["other"]) == world.person
    with pytest.raises(Http404):
        services.get_organisation_for_user(999999, None)


# ---- refusals write nothing ------------------------------------------------------------------

REFUSED: list[tuple[str, str, Callable[[SimpleNamespace, Any], Any]]] = [
    (
        "unhcr",
        "update another's organisation",
        lambda w, u: services.do_update_organisation(w.ngo_org, {"acronym": "X"}, actor=u),
    ),
    (
        "other",
        "update another's organisation",
        lambda w, u: services.do_update_organisation(w.ngo_org, {"acronym": "X"}, actor=u),
    ),
    (
        "ngo",
        "add a contact to another organisation",
        lambda w, u: services.do_create_person(
            {"given_name": "A", "family_name": "B", "organisation": w.other_org}, actor=u
        ),
    ),
    (
        "state",
        "edit another organisation's contact",
        lambda w, u: services.do_update_person(w.person, {"title": "X"}, actor=u),
    ),
    (
        "ngo",
        "move a contact to an organisation it does not manage",
        lambda w, u: services.do_update_person(w.person, {"organisation": w.other_org}, actor=u),
    ),
    (
        "ngo",
        "edit a State profile",
        lambda w, u: services.do_save_state_profile(w.deu, {"programme_stage": "new"}, actor=u),
    ),
    (
        "state",
        "edit another State's profile",
        lambda w, u: services.do_save_state_profile(w.can, {"programme_stage": "new"}, actor=u),
    ),
    (
        "unhcr",
        "correct a country",
        lambda w, u: services.do_update_country(w.deu, {"unhcr_code": "DEU"}, actor=u),
    ),
    (
        "state",
        "add a country",
        lambda w, u: services.do_create_country(
            {"iso3": "XKX", "iso2": "XK", "name_en": "K", "name_ar": "K", "name_fr": "K"}, actor=u
        ),
    ),
]


@pytest.mark.parametrize(("role", "what", "call"), REFUSED, ids=[f"{r} {w}" for r, w, _ in REFUSED])
def test_refused_writes_raise_permission_denied_and_write_nothing(
    world: SimpleNamespace, role: str, what: str, call: Callable[[SimpleNamespace, Any], Any]
) -> None:
    before = _rows()
    with pytest.raises(PermissionDenied):
        call(world, world.users[role])
    assert _rows() == before
    world.ngo_org.refresh_from_db()
    world.person.refresh_from_db()
    world.deu.refresh_from_db()
    assert (world.ngo_org.acronym, world.person.title, world.deu.unhcr_code) == ("CG", "", "GFR")


# ---- successful writes -----------------------------------------------------------------------


def test_create_organisation_is_maintained_by_the_creators_organisation(
    world: SimpleNamespace,
) -> None:
    ngo = world.users["ngo"]
    org = services.do_create_organisation(
        {"name": "Welcome Network", "kind": "network", "country": world.deu}, actor=ngo
    )
    assert org.maintained_by == world.ngo_org
    assert services.can_manage_organisation(ngo, org)
    [entry] = AuditEntry.objects.for_object(org)
    assert (entry.action, entry.actor, entry.before) == (AuditAction.CREATE, ngo, None)
    assert entry.after is not None and entry.after["maintained_by_id"] == world.ngo_org.pk


def test_update_organisation_audits_before_and_after(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    services.do_update_organisation(world.ngo_org, {"acronym": "CARITAS"}, actor=ngo)
    [entry] = AuditEntry.objects.for_object(world.ngo_org)
    assert entry.action == AuditAction.UPDATE and entry.actor == ngo
    assert entry.changes() == [("acronym", "CG", "CARITAS")]


def test_only_administrators_reassign_stewardship(world: SimpleNamespace) -> None:
    ngo, admin = world.users["ngo"], world.users["admin"]
    services.do_update_organisation(
        world.ngo_org,
        {"maintained_by": world.other_org, "website": "https://caritas.de"},
        actor=ngo,
    )
    world.ngo_org.refresh_from_db()
    assert world.ngo_org.maintained_by is None
    assert world.ngo_org.website == "https://caritas.de"
    services.do_update_organisation(world.ngo_org, {"maintained_by": world.other_org}, actor=admin)
    world.ngo_org.refresh_from_db()
    assert world.ngo_org.maintained_by == world.other_org


def test_parent_cycle_through_the_service_writes_nothing(world: SimpleNamespace) -> None:
    admin = world.users["admin"]
    child = services.do_create_organisation(
        {"name": "Caritas Berlin", "kind": "ngo", "parent": world.ngo_org}, actor=admin
    )
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.do_update_organisation(world.ngo_org, {"parent": child}, actor=admin)
    assert "parent" in exc.value.message_dict
    assert _rows() == before
    world.ngo_org.refresh_from_db()
    assert world.ngo_org.parent is None


def test_contacts(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    person = services.do_create_person(
        {"given_name": "Omar", "family_name": "Haddad", "organisation": world.ngo_org},
        actor=ngo,
    )
    services.do_update_person(person, {"title": "Director"}, actor=ngo)
    assert [e.action for e in AuditEntry.objects.for_object(person)] == ["update", "create"]
    # An invalid contact writes nothing.
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.do_create_person(
            {"given_name": "", "family_name": "X", "organisation": world.ngo_org}, actor=ngo
        )
    assert "given_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_update_person(person, {"organisation": None}, actor=ngo)
    assert "organisation" in exc.value.message_dict
    assert _rows() == before


def test_state_profile_is_created_then_updated(world: SimpleNamespace) -> None:
    state = world.users["state"]
    profile = services.do_save_state_profile(
        world.deu,
        {"programme_stage": "established", "first_resettlement_year": 2012},
        actor=state,
    )
    again = services.do_save_state_profile(
        world.deu,
        {"programme_stage": "established", "first_resettlement_year": 2013},
        actor=state,
    )
    assert again.pk == profile.pk and StateProfile.objects.count() == 1
    assert [e.action for e in AuditEntry.objects.for_object(profile)] == ["update", "create"]
    with pytest.raises(ValidationError) as exc:
        services.do_save_state_profile(world.deu, {"first_resettlement_year": 1900}, actor=state)
    assert "first_resettlement_year" in exc.value.message_dict


def test_countries_are_corrected_by_administrators(world: SimpleNamespace) -> None:
    admin = world.users["admin"]
    services.do_update_country(world.deu, {"unhcr_code": "DEU"}, actor=admin)
    [entry] = AuditEntry.objects.for_object(world.deu)
    assert entry.changes() == [("unhcr_code", "GFR", "DEU")]
    kosovo = services.do_create_country(
        {
            "iso3": "XKX",
            "iso2": "XK",
            "name_en": "Kosovo",
            "name_ar": "كوسوفو",
            "name_fr": "Kosovo",
        },
        actor=admin,
    )
    assert AuditEntry.objects.for_object(kosovo).get().action == AuditAction.CREATE
    with pytest.raises(ValidationError) as exc:
        services.do_create_country(
            {"iso3": "DEU", "iso2": "DE", "name_en": "G", "name_ar": "G", "name_fr": "G"},
            actor=admin,
        )
    assert {"iso3", "iso2"} <= set(exc.value.message_dict)
