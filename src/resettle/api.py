"""The REST API at /api/v1/: one NinjaAPI, one router per app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
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


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each field, as for schema errors; nothing was written."""
    if hasattr(exc, "error_dict"):
        detail = [
            {
                "loc": ["body", field],
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
