"""Database outages answer a clean 503, not a server error page or a stack trace.

While PostgreSQL restarts (or the network to it drops), every request that
needs the database fails with an OperationalError or InterfaceError, raised in
a view or in a middleware (loading a signed-in user's session). Whatever
raises it, Django hands the exception to the URLconf's `handler500`, which is
`server_error` below: a database that cannot be reached gets 503 Service
Unavailable with a Retry-After header, an HTML page in the visitor's language
(rendered without the database: no session, no user, no context processors),
or JSON for the API; any other error keeps Django's 500 page.

Recovery needs no action: connections are checked before reuse
(CONN_HEALTH_CHECKS) and a broken one is closed at the end of its request, so
the first request after the database is back opens a new connection.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.defaults import server_error as default_server_error

# Seconds a client is asked to wait: a PostgreSQL restart takes a few seconds.
RETRY_AFTER_S = 30


def is_outage(exc: BaseException | None) -> bool:
    """Whether an exception means the database cannot be used now (not a bug of ours)."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 Service Unavailable: JSON under /api/, else the 503 page."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": gettext(
                    "The service is temporarily unavailable: its database cannot be "
                    "reached. Please try again in a moment."
                )
            },
            status=503,
        )
    else:
        # No request in the context: the context processors would read the session.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The URLconf's handler500: 503 for a database outage, Django's 500 page otherwise.

    Django calls it while it handles the exception, so sys.exc_info() holds it.
    """
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return default_server_error(request, template_name)
