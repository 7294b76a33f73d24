"""The Priority Situations Core Group's work on the priority situations of the needs app.

The situations themselves (`needs.PrioritySituation` and its areas) belong to
the needs app, which uses them to cut the gap; this app adds what the PSCG
does for each, by its three objectives:

1. more places: a target of places per situation and year (`SituationTarget`),
   against the places pledges earmark for the situation (computed, see
   `pscg/figures.py`);
2. a community of practice on processing modalities and adjudication methods
   (`PracticeExchange`);
3. protection and other solutions in the host countries (`HostCountryUpdate`).

Targets are public. Practice exchanges and host-country updates are public or
for the PSCG's members only (see `pscg/access.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.core.querysets import PublicQuerySet
from resettle.directory.models import Country, Organisation
from resettle.needs.models import YEAR_VALIDATORS, PrioritySituation
from resettle.pscg.access import is_pscg_member

if TYPE_CHECKING:
    from resettle.accounts.models import User


class PscgAccess(models.TextChoices):
    """Who may read a practice exchange or a host-country update."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("PSCG members only")


M = TypeVar("M", bound=models.Model)


class PscgQuerySet(models.QuerySet[M]):
    """Public rows for everyone; members-only rows for the PSCG's members,
    UNHCR and administrators."""

    def visible_to(self, user: User | None) -> Self:
        """The rows this user may read."""
        if is_pscg_member(user):
            return self.all()
        return self.filter(access=PscgAccess.PUBLIC)


class PracticeExchangeQuerySet(PscgQuerySet["PracticeExchange"]):
    """Practice exchanges: public, or for the PSCG's members."""


class HostCountryUpdateQuerySet(PscgQuerySet["HostCountryUpdate"]):
    """Host-country updates: public, or for the PSCG's members."""


class SituationTargetQuerySet(PublicQuerySet["SituationTarget"]):
    """Targets are public, like the situations they are for."""


class SituationTarget(models.Model):
    """The places the PSCG aims at for a priority situation in a year (objective 1).

    The places counted against it are those the current pledges earmark for
    the situation (see pscg/figures.py).
    """

    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.CASCADE,
        related_name="pscg_targets",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    places = models.PositiveIntegerField(
        _("target places"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    note = models.TextField(_("note"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo targets that are not published.")
    )

    objects = SituationTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation target")
        verbose_name_plural = _("situation targets")
        ordering = ["situation__name", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "year"],
                name="pscg_target_once_a_year",
                violation_error_message=_("This situation already has a target for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.situation} {self.year}: {self.places}"

    def get_absolute_url(self) -> str:
        return reverse("pscg:situation_detail", args=[self.situation_id]) + f"?year={self.year}"


class PracticeTopic(models.TextChoices):
    """What a practice exchange is about (objective 2)."""

    DOSSIER = "dossier", _("Processing modality: dossier")
    INTERVIEW = "interview", _("Processing modality: interview")
    REMOTE_INTERVIEW = "remote_interview", _("Processing modality: remote interview")
    VIDEO = "video", _("Processing modality: video")
    ADJUDICATION = "adjudication", _("Adjudication method")
    SECURITY = "security", _("Security screening")
    MEDICAL = "medical", _("Medical")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure")
    OTHER = "other", _("Other")


class PracticeExchange(models.Model):
    """A practice the PSCG's members shared on processing or adjudication (objective 2).

    `library_url` will point to the knowledge library's entry once that
    library exists; until then it is an optional link.
    """

    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pscg_practices",
        help_text=_("Empty: a practice for every situation."),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=PracticeTopic.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("States and organisations involved"),
        blank=True,
        related_name="+",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    link_url = models.URLField(_("link"), blank=True)
    library_url = models.URLField(
        _("knowledge library entry"),
        blank=True,
        help_text=_("The entry in the knowledge library, once it exists."),
    )
    access = models.CharField(
        _("access"), max_length=10, choices=PscgAccess.choices, default=PscgAccess.MEMBERS
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = PracticeExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice exchange")
        verbose_name_plural = _("practice exchanges")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pscg:practice_detail", args=[self.pk])


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
RATING_HELP = _("1 (very poor) to 5 (good); empty when not assessed.")


def _rating(label: str | object) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        label,  # type: ignore[arg-type]  # a lazy translation
        null=True,
        blank=True,
        validators=RATING_VALIDATORS,
        help_text=RATING_HELP,
    )


class HostCountryUpdate(models.Model):
    """The protection environment and other solutions in a host country of a situation,
    at a date (objective 3): five ratings, three solutions and a narrative.

    Every rating reads the same way: 1 is very poor protection and 5 good
    protection, so "protection from refoulement" is 1 where the risk of
    refoulement is high.
    """

    situation = models.ForeignKey(
        PrioritySituation,
        verbose_name=_("priority situation"),
        on_delete=models.PROTECT,
        related_name="pscg_host_updates",
    )
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("as of"), default=timezone.localdate)
    period = models.CharField(
        _("period"), max_length=60, blank=True, help_text=_("Such as: first half of 2025.")
    )
    legal_status = _rating(_("Access to legal status"))
    freedom_of_movement = _rating(_("Freedom of movement"))
    access_to_work = _rating(_("Access to work"))
    access_to_education = _rating(_("Access to education"))
    non_refoulement = _rating(_("Protection from refoulement"))
    local_integration = models.BooleanField(_("local integration opened"), null=True, blank=True)
    local_integration_persons = models.PositiveIntegerField(
        _("persons locally integrated"), null=True, blank=True
    )
    complementary_pathways = models.BooleanField(
        _("complementary pathways opened"), null=True, blank=True
    )
    complementary_pathways_persons = models.PositiveIntegerField(
        _("persons on complementary pathways"), null=True, blank=True
    )
    voluntary_return = models.BooleanField(_("voluntary return opened"), null=True, blank=True)
    voluntary_return_persons = models.PositiveIntegerField(
        _("persons returned voluntarily"), null=True, blank=True
    )
    narrative = models.TextField(_("update"))
    author = models.ForeignKey(
        Organisation,
        verbose_name=_("author organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    access = models.CharField(
        _("access"), max_length=10, choices=PscgAccess.choices, default=PscgAccess.MEMBERS
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = HostCountryUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("host-country update")
        verbose_name_plural = _("host-country updates")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["situation", "host_country", "date"], name="pscg_update_host"),
        ]

    def __str__(self) -> str:
        return f"{self.host_country} ({self.situation}), {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("pscg:update_detail", args=[self.pk])


INDICATORS = (
    "legal_status",
    "freedom_of_movement",
    "access_to_work",
    "access_to_education",
    "non_refoulement",
)
SOLUTIONS = (
    ("local_integration", "local_integration_persons"),
    ("complementary_pathways", "complementary_pathways_persons"),
    ("voluntary_return", "voluntary_return_persons"),
)


def field_label(name: str) -> Any:
    """The (lazy) verbose name of a HostCountryUpdate field."""
    return getattr(HostCountryUpdate._meta.get_field(name), "verbose_name", name)
