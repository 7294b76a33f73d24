"""Resettlement cases: families submitted by UNHCR for resettlement.

A case carries what the allocation engine needs (size, nationality, country of
asylum, situation, categories, priority, date, flags, languages, link group)
and where it is in the pipeline (submitted, proposed, referred, withdrawn).
No names or personal identifiers: the family members come with the case
pipeline of the RSF operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Country
from resettle.needs.models import Priority, PrioritySituation, SubmissionCategory

if TYPE_CHECKING:
    from resettle.accounts.models import User

MAX_PERSONS = 15

# Roles that see every case: UNHCR submits them; administrators run the platform.
ALL_CASES_ROLES = ("admin", "unhcr")
# Facility staff read the cases referred through the Resettlement Support
# Facility (those with a pipeline case file), read only.
FACILITY_ROLE = "rsf"


class CaseStatus(models.TextChoices):
    """Where a case stands (issue 6 adds the later stages of the pipeline)."""

    SUBMITTED = "submitted", _("Submitted")
    PROPOSED = "proposed", _("Proposed")
    REFERRED = "referred", _("Referred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaseQuerySet(models.QuerySet["ResettlementCase"]):
    """Who sees which cases."""

    def visible_to(self, user: User | None) -> CaseQuerySet:
        """UNHCR staff and administrators: all; facility staff (rsf): the cases with a
        pipeline case file; a State official: the cases referred to their State;
        everyone else: none."""
        if user is None or not user.is_active:
            return self.none()
        if user.is_platform_admin or user.role in ALL_CASES_ROLES:
            return self.all()
        if user.role == FACILITY_ROLE:
            # `case_file` is the pipeline's reverse one-to-one: a case the facility
            # follows, not the rest of UNHCR's submissions (read only: managing
            # cases stays with can_manage_cases).
            return self.filter(case_file__isnull=False)
        if user.role == "state":
            country = user.organisation.country_id if user.organisation else None
            if country is None:
                return self.none()
            return self.filter(status=CaseStatus.REFERRED, referred_state_id=country)
        return self.none()


class ResettlementCase(models.Model):
    """A family submitted together for resettlement: never split between States.

    `nationality` is an ISO 3166-1 alpha-3 code or a population code of the
    needs app (ROHINGYA); `link_group` names the cases that must go to one
    State (restoring family unity): cases with the same non-empty value.
    """

    reference = models.CharField(_("case reference"), max_length=40, unique=True)
    persons = models.PositiveSmallIntegerField(
        _("persons"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PERSONS)]
    )
    nationality = models.CharField(
        _("nationality"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Z][A-Z_]{1,19}$", _("A code such as SYR or ROHINGYA."))],
        help_text=_("ISO alpha-3 code of the nationality, or a population code: ROHINGYA."),
    )
    asylum = models.ForeignKey(
        Country,
        verbose_name=_("country of asylum"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(
        _("primary submission category"), max_length=3, choices=SubmissionCategory.choices
    )
    secondary_category = models.CharField(
        _("secondary submission category"),
        max_length=3,
        choices=SubmissionCategory.choices,
        blank=True,
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    submitted_on = models.DateField(_("submitted on"))
    medical_needs = models.BooleanField(_("medical needs"), default=False)
    serious_medical = models.BooleanField(_("serious medical condition"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    unaccompanied_child = models.BooleanField(_("unaccompanied child"), default=False)
    woman_at_risk = models.BooleanField(_("woman at risk"), default=False)
    interview_possible = models.BooleanField(
        _("interview possible"),
        default=True,
        help_text=_("Unticked: a selection mission cannot reach the family (dossier only)."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, such as ar, fa.")
    )
    link_group = models.CharField(
        _("link group"),
        max_length=40,
        blank=True,
        db_index=True,
        help_text=_("Cases with the same link group must go to the same State."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    referred_state = models.ForeignKey(
        Country,
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("resettlement case")
        verbose_name_plural = _("resettlement cases")
        ordering = ["reference"]
        indexes = [models.Index(fields=["status", "referred_state"], name="case_status_state")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def flags(self) -> list[str]:
        """The engine's names of the needs flagged on this case."""
        return [name for name in FLAG_FIELDS if getattr(self, name)]

    @property
    def flag_labels(self) -> list[str]:
        """The flagged needs, named for people."""
        labels = {f.name: f.verbose_name for f in self._meta.concrete_fields}
        return [str(labels[name]) for name in self.flags]

    def linked_cases(self) -> models.QuerySet[ResettlementCase]:
        """The other cases of its link group."""
        if not self.link_group:
            return ResettlementCase.objects.none()
        return ResettlementCase.objects.filter(link_group=self.link_group).exclude(pk=self.pk)


# The engine's flag names (engine.model.Flag) are the field names.
FLAG_FIELDS = (
    "medical_needs",
    "serious_medical",
    "disability",
    "unaccompanied_child",
    "woman_at_risk",
)


# ---- sharing a case with a State -------------------------------------------------


class SharePurpose(models.TextChoices):
    """Why a case is shared with a State (data protection: purpose limitation)."""

    RESETTLEMENT = "resettlement", _("Resettlement processing")
    SELECTION_MISSION = "selection_mission", _("Selection mission")
    MEDICAL = "medical", _("Medical assessment")
    TRAVEL = "travel", _("Travel")


class Consent(models.TextChoices):
    """The legal ground of a sharing: the family's consent, or an override with a reason."""

    GIVEN = "given", _("Consent given")
    OVERRIDE = "override", _("Shared without consent (override)")


class ShareRecordQuerySet(models.QuerySet["ShareRecord"]):
    """Who sees which sharing records: whoever sees the case."""

    def visible_to(self, user: User | None) -> ShareRecordQuerySet:
        """The records of the cases the user sees."""
        return self.filter(case__in=ResettlementCase.objects.visible_to(user))


class ShareRecord(models.Model):
    """One sharing of a case with a State: purpose, consent (or override), who, when.

    Written by the services that give a State access to a case (UNHCR's
    referral when an allocation run is confirmed, the facility opening a case
    file for the referred State: see `cases/sharing.py`), in the transaction of
    the sharing, and never changed afterwards. `consent_date` is set when the
    family consented; `override_reason` says why a case was shared without
    consent (an emergency, say), and must not name the person.
    """

    case = models.ForeignKey(
        ResettlementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="shares"
    )
    state = models.ForeignKey(
        Country, verbose_name=_("State"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=SharePurpose.choices)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("shared at"), default=timezone.now, db_index=True)

    objects = ShareRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing record")
        verbose_name_plural = _("sharing records")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        # A reference and a country code: never a name (str() reaches the audit log).
        return f"{self.case} → {self.state.iso3} ({self.purpose})"

    def clean(self) -> None:
        if self.consent == Consent.GIVEN and self.consent_date is None:
            raise ValidationError({"consent_date": _("Give the date the family consented.")})
        if self.consent == Consent.OVERRIDE and not self.override_reason.strip():
            raise ValidationError(
                {"override_reason": _("Say why the case is shared without consent.")}
            )
