"""Business rules for the directory: who may change which record, and audited writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from resettle.accounts.models import User
from resettle.accounts.roles import Capability, Role
from resettle.core.access import get_visible, require, require_capability
from resettle.core.audit import save_with_audit
from resettle.directory.models import (
    Country,
    Organisation,
    OrganisationKind,
    Person,
    StateProfile,
)

# ---- reads -------------------------------------------------------------------


def get_country_for_user(iso3: str, user: Any) -> Country:
    """A country by ISO alpha-3 code (404 when unknown)."""
    return get_visible(Country, user, iso3=iso3.upper())


def get_organisation_for_user(pk: int, user: Any) -> Organisation:
    """An organisation the user may see (404 otherwise)."""
    return get_visible(Organisation, user, pk=pk)


def get_person_for_user(pk: int, user: Any) -> Person:
    """A contact the user may see (404 otherwise)."""
    return get_visible(Person, user, pk=pk)


# ---- rules -------------------------------------------------------------------


def can_manage_organisation(user: User | None, org: Organisation | None) -> bool:
    """Users edit their own organisation and the records it maintains."""
    if user is None or not user.is_active or org is None:
        return False
    if user.is_platform_admin:
        return True
    own = user.organisation_id
    return own is not None and own in (org.pk, org.maintained_by_id)


def can_edit_person(user: User | None, person: Person) -> bool:
    """Contacts are edited by whoever manages their organisation."""
    return can_manage_organisation(user, person.organisation)


def can_edit_state_profile(user: User | None, country: Country) -> bool:
    """Administrators and UNHCR staff, or officials of that State's government."""
    if user is None or not user.can(Capability.EDIT_STATE_PROFILE):
        return False
    if user.is_platform_admin or user.role == Role.UNHCR:
        return True
    org = user.organisation
    return org is not None and org.kind == OrganisationKind.STATE and org.country_id == country.pk


# ---- writes ------------------------------------------------------------------


@transaction.atomic
def do_create_organisation(data: Mapping[str, Any], *, actor: User) -> Organisation:
    """Add an organisation; the actor's organisation maintains the record."""
    require_capability(actor, Capability.CREATE_ORGANISATION)
    fields = dict(data)
    fields.setdefault("maintained_by", actor.organisation)
    return save_with_audit(Organisation(), fields, actor=actor)


@transaction.atomic
def do_update_organisation(
    org: Organisation, data: Mapping[str, Any], *, actor: User
) -> Organisation:
    """Change an organisation the actor manages."""
    require(can_manage_organisation(actor, org), "organisation")
    fields = dict(data)
    if not actor.is_platform_admin:
        fields.pop("maintained_by", None)  # only administrators reassign stewardship
    return save_with_audit(org, fields, actor=actor)


@transaction.atomic
def do_create_person(data: Mapping[str, Any], *, actor: User) -> Person:
    """Add a contact to an organisation the actor manages."""
    require_capability(actor, Capability.CREATE_PERSON)
    org = data.get("organisation")
    if org is not None:  # a missing organisation is a validation error, raised below
        require(can_manage_organisation(actor, org), "organisation")
    return save_with_audit(Person(), data, actor=actor)


@transaction.atomic
def do_update_person(person: Person, data: Mapping[str, Any], *, actor: User) -> Person:
    """Change a contact; moving it needs rights over both organisations."""
    require(can_edit_person(actor, person), "person")
    new_org = data.get("organisation", person.organisation)
    if new_org is not None:  # no organisation is a validation error, raised below
        require(can_manage_organisation(actor, new_org), "organisation")
    return save_with_audit(person, data, actor=actor)


@transaction.atomic
def do_save_state_profile(
    country: Country, data: Mapping[str, Any], *, actor: User
) -> StateProfile:
    """Create or change the resettlement profile of a State."""
    require(can_edit_state_profile(actor, country), "state profile")
    profile = StateProfile.objects.filter(country=country).first() or StateProfile(country=country)
    return save_with_audit(profile, data, actor=actor)


@transaction.atomic
def do_update_country(country: Country, data: Mapping[str, Any], *, actor: User) -> Country:
    """Correct a country's UNHCR code or region (administrators only)."""
    require_capability(actor, Capability.MANAGE_COUNTRIES)
    return save_with_audit(country, data, actor=actor)


@transaction.atomic
def do_create_country(data: Mapping[str, Any], *, actor: User) -> Country:
    """Add a country or territory missing from ISO 3166-1 data (administrators only)."""
    require_capability(actor, Capability.MANAGE_COUNTRIES)
    return save_with_audit(Country(), data, actor=actor)
