"""Minutes, records of decisions and action points of the forums' meetings.

Everything here hangs on a meeting and is seen by whoever sees that meeting
(meetings.models.MeetingQuerySet.visible_to). Action points outlive their
meeting: until they are closed they are carried over to the forum's next
meetings (see records.services.carried_action_points).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Organisation
from resettle.meetings.models import AgendaSession, Meeting

if TYPE_CHECKING:
    from resettle.accounts.models import User


LANGUAGE_CODE = RegexValidator(r"^[a-z]{2,3}$", _("Give a language code, such as en, ar or fr."))


def meeting_date(meeting: Meeting) -> datetime.date:
    """The day a meeting starts, where it takes place (its own time zone)."""
    try:
        zone = ZoneInfo(meeting.time_zone or "UTC")
    except (KeyError, ValueError):  # an unknown zone is refused by Meeting.clean()
        zone = ZoneInfo("UTC")
    return timezone.localtime(meeting.starts_at, zone).date()


M = TypeVar("M", bound=models.Model)


class OnMeetingQuerySet(models.QuerySet[M]):
    """Records of a meeting are seen by whoever sees the meeting."""

    def visible_to(self, user: User | None) -> Self:
        """The rows on meetings this user may see."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


def _check_session(errors: dict[str, str], meeting_id: int | None, session: object) -> None:
    if isinstance(session, AgendaSession) and meeting_id and session.meeting_id != meeting_id:
        errors["session"] = str(_("The session must be a session of this meeting."))


class MinutesQuerySet(OnMeetingQuerySet["Minutes"]):
    """Minutes, seen with their meeting."""


class Minutes(models.Model):
    """The minutes of a meeting, or of one of its sessions, in one language."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    session = models.ForeignKey(
        AgendaSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="minutes",
        help_text=_("Leave empty for the minutes of the whole meeting."),
    )
    language = models.CharField(
        _("language"), max_length=3, default="en", validators=[LANGUAGE_CODE]
    )
    text = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "session__position", "session", "language"]
        # NULL sessions are distinct to a plain unique constraint, so the
        # whole-meeting minutes need their own.
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "session", "language"],
                condition=Q(session__isnull=False),
                name="minutes_one_per_session_language",
            ),
            models.UniqueConstraint(
                fields=["meeting", "language"],
                condition=Q(session__isnull=True),
                name="minutes_one_per_meeting_language",
            ),
        ]

    def __str__(self) -> str:
        where = self.session.title if self.session_id and self.session else str(self.meeting)
        return f"{where} ({self.language})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_session(errors, self.meeting_id, self.session)
        if errors:
            raise ValidationError(errors)


class DecisionQuerySet(OnMeetingQuerySet["Decision"]):
    """Decisions, seen with their meeting."""


class Decision(models.Model):
    """A decision recorded at a meeting, numbered within the meeting (1, 2, ...)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    session = models.ForeignKey(
        AgendaSession,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))
    decided_at = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
        ]

    def __str__(self) -> str:
        return str(_("Decision %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        url = reverse("records:meeting_records", args=[self.meeting_id])
        return f"{url}#decision-{self.number}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _check_session(errors, self.meeting_id, self.session)
        if errors:
            raise ValidationError(errors)


class ActionStatus(models.TextChoices):
    """Where an action point stands."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class ActionPointQuerySet(OnMeetingQuerySet["ActionPoint"]):
    """Action points, seen with the meeting that agreed them."""

    def still_open(self) -> ActionPointQuerySet:
        """Open or in progress."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionPointQuerySet:
        """Still open and past their due date."""
        day = today or timezone.localdate()
        return self.still_open().filter(due_date__lt=day)


class ActionPoint(models.Model):
    """Something a meeting agreed that an organisation will do, by a date."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("agreed at"),
        on_delete=models.CASCADE,
        related_name="action_points",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("follows from decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_points",
    )
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="action_points",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("closed at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_action_points",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_date", "pk"]
        constraints = [
            # A closed action point says when; an open one has no closing date.
            models.CheckConstraint(
                condition=(Q(status__in=["done", "dropped"]) & Q(closed_on__isnull=False))
                | (Q(status__in=["open", "in_progress"]) & Q(closed_on__isnull=True)),
                name="action_point_closed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return text

    def get_absolute_url(self) -> str:
        return reverse("records:action_point_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Open or in progress."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still open and past its due date."""
        day = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < day

    @property
    def overdue(self) -> bool:
        """Still open and past its due date today (for templates)."""
        return self.is_overdue()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.due_date and self.due_date < meeting_date(meeting):
            errors["due_date"] = str(
                _("The due date cannot be before the meeting (%(date)s).")
                % {"date": meeting_date(meeting).isoformat()}
            )
        if self.decision_id and self.decision and self.decision.meeting_id != self.meeting_id:
            errors["decision"] = str(_("The decision must be one of this meeting's decisions."))
        closing = self.closed_at_meeting if self.closed_at_meeting_id else None
        if closing is not None and meeting is not None:
            if closing.forum_id != meeting.forum_id:
                errors["closed_at_meeting"] = str(
                    _("An action point is closed at a meeting of the same forum.")
                )
            elif closing.starts_at < meeting.starts_at:
                errors["closed_at_meeting"] = str(
                    _(
                        "An action point cannot be closed at a meeting before the one "
                        "that agreed it."
                    )
                )
        if errors:
            raise ValidationError(errors)


class ActionPointUpdateQuerySet(models.QuerySet["ActionPointUpdate"]):
    """Updates are seen with their action point."""

    def visible_to(self, user: User | None) -> ActionPointUpdateQuerySet:
        """Updates of action points on meetings this user may see."""
        return self.filter(action_point__meeting__in=Meeting.objects.visible_to(user).values("pk"))


class ActionPointUpdate(models.Model):
    """One entry of an action point's history: a status given on a date, with a note."""

    action_point = models.ForeignKey(
        ActionPoint,
        verbose_name=_("action point"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("at meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The meeting at which the status was given, if any."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ActionPointUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point update")
        verbose_name_plural = _("action point updates")
        ordering = ["action_point", "date", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: {self.get_status_display()}"
