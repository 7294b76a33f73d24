"""Documents of the forums and their meetings, in language variants with versions,
and the needs datasets (PGRN) presented at a consultation.

A document belongs to a forum, and optionally to one of its meetings and to
one of its consultation cycles. Each language variant has its own numbered
versions (1, 2, …); the current version of a language is its latest.

Who may read a document depends on its access level (DocumentQuerySet.visible_to):
public (whoever sees the forum), participants (of its meeting), forum members.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.accounts.roles import Role
from resettle.documents.languages import is_language_code, language_name
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.access import organised_meetings, participant_meetings
from resettle.meetings.models import Meeting
from resettle.needs.gap_queries import visible_versions
from resettle.needs.models import DatasetVersion, VersionStatus

if TYPE_CHECKING:
    from resettle.accounts.models import User


class DocumentKind(models.TextChoices):
    """What a document is."""

    AGENDA = "agenda", _("Agenda")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    BACKGROUND_PAPER = "background_paper", _("Background paper")
    REPORT = "report", _("Report")
    PRESENTATION = "presentation", _("Presentation")
    MINUTES = "minutes", _("Minutes")
    PGRN = "pgrn", _("Projected Global Resettlement Needs (PGRN)")
    OTHER = "other", _("Other")


class DocumentAccess(models.TextChoices):
    """Who may read a document."""

    PUBLIC = "public", _("Public")
    PARTICIPANTS = "participants", _("Participants of the meeting")
    MEMBERS = "members", _("Members of the forum")


def sees_all_documents(user: User) -> bool:
    """Administrators and UNHCR staff (UNHCR supports every forum) read every document."""
    return user.is_active and (user.is_platform_admin or user.role == Role.UNHCR)


def member_forums(user: User | None) -> models.QuerySet[Forum]:
    """The forums the user is a current member of: through a mandate of their
    organisation or of themselves, or as chair or secretariat."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Forum.objects.none()
    if sees_all_documents(user):
        return Forum.objects.all()
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    member = Q(pk__in=[])
    if user.organisation_id:
        member |= Q(chairs=user.organisation_id) | Q(secretariat=user.organisation_id)
        member |= Q(memberships__organisation=user.organisation_id) & current
    if user.person_id:
        member |= Q(memberships__person=user.person_id) & current
    return Forum.objects.filter(pk__in=Forum.objects.filter(member).values("pk"))


class DocumentQuerySet(models.QuerySet["Document"]):
    """Documents by access level: see visible_to."""

    def visible_to(self, user: User | None) -> DocumentQuerySet:
        """Public documents of the forums the user sees; participant documents of the
        meetings they take part in; member documents of the forums they belong to.
        Those who manage a document (organisers of its meeting, co-chairs of its
        cycle) see it whatever its level."""
        public = Q(access=DocumentAccess.PUBLIC, forum__in=Forum.objects.visible_to(user))
        if user is None or not user.is_authenticated or not user.is_active:
            return self.filter(public)
        if sees_all_documents(user):
            return self.all()
        cond = (
            public
            | Q(access=DocumentAccess.MEMBERS, forum__in=member_forums(user))
            | Q(access=DocumentAccess.PARTICIPANTS, meeting__in=participant_meetings(user))
            | Q(meeting__in=organised_meetings(user))
        )
        if user.organisation_id:
            # Co-chairs of a cycle manage its documents without a meeting, so they see them.
            org = user.organisation_id
            cond |= Q(meeting__isnull=True) & (
                Q(cycle__government_cochair=org) | Q(cycle__ngo_cochair=org)
            )
        return self.filter(cond)


class Document(models.Model):
    """A document of a forum (and of one of its meetings or cycles), with an access level.

    Its files are its versions, per language (DocumentVersion)."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    cycle = models.ForeignKey(
        ConsultationCycle,
        verbose_name=_("consultation cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    access = models.CharField(
        _("access"), max_length=20, choices=DocumentAccess.choices, default=DocumentAccess.PUBLIC
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

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:document_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        meeting = self.meeting if self.meeting_id else None
        cycle = self.cycle if self.cycle_id else None
        if meeting is not None and self.forum_id and meeting.forum_id != self.forum_id:
            errors["meeting"] = str(_("The meeting must be one of the forum's meetings."))
        if cycle is not None and self.forum_id and cycle.forum_id != self.forum_id:
            errors["cycle"] = str(_("The cycle must be one of the forum's cycles."))
        if (
            meeting is not None
            and cycle is not None
            and meeting.cycle_id is not None
            and meeting.cycle_id != cycle.pk
        ):
            errors["cycle"] = str(_("The cycle must be the meeting's cycle."))
        if self.access == DocumentAccess.PARTICIPANTS and meeting is None:
            errors["access"] = str(
                _("Only a meeting's document can be for its participants: choose the meeting.")
            )
        if errors:
            raise ValidationError(errors)

    def variants(self) -> list[Variant]:
        """The language variants, each with its versions (latest first)."""
        by_language: dict[str, list[DocumentVersion]] = {}
        for version in sorted(self.versions.all(), key=lambda v: (v.language, -v.number)):
            by_language.setdefault(version.language, []).append(version)
        ordered = sorted(by_language, key=language_sort_key)
        return [Variant(lang, by_language[lang]) for lang in ordered]

    def current_version(self, language: str) -> DocumentVersion | None:
        """The latest version of a language, if the document has that language."""
        return self.versions.filter(language=language).order_by("-number").first()


# The platform's languages first, then the other UN languages, then the rest.
LANGUAGE_ORDER = ("en", "ar", "fr", "es", "ru", "zh")


def language_sort_key(code: str) -> tuple[int, str]:
    """Order languages: the UN languages in a fixed order, the others by code."""
    if code in LANGUAGE_ORDER:
        return (LANGUAGE_ORDER.index(code), code)
    return (len(LANGUAGE_ORDER), code)


@dataclass(frozen=True)
class Variant:
    """One language of a document and its versions, latest first."""

    language: str
    versions: list[DocumentVersion]

    @property
    def current(self) -> DocumentVersion:
        """The latest version."""
        return self.versions[0]

    @property
    def language_name(self) -> str:
        """The language's own name (العربية, Français)."""
        return language_name(self.language)


def version_path(instance: DocumentVersion, filename: str) -> str:
    """documents/<document id>/<random name><extension>: the stored name tells
    nothing of the file and cannot be guessed."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{instance.document_id}/{uuid.uuid4().hex}{suffix}"


class DocumentVersion(models.Model):
    """One file of a document: a version of one language variant."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(
        _("language"), max_length=3, help_text=_("An ISO 639-1 code such as en, ar or fr.")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "number"], name="document_version_per_language"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}] v{self.number}"

    def download_url(self) -> str:
        """The download link of this very version (checked on every request)."""
        url = reverse("documents:download", args=[self.document_id])
        return f"{url}?lang={self.language}&version={self.number}"

    def clean(self) -> None:
        if self.language and not is_language_code(self.language):
            raise ValidationError(
                {"language": _("Give an ISO 639-1 language code, such as en, ar or fr.")}
            )


class PresentedDatasetQuerySet(models.QuerySet["PresentedDataset"]):
    """Seen by whoever sees both the consultation and the dataset version."""

    def visible_to(self, user: User | None) -> PresentedDatasetQuerySet:
        """Links whose meeting (or cycle) and dataset version the user may see."""
        place = Q(meeting__in=Meeting.objects.visible_to(user)) | Q(
            cycle__in=ConsultationCycle.objects.visible_to(user)
        )
        return self.filter(place, dataset_version__in=visible_versions(user))


class PresentedDataset(models.Model):
    """A needs dataset version (the PGRN) presented at a consultation: a meeting or a cycle."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="presented_datasets",
    )
    cycle = models.ForeignKey(
        ConsultationCycle,
        verbose_name=_("consultation cycle"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="presented_datasets",
    )
    dataset_version = models.ForeignKey(
        DatasetVersion,
        verbose_name=_("dataset version"),
        on_delete=models.CASCADE,
        related_name="presentations",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attached by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("attached"), default=timezone.now)

    objects = PresentedDatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("presented dataset")
        verbose_name_plural = _("presented datasets")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False) & Q(cycle__isnull=True))
                | (Q(meeting__isnull=True) & Q(cycle__isnull=False)),
                name="presented_meeting_xor_cycle",
            ),
            models.UniqueConstraint(
                fields=["meeting", "dataset_version"], name="presented_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["cycle", "dataset_version"], name="presented_once_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        where: Any = self.meeting if self.meeting_id else self.cycle
        return f"{self.dataset_version} — {where}"

    def gap_url(self) -> str:
        """The gap page as of this dataset version."""
        return reverse("needs:gap") + f"?version={self.dataset_version_id}"

    def clean(self) -> None:
        if (self.meeting_id is None) == (self.cycle_id is None):
            raise ValidationError({"meeting": _("Choose either a meeting or a cycle.")})
        if self.dataset_version_id and self.dataset_version.status != VersionStatus.DONE:
            raise ValidationError(
                {"dataset_version": _("Only a completed import can be presented.")}
            )
