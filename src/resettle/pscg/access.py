"""Who belongs to the Priority Situations Core Group, and who edits its work.

The PSCG is the forum whose acronym is PSCG (forums app). Its members, for
reading members-only items, are those the forums app lets into a
members-only forum: the organisations that chair it or run its secretariat,
and the organisations and people whose mandate runs today; administrators
and UNHCR staff (UNHCR is the PSCG's secretariat) read everything. Its
editors are the forum's editors (forums.services.can_edit_forum: its chairs,
secretariat and leading members), administrators and UNHCR staff.

This module imports no model of the pscg app: the app's querysets use it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import as_user
from resettle.forums.models import Forum
from resettle.forums.services import can_edit_forum

PSCG_ACRONYM = "PSCG"


def pscg_forums() -> list[Forum]:
    """The forum(s) recorded as the PSCG (one in practice; none before it is set up)."""
    return list(Forum.objects.filter(acronym__iexact=PSCG_ACRONYM))


def _sees_everything(user: User) -> bool:
    return user.is_platform_admin or user.role == Role.UNHCR


def is_pscg_member(user: Any) -> bool:
    """Whether the user may read the PSCG's members-only items."""
    person = as_user(user)
    if person is None or not person.is_active:
        return False
    if _sees_everything(person):
        return True
    today = timezone.localdate()
    # The same rule as Forum.objects.visible_to for a members-only forum, applied
    # whatever the PSCG forum's own access is (a public forum still has members).
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    member = Q(pk__in=[])
    if person.organisation_id:
        member |= Q(chairs=person.organisation_id) | Q(secretariat=person.organisation_id)
        member |= Q(memberships__organisation=person.organisation_id) & current
    if person.person_id:
        member |= Q(memberships__person=person.person_id) & current
    return Forum.objects.filter(acronym__iexact=PSCG_ACRONYM).filter(member).exists()


def can_edit_pscg(user: Any) -> bool:
    """Whether the user may record targets, practice exchanges and host-country updates."""
    person = as_user(user)
    if person is None or not person.is_active:
        return False
    if _sees_everything(person):
        return True
    return any(can_edit_forum(person, forum) for forum in pscg_forums())
