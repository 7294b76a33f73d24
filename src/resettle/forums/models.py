"""Forums, their memberships and mandates, and the cycles of the consultations."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.accounts.roles import Role
from resettle.directory.models import Country, Organisation, OrganisationKind, Person

if TYPE_CHECKING:
    from resettle.accounts.models import User


class ForumKind(models.TextChoices):
    """What sort of forum."""

    CONSULTATION = "consultation", _("Consultation")
    WORKING_GROUP = "working_group", _("Working group")
    ADVISORY_GROUP = "advisory_group", _("Advisory group")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    CORE_GROUP = "core_group", _("Core group")
    NETWORK = "network", _("Network")
    THEMATIC_WORKING_GROUP = "thematic_working_group", _("Thematic working group")
    SUPPORT_FACILITY = "support_facility", _("Support facility")
    CAPACITY_BUILDING = "capacity_building", _("Capacity-building initiative")


class ForumAccess(models.TextChoices):
    """Who may see a forum."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


def _sees_everything(user: User) -> bool:
    # UNHCR supports or runs the secretariat of every forum, so its staff see all.
    return user.is_platform_admin or user.role == Role.UNHCR


class ForumQuerySet(models.QuerySet["Forum"]):
    """Public forums for everyone; members-only forums for their members."""

    def visible_to(self, user: User | None) -> ForumQuerySet:
        """The forums this user may see."""
        if user is None or not user.is_authenticated:
            return self.filter(access=ForumAccess.PUBLIC)
        if _sees_everything(user):
            return self.all()
        today = timezone.localdate()
        member = Q(access=ForumAccess.PUBLIC)
        # A mandate opens the forum from its first day to its last, not before.
        current = Q(memberships__start_date__lte=today) & (
            Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
        )
        if user.organisation_id:
            member |= Q(chairs=user.organisation_id) | Q(secretariat=user.organisation_id)
            member |= Q(memberships__organisation=user.organisation_id) & current
        if user.person_id:
            member |= Q(memberships__person=user.person_id) & current
        ids = Forum.objects.filter(member).values("pk")
        return self.filter(pk__in=ids)


class Forum(models.Model):
    """A multilateral forum: a consultation, working group, network or initiative."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ForumKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent forum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    chairs = models.ManyToManyField(
        Organisation, verbose_name=_("chairing organisations"), blank=True, related_name="+"
    )
    secretariat = models.ManyToManyField(
        Organisation, verbose_name=_("secretariat"), blank=True, related_name="+"
    )
    established_year = models.PositiveSmallIntegerField(
        _("established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
    )
    mandate_years = models.PositiveSmallIntegerField(
        _("mandate (years)"),
        null=True,
        blank=True,
        help_text=_("For a body set up for a limited time, such as a two-year mandate."),
    )
    description = models.TextField(_("description"), blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    terms_document = models.FileField(
        _("terms of reference (document)"), upload_to="forums/tor/", blank=True
    )
    working_languages = models.CharField(
        _("working languages"),
        max_length=60,
        default="en",
        help_text=_("Language codes separated by commas: en, ar, fr."),
        validators=[
            RegexValidator(
                r"^([a-z]{2,3})(\s*,\s*[a-z]{2,3})*$",
                _("Give language codes separated by commas, such as: en, ar, fr."),
            )
        ],
    )
    access = models.CharField(
        _("access"), max_length=10, choices=ForumAccess.choices, default=ForumAccess.PUBLIC
    )

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:forum_detail", args=[self.pk])

    def clean(self) -> None:
        node = self.parent
        seen: set[int] = set()
        while node is not None:
            # A loop stored above this forum is refused too, rather than walked forever.
            if (self.pk is not None and node.pk == self.pk) or node.pk in seen:
                raise ValidationError({"parent": _("A forum cannot be its own parent.")})
            seen.add(node.pk)
            node = node.parent

    def language_list(self) -> list[str]:
        """The working languages' codes."""
        return [c.strip() for c in self.working_languages.split(",") if c.strip()]


class MembershipRole(models.TextChoices):
    """The part a member plays in a forum."""

    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    ADVISER = "adviser", _("Adviser")
    REFUGEE_REPRESENTATIVE = "refugee_representative", _("Refugee representative")


# Roles whose holders run the forum and so may edit it and its roster.
LEADING_ROLES = (MembershipRole.CHAIR, MembershipRole.CO_CHAIR, MembershipRole.SECRETARIAT)


class MembershipQuerySet(models.QuerySet["Membership"]):
    """Memberships are seen by whoever sees their forum."""

    def visible_to(self, user: User | None) -> MembershipQuerySet:
        """Memberships of the forums this user may see."""
        return self.filter(forum__in=Forum.objects.visible_to(user))

    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Mandates running on a date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def past(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Mandates that have ended."""
        return self.filter(end_date__lt=on or timezone.localdate())

    def ending_within(self, days: int, on: datetime.date | None = None) -> MembershipQuerySet:
        """Current mandates that end within the given number of days."""
        day = on or timezone.localdate()
        return self.current(day).filter(end_date__lte=day + datetime.timedelta(days=days))


class Membership(models.Model):
    """An organisation or a person in a forum, with a role and a mandate."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=MembershipRole.choices)
    start_date = models.DateField(_("mandate start"))
    end_date = models.DateField(_("mandate end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["forum__name", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(person__isnull=True))
                | (Q(organisation__isnull=True) & Q(person__isnull=False)),
                name="membership_org_xor_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_role_display()} — {self.forum.acronym or self.forum}"

    @property
    def member(self) -> Organisation | Person | None:
        """The organisation or person holding the membership."""
        return self.organisation or self.person

    def get_absolute_url(self) -> str:
        return reverse("forums:membership_detail", args=[self.pk])

    def clean(self) -> None:
        if (self.organisation_id is None) == (self.person_id is None):
            raise ValidationError(
                {"organisation": _("Give either an organisation or a person, not both.")}
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The mandate cannot end before it starts.")})

    def is_current(self, on: datetime.date | None = None) -> bool:
        """Whether the mandate runs on a date (today by default)."""
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class CycleQuerySet(models.QuerySet["ConsultationCycle"]):
    """Cycles are seen by whoever sees their consultation."""

    def visible_to(self, user: User | None) -> CycleQuerySet:
        """Cycles of the forums this user may see."""
        return self.filter(forum__in=Forum.objects.visible_to(user))


class CycleStatus(models.TextChoices):
    """Where a cycle stands in time."""

    PAST = "past", _("Past")
    CURRENT = "current", _("Current")
    PLANNED = "planned", _("Planned")


class ConsultationCycle(models.Model):
    """One yearly cycle of the ATCR/CRCP, co-chaired by a State and an NGO of that State."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("consultation"), on_delete=models.PROTECT, related_name="cycles"
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(1995), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(1995), MaxValueValidator(2100)]
    )
    state = models.ForeignKey(
        Country, verbose_name=_("chairing State"), on_delete=models.PROTECT, related_name="+"
    )
    government_cochair = models.ForeignKey(
        Organisation,
        verbose_name=_("government co-chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ngo_cochair = models.ForeignKey(
        Organisation, verbose_name=_("NGO co-chair"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    unhcr_support = models.BooleanField(_("supported by UNHCR"), default=True)
    rag_consulted = models.BooleanField(_("Refugee Advisory Group consulted"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation cycle")
        verbose_name_plural = _("consultation cycles")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "start_year"], name="cycle_forum_year"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="cycle_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum.acronym or self.forum.name} {self.label}"

    @property
    def label(self) -> str:
        """2023-24 for a cycle spanning two years, 2018 for one."""
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}-{str(self.end_year)[-2:]}"

    def get_absolute_url(self) -> str:
        return reverse("forums:cycle_detail", args=[self.pk])

    def status(self, today: datetime.date | None = None) -> CycleStatus:
        """Past, current or planned, against today's year."""
        year = (today or timezone.localdate()).year
        if self.end_year < year:
            return CycleStatus.PAST
        if self.start_year > year:
            return CycleStatus.PLANNED
        return CycleStatus.CURRENT

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors.setdefault("end_year", []).append(
                str(_("The last year cannot come before the first year."))
            )
        if self.forum_id and self.forum.kind != ForumKind.CONSULTATION:
            errors.setdefault("forum", []).append(
                str(_("Cycles belong to a consultation forum, such as the ATCR/CRCP."))
            )
        gov = self.government_cochair if self.government_cochair_id else None
        ngo = self.ngo_cochair if self.ngo_cochair_id else None
        state = self.state if self.state_id else None
        if gov is not None and gov.kind != OrganisationKind.STATE:
            errors.setdefault("government_cochair", []).append(
                str(_("The government co-chair must be a State government body."))
            )
        if ngo is not None and ngo.kind != OrganisationKind.NGO:
            errors.setdefault("ngo_cochair", []).append(str(_("The NGO co-chair must be an NGO.")))
        if gov is not None and state is not None and gov.country_id != state.pk:
            errors.setdefault("government_cochair", []).append(
                _("The government co-chair must belong to the chairing State, %(state)s.")
                % {"state": state.name}
            )
        if ngo is not None and state is not None and ngo.country_id != state.pk:
            if ngo.country is None:
                message = _(
                    "The NGO co-chair must come from the same State as the government "
                    "co-chair (%(state)s); this NGO has no country recorded."
                ) % {"state": state.name}
            else:
                message = _(
                    "The NGO co-chair must come from the same State as the government "
                    "co-chair (%(state)s), not from %(other)s."
                ) % {"state": state.name, "other": ngo.country.name}
            errors.setdefault("ngo_cochair", []).append(message)
        if errors:
            raise ValidationError(errors)
