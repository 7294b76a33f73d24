"""Security endpoints of the core app (src/resettle/core)."""

from __future__ import annotations

from authz import Case, roles

MATRIX = {
    # Browsers report policy refusals without cookies or tokens: anyone may, nothing is kept.
    "core:csp_report": [
        Case("POST", roles(204), data=lambda w, u: {"csp-report": "not a report"}),
    ],
}
