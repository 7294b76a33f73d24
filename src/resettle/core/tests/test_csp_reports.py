"""Browsers' reports of the content security policy's refusals reach the log."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from resettle.core import csp_reports

pytestmark = pytest.mark.django_db

URL = "/csp-report/"
LEGACY = {
    "csp-report": {
        "document-uri": "https://resettle.example.org/meetings/4/?token=secret",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "blocked-uri": "https://cdn.example.com/x.js?session=abc",
        "status-code": 200,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "https://resettle.example.org/library/",
        "body": {
            "documentURL": "https://resettle.example.org/library/?q=name",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def test_a_report_is_logged_without_query_strings(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="resettle.csp"):
        legacy = client.post(URL, json.dumps(LEGACY), content_type="application/csp-report")
        modern = client.post(
            URL, json.dumps(REPORTING_API), content_type="application/reports+json"
        )
    assert (legacy.status_code, modern.status_code) == (204, 204)
    assert [r.getMessage() for r in caplog.records] == [
        "content security policy refused https://cdn.example.com/x.js (script-src-elem) "
        "on https://resettle.example.org/meetings/4/",
        "content security policy refused inline (style-src-attr) "
        "on https://resettle.example.org/library/",
    ]
    assert "secret" not in caplog.text and "session=abc" not in caplog.text


def test_anything_else_is_answered_and_ignored(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="resettle.csp"):
        for body in (b"not json", b"{}", b"[1, 2]", json.dumps({"csp-report": "x"}).encode()):
            assert client.post(URL, body, content_type="application/json").status_code == 204
        huge = json.dumps({"csp-report": {"blocked-uri": "x" * 20000}})
        assert client.post(URL, huge, content_type="application/csp-report").status_code == 204
    assert caplog.records == []
    assert client.get(URL).status_code == 405


def test_at_most_sixty_reports_a_minute_are_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(LEGACY)

    def minute() -> str:
        return timezone.now().strftime("%H:%M")

    for _attempt in range(2):  # again if the minute turned during the first round
        caplog.clear()
        cache.clear()
        started = minute()
        with caplog.at_level(logging.WARNING, logger="resettle.csp"):
            for _ in range(csp_reports.REPORTS_PER_MINUTE + 5):
                assert (
                    client.post(URL, body, content_type="application/csp-report").status_code == 204
                )
        if minute() == started:
            break
    assert len(caplog.records) == csp_reports.REPORTS_PER_MINUTE
