"""Business rules for commitments, pledges and their progress updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.commitments.models import Commitment, CommitmentUpdate, Supporter
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import save_with_audit
from resettle.directory.models import Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.models import Meeting

# ---- reads -------------------------------------------------------------------


def get_commitment_for_user(pk: int | str, user: Any) -> Commitment:
    """A commitment the user may see (404 otherwise, whether absent or hidden)."""
    return get_visible(Commitment, user, pk=pk)


def get_supporter_for_user(pk: int | str, user: Any) -> Supporter:
    """A GROW supporter the user may see (404 otherwise, whether absent or hidden)."""
    return get_visible(Supporter, user, pk=pk)


# ---- rules -------------------------------------------------------------------


def _active(user: Any) -> User | None:
    u = as_user(user)
    return u if u is not None and u.is_active else None


def acts_for_all(user: Any) -> bool:
    """Administrators and UNHCR staff may commit and report for any organisation."""
    u = _active(user)
    return u is not None and (u.is_platform_admin or u.role == Role.UNHCR)


def can_create_commitment(user: Any) -> bool:
    """Users with an organisation (for it), administrators and UNHCR."""
    u = _active(user)
    return u is not None and (acts_for_all(u) or u.organisation_id is not None)


def can_edit_commitment(user: Any, commitment: Commitment) -> bool:
    """Users of a committing organisation, administrators and UNHCR."""
    u = _active(user)
    if u is None:
        return False
    if acts_for_all(u):
        return True
    org = u.organisation_id
    return org is not None and commitment.organisations.filter(pk=org).exists()


def can_edit_commitment_supporter(user: Any, supporter: Supporter) -> bool:
    """Administrators and UNHCR (who run GROW), and the supporter organisation's users."""
    u = _active(user)
    if u is None:
        return False
    if acts_for_all(u):
        return True
    return u.organisation_id is not None and supporter.organisation_id == u.organisation_id


def can_add_progress_update(user: Any, commitment: Commitment) -> bool:
    """Who reports progress: the same people who may edit the commitment."""
    return can_edit_commitment(user, commitment)


# ---- validation helpers --------------------------------------------------------


_M2M = ("organisations",)


def _split(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k not in _M2M}
    m2m = {k: list(v) for k, v in data.items() if k in _M2M}
    return fields, m2m


def _check_organisations(
    actor: User,
    new: Iterable[Organisation],
    current: Iterable[Organisation] = (),
    *,
    supporter: Supporter | None = None,
) -> None:
    """At least one organisation (a GROW supporter may stand alone: an individual has
    no organisation); a user names (adds or removes) only their own."""
    new_ids = {o.pk for o in new}
    if not new_ids and supporter is None:
        raise ValidationError({"organisations": _("Name at least one committing organisation.")})
    if acts_for_all(actor):
        return
    changed = new_ids ^ {o.pk for o in current}
    if changed - {actor.organisation_id}:
        raise ValidationError(
            {
                "organisations": _(
                    "You may only commit your own organisation; ask UNHCR or an "
                    "administrator to record a joint commitment."
                )
            }
        )


def _check_visible_links(
    actor: User, fields: Mapping[str, Any], current: Commitment | None = None
) -> None:
    """A forum, cycle or meeting newly linked must be one the actor may see."""
    links: tuple[tuple[str, type[models.Model]], ...] = (
        ("forum", Forum),
        ("cycle", ConsultationCycle),
        ("meeting", Meeting),
    )
    for name, model in links:
        obj = fields.get(name)
        if obj is None or (current is not None and getattr(current, f"{name}_id") == obj.pk):
            continue
        manager: Any = model._default_manager
        if not manager.visible_to(actor).filter(pk=obj.pk).exists():
            raise ValidationError({name: _("Choose one you may see.")})


def _fill_forum(fields: dict[str, Any]) -> None:
    """A cycle or meeting implies its forum: fill it in when left empty."""
    if fields.get("forum") is not None:
        return
    meeting, cycle = fields.get("meeting"), fields.get("cycle")
    if meeting is not None:
        fields["forum"] = meeting.forum
        if cycle is None and meeting.cycle_id:
            fields["cycle"] = meeting.cycle
    elif cycle is not None:
        fields["forum"] = cycle.forum


def _check_supporter(actor: User, fields: Mapping[str, Any], current: Commitment | None) -> None:
    """A GROW supporter newly named must be one the actor may act for: any, for
    administrators and UNHCR; otherwise only one of the actor's own organisation."""
    supporter = fields.get("supporter")
    if supporter is None or (current is not None and current.supporter_id == supporter.pk):
        return
    if acts_for_all(actor):
        return
    if actor.organisation_id is None or supporter.organisation_id != actor.organisation_id:
        raise ValidationError(
            {"supporter": _("Name your own organisation's supporter record, or ask UNHCR.")}
        )


# ---- writes ------------------------------------------------------------------


@transaction.atomic
def do_create_commitment(data: Mapping[str, Any], *, actor: User) -> Commitment:
    """Record a commitment for one's own organisation (or any, for admin and UNHCR)."""
    require(can_create_commitment(actor), "commitment")
    fields, m2m = _split(data)
    _check_supporter(actor, fields, None)
    _check_organisations(actor, m2m.get("organisations", []), supporter=fields.get("supporter"))
    _fill_forum(fields)
    _check_visible_links(actor, fields)
    supporter = fields.get("supporter")
    if supporter is not None and supporter.organisation is not None:
        # The supporter's organisation commits: its users follow and report progress.
        orgs = list(m2m.get("organisations", []))
        if supporter.organisation not in orgs:
            m2m["organisations"] = [*orgs, supporter.organisation]
    fields.pop("last_update_at", None)  # only a progress update sets it
    fields.update(created_by=actor, created_at=timezone.now())
    return save_with_audit(Commitment(), fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_update_commitment(
    commitment: Commitment, data: Mapping[str, Any], *, actor: User
) -> Commitment:
    """Change a commitment's details; its status changes through progress updates."""
    require(can_edit_commitment(actor, commitment), "commitment")
    fields, m2m = _split(data)
    if "status" in fields and fields["status"] != commitment.status:
        raise ValidationError(
            {"status": _("Change the status by adding a progress update, so it is on record.")}
        )
    for name in ("created_by", "created_at", "last_update_at"):
        fields.pop(name, None)
    _check_supporter(actor, fields, commitment)
    if "organisations" in m2m:
        supporter = fields.get("supporter", commitment.supporter)
        _check_organisations(
            actor, m2m["organisations"], commitment.organisations.all(), supporter=supporter
        )
    _fill_forum(fields)
    _check_visible_links(actor, fields, commitment)
    return save_with_audit(commitment, fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_add_progress_update(
    commitment: Commitment, data: Mapping[str, Any], *, actor: User
) -> CommitmentUpdate:
    """Report progress: the update is kept in the history, and the commitment takes its
    status and the time of this report (which restarts the reporting interval)."""
    require(can_add_progress_update(actor, commitment), "commitment")
    fields = {
        k: v for k, v in data.items() if k in ("date", "status", "progress", "progress_number")
    }
    fields.setdefault("date", timezone.localdate())
    update = save_with_audit(
        CommitmentUpdate(), {**fields, "commitment": commitment, "author": actor}, actor=actor
    )
    save_with_audit(
        commitment,
        {"status": update.status, "last_update_at": timezone.now()},
        actor=actor,
    )
    return update


@transaction.atomic
def do_create_supporter(data: Mapping[str, Any], *, actor: User) -> Supporter:
    """Add a GROW supporter (administrators and UNHCR, who run GROW)."""
    require(acts_for_all(actor), "supporter")
    return save_with_audit(Supporter(), dict(data), actor=actor)


@transaction.atomic
def do_update_supporter(supporter: Supporter, data: Mapping[str, Any], *, actor: User) -> Supporter:
    """Change a GROW supporter's record (its organisation stays, except for admin and UNHCR)."""
    require(can_edit_commitment_supporter(actor, supporter), "supporter")
    fields = dict(data)
    if not acts_for_all(actor):
        fields.pop("organisation", None)
    return save_with_audit(supporter, fields, actor=actor)
