"""Security headers Django does not set itself: the content security policy and
the permissions policy.

Django's SecurityMiddleware already sends X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy (and HSTS on HTTPS
deployments); X-Frame-Options comes from XFrameOptionsMiddleware.

The policy allows scripts and styles from our own origin only: no inline
script, no inline style attribute, no eval (htmx is configured for it in
base.html). A standalone page that needs a `<style>` element (the advocacy
brief, which is also the PDF's source) marks it with
`nonce="{{ request.csp_nonce }}"`; the nonce is added to style-src only on
responses that used it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    # Browsers report refusals here (core/csp_reports.py): they reach the logs.
    "report-uri": "/csp-report/",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Documents a browser renders and that could run script or style: pages and SVG.
_POLICED_TYPES = ("text/html", "image/svg+xml")


class CspNonce:
    """A per-request nonce, drawn when a template first uses it."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


def content_security_policy(nonce: str | None = None) -> str:
    """The Content-Security-Policy header's value, with the nonce if one was used."""
    directives = dict(CONTENT_SECURITY_POLICY)
    if nonce:
        directives["style-src"] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to pages and SVG images."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        nonce = CspNonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith(_POLICED_TYPES):
            response.setdefault("Content-Security-Policy", content_security_policy(nonce.value))
            response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
