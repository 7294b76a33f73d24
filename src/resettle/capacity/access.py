"""Who takes part in CRISP capacity building, as plain functions of a user.

CRISP is run jointly by UNHCR and IOM. There is no IOM role on the platform:
IOM's staff are the users of the organisation whose acronym is "IOM" (as in
the directory); they have the same rights here as UNHCR staff.
"""

from __future__ import annotations

from typing import Any

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import as_user
from resettle.directory.models import OrganisationKind

IOM_ACRONYM = "IOM"


def active(user: Any) -> User | None:
    """The signed-in, active user, or None."""
    u = as_user(user)
    return u if u is not None and u.is_active else None


def is_iom_staff(user: Any) -> bool:
    """A user of IOM (by the organisation's acronym)."""
    u = active(user)
    org = u.organisation if u is not None else None
    return org is not None and org.acronym.upper() == IOM_ACRONYM


def is_crisp_staff(user: Any) -> bool:
    """Administrators, UNHCR staff and IOM staff: they assess, advise and train."""
    u = active(user)
    if u is None:
        return False
    return u.is_platform_admin or u.role == Role.UNHCR or is_iom_staff(u)


def official_country_id(user: Any) -> int | None:
    """The country whose government the user works for (a State official of a
    government body), or None."""
    u = active(user)
    if u is None or u.role != Role.STATE:
        return None
    org = u.organisation
    if org is None or org.kind != OrganisationKind.STATE:
        return None
    return org.country_id
