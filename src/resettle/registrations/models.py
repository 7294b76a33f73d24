"""Registrations for meetings, invitations, and attendance on the day.

A registration holds personal data (accessibility needs, e-mail): it is seen
by the person who registered and by the meeting's organisers, no one else
(see RegistrationQuerySet.visible_to).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Organisation
from resettle.meetings.access import organised_meetings
from resettle.meetings.models import LANGUAGE_CODES, Meeting, StakeholderGroup

if TYPE_CHECKING:
    from resettle.accounts.models import User


class RegistrationStatus(models.TextChoices):
    """Where a registration stands."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# Registrations that hold a seat or wait for one.
ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.APPROVED,
    RegistrationStatus.WAITLISTED,
)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    """One's own registrations; all registrations of the meetings one organises."""

    def visible_to(self, user: User | None) -> RegistrationQuerySet:
        """The registrations this user may see."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(user=user) | Q(meeting__in=organised_meetings(user)))


class Registration(models.Model):
    """A person's registration for a meeting, with their needs and the organisers' decision."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    languages = models.CharField(
        _("languages"),
        max_length=60,
        blank=True,
        help_text=_("The languages you will follow the meeting in: en, ar, fr."),
        validators=[LANGUAGE_CODES],
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    attended_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    decline_reason = models.TextField(
        _("reason for declining"),
        blank=True,
        help_text=_("Told to the person in the e-mail that announces the decision."),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(status__in=["pending", "approved", "waitlisted"]),
                name="registration_one_active_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.meeting}"

    @property
    def is_refugee(self) -> bool:
        """Whether the person takes part as a refugee representative."""
        return self.stakeholder_group == StakeholderGroup.REFUGEE

    @property
    def attended(self) -> bool:
        """Whether attendance was marked."""
        return self.attended_at is not None

    def clean(self) -> None:
        if self.attended_at is not None and self.status != RegistrationStatus.APPROVED:
            raise ValidationError(
                {"status": _("Only an approved registration can be marked as attended.")}
            )


def new_invitation_token() -> str:
    """A random token for an invitation link."""
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    """Invitations are seen by the meeting's organisers."""

    def visible_to(self, user: User | None) -> InvitationQuerySet:
        """The invitations this user may see."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(meeting__in=organised_meetings(user))


class Invitation(models.Model):
    """An invitation to a meeting sent by e-mail, with a link to register."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices, blank=True
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "email"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="invitation_once_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.meeting}"


def hash_feed_key(raw: str) -> str:
    """The stored form of a calendar feed key (only its hash is kept)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar feed of their registrations.

    The address holds a secret key; only its SHA-256 hash is stored (under
    `key_hash`, which the audit log never copies), so the full address is
    shown once, when it is made or reset, like an API token.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"

    @staticmethod
    def new_raw_key() -> str:
        """A fresh random key for the feed address."""
        return secrets.token_urlsafe(32)

    def set_raw(self, raw: str) -> None:
        """Keep the hash and a display prefix of a raw key."""
        self.key_hash = hash_feed_key(raw)
        self.prefix = raw[:8]
