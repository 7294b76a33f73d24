"""Needs, pledges, submissions and departures, each kept as versioned datasets.

Every import creates a DatasetVersion; the figures of a version are never
changed afterwards, so any view can be shown as of a version (what was
presented at a given consultation) and two versions compared. The *current*
figures of a series are those of its latest completed version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.core.i18n import in_active_language
from resettle.core.querysets import PublicQuerySet
from resettle.directory.models import Country

if TYPE_CHECKING:
    from resettle.accounts.models import User

YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2100)]


class SubmissionCategory(models.TextChoices):
    """UNHCR's seven resettlement submission categories."""

    LPN = "LPN", _("Legal and/or physical protection needs")
    WGR = "WGR", _("Women and girls at risk")
    CHR = "CHR", _("Children and adolescents at risk")
    SVT = "SVT", _("Survivors of violence and/or torture")
    MED = "MED", _("Medical needs")
    FAM = "FAM", _("Restoring family unity")
    LAS = "LAS", _("Lack of foreseeable alternative durable solutions")


class Priority(models.TextChoices):
    """Submission priority: how fast departure must follow."""

    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class PopulationQuerySet(PublicQuerySet["Population"]):
    """Populations are public reference data."""


class Population(models.Model):
    """A population in need: a nationality, or a named group such as the Rohingya."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("ISO alpha-3 code for a nationality; a short name for a group (ROHINGYA)."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)

    objects = PopulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return in_active_language(self.name_en, self.name_ar, self.name_fr)


class DatasetKind(models.TextChoices):
    """What a dataset holds."""

    NEEDS = "needs", _("Resettlement needs (PGRN)")
    PLEDGES = "pledges", _("Pledges")
    FLOWS = "flows", _("Submissions and departures")


class VersionStatus(models.TextChoices):
    """Where an import stands."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")


class DatasetVersionQuerySet(models.QuerySet["DatasetVersion"]):
    """Public versions for everyone; the others for signed-in users."""

    def visible_to(self, user: User | None) -> DatasetVersionQuerySet:
        """Public versions for anonymous visitors, all for signed-in users."""
        if user is None or not user.is_authenticated:
            return self.filter(is_public=True)
        return self.all()

    def current(self) -> DatasetVersionQuerySet:
        """The latest completed version of each series."""
        latest = (
            DatasetVersion.objects.filter(
                status=VersionStatus.DONE, series=models.OuterRef("series")
            )
            .order_by("-number")
            .values("pk")[:1]
        )
        return self.filter(status=VersionStatus.DONE, pk=models.Subquery(latest))


class DatasetVersion(models.Model):
    """One import of a dataset series: its source, who imported it, and when."""

    kind = models.CharField(_("kind"), max_length=10, choices=DatasetKind.choices)
    series = models.CharField(
        _("series"),
        max_length=100,
        help_text=_("Versions of one series replace one another, such as pgrn or rdf-arrivals."),
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=300)
    file_name = models.CharField(_("file"), max_length=300, blank=True)
    checksum = models.CharField(
        max_length=64, help_text=_("SHA-256 of the imported rows, to recognise a re-import.")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.PENDING
    )
    errors: models.JSONField[list[dict[str, object]], list[dict[str, object]]] = models.JSONField(
        _("errors"), default=list, blank=True
    )
    is_public = models.BooleanField(_("public"), default=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo figures that are not published anywhere."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DatasetVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["series", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="version_series_number"),
        ]

    def __str__(self) -> str:
        return f"{self.series} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("needs:version_detail", args=[self.pk])

    @property
    def progress_percent(self) -> int:
        """How far the import has come, 0-100."""
        if not self.row_count:
            return 100 if self.status == VersionStatus.DONE else 0
        return min(100, round(100 * self.rows_done / self.row_count))


# The figure tables hold millions of rows written by COPY. Their foreign keys
# carry no database constraint and no index of their own: the loader checks
# every code against the database in the transaction that writes the rows,
# Django still applies PROTECT and CASCADE itself, and the (version, year)
# index serves every query. Measured: 40,000 rows/s with constraints and
# indexes, over 145,000 without (see docs/imports.md).


class Figure(models.Model):
    """What every figure row shares: the year, the country of asylum, and the
    submission category and priority it is broken down by (blank: all)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    asylum = models.ForeignKey(
        Country,
        verbose_name=_("country of asylum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    category = models.CharField(
        _("submission category"), max_length=3, choices=SubmissionCategory.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)

    class Meta:
        abstract = True


class NeedFigure(Figure):
    """Projected resettlement needs (PGRN): persons of a population in a country of asylum."""

    version = models.ForeignKey(
        DatasetVersion,
        on_delete=models.CASCADE,
        related_name="needs",
        db_constraint=False,
        db_index=False,
    )
    population = models.ForeignKey(
        Population,
        verbose_name=_("population"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    persons = models.PositiveIntegerField(_("persons in need"))

    class Meta:
        verbose_name = _("need figure")
        verbose_name_plural = _("need figures")
        indexes = [models.Index(fields=["version", "year"], name="need_version_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.population_id} {self.asylum_id}: {self.persons}"


class FlowFigure(Figure):
    """Persons submitted and departed, by year, origin, asylum and resettlement State.

    The shape of UNHCR's published resettlement data; later also derived from
    case records.
    """

    version = models.ForeignKey(
        DatasetVersion,
        on_delete=models.CASCADE,
        related_name="flows",
        db_constraint=False,
        db_index=False,
    )
    origin = models.ForeignKey(
        Population,
        verbose_name=_("country of origin"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    resettlement_state = models.ForeignKey(
        Country,
        verbose_name=_("resettlement State"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    submitted = models.PositiveIntegerField(_("persons submitted"), null=True, blank=True)
    departed = models.PositiveIntegerField(_("persons departed"), null=True, blank=True)
    departed_within_6_months = models.PositiveIntegerField(
        _("departed within six months of submission"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("submission and departure figure")
        verbose_name_plural = _("submission and departure figures")
        indexes = [models.Index(fields=["version", "year"], name="flow_version_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.origin_id}->{self.resettlement_state_id}"


class Modality(models.TextChoices):
    """How a State processes cases."""

    DOSSIER = "dossier", _("Dossier")
    INTERVIEW = "interview", _("Interview")
    REMOTE = "remote", _("Remote interview")


class PledgeStatus(models.TextChoices):
    """Pledge status, as the Global Refugee Forum uses it."""

    PLANNING = "planning", _("Planning stage")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")


class Pledge(models.Model):
    """A State's resettlement quota for a year (or several), in persons."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="pledges")
    state = models.ForeignKey(
        Country, verbose_name=_("resettlement State"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("last year (multi-year pledge)"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    persons = models.PositiveIntegerField(_("places pledged"))
    emergency_urgent_places = models.PositiveIntegerField(
        _("places reserved for emergency and urgent cases"), default=0
    )
    unallocated_places = models.PositiveIntegerField(_("unallocated places"), default=0)
    modality = models.CharField(
        _("processing modality"), max_length=10, choices=Modality.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.PLANNING
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [models.Index(fields=["version", "year"], name="pledge_version_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("year")),
                name="pledge_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.year}: {self.persons}"


class BreakdownKind(models.TextChoices):
    """What a part of a pledge is earmarked for."""

    SITUATION = "situation", _("Priority situation")
    REGION = "region", _("Region")
    NATIONALITY = "nationality", _("Nationality")
    ASYLUM = "asylum", _("Country of asylum")


class PledgeBreakdown(models.Model):
    """Part of a pledge earmarked for a situation, region, nationality or host country."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="breakdowns")
    kind = models.CharField(_("kind"), max_length=12, choices=BreakdownKind.choices)
    value = models.CharField(
        _("for"), max_length=100, help_text=_("ISO code, region name or situation name.")
    )
    persons = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("pledge breakdown")
        verbose_name_plural = _("pledge breakdowns")

    def __str__(self) -> str:
        return f"{self.kind}={self.value}: {self.persons}"


class PathwayType(models.TextChoices):
    """Complementary pathways."""

    LABOUR = "labour", _("Labour mobility")
    EDUCATION = "education", _("Education")
    FAMILY = "family", _("Family reunification")
    SPONSORSHIP = "sponsorship", _("Community sponsorship")
    HUMANITARIAN = "humanitarian", _("Humanitarian admission")


class PathwayPlaces(models.Model):
    """Complementary-pathway places a State pledges alongside its quota."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="pathways")
    pathway = models.CharField(_("pathway"), max_length=12, choices=PathwayType.choices)
    persons = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("complementary-pathway places")
        verbose_name_plural = _("complementary-pathway places")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "pathway"], name="pathway_once_per_pledge"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.persons}"


class PrioritySituationQuerySet(PublicQuerySet["PrioritySituation"]):
    """Priority situations are public reference data."""


class PrioritySituation(models.Model):
    """A priority situation (PSCG): refugees of some populations in some host countries.

    The Priority Situations Core Group advocates for resettlement places in
    these situations. Pledges earmark places for one by its English `name`
    (a pledge breakdown of kind "situation"); needs and flows count in every
    situation whose areas (SituationArea) cover their population and country
    of asylum.
    """

    name = models.CharField(
        _("name (English)"),
        max_length=100,
        unique=True,
        help_text=_("Pledges earmark places for the situation under this name."),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=150, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo situations that are not a published list."),
    )

    objects = PrioritySituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("priority situation")
        verbose_name_plural = _("priority situations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when there is no translation)."""
        return in_active_language(self.name, self.name_ar, self.name_fr)


class SituationArea(models.Model):
    """Refugees a priority situation covers: a population in a country of asylum.

    Either side may be left empty for "any": a population in any country of
    asylum (the Rohingya wherever they are), or any population in a country of
    asylum (everyone in Libya, on the Central Mediterranean route); not both.
    """

    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.CASCADE,
        related_name="areas",
    )
    population = models.ForeignKey(
        Population,
        verbose_name=_("population"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: any population in the country of asylum."),
    )
    asylum = models.ForeignKey(
        Country,
        verbose_name=_("country of asylum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the population in any country of asylum."),
    )

    class Meta:
        verbose_name = _("situation area")
        verbose_name_plural = _("situation areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(population__isnull=False) | Q(asylum__isnull=False),
                name="situation_area_not_everything",
                violation_error_message=_("Name a population, a country of asylum or both."),
            ),
            models.UniqueConstraint(
                fields=["situation", "population", "asylum"],
                condition=Q(population__isnull=False, asylum__isnull=False),
                name="situation_area_once",
            ),
            models.UniqueConstraint(
                fields=["situation", "population"],
                condition=Q(asylum__isnull=True),
                name="situation_area_any_asylum_once",
            ),
            models.UniqueConstraint(
                fields=["situation", "asylum"],
                condition=Q(population__isnull=True),
                name="situation_area_any_population_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.situation_id}: {self.population_id or '*'} in {self.asylum_id or '*'}"
