"""Forum services: who may write what, and every write audited in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Organisation
from resettle.forums import services
from resettle.forums.models import ConsultationCycle, Forum, ForumKind, Membership


def _rows() -> tuple[int, int, int, int]:
    return (
        Forum.objects.count(),
        Membership.objects.count(),
        ConsultationCycle.objects.count(),
        AuditEntry.objects.count(),
    )


def _only_entry(obj: Any) -> AuditEntry:
    [entry] = AuditEntry.objects.for_object(obj)
    return entry


# ---- rights ----------------------------------------------------------------------------


def test_who_may_edit_a_forum(world: SimpleNamespace) -> None:
    u = world.users
    allowed = {
        role for role, user in u.items() if services.can_edit_forum(user, world.public_forum)
    }
    assert allowed == {"admin", "unhcr", "state"}  # admin, secretariat, chair
    allowed = {
        role for role, user in u.items() if services.can_edit_forum(user, world.members_forum)
    }
    assert allowed == {"admin", "unhcr", "ngo"}  # the NGO co-chairs it


def test_a_leading_role_that_ended_no_longer_edits(world: SimpleNamespace) -> None:
    ngo = world.users["ngo"]
    Membership.objects.filter(forum=world.members_forum, organisation=world.ngo_org).update(
        end_date=world.members_membership.start_date
    )
    assert not services.can_edit_forum(ngo, world.members_forum)


def test_inactive_users_edit_nothing(world: SimpleNamespace) -> None:
    admin = world.users["admin"]
    admin.is_active = False
    assert not services.can_edit_forum(admin, world.public_forum)
    assert not services.can_edit_cycle(admin, world.cycle)
    assert not services.can_edit_forum(None, world.public_forum)


def test_who_may_edit_a_cycle(world: SimpleNamespace) -> None:
    allowed = {
        role for role, user in world.users.items() if services.can_edit_cycle(user, world.cycle)
    }
    # Planners (admin, UNHCR), the consultation's chair, and both co-chairs.
    assert allowed == {"admin", "unhcr", "state", "ngo"}


def test_reads_are_404_for_hidden_and_absent_alike(world: SimpleNamespace) -> None:
    other = world.users["other"]
    for pk in (world.members_forum.pk, 999999, "nonsense"):
        with pytest.raises(Http404):
            services.get_forum_for_user(pk, other)  # type: ignore[arg-type]
    with pytest.raises(Http404):
        services.get_membership_for_user(world.members_membership.pk, None)
    assert services.get_forum_for_user(world.members_forum.pk, world.users["ngo"])
    assert services.get_cycle_for_user(world.cycle.pk, None) == world.cycle


# ---- refusals write nothing ---------------------------------------------------------------


def _forum_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"name": "Core Group", "kind": ForumKind.CORE_GROUP, "chairs": [w.state_org]}


def _membership_data(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "forum": w.public_forum,
        "organisation": w.other_org,
        "role": "observer",
        "start_date": w.today,
    }


def _cycle_data(w: SimpleNamespace, **changes: Any) -> dict[str, Any]:
    year = w.cycle.start_year + 1
    data = {
        "forum": w.public_forum,
        "start_year": year,
        "end_year": year,
        "state": w.deu,
        "government_cochair": w.state_org,
        "ngo_cochair": w.ngo_org,
        "theme": "Pathways",
    }
    return {**data, **changes}


REFUSED: list[tuple[str, str, Callable[[SimpleNamespace, Any], Any]]] = [
    # (role, what, the call)
    ("ngo", "create forum", lambda w, u: services.do_create_forum(_forum_data(w), actor=u)),
    ("state", "create forum", lambda w, u: services.do_create_forum(_forum_data(w), actor=u)),
    (
        "ngo",
        "update public forum",
        lambda w, u: services.do_update_forum(w.public_forum, {"description": "x"}, actor=u),
    ),
    (
        "state",
        "update working group",
        lambda w, u: services.do_update_forum(w.members_forum, {"description": "x"}, actor=u),
    ),
    (
        "refugee",
        "add member",
        lambda w, u: services.do_create_membership(_membership_data(w), actor=u),
    ),
    (
        "ngo",
        "update membership",
        lambda w, u: services.do_update_membership(w.public_membership, {"notes": "x"}, actor=u),
    ),
    (
        "state",
        "move membership to a forum it does not run",
        lambda w, u: services.do_update_membership(
            w.public_membership, {"forum": w.members_forum}, actor=u
        ),
    ),
    (
        "rsf",
        "delete membership",
        lambda w, u: services.do_delete_membership(w.public_membership, actor=u),
    ),
    ("ngo", "plan cycle", lambda w, u: services.do_create_cycle(_cycle_data(w), actor=u)),
    (
        "other",
        "update cycle",
        lambda w, u: services.do_update_cycle(w.cycle, {"theme": "x"}, actor=u),
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
    world.public_forum.refresh_from_db()
    assert world.public_forum.description == ""


# ---- successful writes: one audit entry each -------------------------------------------


def test_create_forum_audits_fields_and_chairs(world: SimpleNamespace) -> None:
    unhcr = world.users["unhcr"]
    forum = services.do_create_forum(
        {**_forum_data(world), "secretariat": [world.unhcr_org]}, actor=unhcr
    )
    assert list(forum.chairs.all()) == [world.state_org]
    entry = _only_entry(forum)
    assert (entry.action, entry.actor, entry.actor_repr, entry.before) == (
        AuditAction.CREATE,
        unhcr,
        "unhcr",
        None,
    )
    assert entry.after is not None
    assert entry.after["name"] == "Core Group"
    assert entry.after["chairs"] == [world.state_org.pk]
    assert entry.after["secretariat"] == [world.unhcr_org.pk]
    assert entry.after["terms_document"] is None


def test_update_forum_records_before_and_after(world: SimpleNamespace) -> None:
    state = world.users["state"]
    services.do_update_forum(
        world.public_forum,
        {"description": "Annual consultations", "chairs": [world.ngo_org]},
        actor=state,
    )
    entry = _only_entry(world.public_forum)
    assert entry.action == AuditAction.UPDATE and entry.actor == state
    assert entry.before is not None and entry.after is not None
    assert (entry.before["description"], entry.after["description"]) == (
        "",
        "Annual consultations",
    )
    assert (entry.before["chairs"], entry.after["chairs"]) == (
        [world.state_org.pk],
        [world.ngo_org.pk],
    )
    assert ("description", "", "Annual consultations") in entry.changes()


def test_an_update_that_changes_nothing_records_nothing(world: SimpleNamespace) -> None:
    services.do_update_forum(world.public_forum, {"description": ""}, actor=world.users["admin"])
    assert not AuditEntry.objects.exists()


def test_membership_create_update_delete(world: SimpleNamespace, today: datetime.date) -> None:
    state = world.users["state"]
    m = services.do_create_membership({**_membership_data(world), "start_date": today}, actor=state)
    assert _only_entry(m).action == AuditAction.CREATE
    end = today + datetime.timedelta(days=365)
    services.do_update_membership(m, {"end_date": end}, actor=state)
    update = AuditEntry.objects.for_object(m).get(action=AuditAction.UPDATE)
    assert update.before is not None and update.after is not None
    assert (update.before["end_date"], update.after["end_date"]) == (None, end.isoformat())
    pk = m.pk
    services.do_delete_membership(m, actor=state)
    assert not Membership.objects.filter(pk=pk).exists()
    deleted = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert deleted.object_id == str(pk) and deleted.after is None
    assert deleted.before is not None and deleted.before["organisation_id"] == world.other_org.pk


def test_cycle_create_and_update_by_a_cochair(world: SimpleNamespace) -> None:
    cycle = services.do_create_cycle(_cycle_data(world), actor=world.users["state"])
    assert _only_entry(cycle).actor == world.users["state"]
    ngo = world.users["ngo"]
    services.do_update_cycle(cycle, {"theme": "Sponsorship"}, actor=ngo)
    update = AuditEntry.objects.for_object(cycle).get(action=AuditAction.UPDATE)
    assert update.actor == ngo
    assert update.before is not None and update.after is not None
    assert (update.before["theme"], update.after["theme"]) == ("Pathways", "Sponsorship")


# ---- invalid writes: nothing written, no entry -----------------------------------------


def test_cycle_with_ngo_from_another_state_writes_nothing(world: SimpleNamespace) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.do_create_cycle(
            _cycle_data(world, ngo_cochair=world.other_org), actor=world.users["unhcr"]
        )
    assert "ngo_cochair" in exc.value.message_dict
    assert _rows() == before


def test_invalid_update_leaves_row_and_log_unchanged(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_update_membership(
            world.public_membership,
            {"end_date": world.public_membership.start_date - datetime.timedelta(days=1)},
            actor=world.users["admin"],
        )
    assert "end_date" in exc.value.message_dict
    world.public_membership.refresh_from_db()
    assert world.public_membership.end_date is None
    assert not AuditEntry.objects.exists()


def test_membership_without_forum_or_member_is_a_validation_error(world: SimpleNamespace) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.do_create_membership(
            {"role": "member", "start_date": world.today}, actor=world.users["state"]
        )
    assert {"forum", "organisation"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.do_update_membership(
            world.public_membership, {"forum": None}, actor=world.users["state"]
        )
    assert "forum" in exc.value.message_dict
    assert _rows() == before


def test_a_write_that_fails_after_saving_is_rolled_back_whole(world: SimpleNamespace) -> None:
    """The forum row is inserted before its chairs are set; when setting them fails,
    the service's transaction takes the row back, and no entry is left."""
    before = _rows()
    unsaved = Organisation(name="Not saved", kind="ngo")
    with pytest.raises(ValueError, match=r"Cannot add .*Not saved"):
        services.do_create_forum(
            {**_forum_data(world), "chairs": [unsaved]}, actor=world.users["admin"]
        )
    assert _rows() == before
    assert not Forum.objects.filter(name="Core Group").exists()
