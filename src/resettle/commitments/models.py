"""Commitments and pledges: what organisations undertake at the consultations, in the
Priority Situations Core Group and at the Global Refugee Forum, and their progress.

A commitment is made by one or several organisations. Public commitments are
on the public page; the others are seen by the users of the committing
organisations, by those who run the forum it was made in, by administrators
and by UNHCR staff. Progress is reported in periodic updates, each keeping the
status at the time, so the history of a commitment can be read back.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.accounts.roles import Role
from resettle.commitments import schedule
from resettle.directory.models import Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.access import organised_forums
from resettle.meetings.models import Meeting
from resettle.needs.models import PrioritySituation

if TYPE_CHECKING:
    from resettle.accounts.models import User


class CommitmentSource(models.TextChoices):
    """Where a commitment was made."""

    CONSULTATION = "consultation", _("Consultation commitment")
    PSCG = "pscg", _("PSCG pledge")
    GRF = "grf", _("Global Refugee Forum pledge")
    GROW = "grow", _("GROW support commitment")
    OTHER = "other", _("Other")


class CommitmentStatus(models.TextChoices):
    """Where a commitment stands."""

    PLANNING = "planning", _("Planning stage")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Closed commitments need no more progress updates.
CLOSED_STATUSES = (CommitmentStatus.FULFILLED, CommitmentStatus.WITHDRAWN)


class TargetUnit(models.TextChoices):
    """What a commitment's target number counts."""

    PLACES = "places", _("Places")
    PERSONS = "persons", _("Persons")
    EUROS = "euros", _("Euros")
    US_DOLLARS = "usd", _("US dollars")
    ACTIVITIES = "activities", _("Activities")
    OTHER = "other", _("Other")


def update_every_days() -> int:
    """How often progress is reported (settings.COMMITMENT_UPDATE_DAYS)."""
    return int(settings.COMMITMENT_UPDATE_DAYS)


def _sees_everything(user: User) -> bool:
    # UNHCR supports the forums and follows every pledge made in them.
    return user.is_platform_admin or user.role == Role.UNHCR


class SupporterKind(models.TextChoices):
    """What sort of GROW supporter."""

    PRIVATE = "private", _("Private sector")
    FOUNDATION = "foundation", _("Foundation")
    INDIVIDUAL = "individual", _("Individual")


class SupporterQuerySet(models.QuerySet["Supporter"]):
    """Public supporters for everyone; the others for their organisation's users,
    administrators and UNHCR."""

    def visible_to(self, user: User | None) -> SupporterQuerySet:
        """The supporters this user may see."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.filter(is_public=True)
        if _sees_everything(user):
            return self.all()
        cond = Q(is_public=True)
        if user.organisation_id:
            cond |= Q(organisation=user.organisation_id)
        return self.filter(cond)


class Supporter(models.Model):
    """A GROW supporter: a company, a foundation or an individual who supports or
    finances solutions for refugees. Companies and foundations may be linked to
    their directory organisation; individuals have none."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SupporterKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grow_supporters",
        help_text=_("The directory organisation of a company or foundation."),
    )
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Listed on the public GROW page (an individual may prefer not to be)."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real supporter.")
    )

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("GROW supporter")
        verbose_name_plural = _("GROW supporters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("capacity:supporter_detail", args=[self.pk])

    def clean(self) -> None:
        if self.kind == SupporterKind.INDIVIDUAL and self.organisation_id:
            raise ValidationError(
                {"organisation": _("An individual supporter has no organisation.")}
            )


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    """Visibility, and the commitments whose update is overdue."""

    def visible_to(self, user: User | None) -> CommitmentQuerySet:
        """Public commitments for everyone; the others for the committing organisations'
        users, the forum's editors, administrators and UNHCR."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.filter(is_public=True)
        if _sees_everything(user):
            return self.all()
        cond = Q(is_public=True) | Q(forum__in=organised_forums(user))
        if user.organisation_id:
            cond |= Q(organisations=user.organisation_id)
            cond |= Q(supporter__organisation=user.organisation_id)
        # A subquery rather than a join, so that a joint commitment is listed once.
        return self.filter(pk__in=Commitment.objects.filter(cond).values("pk"))

    def of_organisation(self, organisation: Organisation | int) -> CommitmentQuerySet:
        """Commitments an organisation takes part in (listed once each)."""
        return self.filter(
            pk__in=Commitment.objects.filter(organisations=organisation).values("pk")
        )

    def overdue(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        """Open commitments whose next update date has passed."""
        day = today or timezone.localdate()
        threshold = schedule.overdue_threshold(day, update_every_days())
        start = timezone.make_aware(datetime.datetime.combine(threshold, datetime.time.min))
        # The last update, or the creation for a commitment never updated.
        late = Q(last_update_at__lt=start) | Q(last_update_at__isnull=True, created_at__lt=start)
        return self.exclude(status__in=CLOSED_STATUSES).filter(late)

    def not_overdue(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        """Every commitment that is not overdue."""
        return self.exclude(pk__in=self.overdue(today).values("pk"))


class Commitment(models.Model):
    """A commitment or pledge by one or several organisations, with target and deadline."""

    source = models.CharField(_("source"), max_length=20, choices=CommitmentSource.choices)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), related_name="commitments"
    )
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    cycle = models.ForeignKey(
        ConsultationCycle,
        verbose_name=_("consultation cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
    )
    supporter = models.ForeignKey(
        Supporter,
        verbose_name=_("GROW supporter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The supporter behind a GROW commitment."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what is committed"), blank=True)
    target = models.CharField(_("target"), max_length=500, blank=True)
    target_number = models.PositiveBigIntegerField(_("target number"), null=True, blank=True)
    target_unit = models.CharField(
        _("unit of the target"), max_length=20, choices=TargetUnit.choices, blank=True
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Financing committed, if any, in the currency below."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code, such as USD or EUR."))],
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNING,
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Public commitments are listed on the public page; the others only to the "
            "committing organisations, the forum's organisers, UNHCR and administrators."
        ),
    )
    grf_pledge_id = models.CharField(
        _("GRF pledge id"),
        max_length=40,
        blank=True,
        help_text=_("The pledge's identifier at the Global Refugee Forum, if any."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real commitment.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A default rather than auto_now_add: the demo records commitments made years ago.
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_update_at = models.DateTimeField(_("last progress update"), null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        """Fulfilled or withdrawn: no more updates expected."""
        return self.status in CLOSED_STATUSES

    def next_update_due(self) -> datetime.date:
        """The last update (or creation) plus settings.COMMITMENT_UPDATE_DAYS."""
        last = timezone.localdate(self.last_update_at) if self.last_update_at else None
        return schedule.next_update_due(
            last, timezone.localdate(self.created_at), update_every_days()
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Whether its next update date has passed and it is still open."""
        return schedule.is_overdue(
            self.next_update_due(),
            closed=self.is_closed,
            today=today or timezone.localdate(),
        )

    def organisation_names(self) -> str:
        """The committing organisations, for lists and exports."""
        return "; ".join(str(o) for o in self.organisations.all())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        cycle = self.cycle if self.cycle_id else None
        meeting = self.meeting if self.meeting_id else None
        if cycle is not None and self.forum_id and cycle.forum_id != self.forum_id:
            errors["cycle"] = str(_("The cycle must belong to the commitment's forum."))
        if meeting is not None:
            if self.forum_id and meeting.forum_id != self.forum_id:
                errors["meeting"] = str(_("The meeting must belong to the commitment's forum."))
            elif cycle is not None and meeting.cycle_id and meeting.cycle_id != cycle.pk:
                errors["meeting"] = str(_("The meeting must belong to the commitment's cycle."))
        if self.target_number is not None and not self.target_unit:
            errors["target_unit"] = str(_("Say what the target number counts."))
        if self.target_unit and self.target_number is None:
            errors["target_number"] = str(_("Give the target number for this unit."))
        if self.supporter_id and self.source != CommitmentSource.GROW:
            errors["supporter"] = str(_("A supporter belongs to a GROW commitment."))
        if self.source == CommitmentSource.GROW and not self.supporter_id:
            errors["supporter"] = str(_("Name the GROW supporter."))
        if self.amount is not None and not self.currency:
            errors["currency"] = str(_("Give the currency of the amount."))
        if self.currency and self.amount is None:
            errors["amount"] = str(_("Give the amount in this currency."))
        if self.grf_pledge_id and self.source != CommitmentSource.GRF:
            errors["grf_pledge_id"] = str(
                _("A GRF pledge id belongs to a Global Refugee Forum pledge.")
            )
        if errors:
            raise ValidationError(errors)


class CommitmentUpdateQuerySet(models.QuerySet["CommitmentUpdate"]):
    """Updates are seen by whoever sees their commitment."""

    def visible_to(self, user: User | None) -> CommitmentUpdateQuerySet:
        """Updates of the commitments this user may see."""
        return self.filter(commitment__in=Commitment.objects.visible_to(user))


class CommitmentUpdate(models.Model):
    """A periodic progress report on a commitment, with its status at the time."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices)
    progress = models.TextField(_("progress"))
    progress_number = models.PositiveBigIntegerField(
        _("progress so far (number)"),
        null=True,
        blank=True,
        help_text=_("In the unit of the target, such as places or persons."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = CommitmentUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-date", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment_detail", args=[self.commitment_id]) + "#updates"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A progress update cannot be dated in the future.")})
