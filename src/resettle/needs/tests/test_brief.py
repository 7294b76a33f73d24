"""The advocacy brief: its page and its PDF in English, Arabic and French (figures from
gap_fixtures), the Arabic PDF's text extracted and read back in logical order."""

from __future__ import annotations

import io
import re
import unicodedata
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from resettle.accounts.models import User
from resettle.needs import brief
from resettle.needs import gap_queries as q
from resettle.needs.tests.gap_fixtures import make_gap_world


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


def _get(client: Client, url: str, **headers: str) -> bytes:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


def _pdf_text(pdf: bytes) -> tuple[str, int]:
    """The PDF's text, NFKC-normalised (Arabic may come out as presentation forms),
    with runs of white space made one space; and its number of pages."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)), len(reader.pages)


def _in(lang: str, message: str, **params: object) -> str:
    """A message in a language (whatever the catalogue holds today)."""
    with translation.override(lang):
        return gettext(message) % params if params else gettext(message)


ARABIC = re.compile("[\u0600-\u06ff]")
TITLE = "Resettlement needs and pledges: advocacy brief, %(year)s"


def test_brief_page_in_english_has_the_figures(client: Client, w: SimpleNamespace) -> None:
    html = _get(client, "/needs/brief/?year=2024&lang=en").decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Resettlement needs and pledges: advocacy brief, 2024" in html
    for code, value in (
        ("need", "6,800"),
        ("pledged", "2,501"),
        ("submitted", "1,000"),
        ("departed", "550"),
    ):
        assert f'data-testid="brief-{code}">{value}<' in html
    assert "14.7% emergency or urgent" in html  # 1000 / 6800
    assert "36.8% of the need" in html  # 2501 / 6800
    assert "Target met" in html and "Below target" in html  # 10.0% and 20.0%
    # The populations most in need, largest first; the States by places pledged.
    populations = html[html.index('data-testid="brief-top-populations"') :]
    assert populations.index("Afghanistan") < populations.index("Rohingya")
    states = html[html.index('data-testid="brief-states"') :]
    assert states.index("Canada") < states.index("Germany")
    # Every chart is inline SVG with a title.
    for chart_id in ("brief-coverage-chart", "brief-populations-chart", "gap-map", "gap-states"):
        assert re.search(rf'<svg[^>]*id="{chart_id}"', html), chart_id
    # Sources: the versions that count (the corrected PGRN), not the private series.
    sources = html[html.index('data-testid="brief-sources"') :]
    assert "pgrn, version 2" in sources and "UNHCR PGRN 2024, corrected" in sources
    assert "private-flows" not in html
    # The page links to its PDF.
    assert 'href="/needs/brief.pdf?year=2024&amp;lang=en"' in html


def test_brief_page_in_arabic_is_right_to_left(client: Client, w: SimpleNamespace) -> None:
    html = _get(client, "/needs/brief/?year=2024&lang=ar").decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ألمانيا" in html and "أفغانستان" in html  # names from the database
    assert 'direction="rtl"' in html  # the charts are mirrored


def test_lang_overrides_the_active_language(client: Client, w: SimpleNamespace) -> None:
    html = _get(client, "/needs/brief/?year=2024", **{"Accept-Language": "ar"}).decode()
    assert 'dir="rtl"' in html
    html = _get(client, "/needs/brief/?year=2024&lang=en", **{"Accept-Language": "ar"}).decode()
    assert 'dir="ltr"' in html
    # An unknown language falls back to the active one.
    html = _get(client, "/needs/brief/?year=2024&lang=xx", **{"Accept-Language": "fr"}).decode()
    assert '<html lang="fr"' in html
    assert "6\u202f800" in html or "6\xa0800" in html or "6 800" in html


def test_arabic_pdf_is_shaped_text_in_logical_order(client: Client, w: SimpleNamespace) -> None:
    response = client.get("/needs/brief.pdf?year=2024&lang=ar")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="resettle-brief-2024-ar.pdf"' in response["Content-Disposition"]
    text, pages = _pdf_text(response.content)
    assert pages >= 1
    # Names that are Arabic whatever the catalogue holds: countries and populations.
    for name in ("ألمانيا", "كندا", "أفغانستان", "الروهينغا"):
        assert name in text, name
    # Headings the catalogue already translates ("Status", "Kind") read whole, in order;
    # the title and the others too once translated (until then, English words in a
    # right-to-left page, whose punctuation the bidi algorithm moves).
    for message in ("Status", "Kind", TITLE, "Pledges by resettlement State"):
        expected = _in("ar", message, year=2024)
        if ARABIC.search(expected):
            # The Arabic words read whole and in logical order; a number inside the
            # line (the year) is placed by the bidi algorithm, so it is checked apart.
            for raw in re.split(r"\d+", expected):
                part = raw.strip(" ،,.:;()")
                assert not part or part in text, (part, expected)
            for number in re.findall(r"\d+", expected):
                assert number in text, (number, expected)
        else:
            assert all(word in text for word in re.findall(r"\w+", expected)), expected
    assert ARABIC.search(_in("ar", "Status"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_english_and_french_pdfs_carry_their_title(lang: str, w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    pdf = brief.build_brief(sources, 2024, lang, pdf=True)
    assert isinstance(pdf, bytes)
    text, pages = _pdf_text(pdf)
    assert pages >= 1
    assert _in(lang, TITLE, year=2024) in text
    assert ("Germany" if lang == "en" else "Allemagne") in text


def test_brief_follows_the_gap_pages_visibility(client: Client, w: SimpleNamespace) -> None:
    # Anonymous visitors: public versions only; a private as-of version is not found.
    assert client.get(f"/needs/brief/?version={w.private.pk}").status_code == 404
    assert client.get(f"/needs/brief.pdf?version={w.private.pk}").status_code == 404
    # Signed in: the private series counts (10,000 more departures).
    user = User.objects.create_user("brief-reader", password="x")
    client.force_login(user)
    html = _get(client, "/needs/brief/?year=2024&lang=en").decode()
    assert 'data-testid="brief-departed">10,550<' in html
    html = _get(client, f"/needs/brief/?year=2024&lang=en&version={w.pgrn1.pk}").decode()
    assert "Figures as they stood when pgrn v1 was imported" in html
    assert 'data-testid="brief-need">6,000<' in html  # the first PGRN: SYR 1000, no SDN


def test_gap_page_links_to_the_brief(client: Client, w: SimpleNamespace) -> None:
    html = _get(client, "/needs/gap/?year=2024").decode()
    links = html[html.index('data-testid="brief-links"') :]
    assert "/needs/brief/?year=2024" in links
    assert "/needs/brief.pdf?year=2024" in links
