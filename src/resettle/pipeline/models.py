"""The case pipeline of the Resettlement Support Facility (RSF).

A `CaseFile` follows one referred `cases.ResettlementCase` through the
facility: its stage (see `stages.py`), the dates it reached each stage, its
family members (names, dates of birth, medical and accessibility needs
encrypted at rest, see `crypto.py`), its stage events, cultural orientation,
medical assessments and travel.

Free text about a family (stage notes, hold or withdrawal reasons, the
purpose given for reading personal data) is sealed too, so the audit log
holds fingerprints of it only. Exports and erasures of a family's data are
recorded as `SubjectRequest`s (see `subjects.py`, `retention.py` and
docs/data-protection.md).

Who sees what (see `access.py`): facility staff (role rsf), UNHCR staff,
administrators and medical staff see every case file; a State official sees
the case files of cases referred to their State; nobody else sees any.
Medical details: medical staff and the referred State's officials only.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.directory.models import Organisation
from resettle.pipeline import stages
from resettle.pipeline.crypto import seal, seal_date, unseal, unseal_date

if TYPE_CHECKING:
    from resettle.accounts.models import User

ADULT_AGE = 18


class Stage(models.TextChoices):
    """A case's stage in the facility (rules in stages.py)."""

    REFERRED = stages.REFERRED, _("Referred by UNHCR")
    ACCEPTED_FOR_MISSION = stages.ACCEPTED_FOR_MISSION, _("Accepted for a mission")
    INTERVIEW_SCHEDULED = stages.INTERVIEW_SCHEDULED, _("Interview scheduled")
    NO_SHOW = stages.NO_SHOW, _("Interview no-show")
    INTERVIEWED = stages.INTERVIEWED, _("Interviewed")
    PENDING_SECURITY = stages.PENDING_SECURITY, _("Decision: pending security check")
    ACCEPTED = stages.ACCEPTED, _("Decision: accepted")
    REJECTED = stages.REJECTED, _("Decision: rejected")
    MEDICAL_FOLLOW_UP = stages.MEDICAL_FOLLOW_UP, _("Medical: follow-up needed")
    MEDICAL_UNFIT = stages.MEDICAL_UNFIT, _("Medical: unfit to travel")
    MEDICAL_FIT = stages.MEDICAL_FIT, _("Medical: fit to travel")
    ORIENTATION_COMPLETED = stages.ORIENTATION_COMPLETED, _("Cultural orientation completed")
    EXIT_PERMISSION = stages.EXIT_PERMISSION, _("Exit permission")
    TRAVEL_BOOKED = stages.TRAVEL_BOOKED, _("Travel booked")
    DEPARTED = stages.DEPARTED, _("Departed")
    ON_HOLD = stages.ON_HOLD, _("On hold")
    WITHDRAWN = stages.WITHDRAWN, _("Withdrawn")


MOVE_LABELS: dict[str, Any] = {**dict(Stage.choices), stages.RESUME: _("Resume")}


class Sex(models.TextChoices):
    """Sex as recorded on the referral."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")


class Relationship(models.TextChoices):
    """A family member's relationship to the principal applicant."""

    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Module(models.TextChoices):
    """Modules of the cultural orientation curriculum."""

    ARRIVAL = "arrival", _("Pre-departure and travel")
    ROLE_OF_AGENCIES = "agencies", _("Role of the receiving agencies")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health care")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    LANGUAGE = "language", _("Language learning")
    RIGHTS = "rights", _("Rights and responsibilities")
    CULTURAL_ADJUSTMENT = "adjustment", _("Cultural adjustment")
    MONEY = "money", _("Budgeting and money")


# ---- who sees what ----------------------------------------------------------

# Roles that see every case file: facility staff run it, UNHCR refers the
# cases (and already holds the data), administrators run the platform.
ALL_FILES_ROLES = ("admin", "unhcr", "rsf")


def is_medical_staff(user: User | None) -> bool:
    """Whether a user is on the medical staff list (kept by administrators)."""
    if user is None or not user.is_active or user.pk is None:
        return False
    return MedicalStaff.objects.filter(user=user, active=True).exists()


def user_state_id(user: User | None) -> int | None:
    """The country of a State official's organisation (None for anyone else)."""
    if user is None or user.role != "state" or user.organisation is None:
        return None
    return user.organisation.country_id


def case_file_filter(user: User | None) -> models.Q | None:
    """The Q selecting the case files a user sees (None: all; Q(pk__in=[]): none)."""
    if user is None or not user.is_active:
        return models.Q(pk__in=[])
    if user.is_platform_admin or user.role in ALL_FILES_ROLES or is_medical_staff(user):
        return None
    state = user_state_id(user)
    if state is None:
        return models.Q(pk__in=[])
    return models.Q(case__status=CaseStatus.REFERRED, case__referred_state_id=state)


class CaseFileQuerySet(models.QuerySet["CaseFile"]):
    """Who sees which case files."""

    def visible_to(self, user: User | None) -> CaseFileQuerySet:
        """Facility staff, UNHCR, admins and medical staff: all; a State: its referred
        cases; everyone else: none."""
        cond = case_file_filter(user)
        return self.all() if cond is None else self.filter(cond)


class CaseFile(models.Model):
    """One referred case followed through the facility: stage, dates, organisations."""

    case = models.OneToOneField(
        ResettlementCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="case_file",
    )
    province = models.CharField(
        _("province of residence"),
        max_length=80,
        help_text=_("Province of residence in the country of asylum (transport is planned by it)."),
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.REFERRED
    )
    stage_since = models.DateField(_("in this stage since"), default=timezone.localdate)
    # {stage: ISO date it was first reached}: the indicators read it.
    stage_dates = models.JSONField(_("stage dates"), default=dict, blank=True)
    held_from = models.CharField(
        _("held from stage"), max_length=24, choices=Stage.choices, blank=True
    )
    # Free text about the family (why it is on hold or withdrawn) is sealed like
    # names: the audit log then holds a fingerprint of it, never the text.
    reason_sealed = models.TextField(
        _("hold or withdrawal reason (encrypted)"),
        blank=True,
        help_text=_("Why the case is on hold or withdrawn."),
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("responsible organisations"),
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    # When the family's personal data was erased (subjects.py): names replaced by
    # pseudonyms, dates of birth, medical details and free text removed.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["case__reference"]
        indexes = [models.Index(fields=["stage"], name="pipeline_casefile_stage")]

    def __str__(self) -> str:
        return self.case.reference

    def get_absolute_url(self) -> str:
        return reverse("pipeline:casefile_detail", args=[self.pk])

    @property
    def reason(self) -> str:
        return unseal(self.reason_sealed)

    @reason.setter
    def reason(self, value: str) -> None:
        self.reason_sealed = seal(value)

    def closed_on(self) -> datetime.date | None:
        """The date the case reached a final stage (departed, rejected, withdrawn)."""
        return self.stage_since if self.stage in stages.FINAL else None

    def days_in_stage(self, today: datetime.date | None = None) -> int:
        """Days since the case reached its current stage."""
        return ((today or timezone.localdate()) - self.stage_since).days

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Whether it stayed longer in its stage than the facility aims for."""
        return stages.is_overdue(self.stage, self.days_in_stage(today))

    def adults(self, on: datetime.date | None = None) -> int:
        """Family members aged 18 or more (the scheduler's interview length)."""
        return sum(1 for m in self.members.all() if m.is_adult(on))

    def interviewees(self) -> int:
        """Family members who must be interviewed."""
        return sum(1 for m in self.members.all() if m.interview_required)

    def languages(self) -> list[str]:
        """The languages the family speaks, members' first, then the case's."""
        found: list[str] = []
        for m in self.members.all():
            for code in m.languages:
                if code not in found:
                    found.append(code)
        for code in self.case.languages:
            if code not in found:
                found.append(code)
        return found


class FamilyMember(models.Model):
    """A person of a case. Name, date of birth and needs are encrypted at rest.

    Read `name`, `date_of_birth`, `medical_needs` and `accessibility_needs`
    (properties); the `*_sealed` columns hold Fernet ciphertext. Reading them
    for a user goes through services, which log the access.
    """

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="members"
    )
    position = models.PositiveSmallIntegerField(_("number in the family"), default=1)
    name_sealed = models.TextField(_("name (encrypted)"))
    date_of_birth_sealed = models.TextField(_("date of birth (encrypted)"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, such as ar, ku.")
    )
    interview_required = models.BooleanField(_("interview required"), default=True)
    # An adult flag kept in clear: the scheduler needs it without decrypting dates.
    is_minor = models.BooleanField(_("minor"), default=False)
    medical_needs_sealed = models.TextField(_("medical needs (encrypted)"), blank=True)
    accessibility_needs_sealed = models.TextField(_("accessibility needs (encrypted)"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    # Set when the member's personal data was erased: the name is then a pseudonym.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["case_file", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file", "position"], name="pipeline_member_position"
            )
        ]

    def __str__(self) -> str:
        # Never the name: str() reaches the audit log and the admin.
        return f"{self.case_file} #{self.position}"

    @property
    def name(self) -> str:
        return unseal(self.name_sealed)

    @name.setter
    def name(self, value: str) -> None:
        self.name_sealed = seal(value)

    @property
    def date_of_birth(self) -> datetime.date | None:
        return unseal_date(self.date_of_birth_sealed)

    @date_of_birth.setter
    def date_of_birth(self, value: datetime.date | None) -> None:
        self.date_of_birth_sealed = seal_date(value)

    @property
    def medical_needs(self) -> str:
        return unseal(self.medical_needs_sealed)

    @medical_needs.setter
    def medical_needs(self, value: str) -> None:
        self.medical_needs_sealed = seal(value)

    @property
    def accessibility_needs(self) -> str:
        return unseal(self.accessibility_needs_sealed)

    @accessibility_needs.setter
    def accessibility_needs(self, value: str) -> None:
        self.accessibility_needs_sealed = seal(value)

    def is_adult(self, on: datetime.date | None = None) -> bool:
        """Adult on a date (today by default) from the date of birth; else not a minor."""
        born = self.date_of_birth
        if born is None:
            return not self.is_minor
        on = on or timezone.localdate()
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        return age >= ADULT_AGE


class StageEvent(models.Model):
    """A move of a case file: the stage reached, when, by which organisation, why."""

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField(_("stage reached"), max_length=24, choices=Stage.choices)
    from_stage = models.CharField(_("from stage"), max_length=24, choices=Stage.choices, blank=True)
    resumed = models.BooleanField(_("resumed from hold"), default=False)
    date = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Sealed, like the case file's reason: a note may say anything about the family.
    note_sealed = models.TextField(_("note (encrypted)"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        ordering = ["case_file", "date", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_file} → {self.stage} ({self.date})"

    @property
    def note(self) -> str:
        return unseal(self.note_sealed)

    @note.setter
    def note(self, value: str) -> None:
        self.note_sealed = seal(value)


class MedicalStaff(models.Model):
    """A user on the facility's medical team: may record and read medical details.

    Kept by platform administrators (Django admin or the service); there is no
    medical role, so this list grants the capability per user.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="medical_staff",
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("medical staff member")
        verbose_name_plural = _("medical staff")

    def __str__(self) -> str:
        return str(self.user)


class Outcome(models.TextChoices):
    """The result of a medical assessment."""

    FIT = stages.MEDICAL_FIT, _("Fit to travel")
    UNFIT = stages.MEDICAL_UNFIT, _("Unfit to travel")
    FOLLOW_UP = stages.MEDICAL_FOLLOW_UP, _("Follow-up needed")


class MedicalAssessment(models.Model):
    """A medical assessment of a case: outcome and (encrypted) findings.

    The outcome moves the case's stage (the pipeline shows fit, unfit or
    follow-up); the findings are medical details for medical staff and the
    referred State only.
    """

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="assessments"
    )
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    findings_sealed = models.TextField(_("findings (encrypted)"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("medical assessment")
        verbose_name_plural = _("medical assessments")
        ordering = ["case_file", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.case_file} {self.date}"

    @property
    def findings(self) -> str:
        return unseal(self.findings_sealed)

    @findings.setter
    def findings(self, value: str) -> None:
        self.findings_sealed = seal(value)


class OrientationSession(models.Model):
    """A cultural orientation session: date, curriculum modules, language, facilitator."""

    date = models.DateField(_("date"))
    modules = models.JSONField(_("modules"), default=list)
    language = models.CharField(_("language"), max_length=8, help_text=_("A code such as ar."))
    facilitator = models.CharField(_("facilitator"), max_length=120)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("cultural orientation session")
        verbose_name_plural = _("cultural orientation sessions")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("pipeline:session_detail", args=[self.pk])

    def module_labels(self) -> list[str]:
        labels = dict(Module.choices)
        return [str(labels.get(m, m)) for m in self.modules]


class Attendance(models.Model):
    """Whether a family member attended a cultural orientation session."""

    session = models.ForeignKey(
        OrientationSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    member = models.ForeignKey(
        FamilyMember, verbose_name=_("family member"), on_delete=models.CASCADE, related_name="+"
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="pipeline_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.member}"


class TravelBooking(models.Model):
    """A flight booked for a case's departure."""

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="bookings"
    )
    flight = models.CharField(_("flight"), max_length=40, help_text=_("Carrier and number."))
    date = models.DateField(_("flight date"))
    destination = models.CharField(_("destination airport"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("flight booking")
        verbose_name_plural = _("flight bookings")
        ordering = ["case_file", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.case_file} {self.flight} {self.date}"


class Access(models.TextChoices):
    """What personal data a read showed."""

    PERSONAL = "personal", _("Names and dates of birth")
    MEDICAL = "medical", _("Medical details")
    EXPORT = "export", _("Export of family members")
    SUBJECT = "subject", _("Export of everything held about the family (subject access)")


class PersonalDataAccess(models.Model):
    """One read of a case's personal data: who, when, what, through which channel.

    The audit log records writes only (no "view" action), so reads are logged
    here, each entry itself written through save_with_audit.
    """

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="accesses"
    )
    # None for the command line (`resettle subject-export`): user_repr names it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_repr = models.CharField(_("who (name)"), max_length=150)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    what = models.CharField(_("what"), max_length=10, choices=Access.choices)
    channel = models.CharField(_("channel"), max_length=10, default="web")
    # Sealed: a purpose typed by staff may name the person.
    purpose_sealed = models.TextField(_("purpose (encrypted)"), blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_repr} {self.what} {self.case_file_id}"

    @property
    def purpose(self) -> str:
        return unseal(self.purpose_sealed)

    @purpose.setter
    def purpose(self, value: str) -> None:
        self.purpose_sealed = seal(value)


class RequestKind(models.TextChoices):
    """What a data subject request did."""

    EXPORT = "export", _("Export of everything held")
    ERASURE = "erasure", _("Erasure")


class ErasureScope(models.TextChoices):
    """What an erasure removed."""

    PERSONAL = "personal", _("Personal data: names pseudonymised, the rest removed")
    MEDICAL = "medical", _("Medical details only")


class RequestOrigin(models.TextChoices):
    """Who asked for it."""

    REQUEST = "request", _("On request")
    RETENTION = "retention", _("Retention period over")


class SubjectRequest(models.Model):
    """A data subject request carried out: an export or an erasure, who, when, why.

    Written by `subjects.py` (the admin actions, `resettle subject-export`,
    `resettle subject-erase`, `resettle retention`) in the transaction of the
    export or erasure, itself audited. It names the case and the member by
    reference and position, never by name; `counts` says how many records an
    erasure changed, by kind. The reason must not name the person (refused).
    """

    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    case = models.ForeignKey(
        ResettlementCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        FamilyMember,
        verbose_name=_("family member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.CharField(_("scope"), max_length=10, choices=ErasureScope.choices, blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=RequestOrigin.choices, default=RequestOrigin.REQUEST
    )
    reason = models.TextField(_("reason"), blank=True)
    counts = models.JSONField(_("records changed"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_repr = models.CharField(_("who (name)"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, default="admin")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        who = f" #{self.member.position}" if self.member is not None else ""
        return f"{self.kind} {self.case}{who}"
