"""Business rules of the knowledge library: who may add and change items, uploads
with text extraction, and keeping each item's search text (LibraryText) in step.

Who may add items: administrators, UNHCR staff and signed-in users of an
organisation (the item then belongs to that organisation). Who may change or
delete an item: administrators, UNHCR staff, the users of the organisation
that owns it, and its author.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.documents.services import max_upload_bytes
from resettle.library.extract import EXTENSIONS, ExtractionError, extract_text
from resettle.library.models import (
    ITEM_LANGUAGES,
    ItemAccess,
    LibraryItem,
    LibraryText,
    Theme,
    mask,
    pack_codes,
    sees_every_item,
)
from resettle.library.textnorm import index_tokens, keywords, padded

ITEM_FIELDS = (
    "title",
    "summary",
    "kind",
    "languages",
    "themes",
    "year",
    "access",
    "body",
    "text_language",
)
M2M_FIELDS = ("forums", "organisations")
THEMES: list[str] = list(Theme.values)
RANK_STEMS = 60  # stems of the title and the summary that the ranking reads
FILE_KINDS = {"pdf": "PDF", "docx": "DOCX", "html": "HTML", "htm": "HTML"}


# ---- reads and rights ------------------------------------------------------------


def get_item_for_user(pk: Any, user: Any) -> LibraryItem:
    """An item the user may read (404 otherwise, absent and hidden alike)."""
    return get_visible(LibraryItem, user, pk=pk)


def can_add_items(user: Any) -> bool:
    """Administrators, UNHCR staff and users of an organisation."""
    u = as_user(user)
    if u is None or not u.is_active:
        return False
    return sees_every_item(u) or u.organisation_id is not None


def can_manage_item(user: Any, item: LibraryItem) -> bool:
    """Administrators, UNHCR staff, users of the owning organisation, the author."""
    u = as_user(user)
    if u is None or not u.is_active:
        return False
    if sees_every_item(u):
        return True
    if item.owner_id is not None and item.owner_id == u.organisation_id:
        return True
    return item.created_by_id is not None and item.created_by_id == u.pk


# ---- the search text ------------------------------------------------------------


def index_values(
    item: LibraryItem, extracted_text: str, forum_ids: list[int] | None = None
) -> dict[str, Any]:
    """The LibraryText fields of an item: copies of its access and facet fields, and
    its stems for the index and the ranking."""
    language = item.text_language or "en"
    title = index_tokens(item.title, language)
    summary = index_tokens(item.summary, language)
    body = index_tokens(item.body or extracted_text, language)
    if forum_ids is None:
        forum_ids = list(item.forums.values_list("pk", flat=True)) if item.pk else []
    return {
        "access": item.access,
        "kind": item.kind,
        "year": item.year,
        "themes_mask": mask(item.theme_list, THEMES),
        "languages_mask": mask(item.language_list, ITEM_LANGUAGES),
        "forum_ids": pack_codes(forum_ids),
        "owner_org_id": item.owner_id,
        "author_id": item.created_by_id,
        "extracted_text": extracted_text,
        "search_tokens": " ".join(dict.fromkeys([*title, *summary, *body])),
        # Bounded, so that the ranking's columns stay small (fts.py keeps them inline).
        "rank_title": padded(title[:RANK_STEMS]),
        "rank_summary": padded(summary[:RANK_STEMS]),
        "rank_keywords": padded(keywords(body)),
    }


def reindex(item: LibraryItem, extracted_text: str | None = None) -> LibraryText:
    """Write the item's search text (derived data: no audit entry of its own, the
    item's entry records the change). The FTS5 triggers or the GIN index follow."""
    existing = LibraryText.objects.filter(item=item).first()
    if extracted_text is None:
        extracted_text = existing.extracted_text if existing is not None else ""
    values = index_values(item, extracted_text)
    text = existing or LibraryText(id=item.pk, item=item)
    for name, value in values.items():
        setattr(text, name, value)
    text.save()
    item.index = text
    return text


# ---- files ----------------------------------------------------------------------


def read_upload(upload: File[Any], field: str = "file") -> tuple[str, bytes, str]:
    """(extension, bytes, extracted text) of an accepted upload; ValidationError naming
    the field for a missing, empty, too large, unaccepted or unreadable file."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted (%(ext)s). Accepted: %(allowed)s.")
                % {"ext": extension or "?", "allowed": "PDF, DOCX, HTML"}
            }
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            {
                field: _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = extract_text(extension, data)
    except ExtractionError as exc:
        raise ValidationError(
            {
                field: _("The file cannot be read as %(type)s: it may be damaged.")
                % {"type": FILE_KINDS[extension]}
            }
        ) from exc
    return extension, data, text


def _item_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k in ITEM_FIELDS}
    for name in ("languages", "themes"):
        if name in fields and not isinstance(fields[name], str):
            fields[name] = pack_codes(fields[name])
        elif name in fields:
            fields[name] = pack_codes(str(fields[name]).split(","))
    for name in ("title", "summary", "body"):
        if name in fields and isinstance(fields[name], str):
            fields[name] = fields[name].strip()
    return fields


def _check_whole(
    item: LibraryItem, fields: Mapping[str, Any], m2m: Mapping[str, Any], has_file: bool
) -> None:
    errors: dict[str, str] = {}
    body = fields.get("body", item.body) or ""
    if not has_file and not body.strip():
        errors["file"] = _("Upload a file (PDF, DOCX or HTML) or write the text of the note.")
    forums = m2m.get("forums")
    if forums is None and item.pk is not None:
        forums = list(item.forums.all())
    if fields.get("access", item.access) == ItemAccess.FORUM_MEMBERS and not forums:
        errors["forums"] = _("Choose the forums whose members may read this item.")
    if errors:
        raise ValidationError(errors)


def _remove_file_after_commit(name: str) -> None:
    transaction.on_commit(lambda: default_storage.delete(name))


def save_item_unchecked(
    item: LibraryItem,
    data: Mapping[str, Any],
    upload: File[Any] | None = None,
    *,
    actor: User | None,
) -> LibraryItem:
    """Validate, store the file, save with its audit entry and index the item (the
    caller checked rights and holds the transaction)."""
    fields = _item_fields(data)
    m2m = {k: list(v) for k, v in data.items() if k in M2M_FIELDS and v is not None}
    extracted: str | None = None
    previous_file = item.file.name if item.pk and item.file else ""
    if upload is not None:
        extension, content, extracted = read_upload(upload)
        original = PurePath(upload.name or "").name[:255]
        fields.update(
            file=ContentFile(content, name=original),
            original_name=original,
            content_type=EXTENSIONS[extension],
            size=len(content),
        )
    _check_whole(item, fields, m2m, has_file=upload is not None or bool(previous_file))
    if item.pk is None:
        fields["created_by"] = actor if actor is not None and actor.pk else None
        if item.owner_id is None and actor is not None:
            fields["owner"] = actor.organisation
    fields["updated_at"] = timezone.now()
    try:
        save_with_audit(item, fields, actor=actor, m2m=m2m)
    except Exception:
        # The new file may already be in storage when validation fails: remove it.
        name = item.file.name if item.file else ""
        if upload is not None and name.startswith("library/") and name != previous_file:
            item.file.storage.delete(item.file.name)
        raise
    if upload is not None and previous_file and previous_file != item.file.name:
        _remove_file_after_commit(previous_file)
    reindex(item, extracted)
    return item


@transaction.atomic
def do_create_item(
    data: Mapping[str, Any], upload: File[Any] | None = None, *, actor: User
) -> LibraryItem:
    """Add an item to the library, from a file (its text is extracted) or a text body."""
    require(can_add_items(actor), "library item")
    return save_item_unchecked(LibraryItem(), data, upload, actor=actor)


@transaction.atomic
def do_update_item(
    item: LibraryItem,
    data: Mapping[str, Any],
    upload: File[Any] | None = None,
    *,
    actor: User,
) -> LibraryItem:
    """Change an item's description, access, text or file (those who manage it)."""
    require(can_manage_item(actor, item), "library item")
    return save_item_unchecked(item, data, upload, actor=actor)


@transaction.atomic
def do_delete_item(item: LibraryItem, *, actor: User) -> None:
    """Delete an item, its search text and its file (those who manage it)."""
    require(can_manage_item(actor, item), "library item")
    name = item.file.name if item.file else ""
    # The search text goes with the item (CASCADE), without an entry of its own.
    delete_with_audit(item, actor=actor)
    if name:
        _remove_file_after_commit(name)
