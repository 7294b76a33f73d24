"""The URLconf's handler500 (core/outage.py) tells a database outage from a bug.

Django calls the handler while it handles the exception; here each case raises
a real exception and calls the handler Django resolves, in its except block.
The end-to-end behaviour, with a real server and a real outage, is in
test_database_outage.py.
"""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation


def _handle(exc: Exception, path: str, language: str = "en") -> tuple[int, dict[str, str], str]:
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get(path)
    with translation.override(language):
        try:
            raise exc
        except Exception:  # as Django's own exception handling does
            response = handler(request)
    headers = {k.lower(): v for k, v in response.headers.items()}
    return response.status_code, headers, response.content.decode()


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_an_unreachable_database_gets_a_clean_503_page(exc: Exception) -> None:
    status, headers, body = _handle(exc, "/forums/")
    assert status == 503
    assert headers["retry-after"] == "30"
    assert headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in body
    assert str(exc) not in body and type(exc).__name__ not in body


def test_the_503_page_is_in_the_visitors_language_and_direction() -> None:
    _, _, arabic = _handle(OperationalError("down"), "/", language="ar")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "bootstrap.rtl.min.css" in arabic
    _, _, french = _handle(OperationalError("down"), "/", language="fr")
    assert '<html lang="fr" dir="ltr">' in french


def test_the_api_gets_json() -> None:
    status, headers, body = _handle(OperationalError("down"), "/api/v1/forums")
    assert status == 503
    assert headers["retry-after"] == "30"
    assert headers["content-type"] == "application/json"
    assert "temporarily unavailable" in json.loads(body)["detail"]


def test_any_other_error_keeps_the_500_page() -> None:
    status, headers, body = _handle(ValueError("a bug"), "/forums/")
    assert status == 500
    assert "retry-after" not in headers
    assert "Something went wrong" in body
    assert "a bug" not in body
