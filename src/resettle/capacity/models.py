"""Capacity building (CRISP): State capacity assessments scored by dimension,
technical assistance, and the training package with its deliveries.

Assessments and technical assistance are sensitive: they are seen by the
State concerned (its government officials), the assessing or providing
organisation, UNHCR, IOM and administrators. The programme stage derived
from a completed assessment is public, like the State profile. The training
catalogue is public; deliveries are seen by signed-in users, and the
participants' own test results only by CRISP staff (see access.py).
GROW supporters and their commitments live in the commitments app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.capacity import access, stages
from resettle.directory.models import Country, Organisation, Person, ProgrammeStage

if TYPE_CHECKING:
    from resettle.accounts.models import User


class Dimension(models.TextChoices):
    """A dimension of a resettlement programme's capacity (see stages.DIMENSIONS)."""

    LEGAL = "legal", _("Legal and policy framework")
    PROCESSING = "processing", _("Identification, selection and processing")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure: medical, cultural orientation, travel")
    RECEPTION = "reception", _("Reception and integration")
    PATHWAYS = "pathways", _("Complementary pathways")
    SPONSORSHIP = "sponsorship", _("Community sponsorship")
    DATA = "data", _("Data and monitoring")
    PARTNERSHIPS = "partnerships", _("Partnerships and funding")


# One order of dimensions everywhere, and the directory's stages (tested in test_stages).


class AssessmentStatus(models.TextChoices):
    """Whether an assessment is still being scored."""

    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


def _sensitive_filter(user: User | None, country_path: str, org_path: str) -> Q | None:
    """The rows of sensitive CRISP records a user may see; None means all of them."""
    u = access.active(user)
    if u is None:
        return Q(pk__in=[])
    if access.is_crisp_staff(u):
        return None
    cond = Q(pk__in=[])
    country = access.official_country_id(u)
    if country is not None:
        cond |= Q(**{country_path: country})
    if u.organisation_id:
        cond |= Q(**{org_path: u.organisation_id})
    return cond


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    """Assessments are seen by the State concerned, the assessor, UNHCR, IOM and admins."""

    def visible_to(self, user: User | None) -> AssessmentQuerySet:
        """The assessments this user may read."""
        cond = _sensitive_filter(user, "country", "assessor")
        return self.all() if cond is None else self.filter(cond)

    def completed(self) -> AssessmentQuerySet:
        """Completed assessments (those with a derived stage)."""
        return self.filter(status=AssessmentStatus.COMPLETED)


class Assessment(models.Model):
    """An assessment of a State's resettlement capacity on a date, by an organisation."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("State"),
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
    )
    assessed_on = models.DateField(_("assessment date"))
    assessor = models.ForeignKey(
        Organisation,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    summary = models.TextField(_("summary"), blank=True)
    derived_stage = models.CharField(
        _("derived programme stage"),
        max_length=12,
        choices=ProgrammeStage.choices,
        blank=True,
        help_text=_("Derived from the scores by the stage rule when the assessment is complete."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real assessment.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        ordering = ["country__name_en", "-assessed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "assessed_on"], name="capacity_assessment_country_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} — {self.assessed_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("capacity:assessment_detail", args=[self.pk])

    def score_map(self) -> dict[str, int | None]:
        """The score of each dimension (None where not scored yet)."""
        by_dim = {s.dimension: s.score for s in self.scores.all()}
        return {d: by_dim.get(d) for d in stages.DIMENSIONS}

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError(
                {"assessed_on": _("An assessment cannot be dated in the future.")}
            )


class AssessmentScoreQuerySet(models.QuerySet["AssessmentScore"]):
    """Scores are seen by whoever sees their assessment."""

    def visible_to(self, user: User | None) -> AssessmentScoreQuerySet:
        """Scores of the assessments this user may see."""
        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class AssessmentScore(models.Model):
    """The score (0-4) of one dimension in an assessment, with its evidence and a note."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(stages.MIN_SCORE), MaxValueValidator(stages.MAX_SCORE)],
    )
    evidence = models.TextField(_("evidence"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AssessmentScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="capacity_score_one_per_dimension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.get_dimension_display()}: {self.score}"


class ProviderKind(models.TextChoices):
    """Who provides technical assistance."""

    UNHCR = "unhcr", _("UNHCR")
    IOM = "iom", _("IOM")
    TWINNING = "twinning", _("Another State (twinning)")
    NGO = "ngo", _("NGO")
    OTHER = "other", _("Other")


class AssistanceStatus(models.TextChoices):
    """Where a technical-assistance request stands."""

    REQUESTED = "requested", _("Requested")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


class AssistanceQuerySet(models.QuerySet["TechnicalAssistance"]):
    """Technical assistance is seen by the State asking, the provider, UNHCR, IOM, admins."""

    def visible_to(self, user: User | None) -> AssistanceQuerySet:
        """The requests this user may read."""
        cond = _sensitive_filter(user, "country", "provider")
        return self.all() if cond is None else self.filter(cond)


class TechnicalAssistance(models.Model):
    """A State's request for technical assistance, and the plan and outcome of it."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("State asking"),
        on_delete=models.PROTECT,
        related_name="technical_assistance",
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is asked for"), blank=True)
    provider_kind = models.CharField(
        _("kind of provider"), max_length=12, choices=ProviderKind.choices, blank=True
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="technical_assistance_provided",
        help_text=_("For twinning, the other State's government body."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.REQUESTED,
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real request.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AssistanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("technical assistance")
        verbose_name_plural = _("technical assistance")
        ordering = ["-requested_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.country} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("capacity:assistance_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        planned = (
            AssistanceStatus.PLANNED,
            AssistanceStatus.IN_PROGRESS,
            AssistanceStatus.COMPLETED,
        )
        if self.status in planned and not self.provider_id:
            errors["provider"] = str(_("Name the provider once the assistance is planned."))
        if self.provider_id and not self.provider_kind:
            errors["provider_kind"] = str(_("Say what kind of provider this is."))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("The end cannot come before the start."))
        if self.status in (AssistanceStatus.COMPLETED, AssistanceStatus.DECLINED) and not (
            self.outcome.strip()
        ):
            errors["outcome"] = str(_("Say what came of it (or why it was declined)."))
        if errors:
            raise ValidationError(errors)


# ---- training ---------------------------------------------------------------------


class PublicTrainingQuerySet(models.QuerySet["TrainingModule"]):
    """The training catalogue is public."""

    def visible_to(self, user: User | None) -> PublicTrainingQuerySet:
        """Every module, for every visitor."""
        return self.all()


class TrainingModule(models.Model):
    """A module of the CRISP training package for government officials."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real module.")
    )

    objects = PublicTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("capacity:module_detail", args=[self.pk])


# The six UN languages and Portuguese (Latin America's emerging programmes); the
# interface itself is in English, Arabic and French.
VERSION_LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
    ("pt", _("Portuguese")),
]


class VersionQuerySet(models.QuerySet["ModuleVersion"]):
    """Language versions are public, like the catalogue."""

    def visible_to(self, user: User | None) -> VersionQuerySet:
        """Every version, for every visitor."""
        return self.all()


class ModuleVersion(models.Model):
    """A module in one language: its document as a link or a file."""

    module = models.ForeignKey(
        TrainingModule, verbose_name=_("module"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=8, choices=VERSION_LANGUAGES)
    title = models.CharField(_("title in this language"), max_length=200)
    link = models.URLField(_("link to the document"), blank=True)
    document = models.FileField(_("document"), upload_to="capacity/training/", blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["module", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "language"], name="capacity_module_one_version_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.code} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("capacity:module_detail", args=[self.module_id])

    def clean(self) -> None:
        if not self.link and not self.document:
            raise ValidationError({"link": _("Give a link to the document or upload it.")})


class DeliveryQuerySet(models.QuerySet["TrainingDelivery"]):
    """Deliveries are seen by signed-in users."""

    def visible_to(self, user: User | None) -> DeliveryQuerySet:
        """All deliveries for a signed-in user, none for an anonymous visitor."""
        return self.all() if access.active(user) is not None else self.none()


class TrainingDelivery(models.Model):
    """A delivery of a training module: when, where, by whom, to whom, and how it went."""

    module = models.ForeignKey(
        TrainingModule,
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    date = models.DateField(_("date"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("for the State"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_deliveries",
    )
    trainer_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("trainers (organisations)"), blank=True, related_name="+"
    )
    trainers = models.ManyToManyField(
        Person, verbose_name=_("trainers (people)"), blank=True, related_name="+"
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    participants = models.ManyToManyField(
        Person,
        verbose_name=_("participants (named government officials)"),
        blank=True,
        related_name="training_deliveries",
    )
    pre_test_mean = models.DecimalField(
        _("mean pre-test score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("0 to 100; used when participants' own results are not recorded."),
    )
    post_test_mean = models.DecimalField(
        _("mean post-test score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback_score = models.DecimalField(
        _("feedback score"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Participants' mean rating, 1 to 5."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo content, not a real delivery.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("training delivery")
        verbose_name_plural = _("training deliveries")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.module.code} — {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("capacity:delivery_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.online and not self.place.strip():
            errors["place"] = str(_("Say where it took place, or tick online."))
        if (self.pre_test_mean is None) != (self.post_test_mean is None):
            errors["post_test_mean"] = str(_("Give both the pre-test and post-test means."))
        if errors:
            raise ValidationError(errors)


class ResultQuerySet(models.QuerySet["ParticipantResult"]):
    """A participant's own results: CRISP staff only (they name government officials)."""

    def visible_to(self, user: User | None) -> ResultQuerySet:
        """All results for CRISP staff, none for anyone else."""
        return self.all() if access.is_crisp_staff(user) else self.none()


class ParticipantResult(models.Model):
    """One participant's pre- and post-test scores (0-100) in a delivery."""

    delivery = models.ForeignKey(
        TrainingDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("For an unnamed participant.")
    )
    pre_score = models.DecimalField(
        _("pre-test score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    post_score = models.DecimalField(
        _("post-test score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant's result")
        verbose_name_plural = _("participants' results")
        ordering = ["delivery", "pk"]

    def __str__(self) -> str:
        who = str(self.person) if self.person_id else self.label
        return f"{self.delivery} — {who}"

    def get_absolute_url(self) -> str:
        return reverse("capacity:delivery_detail", args=[self.delivery_id])

    def clean(self) -> None:
        if not self.person_id and not self.label.strip():
            raise ValidationError({"person": _("Name the participant or give a label.")})
