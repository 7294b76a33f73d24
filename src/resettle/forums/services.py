"""Business rules for forums, memberships and consultation cycles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from resettle.accounts.models import User
from resettle.accounts.roles import Capability
from resettle.core.access import get_visible, require, require_capability
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.forums.models import (
    LEADING_ROLES,
    ConsultationCycle,
    Forum,
    Membership,
)

# ---- reads -------------------------------------------------------------------


def get_forum_for_user(pk: int | str, user: Any) -> Forum:
    """A forum the user may see (404 otherwise)."""
    return get_visible(Forum, user, pk=pk)


def get_membership_for_user(pk: int, user: Any) -> Membership:
    """A membership of a forum the user may see (404 otherwise)."""
    return get_visible(Membership, user, pk=pk)


def get_cycle_for_user(pk: int, user: Any) -> ConsultationCycle:
    """A consultation cycle the user may see (404 otherwise)."""
    return get_visible(ConsultationCycle, user, pk=pk)


# ---- rules -------------------------------------------------------------------


def can_edit_forum(user: User | None, forum: Forum) -> bool:
    """Administrators, and the organisations that chair or run the forum's secretariat."""
    if user is None or not user.is_active:
        return False
    if user.is_platform_admin:
        return True
    org = user.organisation_id
    if org is None:
        return False
    if forum.chairs.filter(pk=org).exists() or forum.secretariat.filter(pk=org).exists():
        return True
    return forum.memberships.current().filter(organisation=org, role__in=LEADING_ROLES).exists()


def can_edit_cycle(user: User | None, cycle: ConsultationCycle) -> bool:
    """Those who run the consultation, those who plan cycles, and the cycle's co-chairs."""
    if user is None or not user.is_active:
        return False
    if user.can(Capability.MANAGE_CYCLES) or can_edit_forum(user, cycle.forum):
        return True
    org = user.organisation_id
    return org is not None and org in (cycle.government_cochair_id, cycle.ngo_cochair_id)


# ---- writes ------------------------------------------------------------------

_FORUM_M2M = ("chairs", "secretariat")


def _split_m2m(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in _FORUM_M2M}
    m2m = {k: v for k, v in data.items() if k in _FORUM_M2M}
    return fields, m2m


@transaction.atomic
def do_create_forum(data: Mapping[str, Any], *, actor: User) -> Forum:
    """Set up a forum (administrators and UNHCR staff)."""
    require_capability(actor, Capability.CREATE_FORUM)
    fields, m2m = _split_m2m(data)
    return save_with_audit(Forum(), fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_update_forum(forum: Forum, data: Mapping[str, Any], *, actor: User) -> Forum:
    """Change a forum the actor chairs or runs."""
    require(can_edit_forum(actor, forum), "forum")
    fields, m2m = _split_m2m(data)
    return save_with_audit(forum, fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_create_membership(data: Mapping[str, Any], *, actor: User) -> Membership:
    """Add a member to a forum the actor chairs or runs."""
    forum = data.get("forum")
    if forum is not None:
        require(can_edit_forum(actor, forum), "forum")
    return save_with_audit(Membership(), data, actor=actor)


@transaction.atomic
def do_update_membership(
    membership: Membership, data: Mapping[str, Any], *, actor: User
) -> Membership:
    """Change a membership (its role or mandate) in a forum the actor runs."""
    require(can_edit_forum(actor, membership.forum), "forum")
    new_forum = data.get("forum", membership.forum)
    if new_forum is not None:  # no forum is a validation error, raised below
        require(can_edit_forum(actor, new_forum), "forum")
    return save_with_audit(membership, data, actor=actor)


@transaction.atomic
def do_delete_membership(membership: Membership, *, actor: User) -> None:
    """Remove a membership recorded in error (an ended mandate should get an end date)."""
    require(can_edit_forum(actor, membership.forum), "forum")
    delete_with_audit(membership, actor=actor)


@transaction.atomic
def do_create_cycle(data: Mapping[str, Any], *, actor: User) -> ConsultationCycle:
    """Plan a consultation cycle with its State and NGO co-chairs."""
    forum = data.get("forum")
    allowed = actor.can(Capability.MANAGE_CYCLES) or (
        forum is not None and can_edit_forum(actor, forum)
    )
    require(allowed, "cycle")
    return save_with_audit(ConsultationCycle(), data, actor=actor)


@transaction.atomic
def do_update_cycle(
    cycle: ConsultationCycle, data: Mapping[str, Any], *, actor: User
) -> ConsultationCycle:
    """Change a cycle (its co-chairs, theme or years)."""
    require(can_edit_cycle(actor, cycle), "cycle")
    return save_with_audit(cycle, data, actor=actor)
