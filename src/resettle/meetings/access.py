"""Who organises a meeting and who takes part in it.

Organisers: platform administrators, UNHCR staff (UNHCR supports or runs the
secretariat of every forum), the organisations that chair or run the
secretariat of the meeting's forum (or hold a leading mandate in it), and the
co-chairs of the meeting's consultation cycle.

Participants: organisers, people with an approved registration, and the
meeting's speakers, moderators and planning committee members (through the
contact linked to their account). Documents "for participants" and the
attendance list are theirs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import as_user
from resettle.forums.models import LEADING_ROLES, Forum, ForumQuerySet
from resettle.meetings.models import Meeting, MeetingQuerySet


def _organises_all(user: User) -> bool:
    return user.is_platform_admin or user.role == Role.UNHCR


def organised_forums(user: Any) -> ForumQuerySet:
    """The forums whose meetings this user may organise (a queryset)."""
    u = as_user(user)
    if u is None or not u.is_active:
        return Forum.objects.none()
    if _organises_all(u):
        return Forum.objects.all()
    org = u.organisation_id
    if org is None:
        return Forum.objects.none()
    today = timezone.localdate()
    leading = (
        Q(memberships__organisation=org)
        & Q(memberships__role__in=LEADING_ROLES)
        & Q(memberships__start_date__lte=today)
        & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
    )
    ids = Forum.objects.filter(Q(chairs=org) | Q(secretariat=org) | leading).values("pk")
    return Forum.objects.filter(pk__in=ids)


def organised_meetings(user: Any) -> MeetingQuerySet:
    """The meetings this user may organise (a queryset)."""
    u = as_user(user)
    if u is None or not u.is_active:
        return Meeting.objects.none()
    if _organises_all(u):
        return Meeting.objects.all()
    org = u.organisation_id
    cochair = Q(pk__in=[])
    if org is not None:
        cochair = Q(cycle__government_cochair=org) | Q(cycle__ngo_cochair=org)
    return Meeting.objects.filter(Q(forum__in=organised_forums(u)) | cochair)


def can_create_meeting(user: Any, forum: Forum) -> bool:
    """Whether the user may add meetings to this forum."""
    return organised_forums(user).filter(pk=forum.pk).exists()


def _remembered(meeting: Meeting, key: tuple[str, Any], compute: Any) -> bool:
    """The answer for this meeting object, computed once: a meeting's page asks the
    same questions from several apps' panels (registration, documents, records)."""
    memo: dict[tuple[str, Any], bool] = meeting.__dict__.setdefault("_access_memo", {})
    if key not in memo:
        memo[key] = bool(compute())
    return memo[key]


def _user_key(user: Any) -> Any:
    u = as_user(user)
    return None if u is None else (u.pk, u.is_active)


def can_organise_meeting(user: Any, meeting: Meeting) -> bool:
    """Whether the user organises this meeting (agenda, registrations, documents, records)."""
    return _remembered(
        meeting,
        ("organise", _user_key(user)),
        lambda: organised_meetings(user).filter(pk=meeting.pk).exists(),
    )


def participant_meetings(user: Any) -> MeetingQuerySet:
    """The meetings this user takes part in, organisers included (a queryset)."""
    u = as_user(user)
    if u is None or not u.is_active:
        return Meeting.objects.none()
    taking_part = Q(registrations__user=u, registrations__status="approved")
    if u.person_id:
        taking_part |= Q(sessions__speakers__person=u.person_id)
        taking_part |= Q(planning_members__person=u.person_id)
    ids = Meeting.objects.filter(taking_part).values("pk")
    return Meeting.objects.filter(Q(pk__in=ids) | Q(pk__in=organised_meetings(u).values("pk")))


def is_participant(user: Any, meeting: Meeting) -> bool:
    """Whether the user takes part in the meeting (or organises it)."""
    return _remembered(
        meeting,
        ("participant", _user_key(user)),
        lambda: participant_meetings(user).filter(pk=meeting.pk).exists(),
    )
