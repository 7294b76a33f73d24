"""Security headers, the content security policy, and templates that keep to it."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.core.security import content_security_policy
from resettle.core.templatetags.layout_tags import start_class, width_class

SRC = Path(__file__).resolve().parents[2]  # src/resettle
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "report-uri /csp-report/"
)


@pytest.mark.django_db
def test_a_page_has_every_security_header(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_error_pages_and_svg_have_the_policy_and_json_does_not(
    client: Client, world: SimpleNamespace
) -> None:
    from resettle.needs.tests.gap_fixtures import make_gap_world

    make_gap_world()
    assert client.get("/no-such-page/")["Content-Security-Policy"] == STRICT_CSP
    svg = client.get(reverse("needs:gap_chart", args=["bars"]) + "?year=2024&cut=asylum")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert svg["Content-Security-Policy"] == STRICT_CSP
    api = client.get("/api/v1/countries")
    assert api.status_code == 200 and "Content-Security-Policy" not in api


@pytest.mark.django_db
def test_the_brief_s_style_element_has_the_nonce_in_the_policy(client: Client) -> None:
    response = client.get(reverse("needs:brief") + "?year=2024")
    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode())
    assert nonce, "the brief's <style> carries a nonce"
    assert response["Content-Security-Policy"] == content_security_policy(nonce.group(1))
    assert f"style-src 'self' 'nonce-{nonce.group(1)}';" in response["Content-Security-Policy"]
    # A new nonce for every response.
    again = client.get(reverse("needs:brief") + "?year=2024")["Content-Security-Policy"]
    assert again != response["Content-Security-Policy"]


def test_width_and_start_classes_round_and_keep_within_0_100() -> None:
    assert [width_class(v) for v in (0, 37.4, "37.6", 100, 250, -3, None, "n/a")] == [
        "rs-w-0",
        "rs-w-37",
        "rs-w-38",
        "rs-w-100",
        "rs-w-100",
        "rs-w-0",
        "rs-w-0",
        "rs-w-0",
    ]
    assert start_class(50) == "rs-start-50"
    css = (SRC / "core/static/resettle/resettle.css").read_text()
    for n in (0, 50, 100):
        assert f".rs-w-{n} {{ width: {n}%; }}" in css
        assert f".rs-start-{n} {{ inset-inline-start: {n}%; }}" in css


# ---- every template keeps to the policy ------------------------------------------------------

TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))
# A <style> element needs the nonce; these are standalone documents only for PDFs.
PDF_ONLY = {"rsf/templates/rsf/timetable_print.html"}

INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style(?![^>]*\snonce=)[^>]*>", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_template_has_no_inline_script_or_style(path: Path) -> None:
    text = path.read_text()
    where = str(path.relative_to(SRC))
    problems = [m.group(1) for m in INLINE_HANDLER.finditer(text)]
    problems += ["style=" for _ in STYLE_ATTRIBUTE.finditer(text)]
    problems += ["inline <script>" for _ in INLINE_SCRIPT.finditer(text)]
    problems += ["javascript: URL" for _ in JS_URL.finditer(text)]
    if where not in PDF_ONLY:
        problems += ["<style> without nonce" for _ in STYLE_ELEMENT.finditer(text)]
    assert not problems, f"{where}: {problems} (the content security policy refuses them)"
