"""The roles a user account can hold, and what each role may do.

Roles say *what kind* of thing a user may do; whether they may do it to a
given object is decided by ownership (their organisation) and forum roles, in
each app's `visible_to` querysets and services.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role on the platform."""

    ADMIN = "admin", _("Platform administrator")
    UNHCR = "unhcr", _("UNHCR staff")
    STATE = "state", _("State official")
    NGO = "ngo", _("NGO staff")
    REFUGEE = "refugee", _("Refugee representative")
    RSF = "rsf", _("RSF staff")


# The staff of the organisations that run the platform and the resettlement
# process: platform administrators (every record, the Django admin), UNHCR
# (referrals, imports, every case file) and the Resettlement Support Facility
# (refugees' personal and medical data in the case pipeline). Their accounts
# are the most valuable to an intruder, so multi-factor authentication is
# required of them by default (RESETTLE_MFA_REQUIRED_ROLES). State officials,
# NGO staff and refugee representatives may turn it on; a deployment can
# require it of them too.
STAFF_ROLES: tuple[str, ...] = ("admin", "unhcr", "rsf")


class Capability(models.TextChoices):
    """Things a role allows, independent of any particular object."""

    CREATE_ORGANISATION = "create_organisation", _("Create organisations")
    CREATE_PERSON = "create_person", _("Create contacts")
    CREATE_FORUM = "create_forum", _("Create forums")
    MANAGE_CYCLES = "manage_cycles", _("Plan consultation cycles")
    EDIT_STATE_PROFILE = "edit_state_profile", _("Edit resettlement State profiles")
    MANAGE_COUNTRIES = "manage_countries", _("Edit countries")
    IMPORT_DATA = "import_data", _("Import needs, pledges and departures")


_ALL = frozenset(Role)

ROLE_CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.CREATE_ORGANISATION: frozenset(
        {Role.ADMIN, Role.UNHCR, Role.STATE, Role.NGO, Role.RSF, Role.REFUGEE}
    ),
    Capability.CREATE_PERSON: _ALL,
    # Forums are set up by the platform and UNHCR, which supports or runs the
    # secretariat of each of them.
    Capability.CREATE_FORUM: frozenset({Role.ADMIN, Role.UNHCR}),
    Capability.MANAGE_CYCLES: frozenset({Role.ADMIN, Role.UNHCR}),
    Capability.EDIT_STATE_PROFILE: frozenset({Role.ADMIN, Role.UNHCR, Role.STATE}),
    Capability.MANAGE_COUNTRIES: frozenset({Role.ADMIN}),
    # Datasets (PGRN needs, pledges, departures) are UNHCR's figures.
    Capability.IMPORT_DATA: frozenset({Role.ADMIN, Role.UNHCR}),
}


def role_allows(role: str | None, capability: Capability) -> bool:
    """Whether a role grants a capability (an unknown or empty role grants none)."""
    if not role:
        return False
    return role in ROLE_CAPABILITIES[capability]
