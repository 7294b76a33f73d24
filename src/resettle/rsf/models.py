"""Missions of the Resettlement Support Facility and their logistics and schedules.

A selection (or cultural orientation, or medical) mission of a receiving
State at the facility: its days, the facility's rooms and interpreters, the
cases selected into it (`MissionCase`), the interview schedules computed by
the pure scheduler (`ScheduleRun` and its `Appointment` rows), the events
that call for a reschedule (no-show, lost interpreter), and the logistics:
transport of families from their province and accommodation nights.

Who sees what: RSF staff, UNHCR staff and administrators see every mission;
an official of the receiving State sees that State's missions (read only);
everyone else sees none.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resettle.cases.models import ResettlementCase
from resettle.directory.models import Country, Organisation

if TYPE_CHECKING:
    from resettle.accounts.models import User

# Roles that run the facility's missions (and see all of them).
MANAGER_ROLES = ("admin", "unhcr", "rsf")


def is_manager(user: User | None) -> bool:
    """Whether the user manages the facility's missions."""
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    return bool(user.is_platform_admin or user.role in MANAGER_ROLES)


def _state_of(user: User | None) -> int | None:
    """The country of a State official's organisation (None for anyone else)."""
    if user is None or not user.is_active or user.role != "state" or user.organisation is None:
        return None
    return user.organisation.country_id


class MissionKind(models.TextChoices):
    """What the delegation comes to do."""

    SELECTION = "selection", _("Selection interviews")
    ORIENTATION = "orientation", _("Cultural orientation")
    MEDICAL = "medical", _("Medical assessments")


class MissionMode(models.TextChoices):
    """Whether the delegation is at the facility or interviews by video."""

    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote (video)")


class MissionStatus(models.TextChoices):
    """Where a mission stands."""

    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class MissionQuerySet(models.QuerySet["Mission"]):
    """Who sees which missions."""

    def visible_to(self, user: User | None) -> MissionQuerySet:
        """Managers: all; a State official: their State's missions; others: none."""
        if is_manager(user):
            return self.all()
        country = _state_of(user)
        if country is None:
            return self.none()
        return self.filter(receiving_state_id=country)


class Mission(models.Model):
    """A receiving State's mission at the facility: days, capacities, interview rule.

    Interview length = base + per-adult minutes x adults to interview, in
    slots of `slot_minutes`; every mission day runs from `day_start` for
    `day_hours`, with `caseworkers` interviews at once and the medical team
    assessing `medical_capacity` families a day.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    receiving_state = models.ForeignKey(
        Country, verbose_name=_("receiving State"), on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ForeignKey(
        Organisation,
        verbose_name=_("delegation organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=MissionKind.choices, default=MissionKind.SELECTION
    )
    mode = models.CharField(
        _("in person or remote"),
        max_length=10,
        choices=MissionMode.choices,
        default=MissionMode.IN_PERSON,
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    timezone = models.CharField(_("time zone"), max_length=60, default="Europe/Istanbul")
    status = models.CharField(
        _("status"), max_length=10, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    day_start = models.TimeField(_("working day starts"), default=datetime.time(8, 30))
    day_hours = models.PositiveSmallIntegerField(
        _("working hours per day"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    caseworkers = models.PositiveSmallIntegerField(
        _("caseworkers per day"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    interview_base_minutes = models.PositiveSmallIntegerField(
        _("interview base minutes"), default=30
    )
    interview_per_adult_minutes = models.PositiveSmallIntegerField(
        _("interview minutes per adult"), default=30
    )
    medical_capacity = models.PositiveSmallIntegerField(
        _("medical team's families per day"), default=10
    )
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    slot_minutes = 15  # the scheduler's time grain

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rsf:mission_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("The last day comes before the first.")})
            if (self.end_date - self.start_date).days > 60:
                raise ValidationError({"end_date": _("A mission lasts at most 61 days.")})

    def days(self) -> list[datetime.date]:
        """The mission's days, in order (every calendar day from first to last)."""
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=i) for i in range(count)]

    def latest_run(self) -> ScheduleRun | None:
        """The newest finished schedule (the one in force)."""
        return self.runs.filter(status=RunStatus.DONE).order_by("-created_at", "-pk").first()


class Room(models.Model):
    """A room of the facility: its seats and whether it has video equipment."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    video = models.BooleanField(_("video equipment"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=8, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoomClosure(models.Model):
    """A day on which a facility room cannot be used (maintenance, another event).

    The scheduler also treats a room as closed to a mission on the days another
    mission's schedule in force uses it: the facility's rooms are shared.
    """

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="closures", verbose_name=_("room")
    )
    date = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("room closure")
        verbose_name_plural = _("room closures")
        ordering = ["date", "room__name"]
        constraints = [
            models.UniqueConstraint(fields=["room", "date"], name="rsf_room_closed_once")
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.date.isoformat()}"


class Interpreter(models.Model):
    """An interpreter (a person or an organisation's service) and their languages.

    Languages are names as the facility uses them (Arabic, Kurmanji, Dari...),
    matched with a mission case's interview language.
    """

    name = models.CharField(_("name or organisation"), max_length=120, unique=True)
    languages = models.JSONField(_("languages"), default=list)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        langs = self.languages
        if not isinstance(langs, list) or not langs or not all(isinstance(x, str) for x in langs):
            raise ValidationError({"languages": _("Give at least one language.")})


class MissionInterpreter(models.Model):
    """An interpreter working on a mission, on some of its days (empty: every day)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="interpreters", verbose_name=_("mission")
    )
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, related_name="+", verbose_name=_("interpreter")
    )
    days = models.JSONField(
        _("days available"), default=list, blank=True, help_text=_("Empty: every mission day.")
    )

    class Meta:
        verbose_name = _("mission interpreter")
        verbose_name_plural = _("mission interpreters")
        ordering = ["interpreter__name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "interpreter"], name="rsf_interp_once")
        ]

    def __str__(self) -> str:
        return str(self.interpreter)

    def available_dates(self) -> list[datetime.date]:
        """The dates the interpreter works (all the mission's days when none are given)."""
        if not self.days:
            return self.mission.days()
        return sorted(datetime.date.fromisoformat(d) for d in self.days)


class MissionCaseworker(models.Model):
    """A named caseworker of the delegation, interviewing on some of the mission's days.

    When a mission has named caseworkers, the interviews that may run at once on
    a day are the caseworkers working that day (the mission's "caseworkers per
    day" figure is then not used), and each appointment names its caseworker.
    """

    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        related_name="named_caseworkers",
        verbose_name=_("mission"),
    )
    name = models.CharField(_("name"), max_length=120)
    days = models.JSONField(
        _("days available"), default=list, blank=True, help_text=_("Empty: every mission day.")
    )

    class Meta:
        verbose_name = _("mission caseworker")
        verbose_name_plural = _("mission caseworkers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "name"], name="rsf_caseworker_once")
        ]

    def __str__(self) -> str:
        return self.name

    def works_on(self, day: datetime.date) -> bool:
        """Whether the caseworker interviews on that day (every day when none are given)."""
        return not self.days or day.isoformat() in self.days


class MissionCaseStatus(models.TextChoices):
    """Where a case stands in the mission."""

    SELECTED = "selected", _("Selected")
    SCHEDULED = "scheduled", _("Scheduled")
    INTERVIEWED = "interviewed", _("Interviewed")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class MissionCase(models.Model):
    """A case selected into a mission, with what its interview needs.

    `adults` (members to interview) defaults to ceil(persons / 2) of the case
    until the case file of the pipeline gives the real number; `province` is
    where the family lives (transport is shared per province and day).
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="cases", verbose_name=_("mission")
    )
    case = models.ForeignKey(
        ResettlementCase, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    province = models.CharField(_("province"), max_length=60, blank=True)
    language = models.CharField(
        _("interview language"), max_length=40, blank=True, help_text=_("Empty: no interpreter.")
    )
    adults = models.PositiveSmallIntegerField(
        _("adults to interview"), default=1, validators=[MinValueValidator(1)]
    )
    remote = models.BooleanField(_("remote interview"), default=False)
    medical = models.BooleanField(_("medical assessment needed"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MissionCaseStatus.choices,
        default=MissionCaseStatus.SELECTED,
    )

    class Meta:
        verbose_name = _("mission case")
        verbose_name_plural = _("mission cases")
        ordering = ["case__reference"]
        constraints = [models.UniqueConstraint(fields=["mission", "case"], name="rsf_case_once")]

    def __str__(self) -> str:
        return self.case.reference

    @staticmethod
    def default_adults(persons: int) -> int:
        """Adults to interview when nothing better is known: half the family, rounded up."""
        return max(1, math.ceil(persons / 2))


class RunStatus(models.TextChoices):
    """Where a schedule run stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduleRun(models.Model):
    """One computation of a mission's interview schedule (first schedule or reschedule).

    A reschedule names its `previous` run and the `events` (no-shows, lost
    interpreters) it answers; `moved` counts the previous appointments it
    changed or dropped.
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="runs", verbose_name=_("mission")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    objective = models.IntegerField(_("priority-weighted persons"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    days_used = models.PositiveSmallIntegerField(_("days used"), null=True, blank=True)
    trips = models.PositiveSmallIntegerField(_("transport trips"), null=True, blank=True)
    moved = models.PositiveIntegerField(_("appointments moved"), null=True, blank=True)
    unscheduled = models.JSONField(_("cases not scheduled"), default=list, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous run"),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.mission} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("rsf:run_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        """Whether the run has ended (done or failed)."""
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Appointment(models.Model):
    """A case's interview block in a run (day, room, times, interpreter) and medical day."""

    run = models.ForeignKey(
        ScheduleRun, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("run")
    )
    case = models.ForeignKey(
        MissionCase, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    day = models.DateField(_("day"))
    day_index = models.PositiveSmallIntegerField(_("mission day"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    start_slot = models.PositiveSmallIntegerField(_("first slot"))
    length = models.PositiveSmallIntegerField(_("slots"))
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interpreter"),
    )
    caseworker = models.PositiveSmallIntegerField(_("caseworker"), default=0)
    caseworker_name = models.CharField(_("caseworker"), max_length=120, blank=True)
    medical_day = models.DateField(_("medical assessment"), null=True, blank=True)
    medical_day_index = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start", "room__name"]
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="rsf_appointment_once")]

    def __str__(self) -> str:
        return f"{self.case} {self.start:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    """What happened that calls for a reschedule."""

    NO_SHOW = "no_show", _("No-show")
    INTERPRETER_LOST = "interpreter_lost", _("Interpreter lost")


class ScheduleEvent(models.Model):
    """A no-show or a lost interpreter, waiting for (or answered by) a reschedule."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="events", verbose_name=_("mission")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    case = models.ForeignKey(
        MissionCase, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    days = models.JSONField(_("days"), default=list, help_text=_("ISO dates."))
    applied_in = models.ForeignKey(
        ScheduleRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("schedule event")
        verbose_name_plural = _("schedule events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        who = self.case or self.interpreter
        return f"{self.get_kind_display()}: {who}"


class Direction(models.TextChoices):
    """To the facility or back home."""

    TO_FACILITY = "to", _("To the facility")
    FROM_FACILITY = "from", _("Back to the province")


class TransportTrip(models.Model):
    """A bus (or car) bringing the families of one province on one day, or taking them back."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="trips", verbose_name=_("mission")
    )
    run = models.ForeignKey(
        ScheduleRun, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    province = models.CharField(_("province"), max_length=60)
    date = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    families = models.PositiveSmallIntegerField(_("families"))
    persons = models.PositiveSmallIntegerField(_("persons"), default=0)
    cases = models.ManyToManyField(MissionCase, related_name="+", blank=True)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("transport trip")
        verbose_name_plural = _("transport trips")
        ordering = ["date", "province", "direction"]

    def __str__(self) -> str:
        return f"{self.province} {self.date} {self.direction}"


class Accommodation(models.Model):
    """Nights a family stays near the facility (between interview and medical day)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="accommodations", verbose_name=_("mission")
    )
    case = models.ForeignKey(
        MissionCase, on_delete=models.CASCADE, related_name="+", verbose_name=_("family")
    )
    run = models.ForeignKey(
        ScheduleRun, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    nights = models.PositiveSmallIntegerField(_("nights"))
    cost = models.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        ordering = ["case__case__reference"]

    def __str__(self) -> str:
        return f"{self.case}: {self.nights}"
