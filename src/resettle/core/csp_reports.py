"""Reports of the content security policy's refusals, sent by browsers.

The policy (core/security.py) names this endpoint in `report-uri`: a browser
that refused a script, a style or a frame because of it POSTs a JSON report
here. A report means a page of ours breaks the policy (a template with an
inline handler, say) or something injected markup into a page: either way the
operators want to know, so each one is logged (logger `resettle.csp`, level
WARNING) with the document's path, the directive and the refused address,
never the query strings, which may carry personal data.

Anyone may send a report, so the endpoint keeps nothing in the database and
logs at most REPORTS_PER_MINUTE (60) reports a minute in all (counted in the
shared cache, so across web processes); the others are dropped.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("resettle.csp")

REPORTS_PER_MINUTE = 60
MAX_BODY = 16 * 1024  # a report is well under 1 KB; anything larger is not one
_FIELDS = {
    # report-uri (application/csp-report) and Reporting API (application/reports+json)
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "effectiveDirective", "violated-directive"),
    "blocked": ("blocked-uri", "blockedURL"),
}


def _without_query(value: str) -> str:
    if "://" not in value:
        return value[:200]  # "inline", "eval", "self"...
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:200]


def _reports(body: bytes) -> list[dict[str, Any]]:
    """The reports in a body of either format; [] when it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [
            item["body"]
            for item in data
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def _first(report: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = report.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def _take_turn() -> bool:
    """Whether this minute's budget allows one more logged report."""
    key = "csp-reports:" + timezone.now().strftime("%Y%m%d%H%M")
    cache.add(key, 0, timeout=120)
    return cache.incr(key) <= REPORTS_PER_MINUTE


@csrf_exempt  # browsers send reports without cookies or tokens; nothing is changed
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the policy refusals a browser reports; 204 whatever the body."""
    if len(request.body) <= MAX_BODY:
        for report in _reports(request.body):
            if not _take_turn():
                continue
            logger.warning(
                "content security policy refused %s (%s) on %s",
                _without_query(_first(report, _FIELDS["blocked"])) or "?",
                _first(report, _FIELDS["directive"])[:60] or "?",
                _without_query(_first(report, _FIELDS["document"])) or "?",
            )
    return HttpResponse(status=204)
