"""The REST API at /api/v1/: one NinjaAPI, one router per app."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from resettle import __version__
from resettle.directory.api import router as directory_router
from resettle.forums.api import router as forums_router

# The error body every refusal shares: a message, or (422) one entry per invalid field.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object"}},
            ],
            "title": "Detail",
        }
    },
    "required": ["detail"],
}

# The refusals any operation may answer with, besides its own success status.
ERROR_RESPONSES = {
    400: "The request could not be read (malformed body or parameters).",
    401: "No valid credentials for an operation that needs them.",
    403: "Your role or your organisation's forum role does not allow this.",
    404: "No such object (in the path or named by a parameter), or not yours to see.",
    422: "The payload or a parameter is invalid (each entry names its field).",
}


class ResettleAPI(NinjaAPI):
    """Ninja's API, whose schema also documents the error responses every operation may give.

    Ninja lists only the success status of each operation; the refusals (400,
    401, 403, 404, 422) and their `{"detail": ...}` body are documented here once,
    so that clients (and the schema-based tests) know every status they can get.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = ResettleAPI(
    title="Resettle API",
    version=__version__,
    description=(
        "Open API of the Resettle platform: the directory of actors, forums, memberships "
        "and consultation cycles. Reads of public data need no credentials; writes need "
        "a session (with CSRF token) or a bearer token."
    ),
    urls_namespace="api",
)


def _payload_keys(request: HttpRequest) -> set[str]:
    """The top-level keys of the request's JSON body (none if it is not a JSON object)."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RawPostDataException):
        # A multipart upload's body was already read as form data and files.
        return set()
    return set(body) if isinstance(body, dict) else set()


def _payload_field(field: str, keys: set[str]) -> str:
    """The payload's name for a model field.

    Payloads send `forum` as `forum_id` and `chairs` as `chair_ids`; a field
    the payload does not hold keeps the model's name.
    """
    candidates = (field, f"{field}_id", f"{field}_ids", f"{field.removesuffix('s')}_ids")
    return next((name for name in candidates if name in keys), field)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each field as the payload names it, like schema errors; nothing was written."""
    if hasattr(exc, "error_dict"):
        keys = _payload_keys(request)
        detail = [
            {
                "loc": ["body", _payload_field(field, keys)],
                "msg": " ".join(str(m) for m in err.messages),
                "type": "validation_error",
            }
            for field, errs in exc.error_dict.items()
            for err in errs
        ]
    else:
        detail = [{"loc": ["body"], "msg": m, "type": "validation_error"} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """422: a number in the request is too large for the database (SQLite: 64-bit integers).

    The schema bounds few integers; an id like 2**70 in a filter reached the
    query and SQLite refused to bind it.
    """
    detail = [
        {
            "loc": ["request"],
            "msg": gettext("A number in the request is too large."),
            "type": "value_error",
        }
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """403: the user's role or forum role does not allow this."""
    return api.create_response(
        request, {"detail": "You do not have permission to do this."}, status=403
    )


api.add_router("/", directory_router)
api.add_router("/", forums_router)
api.add_router("/", "resettle.needs.api.router")
api.add_router("/", "resettle.meetings.api.router")
api.add_router("/", "resettle.registrations.api.router")
api.add_router("/", "resettle.documents.api.router")
api.add_router("/", "resettle.records.api.router")
api.add_router("/", "resettle.governance.api.router")
api.add_router("/", "resettle.commitments.api.router")
api.add_router("/", "resettle.pscg.api.router")
api.add_router("/", "resettle.cases.api.router")
api.add_router("/", "resettle.allocation.api.router")
api.add_router("/", "resettle.capacity.api.router")
api.add_router("/", "resettle.library.api.router")
api.add_router("/", "resettle.pipeline.api.router")
api.add_router("/", "resettle.rsf.api.router")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The URLconf's handler404: JSON under /api/, like the API's own 404s; else the 404 page.

    A URL no operation matches (`/api/v1/organisations/abc`, whose id is not an
    integer) never reaches Ninja, so Django answered it with its HTML page.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return page_not_found(request, exception)
