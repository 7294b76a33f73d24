"""The knowledge library: documents, good-practice notes, reports, handbooks and
training material of the community of practice, with their extracted text and
the normalised stems that the search index holds (see library/search.py).

Access levels (LibraryItemQuerySet.visible_to):

- public: everyone, visitors included;
- members: any signed-in user whose account belongs to an organisation (every
  organisation with accounts on the platform takes part in the community of
  practice), and administrators;
- forum members: members of one of the item's forums (a current mandate of
  their organisation or of themselves, or chairing or running the secretariat
  of it), the users of the organisation that owns the item and its author.

Administrators and UNHCR staff (UNHCR supports every forum) read every item.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.accounts.roles import Role
from resettle.directory.models import Organisation
from resettle.documents.languages import UN_LANGUAGES, language_name
from resettle.forums.models import Forum

if TYPE_CHECKING:
    from resettle.accounts.models import User


class ItemKind(models.TextChoices):
    """What a library item is."""

    DOCUMENT = "document", _("Document")
    PRACTICE_NOTE = "practice_note", _("Good-practice note")
    REPORT = "report", _("Report")
    HANDBOOK = "handbook", _("Handbook")
    TRAINING = "training", _("Training material")


class Theme(models.TextChoices):
    """The themes of the community of practice."""

    PROCESSING = "processing", _("Processing modalities")
    ADJUDICATION = "adjudication", _("Adjudication methods")
    REMOTE_INTERVIEWING = "remote_interviewing", _("Remote interviewing")
    SPONSORSHIP = "sponsorship", _("Community sponsorship")
    INTEGRATION = "integration", _("Integration")
    PATHWAYS = "pathways", _("Complementary pathways")
    DATA = "data", _("Data")


class ItemAccess(models.TextChoices):
    """Who may read a library item (see the module docstring)."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members (signed-in users of member organisations)")
    FORUM_MEMBERS = "forum_members", _("Members of the item's forums")


# The languages an item can be available in (the six UN languages): each has a bit in
# LibraryText.languages_mask, as each theme has in themes_mask.
ITEM_LANGUAGES = [code for code, _name in UN_LANGUAGES]


def mask(values: list[str], universe: list[str]) -> int:
    """The bits of the values among a fixed list (for facet counts in one pass)."""
    return sum(1 << universe.index(v) for v in values if v in universe)


# Languages of the text that the search stems (others are indexed with the English rules).
TEXT_LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("fr", _("French"))]


def sees_every_item(user: User) -> bool:
    """Administrators and UNHCR staff read every item."""
    return user.is_active and (user.is_platform_admin or user.role == Role.UNHCR)


def is_member(user: User) -> bool:
    """Whether the user counts as a member of the community (members-level items)."""
    return user.is_active and (user.organisation_id is not None or user.is_platform_admin)


def member_forum_ids(user: User, using: str = "default") -> list[int]:
    """The forums the user is a current member of: a mandate of their organisation or
    of themselves, or chairing or running the secretariat of the forum."""
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    cond = Q(pk__in=[])
    if user.organisation_id:
        org = user.organisation_id
        cond |= Q(chairs=org) | Q(secretariat=org) | (Q(memberships__organisation=org) & current)
    if user.person_id:
        cond |= Q(memberships__person=user.person_id) & current
    return sorted(set(Forum.objects.using(using).filter(cond).values_list("pk", flat=True)))


def access_condition(user: User | None, using: str = "default") -> Q | None:
    """The condition on items that a user may read (None: every item)."""
    public = Q(access=ItemAccess.PUBLIC)
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    if sees_every_item(user):
        return None
    cond = public | Q(created_by=user.pk)
    if is_member(user):
        cond |= Q(access=ItemAccess.MEMBERS)
    if user.organisation_id:
        cond |= Q(owner_id=user.organisation_id)
    forum_ids = member_forum_ids(user, using)
    if forum_ids:
        through = LibraryItem.forums.through.objects.using(using)
        cond |= Q(
            access=ItemAccess.FORUM_MEMBERS,
            pk__in=through.filter(forum_id__in=forum_ids).values("libraryitem_id"),
        )
    return cond


class LibraryItemQuerySet(models.QuerySet["LibraryItem"]):
    """Library items by access level: see visible_to."""

    def visible_to(self, user: User | None) -> LibraryItemQuerySet:
        """The items the user may read (see the module docstring)."""
        cond = access_condition(user, self.db)
        return self.all() if cond is None else self.filter(cond)


def item_file_path(instance: LibraryItem, filename: str) -> str:
    """library/<random name><extension>: the stored name tells nothing and cannot be guessed."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"library/{uuid.uuid4().hex}{suffix}"


def codes(value: str) -> list[str]:
    """The codes of a ",a,b," field."""
    return [c for c in value.split(",") if c]


def pack_codes(values: Any) -> str:
    """ ",a,b," from codes (sorted, unique): the commas at both ends let a filter look
    for ",a," alike on both database engines."""
    unique = sorted({str(v).strip() for v in values or [] if str(v).strip()})
    return f",{','.join(unique)}," if unique else ""


class LibraryItem(models.Model):
    """A document, good-practice note, report, handbook or training material of the
    knowledge library: an uploaded file (PDF, DOCX, HTML) or a text body, with its
    extracted text and the stems the search index holds."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    languages = models.CharField(
        _("languages"),
        max_length=60,
        blank=True,
        help_text=_("The languages the item is available in."),
    )
    themes = models.CharField(_("themes"), max_length=200, blank=True)
    forums = models.ManyToManyField(
        Forum, verbose_name=_("forums"), blank=True, related_name="library_items"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="library_items"
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
    )
    access = models.CharField(
        _("access"), max_length=20, choices=ItemAccess.choices, default=ItemAccess.PUBLIC
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owning organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its users may edit the item."),
    )
    file = models.FileField(_("file"), upload_to=item_file_path, max_length=200, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    body = models.TextField(_("text"), blank=True, help_text=_("The text of a note."))
    text_language = models.CharField(
        _("language of the text"), max_length=3, choices=TEXT_LANGUAGES, default="en"
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = LibraryItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["access"], name="library_item_access")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item_detail", args=[self.pk])

    def download_url(self) -> str:
        """The checked download link (never a public media URL)."""
        return reverse("library:download", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        """The item's language codes."""
        return codes(self.languages)

    @property
    def theme_list(self) -> list[str]:
        """The item's theme codes."""
        return codes(self.themes)

    def theme_labels(self) -> list[str]:
        """The item's themes, named."""
        labels = dict(Theme.choices)
        return [str(labels.get(t, t)) for t in self.theme_list]

    def language_names(self) -> list[str]:
        """The item's languages, each in its own name."""
        return [language_name(c) for c in self.language_list]

    @property
    def extracted_text(self) -> str:
        """The text extracted from the file (empty for a note)."""
        index = getattr(self, "index", None)
        return index.extracted_text if index is not None else ""

    @property
    def text(self) -> str:
        """The searchable text: the note's body, else the file's extracted text."""
        return self.body or self.extracted_text

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        bad = [c for c in self.language_list if c not in ITEM_LANGUAGES]
        if bad:
            errors["languages"] = _(
                "Unknown language codes: %(codes)s (give en, ar, fr, es, ru or zh)."
            ) % {"codes": ", ".join(bad)}
        unknown = [t for t in self.theme_list if t not in Theme.values]
        if unknown:
            errors["themes"] = _("Unknown themes: %(themes)s.") % {"themes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)


class LibraryText(models.Model):
    """What the search reads of an item, derived from it by the service on every save:
    the text extracted from its file, its normalised stems (library/textnorm.py), and
    copies of the item's access and facet fields.

    Kept apart from LibraryItem so that the audit log records what people changed
    (the item), not a copy of a whole extracted book at every edit, and so that a
    search reads one narrow table: matching, access filtering, facets and ranking
    never touch the items' texts. It is rebuilt from the item, never edited. Its
    id is the item's id: on SQLite an integer primary key is the row id itself,
    which the FTS5 index refers to, so a match costs one look-up per row.
    Small columns come first: SQLite reads a row's columns in order.
    """

    id = models.BigAutoField(primary_key=True)  # set to the item's id (services.reindex)
    item = models.OneToOneField(
        LibraryItem,
        verbose_name=_("library item"),
        on_delete=models.CASCADE,
        related_name="index",
    )
    # Copies of the item's fields (see LibraryItemQuerySet.visible_to and search.py).
    access = models.CharField(max_length=20, choices=ItemAccess.choices)
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    year = models.PositiveSmallIntegerField(null=True)
    # A bit per theme (Theme.values) and per language (ITEM_LANGUAGES): integer tests
    # let one pass over the matches count every facet.
    themes_mask = models.PositiveIntegerField(default=0)
    languages_mask = models.PositiveIntegerField(default=0)
    forum_ids = models.CharField(max_length=400, blank=True)  # ",1,4,": see pack_codes
    owner_org_id = models.BigIntegerField(null=True)
    author_id = models.BigIntegerField(null=True)
    # Stems padded with spaces, for " stem " look-ups by the ranking.
    rank_title = models.TextField(blank=True)
    rank_summary = models.TextField(blank=True)
    rank_keywords = models.TextField(blank=True)
    # Every stem once, space-separated: the input of the FTS5 table and the GIN index.
    search_tokens = models.TextField(blank=True)
    extracted_text = models.TextField(_("extracted text"), blank=True)

    class Meta:
        verbose_name = _("library item text")
        verbose_name_plural = _("library item texts")

    def __str__(self) -> str:
        return f"text of {self.item_id}"
