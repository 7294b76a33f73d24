"""The REST API at /api/v1/: one NinjaAPI, one router per app."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI

from resettle import __version__
from resettle.directory.api import router as directory_router
from resettle.forums.api import router as forums_router

api = NinjaAPI(
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
