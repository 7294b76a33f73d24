"""API of the documents app: documents with their language variants and versions,
uploads (multipart), and the datasets presented at consultations."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import (
    Field,
    File,
    FilterLookup,
    FilterSchema,
    Form,
    Query,
    Router,
    Schema,
    Status,
    UploadedFile,
)
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
)
from resettle.documents import services
from resettle.documents.models import (
    Document,
    DocumentAccess,
    DocumentKind,
    DocumentVersion,
    PresentedDataset,
)
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.models import Meeting
from resettle.needs.models import DatasetVersion

router = Router(tags=["documents"])


def _as_422(exc: ValidationError) -> NinjaValidationError:
    """A service's ValidationError as the API's 422, for multipart requests.

    The project's handler reads the JSON body to name fields as the payload
    does; a multipart body has already been read, so these are named here.
    """
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
    return NinjaValidationError(
        [
            {
                "loc": ["body", f"{field}_id" if field in _ID_FIELDS else field],
                "msg": " ".join(str(m) for m in messages),
                "type": "validation_error",
            }
            for field, messages in errors.items()
        ]
    )


_ID_FIELDS = ("forum", "meeting", "cycle")


# ---- schemas -----------------------------------------------------------------


class VersionOut(Schema):
    """One file: a version of a language variant."""

    language: str
    number: int
    original_name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: datetime.datetime
    note: str
    download_url: str

    @staticmethod
    def resolve_download_url(obj: DocumentVersion) -> str:
        return obj.download_url()


class VariantOut(Schema):
    """A language of the document: its current version and its history."""

    language: str
    language_name: str
    current: VersionOut
    versions: list[VersionOut]


class DocumentOut(Schema):
    """A document's metadata and its variants."""

    id: int
    forum_id: int
    meeting_id: int | None
    cycle_id: int | None
    title: str
    kind: str
    access: str
    created_at: datetime.datetime
    variants: list[VariantOut]

    @staticmethod
    def resolve_variants(obj: Document) -> list[dict[str, Any]]:
        return [
            {
                "language": v.language,
                "language_name": v.language_name,
                "current": v.current,
                "versions": v.versions,
            }
            for v in obj.variants()
        ]


class DocumentFormIn(Schema):
    """A new document (multipart form fields; the file comes as `file`)."""

    forum_id: int | None = None
    meeting_id: int | None = None
    cycle_id: int | None = None
    title: str = Field(min_length=1, max_length=300)
    kind: DocumentKind
    access: DocumentAccess = DocumentAccess.PUBLIC
    language: str = Field("en", min_length=2, max_length=3)
    note: str = ""


class VersionFormIn(Schema):
    """A new version (multipart form fields; the file comes as `file`)."""

    language: str = Field(min_length=2, max_length=3)
    note: str = ""


class DocumentPatch(Schema):
    """Changes to a document."""

    title: str | None = Field(None, min_length=1, max_length=300)
    kind: DocumentKind | None = None
    access: DocumentAccess | None = None


class DocumentFilter(FilterSchema):
    """Filters of the document list."""

    forum_id: int | None = None
    meeting_id: int | None = None
    cycle_id: int | None = None
    kind: DocumentKind | None = None
    access: DocumentAccess | None = None
    language: Annotated[str | None, FilterLookup("versions__language")] = None


class PresentedOut(Schema):
    """A dataset version presented at a meeting or in a cycle."""

    id: int
    meeting_id: int | None
    cycle_id: int | None
    dataset_version_id: int
    note: str
    gap_url: str

    @staticmethod
    def resolve_gap_url(obj: PresentedDataset) -> str:
        return obj.gap_url()


class PresentedIn(Schema):
    """Attach a dataset version to a meeting (or a cycle)."""

    meeting_id: int | None = None
    cycle_id: int | None = None
    dataset_version_id: int
    note: str = ""


class PresentedFilter(FilterSchema):
    """Filters of the presented datasets."""

    meeting_id: int | None = None
    cycle_id: int | None = None


# ---- documents ---------------------------------------------------------------


def _documents(request: HttpRequest) -> models.QuerySet[Document]:
    return Document.objects.visible_to(api_user(request)).prefetch_related("versions")


@router.get("/documents", response=list[DocumentOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_documents(
    request: HttpRequest, filters: Query[DocumentFilter]
) -> models.QuerySet[Document]:
    """The documents you may see (public ones without credentials)."""
    return filters.filter(_documents(request)).distinct()


@router.get("/documents/{int:pk}", response=DocumentOut, auth=READ_AUTH)
def get_document(request: HttpRequest, pk: int) -> Document:
    """One document, its variants and versions, with download links."""
    return services.get_document_for_user(pk, api_user(request))


@router.post("/documents", response={201: DocumentOut}, auth=WRITE_AUTH)
def create_document(
    request: HttpRequest, payload: Form[DocumentFormIn], file: File[UploadedFile]
) -> Status[Document]:
    """Add a document with its first file (multipart/form-data)."""
    user = api_user(request)
    try:
        data: dict[str, Any] = {
            "forum": resolve(Forum, user, "forum_id", payload.forum_id),
            "meeting": resolve(Meeting, user, "meeting_id", payload.meeting_id),
            "cycle": resolve(ConsultationCycle, user, "cycle_id", payload.cycle_id),
            "title": payload.title,
            "kind": payload.kind,
            "access": payload.access,
        }
        document = services.do_create_document(
            data, file, payload.language, note=payload.note, actor=api_actor(request)
        )
    except ValidationError as exc:
        raise _as_422(exc) from exc
    return Status(201, services.get_document_for_user(document.pk, user))


@router.patch("/documents/{int:pk}", response=DocumentOut, auth=WRITE_AUTH)
def update_document(request: HttpRequest, pk: int, payload: DocumentPatch) -> Document:
    """Change a document's title, kind or access level."""
    document = services.get_document_for_user(pk, api_user(request))
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.do_update_document(document, data, actor=api_actor(request))


class DeletedOut(Schema):
    """What was deleted."""

    id: int
    deleted: bool = True


@router.delete("/documents/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def delete_document(request: HttpRequest, pk: int) -> DeletedOut:
    """Delete a document and all its versions (its organisers)."""
    document = services.get_document_for_user(pk, api_user(request))
    services.do_delete_document(document, actor=api_actor(request))
    return DeletedOut(id=pk)


@router.post("/documents/{int:pk}/versions", response={201: VersionOut}, auth=WRITE_AUTH)
def upload_version(
    request: HttpRequest, pk: int, payload: Form[VersionFormIn], file: File[UploadedFile]
) -> Status[DocumentVersion]:
    """Upload a new version of a language, or a new language (multipart/form-data)."""
    document = services.get_document_for_user(pk, api_user(request))
    try:
        version = services.do_upload_version(
            document, file, payload.language, note=payload.note, actor=api_actor(request)
        )
    except ValidationError as exc:
        raise _as_422(exc) from exc
    return Status(201, version)


# ---- datasets presented ------------------------------------------------------


@router.get("/documents/presented-datasets", response=list[PresentedOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_presented(
    request: HttpRequest, filters: Query[PresentedFilter]
) -> models.QuerySet[PresentedDataset]:
    """Dataset versions presented at the meetings and cycles you may see."""
    return filters.filter(PresentedDataset.objects.visible_to(api_user(request)))


@router.post("/documents/presented-datasets", response={201: PresentedOut}, auth=WRITE_AUTH)
def attach_dataset(request: HttpRequest, payload: PresentedIn) -> Status[PresentedDataset]:
    """Say that a dataset version (the PGRN) was presented at a meeting or in a cycle."""
    user = api_user(request)
    presented = services.do_attach_dataset(
        resolve(DatasetVersion, user, "dataset_version_id", payload.dataset_version_id),
        meeting=resolve(Meeting, user, "meeting_id", payload.meeting_id),
        cycle=resolve(ConsultationCycle, user, "cycle_id", payload.cycle_id),
        note=payload.note,
        actor=api_actor(request),
    )
    return Status(201, presented)


@router.delete("/documents/presented-datasets/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def detach_dataset(request: HttpRequest, pk: int) -> DeletedOut:
    """Remove a presented dataset."""
    presented = services.get_presented_for_user(pk, api_user(request))
    services.do_detach_dataset(presented, actor=api_actor(request))
    return DeletedOut(id=pk)
