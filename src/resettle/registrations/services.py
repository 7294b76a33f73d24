"""Business rules of registrations: registering, seats and the waiting list, the
organisers' decisions, invitations, attendance, and the private calendar feed.

Seats: approved and pending registrations hold a seat. When they fill the
meeting's capacity, new registrations join the waiting list, in the order
they came. When a seat frees up (a cancellation or a decline) the first on
the waiting list moves up, to "approved" or to "awaiting approval" depending
on whether the meeting needs the organisers' approval, and is told by e-mail.

Every decision about a registration is e-mailed to the person, in their
language where it is known (see `person_language`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import save_with_audit
from resettle.core.notify import absolute_url, send_notification
from resettle.directory.models import OrganisationKind
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import Meeting, StakeholderGroup
from resettle.registrations.models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    Invitation,
    Registration,
    RegistrationStatus,
    hash_feed_key,
)

S = RegistrationStatus
_SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}

# ---- reads -------------------------------------------------------------------


def get_meeting_for_user(pk: int | str, user: Any) -> Meeting:
    """A meeting the user may see (404 otherwise)."""
    return get_visible(Meeting, user, pk=pk)


def get_registration_for_user(pk: int | str, user: Any) -> Registration:
    """A registration that is the user's own or of a meeting they organise (404 otherwise)."""
    return get_visible(Registration, user, pk=pk)


def get_organised_meeting(pk: int | str, user: Any) -> Meeting:
    """A meeting the user may see (404) and organises (PermissionDenied)."""
    meeting = get_meeting_for_user(pk, user)
    require(can_organise_meeting(user, meeting), "meeting")
    return meeting


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation a link points to; 404 for an unknown token.

    The token is the credential: whoever opens the link sees which meeting it
    invites to, nothing else.
    """
    found = (
        Invitation.objects.select_related("meeting", "registration").filter(token=token).first()
        if token
        else None
    )
    if found is None:
        raise Http404("invitation")
    return found


def active_registration(meeting: Meeting, user: Any) -> Registration | None:
    """The user's registration that holds or waits for a seat at the meeting, if any."""
    u = as_user(user)
    if u is None:
        return None
    return Registration.objects.filter(meeting=meeting, status__in=ACTIVE_STATUSES, user=u).first()


def latest_registration(meeting: Meeting, user: Any) -> Registration | None:
    """The user's most recent registration for the meeting, in whatever status."""
    u = as_user(user)
    if u is None:
        return None
    return active_registration(meeting, u) or (
        Registration.objects.filter(meeting=meeting, user=u).order_by("-created_at", "-pk").first()
    )


@dataclass(frozen=True)
class Counts:
    """How many registrations of a meeting stand in each status, and seats left."""

    approved: int
    pending: int
    waitlisted: int
    declined: int
    cancelled: int
    attended: int
    capacity: int | None

    @property
    def seats_taken(self) -> int:
        return self.approved + self.pending

    @property
    def seats_left(self) -> int | None:
        """None when the meeting has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


def registration_counts(meeting: Meeting) -> Counts:
    """The counts shown to organisers (one query)."""
    agg = Registration.objects.filter(meeting=meeting).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in S},
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
    )
    return Counts(
        approved=agg[S.APPROVED],
        pending=agg[S.PENDING],
        waitlisted=agg[S.WAITLISTED],
        declined=agg[S.DECLINED],
        cancelled=agg[S.CANCELLED],
        attended=agg["attended"],
        capacity=meeting.capacity,
    )


def registration_state(meeting: Meeting, *, with_invitation: bool = False) -> str:
    """ "open", "not_open" or "closed" for new registrations."""
    now = timezone.now()
    if meeting.ends_at <= now or (
        meeting.registration_closes_at is not None and meeting.registration_closes_at <= now
    ):
        return "closed"
    if not meeting.registration_open and not with_invitation:
        return "not_open"
    return "open"


def seats_left(meeting: Meeting) -> int | None:
    """Free seats (None: no limit)."""
    if meeting.capacity is None:
        return None
    taken = Registration.objects.filter(meeting=meeting, status__in=(S.APPROVED, S.PENDING)).count()
    return max(meeting.capacity - taken, 0)


def waiting_list(meeting: Meeting) -> list[Registration]:
    """The waiting list, first in line first."""
    return list(
        Registration.objects.filter(meeting=meeting, status=S.WAITLISTED).order_by(
            "created_at", "pk"
        )
    )


# ---- languages and defaults ------------------------------------------------------


def person_language(meeting: Meeting, user: User | None = None, email: str = "") -> str:
    """The language to write to a person in: their account's, else the meeting's first
    working language the platform speaks, else English."""
    account = user
    if account is None and email:
        account = User.objects.filter(email__iexact=email, is_active=True).first()
    if account is not None and account.preferred_language in _SITE_LANGUAGES:
        return account.preferred_language
    for code in meeting.language_list:
        if code in _SITE_LANGUAGES:
            return code
    return "en"


_GROUP_BY_KIND = {
    OrganisationKind.STATE: StakeholderGroup.STATE,
    OrganisationKind.NGO: StakeholderGroup.NGO,
    OrganisationKind.NETWORK: StakeholderGroup.NGO,
    OrganisationKind.FOUNDATION: StakeholderGroup.NGO,
    OrganisationKind.REFUGEE_LED: StakeholderGroup.REFUGEE,
    OrganisationKind.PRIVATE: StakeholderGroup.PRIVATE_SECTOR,
    OrganisationKind.ACADEMIA: StakeholderGroup.ACADEMIA,
}
_GROUP_BY_ROLE = {
    Role.UNHCR: StakeholderGroup.UNHCR,
    Role.STATE: StakeholderGroup.STATE,
    Role.NGO: StakeholderGroup.NGO,
    Role.REFUGEE: StakeholderGroup.REFUGEE,
}


def default_stakeholder_group(user: User) -> str:
    """The stakeholder group suggested by the account's role and organisation."""
    if user.role in _GROUP_BY_ROLE:
        return _GROUP_BY_ROLE[Role(user.role)]
    org = user.organisation
    if org is not None:
        if org.acronym.upper() == "IOM":
            return StakeholderGroup.IOM
        if org.kind in _GROUP_BY_KIND:
            return _GROUP_BY_KIND[OrganisationKind(org.kind)]
    return StakeholderGroup.OTHER


def registration_initial(
    meeting: Meeting, user: User, invitation: Invitation | None = None
) -> dict[str, Any]:
    """The register form's initial values, from the account (and the invitation)."""
    languages = meeting.language_list
    preferred = [user.preferred_language] if user.preferred_language in languages else []
    return {
        "name": (invitation.name if invitation and invitation.name else "")
        or user.get_full_name()
        or user.get_username(),
        "email": user.email or (invitation.email if invitation else ""),
        "stakeholder_group": (invitation.stakeholder_group if invitation else "")
        or default_stakeholder_group(user),
        "languages": preferred or languages[:1],
    }


def _language_value(meeting: Meeting, value: Any) -> str:
    codes = (
        [c.strip() for c in value.split(",") if c.strip()]
        if isinstance(value, str)
        else [str(c).strip() for c in (value or []) if str(c).strip()]
    )
    allowed = meeting.language_list
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise ValidationError(
            {
                "languages": _(
                    "%(codes)s is not a working language of this meeting "
                    "(choose among %(allowed)s)."
                )
                % {"codes": ", ".join(unknown), "allowed": ", ".join(allowed)}
            }
        )
    return ", ".join(dict.fromkeys(codes))


# ---- e-mail ------------------------------------------------------------------


def _mail(registration: Registration, kind: str, extra: Mapping[str, Any] | None = None) -> None:
    """E-mail the person about their registration (template registrations/email/<kind>)."""
    meeting = registration.meeting
    send_notification(
        to=registration.email,
        kind=f"registration_{kind}",
        template=f"registrations/email/{kind}",
        context={
            "registration": registration,
            "meeting": meeting,
            "name": registration.name,
            "status": registration.status,
            "mine_url": absolute_url(reverse("registrations:mine")),
            "meeting_url": absolute_url(meeting.get_absolute_url()),
            **(extra or {}),
        },
        language=person_language(meeting, registration.user, registration.email),
    )


# ---- seats -------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    """Lock the meeting's row so that two registrations cannot take the same last seat."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _seat_status(meeting: Meeting) -> str:
    """The status a registration gets when it is given a seat."""
    return S.PENDING if meeting.requires_approval else S.APPROVED


def _fill_free_seats(meeting: Meeting, *, actor: User | None) -> list[Registration]:
    """Move people up from the waiting list while seats are free; e-mail each."""
    moved: list[Registration] = []
    free = seats_left(meeting)
    queue = waiting_list(meeting)
    while queue and (free is None or free > 0):
        reg = queue.pop(0)
        status = _seat_status(meeting)
        fields: dict[str, Any] = {"status": status}
        if status == S.APPROVED:
            fields["decided_at"] = timezone.now()
        save_with_audit(reg, fields, actor=actor)
        _mail(reg, "promoted")
        moved.append(reg)
        if free is not None:
            free -= 1
    return moved


# ---- writes: registering -------------------------------------------------------


@transaction.atomic
def do_register(
    meeting: Meeting,
    data: Mapping[str, Any],
    *,
    actor: User | None,
    invitation: Invitation | None = None,
) -> Registration:
    """Register the signed-in actor for a meeting.

    `data` holds name, email, stakeholder_group, languages (codes, a list or
    comma-separated) and accessibility_needs; missing values come from the
    account. An invitation to this meeting lets the invitee register even
    when registration is not open to all, and to a meeting of a forum they
    could not otherwise see.
    """
    user = as_user(actor)
    if user is None or not user.is_active:
        raise PermissionDenied("sign in to register")
    if invitation is not None and invitation.meeting_id != meeting.pk:
        raise ValidationError({"invitation": _("This invitation is for another meeting.")})
    if invitation is None:
        require(Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists(), "meeting")
    meeting = _lock(meeting)
    state = registration_state(meeting, with_invitation=invitation is not None)
    if state == "closed":
        raise ValidationError({"meeting": _("Registration for this meeting is closed.")})
    if state == "not_open":
        raise ValidationError(
            {"meeting": _("Registration for this meeting is not open (only by invitation).")}
        )
    initial = registration_initial(meeting, user, invitation)
    email = str(data.get("email") or initial["email"]).strip()
    existing = active_registration(meeting, user)
    if existing is not None:
        raise ValidationError(
            {
                "meeting": _(
                    "You are already registered for this meeting (status: %(status)s). "
                    "Cancel that registration first if you want to register again."
                )
                % {"status": existing.get_status_display()}
            }
        )
    taken = Registration.objects.filter(
        meeting=meeting, status__in=ACTIVE_STATUSES, email__iexact=email
    )
    if email and taken.exists():
        raise ValidationError(
            {"email": _("This e-mail address is already registered for this meeting.")}
        )
    used = invitation.registration if invitation is not None else None
    if used is not None and used.status in ACTIVE_STATUSES:
        raise ValidationError({"invitation": _("This invitation has already been used.")})
    free = seats_left(meeting)
    status = _seat_status(meeting) if free is None or free > 0 else S.WAITLISTED
    fields = {
        "meeting": meeting,
        "user": user,
        "name": str(data.get("name") or initial["name"]).strip(),
        "email": email,
        "organisation": user.organisation,
        "stakeholder_group": data.get("stakeholder_group") or initial["stakeholder_group"],
        "languages": _language_value(meeting, data.get("languages", initial["languages"])),
        "accessibility_needs": str(data.get("accessibility_needs") or "").strip(),
        "status": status,
        "decided_at": timezone.now() if status == S.APPROVED else None,
    }
    registration = save_with_audit(Registration(), fields, actor=user)
    if invitation is not None:
        save_with_audit(invitation, {"registration": registration}, actor=user)
    _mail(registration, "received")
    return registration


# ---- writes: organisers' decisions ---------------------------------------------


@transaction.atomic
def do_approve_registration(registration: Registration, *, actor: User | None) -> Registration:
    """Approve a registration awaiting approval (or one on the waiting list, if a seat is free)."""
    require(can_organise_meeting(actor, registration.meeting), "meeting")
    _lock(registration.meeting)
    registration.refresh_from_db()
    if registration.status == S.WAITLISTED:
        free = seats_left(registration.meeting)
        if free is not None and free <= 0:
            raise ValidationError(
                {
                    "status": _("No seat is free: the meeting is full (capacity %(n)s).")
                    % {"n": registration.meeting.capacity}
                }
            )
    elif registration.status != S.PENDING:
        raise ValidationError(
            {
                "status": _("Only a registration awaiting approval can be approved (it is: %(s)s).")
                % {"s": registration.get_status_display()}
            }
        )
    save_with_audit(registration, {"status": S.APPROVED, "decided_at": timezone.now()}, actor=actor)
    _mail(registration, "approved")
    return registration


@transaction.atomic
def do_decline_registration(
    registration: Registration, *, actor: User | None, reason: str = ""
) -> Registration:
    """Decline a registration (with an optional reason told to the person); frees its seat."""
    require(can_organise_meeting(actor, registration.meeting), "meeting")
    _lock(registration.meeting)
    registration.refresh_from_db()
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(
            {
                "status": _("This registration is already %(s)s.")
                % {"s": registration.get_status_display().lower()}
            }
        )
    save_with_audit(
        registration,
        {
            "status": S.DECLINED,
            "decided_at": timezone.now(),
            "decline_reason": reason.strip(),
            "attended_at": None,
        },
        actor=actor,
    )
    _mail(registration, "declined", {"reason": reason.strip()})
    _fill_free_seats(registration.meeting, actor=actor)
    return registration


def can_cancel_registration(user: Any, registration: Registration) -> bool:
    """The person themself, and the meeting's organisers."""
    u = as_user(user)
    if u is None:
        return False
    return registration.user_id == u.pk or can_organise_meeting(u, registration.meeting)


@transaction.atomic
def do_cancel_registration(registration: Registration, *, actor: User | None) -> Registration:
    """Cancel a registration (the person or an organiser); frees its seat."""
    require(can_cancel_registration(actor, registration), "registration")
    _lock(registration.meeting)
    registration.refresh_from_db()
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(
            {
                "status": _("This registration is already %(s)s.")
                % {"s": registration.get_status_display().lower()}
            }
        )
    by_organiser = actor is not None and registration.user_id != actor.pk
    save_with_audit(registration, {"status": S.CANCELLED, "attended_at": None}, actor=actor)
    _mail(registration, "cancelled", {"by_organiser": by_organiser})
    _fill_free_seats(registration.meeting, actor=actor)
    return registration


# ---- writes: attendance ----------------------------------------------------------


def _attendance(registration: Registration, *, actor: User | None, present: bool) -> Registration:
    require(can_organise_meeting(actor, registration.meeting), "meeting")
    if registration.status != S.APPROVED:
        raise ValidationError(
            {"status": _("Only an approved registration can be marked as attended.")}
        )
    if present == registration.attended:
        return registration  # already so: nothing to change
    value = timezone.now() if present else None
    return save_with_audit(registration, {"attended_at": value}, actor=actor)


@transaction.atomic
def do_mark_attendance(registration: Registration, *, actor: User | None) -> Registration:
    """Mark an approved participant as present."""
    return _attendance(registration, actor=actor, present=True)


@transaction.atomic
def do_unmark_attendance(registration: Registration, *, actor: User | None) -> Registration:
    """Take back a presence marked in error."""
    return _attendance(registration, actor=actor, present=False)


# ---- writes: invitations ---------------------------------------------------------


@dataclass(frozen=True)
class InviteeSpec:
    """One address to invite, with an optional name and stakeholder group."""

    email: str
    name: str = ""
    stakeholder_group: str = ""


def invitation_state(invitation: Invitation) -> str:
    """ "registered", "cancelled" (registered, then cancelled or declined), "sent" or "not_sent"."""
    reg = invitation.registration
    if reg is not None:
        return "registered" if reg.status in ACTIVE_STATUSES else "cancelled"
    return "sent" if invitation.sent_at else "not_sent"


@transaction.atomic
def do_invite(
    meeting: Meeting, invitees: Iterable[InviteeSpec], *, actor: User | None
) -> list[Invitation]:
    """Invite e-mail addresses to a meeting and e-mail each a link to register.

    All or nothing: an address already invited, or given twice, is refused
    naming it, and no one is invited.
    """
    require(can_organise_meeting(actor, meeting), "meeting")
    specs = list(invitees)
    if not specs:
        raise ValidationError({"emails": _("Give at least one e-mail address.")})
    seen: set[str] = set()
    already = {
        e.lower()
        for e in Invitation.objects.filter(meeting=meeting).values_list("email", flat=True)
    }
    for spec in specs:
        key = spec.email.strip().lower()
        if key in seen:
            raise ValidationError(
                {"emails": _("%(email)s is given twice.") % {"email": spec.email}}
            )
        if key in already:
            raise ValidationError(
                {
                    "emails": _("%(email)s has already been invited to this meeting.")
                    % {"email": spec.email}
                }
            )
        seen.add(key)
    created: list[Invitation] = []
    for spec in specs:
        invitation = save_with_audit(
            Invitation(),
            {
                "meeting": meeting,
                "email": spec.email.strip(),
                "name": spec.name.strip(),
                "stakeholder_group": spec.stakeholder_group,
                "sent_at": timezone.now(),
            },
            actor=actor,
        )
        send_notification(
            to=invitation.email,
            kind="registration_invitation",
            template="registrations/email/invitation",
            context={
                "invitation": invitation,
                "meeting": meeting,
                "name": invitation.name,
                "link": absolute_url(reverse("registrations:invitation", args=[invitation.token])),
            },
            language=person_language(meeting, None, invitation.email),
        )
        created.append(invitation)
    return created


# ---- writes: the private calendar feed -------------------------------------------


@transaction.atomic
def do_reset_calendar_feed(*, actor: User | None) -> str:
    """Make (or replace) the actor's private feed key; returns the raw key, shown once.

    The old address stops working at once: that is what resetting is for,
    when a link was shared by mistake.
    """
    user = as_user(actor)
    if user is None:
        raise PermissionDenied("sign in")
    raw = CalendarFeed.new_raw_key()
    feed = CalendarFeed.objects.filter(user=user).first() or CalendarFeed(user=user)
    feed.set_raw(raw)
    save_with_audit(feed, {"key_hash": feed.key_hash, "prefix": feed.prefix}, actor=user)
    return raw


def feed_user(raw: str) -> User | None:
    """The active user whose feed key this is, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=hash_feed_key(raw), user__is_active=True)
        .first()
    )
    return feed.user if feed else None
