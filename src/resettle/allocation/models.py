"""Pledge lines, allocation runs and their assignments.

A pledge line is a State's places for a year with the criteria of the cases
it takes (the engine's PledgeLine). A run feeds the submitted cases and the
year's lines to the engine (allocation.engine) and keeps what it was fed (the
input snapshot, so a scenario can change it and run again) and what came out:
one assignment per case. A run is a proposal until a UNHCR user confirms it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Country
from resettle.needs.models import YEAR_VALIDATORS, Pledge

if TYPE_CHECKING:
    from resettle.accounts.models import User

MANAGER_ROLES = ("admin", "unhcr")


def _is_manager(user: User | None) -> bool:
    return (
        user is not None
        and user.is_active
        and (user.is_platform_admin or user.role in MANAGER_ROLES)
    )


class LineModality(models.TextChoices):
    """How the State processes the line's cases (the engine's Modality)."""

    DOSSIER = "dossier", _("Dossier")
    INTERVIEW = "interview", _("Interview")


class PledgeLineQuerySet(models.QuerySet["PledgeLine"]):
    """Who sees pledge lines."""

    def visible_to(self, user: User | None) -> PledgeLineQuerySet:
        """UNHCR staff and administrators: all; a State official: their State's lines."""
        if _is_manager(user):
            return self.all()
        if user is not None and user.is_active and user.role == "state" and user.organisation:
            return self.filter(state_id=user.organisation.country_id)
        return self.none()


def _code_list(value: Any, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValidationError({field: _("A list of codes, or empty for any.")})


class PledgeLine(models.Model):
    """A State's places (in persons) for a year, with the criteria of the cases it takes.

    Each criterion (nationalities, asylums, situations, categories) is a list of
    codes (situations by their English name), or null for "any"; `priorities`
    lists the priorities accepted. `preferences` is a list of
    {"attribute", "value", "weight"} (attribute: nationality, asylum, situation,
    category, language, flag).
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    state = models.ForeignKey(
        Country, verbose_name=_("resettlement State"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    pledge = models.ForeignKey(
        Pledge,
        verbose_name=_("pledge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("places (persons)"))
    nationalities = models.JSONField(_("nationalities"), null=True, blank=True)
    asylums = models.JSONField(_("countries of asylum"), null=True, blank=True)
    situations = models.JSONField(_("priority situations"), null=True, blank=True)
    categories = models.JSONField(_("submission categories"), null=True, blank=True)
    priorities = models.JSONField(_("priorities accepted"), default=list)
    modality = models.CharField(
        _("processing modality"),
        max_length=10,
        choices=LineModality.choices,
        default=LineModality.INTERVIEW,
    )
    max_serious_medical = models.PositiveIntegerField(
        _("most cases with a serious medical condition"), null=True, blank=True
    )
    max_family_size = models.PositiveSmallIntegerField(
        _("largest family"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    reserved_urgent = models.PositiveIntegerField(
        _("places reserved for emergency and urgent cases"), default=0
    )
    preferences = models.JSONField(_("preferences"), default=list, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = PledgeLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge line")
        verbose_name_plural = _("pledge lines")
        ordering = ["year", "state__name_en", "label", "pk"]

    def __str__(self) -> str:
        name = f"{self.state_id and self.state.iso3} {self.year}"
        return f"{name} {self.label}".strip()

    def get_absolute_url(self) -> str:
        return reverse("allocation:line_detail", args=[self.pk])

    def clean(self) -> None:
        for name in ("nationalities", "asylums", "situations", "categories"):
            _code_list(getattr(self, name), name)
        from resettle.needs.models import Priority  # noqa: PLC0415 - only the codes

        if not isinstance(self.priorities, list) or not self.priorities:
            raise ValidationError({"priorities": _("Accept at least one priority.")})
        unknown = set(self.priorities) - set(Priority.values)
        if unknown:
            raise ValidationError({"priorities": _("Unknown priority: %(p)s") % {"p": unknown}})
        if self.reserved_urgent > self.capacity:
            raise ValidationError(
                {"reserved_urgent": _("The reserve cannot exceed the line's places.")}
            )
        if not isinstance(self.preferences, list) or not all(
            isinstance(p, dict)
            and set(p) == {"attribute", "value", "weight"}
            and isinstance(p["weight"], int | float)
            for p in self.preferences
        ):
            raise ValidationError(
                {"preferences": _("A list of {attribute, value, weight} entries.")}
            )


class RunStatus(models.TextChoices):
    """Where a run stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunQuerySet(models.QuerySet["AllocationRun"]):
    """Runs are UNHCR's working proposals."""

    def visible_to(self, user: User | None) -> RunQuerySet:
        """UNHCR staff and administrators only."""
        return self.all() if _is_manager(user) else self.none()


class AllocationRun(models.Model):
    """One run of the engine over a year's cases and pledge lines (or a scenario of one).

    Its input (RunInput) is the engine's Instance as JSON, so a scenario
    changes a copy of its parent's input and reruns exactly that.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("scenario of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scenarios",
    )
    changes = models.JSONField(_("changes"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("error"), blank=True)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    reserve = models.JSONField(
        _("emergency and urgent reserve"),
        default=list,
        blank=True,
        help_text=_(
            "Per State, then all: the engine's reserve summary against the 10 percent target."
        ),
    )
    case_count = models.PositiveIntegerField(_("cases"), default=0)
    line_count = models.PositiveIntegerField(_("pledge lines"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("allocation:run_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        """Whether the engine is done with it (successfully or not)."""
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def confirmed(self) -> bool:
        """Whether a UNHCR user turned the proposal into referrals."""
        return self.confirmed_at is not None


class RunInput(models.Model):
    """What a run fed the engine: the Instance as JSON (allocation.snapshot).

    Kept apart from the run so that the run's audit entries stay small: the
    input of a large run holds every case.
    """

    run = models.OneToOneField(AllocationRun, on_delete=models.CASCADE, related_name="input")
    data = models.JSONField(_("input snapshot"), default=dict)

    class Meta:
        verbose_name = _("run input")
        verbose_name_plural = _("run inputs")

    def __str__(self) -> str:
        return f"input of run {self.run_id}"


class AssignmentReason(models.TextChoices):
    """Why a case was, or was not, placed (the engine's Reason)."""

    PLACED = "placed", _("Placed")
    NO_ELIGIBLE_LINE = "no_eligible_line", _("No eligible pledge line")
    CAPACITY_TAKEN = "capacity_taken", _("Places taken by higher-priority cases")
    LINKED_CASES = "linked_cases", _("Linked cases could not go together")


class AssignmentQuerySet(models.QuerySet["RunAssignment"]):
    """Assignments are seen with their run."""

    def visible_to(self, user: User | None) -> AssignmentQuerySet:
        """UNHCR staff and administrators only."""
        return self.all() if _is_manager(user) else self.none()


class RunAssignment(models.Model):
    """Where a run put one case (a line, or none with the reason), and why.

    `explanation` is the engine's Explanation as JSON: the eligible lines and,
    per line, the criterion that excluded the case.
    """

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    case = models.ForeignKey(
        "cases.ResettlementCase", on_delete=models.CASCADE, related_name="assignments"
    )
    line = models.ForeignKey(
        PledgeLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    line_key = models.CharField(_("pledge line"), max_length=40, blank=True)
    state = models.ForeignKey(
        Country,
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=AssignmentReason.choices)
    explanation = models.JSONField(_("explanation"), default=dict)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("run assignment")
        verbose_name_plural = _("run assignments")
        ordering = ["run", "case__reference"]
        constraints = [
            models.UniqueConstraint(fields=["run", "case"], name="assignment_one_per_case")
        ]
        indexes = [models.Index(fields=["run", "reason"], name="assignment_run_reason")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.case_id} -> {self.line_key or self.reason}"
