"""API of the knowledge library: search, one item, and adding an item (multipart upload).

Paths start with /library/ (the routers are mounted at /api/v1/)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import ValidationError as NinjaValidationError

from resettle.core.api_support import READ_AUTH, WRITE_AUTH, api_actor, api_user, resolve_many
from resettle.directory.models import Organisation
from resettle.forums.models import Forum
from resettle.library import services
from resettle.library.models import ItemAccess, ItemKind, LibraryItem, Theme
from resettle.library.search import Filters, search

router = Router(tags=["library"])

_ID_FIELDS = {"forums": "forum_ids", "organisations": "organisation_ids"}


def _as_422(exc: ValidationError) -> NinjaValidationError:
    """A service's ValidationError as a 422 naming the multipart fields."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
    return NinjaValidationError(
        [
            {
                "loc": ["body", _ID_FIELDS.get(field, field)],
                "msg": " ".join(str(m) for m in messages),
                "type": "validation_error",
            }
            for field, messages in errors.items()
        ]
    )


class ItemOut(Schema):
    """A library item's description (its text is searched, not returned)."""

    id: int
    title: str
    summary: str
    kind: str
    languages: list[str]
    themes: list[str]
    forum_ids: list[int]
    organisation_ids: list[int]
    year: int | None
    access: str
    text_language: str
    has_file: bool
    original_name: str
    download_url: str | None
    url: str
    is_illustrative: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_languages(obj: LibraryItem) -> list[str]:
        return obj.language_list

    @staticmethod
    def resolve_themes(obj: LibraryItem) -> list[str]:
        return obj.theme_list

    @staticmethod
    def resolve_forum_ids(obj: LibraryItem, context: Any) -> list[int]:
        # Only the forums the caller may see: a members-only forum's name stays hidden.
        user = api_user(context["request"])
        return sorted(
            Forum.objects.visible_to(user).filter(library_items=obj).values_list("pk", flat=True)
        )

    @staticmethod
    def resolve_organisation_ids(obj: LibraryItem) -> list[int]:
        return sorted(obj.organisations.values_list("pk", flat=True))

    @staticmethod
    def resolve_has_file(obj: LibraryItem) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_download_url(obj: LibraryItem) -> str | None:
        return obj.download_url() if obj.file else None

    @staticmethod
    def resolve_url(obj: LibraryItem) -> str:
        return obj.get_absolute_url()


class HitOut(Schema):
    """One search result: the item, its score, its title and a passage with the
    matches marked (HTML: escaped text with <mark> around the matching words)."""

    item: ItemOut
    score: int
    title_html: str
    snippet_html: str


class FacetOut(Schema):
    """One value of a facet and its count."""

    value: str
    count: int


class ResultsOut(Schema):
    """A page of ranked results, the number of matches and the facets."""

    query: str
    total: int
    page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


class SearchIn(Schema):
    """The query and the filters."""

    q: str = Field("", max_length=300)
    theme: list[Theme] = Field(default_factory=list)
    kind: ItemKind | None = None
    language: str = Field("", max_length=3)
    year: int | None = Field(None, ge=1945, le=2100)
    forum: int | None = Field(None, ge=1)
    page: int = Field(1, ge=1)


class ItemFormIn(Schema):
    """A new item (multipart form fields; the file, if any, comes as `file`). Lists are
    comma-separated: themes=integration,data languages=en,ar forum_ids=1,2."""

    title: str = Field(min_length=1, max_length=300)
    summary: str = ""
    kind: ItemKind
    themes: str = ""
    languages: str = ""
    forum_ids: str = ""
    organisation_ids: str = ""
    year: int | None = Field(None, ge=1945, le=2100)
    access: ItemAccess = ItemAccess.PUBLIC
    text_language: str = Field("en", pattern="^(en|ar|fr)$")
    body: str = ""


def _ids(field: str, value: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",") if v.strip()]
    except ValueError as exc:
        raise ValidationError({field: [f"Give ids separated by commas, not {value!r}."]}) from exc


@router.get("/library/search", response=ResultsOut, auth=READ_AUTH)
def search_library(request: HttpRequest, params: Query[SearchIn]) -> dict[str, Any]:
    """Search the items you may read (public ones without credentials): ranked hits
    with highlighted snippets, and facets counted over your matches."""
    results = search(
        params.q,
        api_user(request),
        filters=Filters(
            themes=tuple(str(t) for t in params.theme),
            kind=str(params.kind or ""),
            language=params.language,
            year=params.year,
            forum=params.forum,
        ),
        page=params.page,
    )
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "hits": results.hits,
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }


@router.get("/library/items/{int:pk}", response=ItemOut, auth=READ_AUTH)
def get_item(request: HttpRequest, pk: int) -> LibraryItem:
    """One item you may read."""
    return services.get_item_for_user(pk, api_user(request))


@router.post("/library/items", response={201: ItemOut}, auth=WRITE_AUTH)
def create_item(
    request: HttpRequest, payload: Form[ItemFormIn], file: File[UploadedFile | None] = None
) -> Status[LibraryItem]:
    """Add an item (multipart/form-data): a PDF, DOCX or HTML file whose text is
    extracted and indexed, or a note's text in `body`."""
    user = api_user(request)
    try:
        data: dict[str, Any] = payload.dict(exclude={"forum_ids", "organisation_ids"})
        data["themes"] = [t.strip() for t in payload.themes.split(",") if t.strip()]
        data["languages"] = [c.strip() for c in payload.languages.split(",") if c.strip()]
        data["forums"] = resolve_many(
            Forum, user, "forum_ids", _ids("forum_ids", payload.forum_ids)
        )
        data["organisations"] = resolve_many(
            Organisation,
            user,
            "organisation_ids",
            _ids("organisation_ids", payload.organisation_ids),
        )
        item = services.do_create_item(data, file, actor=api_actor(request))
    except ValidationError as exc:
        raise _as_422(exc) from exc
    return Status(201, services.get_item_for_user(item.pk, user))
