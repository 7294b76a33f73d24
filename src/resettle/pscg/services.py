"""Business rules of the PSCG's work: targets, practice exchanges, host-country updates.

Editors are the PSCG forum's editors, administrators and UNHCR staff
(pscg.access.can_edit_pscg). Every write is audited in its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.directory.models import Country
from resettle.needs.models import PrioritySituation, SituationArea
from resettle.pscg.access import can_edit_pscg
from resettle.pscg.models import HostCountryUpdate, PracticeExchange, SituationTarget

__all__ = [
    "can_edit_pscg",
    "do_create_practice",
    "do_create_target",
    "do_create_update",
    "do_delete_practice",
    "do_delete_target",
    "do_delete_update",
    "do_update_practice",
    "do_update_target",
    "do_update_update",
    "get_practice_for_user",
    "get_situation_for_user",
    "get_target_for_user",
    "get_update_for_user",
    "host_countries",
]

# ---- reads -------------------------------------------------------------------------------


def get_situation_for_user(pk: int | str, user: Any) -> PrioritySituation:
    """A priority situation (public reference data; 404 when absent)."""
    return get_visible(PrioritySituation, user, pk=pk)


def get_target_for_user(pk: int | str, user: Any) -> SituationTarget:
    """A situation target (public; 404 when absent)."""
    return get_visible(SituationTarget, user, pk=pk)


def get_practice_for_user(pk: int | str, user: Any) -> PracticeExchange:
    """A practice exchange the user may read (404 when absent or members-only)."""
    return get_visible(PracticeExchange, user, pk=pk)


def get_update_for_user(pk: int | str, user: Any) -> HostCountryUpdate:
    """A host-country update the user may read (404 when absent or members-only)."""
    return get_visible(HostCountryUpdate, user, pk=pk)


def host_countries(situation: PrioritySituation) -> tuple[list[Country], bool]:
    """The situation's countries of asylum, and whether it also covers its populations
    in any country (an area without a country of asylum)."""
    areas = SituationArea.objects.filter(situation=situation)
    ids = {a for a in areas.values_list("asylum_id", flat=True) if a is not None}
    anywhere = areas.filter(asylum__isnull=True).exists()
    return list(Country.objects.filter(pk__in=ids).order_by("name_en")), anywhere


# ---- targets -----------------------------------------------------------------------------


@transaction.atomic
def do_create_target(data: Mapping[str, Any], *, actor: User) -> SituationTarget:
    """Set a situation's target of places for a year."""
    require(can_edit_pscg(actor), "pscg")
    return save_with_audit(SituationTarget(), data, actor=actor)


@transaction.atomic
def do_update_target(
    target: SituationTarget, data: Mapping[str, Any], *, actor: User
) -> SituationTarget:
    """Change a target (its places, year or note)."""
    require(can_edit_pscg(actor), "pscg")
    return save_with_audit(target, data, actor=actor)


@transaction.atomic
def do_delete_target(target: SituationTarget, *, actor: User) -> None:
    """Remove a target set in error."""
    require(can_edit_pscg(actor), "pscg")
    delete_with_audit(target, actor=actor)


# ---- practice exchanges ----------------------------------------------------------------


def _split_practice(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in data.items() if k != "organisations"}
    m2m = {"organisations": data["organisations"]} if "organisations" in data else {}
    return fields, m2m


@transaction.atomic
def do_create_practice(data: Mapping[str, Any], *, actor: User) -> PracticeExchange:
    """Record a practice exchanged on processing or adjudication."""
    require(can_edit_pscg(actor), "pscg")
    fields, m2m = _split_practice(data)
    return save_with_audit(PracticeExchange(), fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_update_practice(
    practice: PracticeExchange, data: Mapping[str, Any], *, actor: User
) -> PracticeExchange:
    """Change a practice exchange."""
    require(can_edit_pscg(actor), "pscg")
    fields, m2m = _split_practice(data)
    return save_with_audit(practice, fields, actor=actor, m2m=m2m)


@transaction.atomic
def do_delete_practice(practice: PracticeExchange, *, actor: User) -> None:
    """Remove a practice exchange recorded in error."""
    require(can_edit_pscg(actor), "pscg")
    delete_with_audit(practice, actor=actor)


# ---- host-country updates -------------------------------------------------------------


def _check_host(data: Mapping[str, Any], update: HostCountryUpdate | None) -> None:
    """The host country must be one of the situation's countries of asylum, unless the
    situation covers its populations in any country."""
    situation = data.get("situation", update.situation if update else None)
    country = data.get("host_country", update.host_country if update else None)
    if situation is None or country is None:
        return  # the model's validation names the missing field
    hosts, anywhere = host_countries(situation)
    if not anywhere and country not in hosts:
        raise ValidationError(
            {
                "host_country": _(
                    "%(country)s is not a host country of this situation (%(hosts)s)."
                )
                % {"country": country, "hosts": ", ".join(str(c) for c in hosts) or "—"}
            }
        )


@transaction.atomic
def do_create_update(data: Mapping[str, Any], *, actor: User) -> HostCountryUpdate:
    """Record the protection environment and solutions in a host country."""
    require(can_edit_pscg(actor), "pscg")
    _check_host(data, None)
    return save_with_audit(HostCountryUpdate(), data, actor=actor)


@transaction.atomic
def do_update_update(
    update: HostCountryUpdate, data: Mapping[str, Any], *, actor: User
) -> HostCountryUpdate:
    """Change a host-country update."""
    require(can_edit_pscg(actor), "pscg")
    _check_host(data, update)
    return save_with_audit(update, data, actor=actor)


@transaction.atomic
def do_delete_update(update: HostCountryUpdate, *, actor: User) -> None:
    """Remove a host-country update recorded in error."""
    require(can_edit_pscg(actor), "pscg")
    delete_with_audit(update, actor=actor)
