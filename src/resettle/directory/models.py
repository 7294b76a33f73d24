"""The directory of actors: countries, organisations, contacts, State profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resettle.core.i18n import in_active_language
from resettle.core.querysets import PublicQuerySet

if TYPE_CHECKING:
    from resettle.accounts.models import User


class UnhcrRegion(models.TextChoices):
    """UNHCR's regional bureaux, as its data names them."""

    ASIA_PACIFIC = "Asia and the Pacific", _("Asia and the Pacific")
    EAST_SOUTH_AFRICA = "Eastern and Southern Africa", _("Eastern and Southern Africa")
    EUROPE = "Europe", _("Europe")
    MENA = "Middle East and North Africa", _("Middle East and North Africa")
    AMERICAS = "The Americas", _("The Americas")
    WEST_CENTRAL_AFRICA = "West and Central Africa", _("West and Central Africa")


class CountryQuerySet(PublicQuerySet["Country"]):
    """Countries are public reference data: everyone sees them all."""


class Country(models.Model):
    """A country or territory of ISO 3166-1, with UNHCR's own code and region."""

    iso3 = models.CharField(
        _("ISO 3166-1 alpha-3"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, such as DEU."))],
    )
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    unhcr_code = models.CharField(
        _("UNHCR code"),
        max_length=3,
        blank=True,
        db_index=True,
        help_text=_("UNHCR's own code, which can differ from ISO (UNHCR's AUS is Austria)."),
    )
    unhcr_region = models.CharField(
        _("UNHCR region"), max_length=40, choices=UnhcrRegion.choices, blank=True
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return in_active_language(self.name_en, self.name_ar, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("directory:country_detail", args=[self.iso3])


class OrganisationKind(models.TextChoices):
    """What sort of actor an organisation is."""

    STATE = "state", _("State government body")
    UN = "un", _("UN agency")
    INTERNATIONAL = "international", _("International organisation")
    EU = "eu", _("EU agency")
    NGO = "ngo", _("NGO")
    REFUGEE_LED = "refugee_led", _("Refugee-led organisation")
    NETWORK = "network", _("Network")
    PRIVATE = "private", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    FOUNDATION = "foundation", _("Foundation")


class OrganisationQuerySet(PublicQuerySet["Organisation"]):
    """The directory of organisations is public."""


class Organisation(models.Model):
    """An actor: a government body, agency, NGO, network, company or university."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Where it is based; empty for international bodies."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    maintained_by = models.ForeignKey(
        "self",
        verbose_name=_("record maintained by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation whose users may edit this record, besides its own."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_name_country"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", args=[self.pk])

    def clean(self) -> None:
        node = self.parent
        seen: set[int] = set()
        while node is not None:
            if (self.pk is not None and node.pk == self.pk) or node.pk in seen:
                raise ValidationError(
                    {"parent": _("An organisation cannot be its own parent or ancestor.")}
                )
            seen.add(node.pk)
            node = node.parent


class PersonQuerySet(models.QuerySet["Person"]):
    """Contacts are seen by signed-in users only."""

    def visible_to(self, user: User | None) -> PersonQuerySet:
        """All contacts for a signed-in user, none for an anonymous visitor."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.all()


class Person(models.Model):
    """A contact: someone who works with or for an organisation in the forums."""

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Languages spoken, as codes separated by commas: en, ar, fr."),
        validators=[
            RegexValidator(
                r"^([a-z]{2,3})(\s*,\s*[a-z]{2,3})*$",
                _("Give language codes separated by commas, such as: en, ar, fr."),
            )
        ],
    )
    is_refugee_representative = models.BooleanField(_("refugee representative"), default=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    def language_list(self) -> list[str]:
        """The language codes, tidied."""
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class ProgrammeStage(models.TextChoices):
    """How far a State's resettlement programme has come (CRISP's terms)."""

    NEW = "new", _("New")
    EMERGING = "emerging", _("Emerging")
    ESTABLISHED = "established", _("Established")


class StateProfileQuerySet(PublicQuerySet["StateProfile"]):
    """Resettlement State profiles are public."""


class StateProfile(models.Model):
    """A resettlement State: the stage of its programme and when it began."""

    country = models.OneToOneField(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="state_profile"
    )
    programme_stage = models.CharField(
        _("programme stage"), max_length=12, choices=ProgrammeStage.choices
    )
    first_resettlement_year = models.PositiveSmallIntegerField(
        _("first year of resettlement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = StateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("resettlement State profile")
        verbose_name_plural = _("resettlement State profiles")
        ordering = ["country__name_en"]

    def __str__(self) -> str:
        return str(self.country)

    def get_absolute_url(self) -> str:
        return reverse("directory:country_detail", args=[self.country.iso3])
