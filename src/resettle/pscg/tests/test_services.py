"""Rights, validation and audit of the pscg services, and who belongs to the PSCG."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditEntry
from resettle.directory.models import Country
from resettle.forums.models import Membership
from resettle.pscg import services
from resettle.pscg.access import can_edit_pscg, is_pscg_member
from resettle.pscg.models import HostCountryUpdate, PracticeExchange, SituationTarget
from resettle.pscg.tests.fixtures import make_pscg_forum, make_situation

pytestmark = pytest.mark.django_db

EDITORS = {"admin", "unhcr", "ngo"}
MEMBERS = {"admin", "unhcr", "ngo", "state"}


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    make_pscg_forum(world)
    make_situation(world)
    return world


def test_members_and_editors(w: SimpleNamespace) -> None:
    for role, user in w.users.items():
        assert is_pscg_member(user) == (role in MEMBERS), role
        assert can_edit_pscg(user) == (role in EDITORS), role


def test_an_ended_mandate_no_longer_counts(w: SimpleNamespace) -> None:
    Membership.objects.filter(forum=w.pscg, organisation=w.state_org).update(
        end_date=w.today - datetime.timedelta(days=1)
    )
    assert not is_pscg_member(w.users["state"])


def test_without_a_pscg_forum_only_admin_and_unhcr(world: SimpleNamespace) -> None:
    make_situation(world)
    assert {r for r, u in world.users.items() if is_pscg_member(u)} == {"admin", "unhcr"}
    assert {r for r, u in world.users.items() if can_edit_pscg(u)} == {"admin", "unhcr"}


def test_members_only_items_are_404_for_others(w: SimpleNamespace) -> None:
    for role, user in w.users.items():
        if role in MEMBERS:
            assert services.get_practice_for_user(w.members_practice.pk, user)
            assert services.get_update_for_user(w.members_update.pk, user)
        else:
            with pytest.raises(Http404):
                services.get_practice_for_user(w.members_practice.pk, user)
            with pytest.raises(Http404):
                services.get_update_for_user(w.members_update.pk, user)
        assert services.get_practice_for_user(w.public_practice.pk, user)
        assert services.get_update_for_user(w.public_update.pk, user)


def test_target_create_update_delete_with_audit(w: SimpleNamespace) -> None:
    ngo = w.users["ngo"]
    before = AuditEntry.objects.count()
    target = services.do_create_target(
        {"situation": w.situation, "year": 2026, "places": 1200}, actor=ngo
    )
    services.do_update_target(target, {"places": 1500}, actor=ngo)
    assert SituationTarget.objects.get(pk=target.pk).places == 1500
    services.do_delete_target(target, actor=ngo)
    assert AuditEntry.objects.count() == before + 3


def test_a_second_target_for_the_year_is_refused(w: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_create_target(
            {"situation": w.situation, "year": 2025, "places": 5}, actor=w.users["admin"]
        )
    assert "__all__" in exc.value.message_dict or "year" in exc.value.message_dict


@pytest.mark.parametrize("role", ["state", "refugee", "rsf", "other"])
def test_non_editors_are_refused(w: SimpleNamespace, role: str) -> None:
    user = w.users[role]
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.do_create_target(
            {"situation": w.situation, "year": 2027, "places": 10}, actor=user
        )
    with pytest.raises(PermissionDenied):
        services.do_update_practice(w.public_practice, {"title": "X"}, actor=user)
    with pytest.raises(PermissionDenied):
        services.do_delete_update(w.public_update, actor=user)
    assert AuditEntry.objects.count() == before


def test_practice_with_organisations(w: SimpleNamespace) -> None:
    practice = services.do_create_practice(
        {
            "situation": None,
            "topic": "video",
            "title": "Video interviews",
            "summary": "Shared by two States.",
            "organisations": [w.state_org, w.can_state_org],
            "access": "public",
        },
        actor=w.users["unhcr"],
    )
    assert set(practice.organisations.all()) == {w.state_org, w.can_state_org}
    entry = AuditEntry.objects.filter(object_id=str(practice.pk)).latest("pk")
    assert sorted(entry.after["organisations"]) == sorted([w.state_org.pk, w.can_state_org.pk])
    services.do_delete_practice(practice, actor=w.users["unhcr"])
    assert not PracticeExchange.objects.filter(pk=practice.pk).exists()


def test_update_host_must_be_a_host_of_the_situation(w: SimpleNamespace) -> None:
    data = {
        "situation": w.situation,
        "host_country": Country.objects.get(iso3="TUR"),
        "narrative": "Not a host here.",
    }
    with pytest.raises(ValidationError) as exc:
        services.do_create_update(data, actor=w.users["admin"])
    assert "host_country" in exc.value.message_dict
    data["host_country"] = w.jor
    update = services.do_create_update({**data, "legal_status": 4}, actor=w.users["admin"])
    assert update.host_country == w.jor


def test_ratings_are_1_to_5(w: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_update_update(w.public_update, {"access_to_work": 6}, actor=w.users["ngo"])
    assert "access_to_work" in exc.value.message_dict
    assert HostCountryUpdate.objects.get(pk=w.public_update.pk).access_to_work == 1


def test_host_countries(w: SimpleNamespace) -> None:
    hosts, anywhere = services.host_countries(w.situation)
    assert {c.iso3 for c in hosts} == {"LBN", "JOR"}
    assert anywhere is False
