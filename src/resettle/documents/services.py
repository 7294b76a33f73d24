"""Business rules for documents, their versions, and the datasets presented at consultations."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.documents.languages import is_language_code
from resettle.documents.models import (
    Document,
    DocumentVersion,
    PresentedDataset,
    sees_all_documents,
)
from resettle.forums.models import ConsultationCycle, Forum
from resettle.forums.services import can_edit_cycle, can_edit_forum
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import Meeting
from resettle.needs.models import DatasetVersion

# Extensions accepted, and the content type each is served with: the type is
# ours, never the uploader's claim, so a download cannot pose as a web page.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)


def max_upload_bytes() -> int:
    """The largest file accepted (setting DOCUMENT_MAX_BYTES, 25 MB by default)."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 25 * 1024 * 1024))


# ---- reads -------------------------------------------------------------------


def get_document_for_user(pk: Any, user: Any) -> Document:
    """A document the user may see (404 otherwise, absent and hidden alike)."""
    return get_visible(Document, user, pk=pk)


def get_presented_for_user(pk: Any, user: Any) -> PresentedDataset:
    """A presented-dataset link the user may see (404 otherwise)."""
    return get_visible(PresentedDataset, user, pk=pk)


# ---- rules -------------------------------------------------------------------


def can_upload(
    user: Any,
    forum: Forum,
    meeting: Meeting | None = None,
    cycle: ConsultationCycle | None = None,
) -> bool:
    """Who may add documents (and versions) here.

    A meeting's documents: its organisers. A forum's documents without a
    meeting: administrators, UNHCR staff, those who run the forum, and for a
    cycle's documents its co-chairs.
    """
    u = as_user(user)
    if u is None or not u.is_active:
        return False
    if meeting is not None:
        return can_organise_meeting(u, meeting)
    if sees_all_documents(u) or can_edit_forum(u, forum):
        return True
    return cycle is not None and can_edit_cycle(u, cycle)


def can_manage_document(user: Any, document: Document) -> bool:
    """Whether the user may upload versions of, change and delete this document."""
    return can_upload(user, document.forum, document.meeting, document.cycle)


def can_present_at(user: Any, *, meeting: Meeting | None, cycle: ConsultationCycle | None) -> bool:
    """Organisers of the meeting, or those who may edit the cycle."""
    u = as_user(user)
    if u is None:
        return False
    if meeting is not None:
        return can_organise_meeting(u, meeting)
    return cycle is not None and can_edit_cycle(u, cycle)


# ---- files -------------------------------------------------------------------


def check_file(upload: File[Any] | None, field: str = "file") -> str:
    """Refuse a missing, empty, too large or unaccepted file; its extension otherwise."""
    if upload is None:
        raise ValidationError({field: _("Choose a file to upload.")})
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted (%(ext)s). Accepted: %(allowed)s.")
                % {"ext": extension or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)}
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
    return extension


def _check_language(language: str) -> str:
    code = (language or "").strip().lower()
    if not is_language_code(code):
        raise ValidationError(
            {"language": _("Give an ISO 639-1 language code, such as en, ar or fr.")}
        )
    return code


def _sha256(upload: File[Any]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def add_version_unchecked(
    document: Document,
    upload: File[Any],
    language: str,
    *,
    actor: User | None,
    note: str = "",
) -> DocumentVersion:
    """Store a file as the next version of a language (the caller checked rights)."""
    extension = check_file(upload)
    code = _check_language(language)
    # Lock the document so that two uploads of one language cannot take one number.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    last = document.versions.filter(language=code).aggregate(n=Max("number"))["n"] or 0
    original = PurePath(upload.name or "").name[:255]
    version = DocumentVersion(document=document)
    fields = {
        "language": code,
        "number": last + 1,
        "file": upload,
        "original_name": original,
        "size": upload.size,
        "content_type": CONTENT_TYPES[extension],
        "sha256": _sha256(upload),
        "uploaded_by": actor if actor is not None and actor.pk else None,
        "note": note,
    }
    try:
        return save_with_audit(version, fields, actor=actor)
    except Exception:
        # The file may already be in storage when a later step fails: remove it.
        if version.file and version.file.name and version.file.name.startswith("documents/"):
            version.file.storage.delete(version.file.name)
        raise


def _remove_files_after_commit(names: list[str]) -> None:
    def remove() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove)


# ---- writes: documents -------------------------------------------------------

DOCUMENT_FIELDS = ("forum", "meeting", "cycle", "title", "kind", "access")


def _document_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k in DOCUMENT_FIELDS}
    meeting = fields.get("meeting")
    # A meeting's document belongs to the meeting's forum and cycle unless told otherwise.
    if meeting is not None:
        if fields.get("forum") is None:
            fields["forum"] = meeting.forum
        if fields.get("cycle") is None and meeting.cycle_id is not None:
            fields["cycle"] = meeting.cycle
    return fields


def create_document_unchecked(
    data: Mapping[str, Any],
    upload: File[Any],
    language: str,
    *,
    actor: User | None,
    note: str = "",
) -> Document:
    """Save a document and its first file without checking rights (services and demo)."""
    fields = _document_fields(data)
    # Check the file before writing anything, so that a bad file is named first.
    check_file(upload)
    _check_language(language)
    fields["created_by"] = actor if actor is not None and actor.pk else None
    document = save_with_audit(Document(), fields, actor=actor)
    add_version_unchecked(document, upload, language, actor=actor, note=note)
    return document


@transaction.atomic
def do_create_document(
    data: Mapping[str, Any],
    upload: File[Any] | None,
    language: str,
    *,
    actor: User,
    note: str = "",
) -> Document:
    """Add a document with its first file (version 1 of its language)."""
    fields = _document_fields(data)
    forum = fields.get("forum")
    if forum is None:
        raise ValidationError({"forum": _("Choose the forum.")})
    require(can_upload(actor, forum, fields.get("meeting"), fields.get("cycle")), "document")
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    return create_document_unchecked(fields, upload, language, actor=actor, note=note)


@transaction.atomic
def do_upload_version(
    document: Document,
    upload: File[Any] | None,
    language: str,
    *,
    actor: User,
    note: str = "",
) -> DocumentVersion:
    """A new version of a language variant (version 1 when the language is new)."""
    require(can_manage_document(actor, document), "document")
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    return add_version_unchecked(document, upload, language, actor=actor, note=note)


@transaction.atomic
def do_update_document(document: Document, data: Mapping[str, Any], *, actor: User) -> Document:
    """Change a document's title, kind or access level."""
    require(can_manage_document(actor, document), "document")
    fields = {k: v for k, v in data.items() if k in ("title", "kind", "access")}
    return save_with_audit(document, fields, actor=actor)


@transaction.atomic
def do_delete_document(document: Document, *, actor: User) -> None:
    """Delete a document, its versions and their files (its organisers only)."""
    require(can_manage_document(actor, document), "document")
    names = []
    for version in list(document.versions.all()):
        names.append(version.file.name)
        delete_with_audit(version, actor=actor)
    delete_with_audit(document, actor=actor)
    _remove_files_after_commit([n for n in names if n])


# ---- writes: datasets presented ----------------------------------------------


def attach_dataset_unchecked(
    dataset_version: DatasetVersion,
    *,
    meeting: Meeting | None = None,
    cycle: ConsultationCycle | None = None,
    note: str = "",
    actor: User | None,
) -> PresentedDataset:
    """Record a presented dataset without checking rights (services and demo)."""
    existing = PresentedDataset.objects.filter(
        meeting=meeting, cycle=cycle, dataset_version=dataset_version
    )
    if existing.exists():
        raise ValidationError(
            {"dataset_version": _("This dataset version is already attached here.")}
        )
    return save_with_audit(
        PresentedDataset(),
        {
            "meeting": meeting,
            "cycle": cycle,
            "dataset_version": dataset_version,
            "note": note,
            "created_by": actor if actor is not None and actor.pk else None,
        },
        actor=actor,
    )


@transaction.atomic
def do_attach_dataset(
    dataset_version: DatasetVersion | None,
    *,
    meeting: Meeting | None = None,
    cycle: ConsultationCycle | None = None,
    note: str = "",
    actor: User,
) -> PresentedDataset:
    """Say that a dataset version (the PGRN) was presented at a meeting or in a cycle."""
    if (meeting is None) == (cycle is None):
        raise ValidationError({"meeting": _("Choose either a meeting or a cycle.")})
    require(can_present_at(actor, meeting=meeting, cycle=cycle), "presented dataset")
    if dataset_version is None:
        raise ValidationError({"dataset_version": _("Choose a dataset version.")})
    return attach_dataset_unchecked(
        dataset_version, meeting=meeting, cycle=cycle, note=note, actor=actor
    )


@transaction.atomic
def do_detach_dataset(presented: PresentedDataset, *, actor: User) -> None:
    """Remove a presented-dataset link (those who may attach one)."""
    require(
        can_present_at(actor, meeting=presented.meeting, cycle=presented.cycle),
        "presented dataset",
    )
    delete_with_audit(presented, actor=actor)
