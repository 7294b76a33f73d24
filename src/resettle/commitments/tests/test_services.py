"""Rules of commitments: who commits which organisation, who sees what, status and updates."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from resettle.commitments import services
from resettle.commitments.models import Commitment, CommitmentUpdate
from resettle.core.models import AuditEntry

from .conftest import MakeCommitment, at


def _data(w: SimpleNamespace, *orgs: object, **extra: object) -> dict[str, object]:
    return {"source": "pscg", "title": "Places for Syrians", "organisations": list(orgs), **extra}


def test_a_user_commits_their_own_organisation(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    c = services.do_create_commitment(_data(world, world.ngo_org), actor=ngo)
    assert list(c.organisations.all()) == [world.ngo_org]
    assert c.created_by == ngo and c.status == "planning" and c.last_update_at is None
    assert AuditEntry.objects.filter(object_id=str(c.pk)).count() == 1


def test_a_user_cannot_commit_another_organisation(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    for orgs in ([world.state_org], [world.ngo_org, world.state_org]):
        with pytest.raises(ValidationError) as err:
            services.do_create_commitment(_data(world, *orgs), actor=ngo)
        assert "organisations" in err.value.message_dict
    assert not Commitment.objects.exists()


def test_admin_and_unhcr_commit_any_organisations(world: SimpleNamespace) -> None:
    for role in ("admin", "unhcr"):
        c = services.do_create_commitment(
            _data(world, world.ngo_org, world.state_org, title=role), actor=world.users[role]
        )
        assert c.organisations.count() == 2


def test_at_least_one_organisation(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as err:
        services.do_create_commitment(_data(world), actor=world.users["admin"])
    assert "organisations" in err.value.message_dict


def test_an_admin_without_organisation_may_commit_but_a_user_needs_one(
    world: SimpleNamespace,
) -> None:
    assert services.can_create_commitment(world.users["admin"])
    assert not services.can_create_commitment(None)
    world.users["other"].organisation = None
    assert not services.can_create_commitment(world.users["other"])


def test_a_cycle_fills_in_its_forum_and_must_match_it(world: SimpleNamespace) -> None:
    c = services.do_create_commitment(
        _data(world, world.ngo_org, cycle=world.cycle), actor=world.users["ngo"]
    )
    assert c.forum == world.public_forum
    with pytest.raises(ValidationError) as err:
        services.do_create_commitment(
            _data(world, world.ngo_org, cycle=world.cycle, forum=world.members_forum),
            actor=world.users["ngo"],
        )
    assert "cycle" in err.value.message_dict


def test_a_forum_the_user_cannot_see_is_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as err:
        services.do_create_commitment(
            _data(world, world.other_org, forum=world.members_forum), actor=world.users["other"]
        )
    assert "forum" in err.value.message_dict


def test_target_number_needs_a_unit_and_grf_id_a_grf_pledge(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as err:
        services.do_create_commitment(
            _data(world, world.ngo_org, target_number=10, grf_pledge_id="GRF-1"),
            actor=world.users["ngo"],
        )
    assert {"target_unit", "grf_pledge_id"} <= set(err.value.message_dict)


def test_visibility_of_non_public_commitments(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    hidden = make_commitment(world.ngo_org, is_public=False, forum=world.members_forum)
    public = make_commitment(world.other_org, title="Public one")
    u = world.users
    seen = {role: set(Commitment.objects.visible_to(u[role])) for role in u}
    assert seen["anonymous"] == {public}
    # The committing NGO, the forum's organisers (UNHCR's secretariat), admin and UNHCR.
    for role in ("ngo", "admin", "unhcr"):
        assert hidden in seen[role], role
    # An ordinary member of the forum, and people from elsewhere, do not see it.
    for role in ("state", "refugee", "rsf", "other"):
        assert seen[role] == {public}, role
    with pytest.raises(Http404):
        services.get_commitment_for_user(hidden.pk, u["state"])
    with pytest.raises(Http404):
        services.get_commitment_for_user(99999, u["ngo"])
    assert services.get_commitment_for_user(hidden.pk, u["ngo"]) == hidden


def test_the_forums_chair_sees_non_public_commitments_made_in_it(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment(world.other_org, is_public=False, forum=world.public_forum)
    assert c in Commitment.objects.visible_to(world.users["state"])  # chairs the forum
    assert c not in Commitment.objects.visible_to(world.users["refugee"])  # ordinary member


def test_joint_commitment_listed_once(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    make_commitment(world.ngo_org, world.state_org, is_public=False)
    assert Commitment.objects.visible_to(world.users["ngo"]).count() == 1
    assert Commitment.objects.of_organisation(world.ngo_org).count() == 1


def test_update_rights_and_organisations(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment(world.ngo_org, world.state_org)
    services.do_update_commitment(c, {"title": "Changed"}, actor=world.users["state"])
    assert Commitment.objects.get(pk=c.pk).title == "Changed"
    with pytest.raises(PermissionDenied):
        services.do_update_commitment(c, {"title": "No"}, actor=world.users["other"])
    # The NGO may withdraw itself from the joint commitment, not add or remove others.
    with pytest.raises(ValidationError):
        services.do_update_commitment(
            c, {"organisations": [world.ngo_org, world.other_org]}, actor=world.users["ngo"]
        )
    with pytest.raises(ValidationError):
        # Removing the State from the joint commitment is not the NGO's to do.
        services.do_update_commitment(
            c, {"organisations": [world.ngo_org]}, actor=world.users["ngo"]
        )
    services.do_update_commitment(c, {"organisations": [world.state_org]}, actor=world.users["ngo"])
    assert list(c.organisations.all()) == [world.state_org]


def test_status_changes_only_through_progress_updates(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment()
    with pytest.raises(ValidationError) as err:
        services.do_update_commitment(c, {"status": "fulfilled"}, actor=world.users["admin"])
    assert "status" in err.value.message_dict


def test_progress_update_sets_status_and_last_update(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment(created_at=at(timezone.localdate() - datetime.timedelta(days=400)))
    assert c.is_overdue()
    before = AuditEntry.objects.count()
    update = services.do_add_progress_update(
        c,
        {"status": "in_progress", "progress": "Half-way.", "progress_number": 50},
        actor=world.users["ngo"],
    )
    c.refresh_from_db()
    assert c.status == "in_progress" and c.last_update_at is not None
    assert timezone.localdate(c.last_update_at) == timezone.localdate()
    assert update.author == world.users["ngo"] and update.date == timezone.localdate()
    assert not c.is_overdue()
    assert AuditEntry.objects.count() == before + 2  # the update, and the commitment's change
    for role in ("state", "other", "refugee"):
        with pytest.raises(PermissionDenied):
            services.do_add_progress_update(
                c, {"status": "fulfilled", "progress": "x"}, actor=world.users[role]
            )
    assert CommitmentUpdate.objects.count() == 1


def test_progress_update_cannot_be_dated_in_the_future(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        services.do_add_progress_update(
            c,
            {"status": "in_progress", "progress": "x", "date": tomorrow},
            actor=world.users["ngo"],
        )
    assert "date" in err.value.message_dict
    c.refresh_from_db()
    assert c.status == "planning" and c.last_update_at is None


@override_settings(COMMITMENT_UPDATE_DAYS=30)
def test_overdue_with_fixed_dates(world: SimpleNamespace, make_commitment: MakeCommitment) -> None:
    today = datetime.date(2025, 7, 1)
    never = make_commitment(title="never updated", created_at=at(datetime.date(2025, 5, 31)))
    on_time = make_commitment(title="due today", created_at=at(datetime.date(2025, 6, 1)))
    updated = make_commitment(
        title="updated",
        created_at=at(datetime.date(2024, 1, 1)),
        last_update_at=at(datetime.date(2025, 6, 15)),
    )
    late = make_commitment(
        title="late",
        created_at=at(datetime.date(2024, 1, 1)),
        last_update_at=at(datetime.date(2025, 5, 1)),
        status="in_progress",
    )
    done = make_commitment(
        title="fulfilled", created_at=at(datetime.date(2024, 1, 1)), status="fulfilled"
    )
    gone = make_commitment(
        title="withdrawn", created_at=at(datetime.date(2024, 1, 1)), status="withdrawn"
    )
    assert never.next_update_due() == datetime.date(2025, 6, 30)
    assert on_time.next_update_due() == datetime.date(2025, 7, 1)
    assert late.next_update_due() == datetime.date(2025, 5, 31)
    expected = {never, late}
    assert set(Commitment.objects.overdue(today)) == expected
    for c in (never, on_time, updated, late, done, gone):
        assert c.is_overdue(today) == (c in expected), c.title
    assert set(Commitment.objects.not_overdue(today)) == {on_time, updated, done, gone}
