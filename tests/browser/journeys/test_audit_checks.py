"""The journeys' checks catch what they are meant to, and no more: static pages with a
known fault, no server needed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from ..audit import check_accessibility, check_translated, load_catalogue

pytestmark = pytest.mark.browser


@pytest.fixture
def blank(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


ARABIC_PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><title>الفجوة</title></head>
<body><main><h1>الاحتياجات والتعهدات: الفجوة</h1>
<h2>{heading}</h2>
<p>Steering Committee of the Consultations</p>
<p>EUAA Resettlement Support Facility in Türkiye (RSF)</p>
<a href="/x.svg" aria-label="{label}">SVG</a>
</main></body></html>"""


def test_english_ids_left_in_an_arabic_page_fail(blank: Page) -> None:
    blank.set_content(
        ARABIC_PAGE.format(heading="Needs and pledges: the gap", label="Download the chart (SVG)")
    )
    with pytest.raises(AssertionError) as failure:
        check_translated(blank, "ar")
    message = str(failure.value)
    assert "'Needs and pledges: the gap'" in message
    assert "'Download the chart (SVG)'" in message
    # Names in the data that contain an id ("Steering Committee", "Resettlement Support
    # Facility") are not reported.
    assert "'Steering Committee'" not in message
    assert "'Resettlement Support Facility'" not in message


def test_an_id_with_a_placeholder_is_found_with_its_value(blank: Page) -> None:
    catalogue = load_catalogue("ar")
    assert any(entry.msgid == "%(share)s of the need" for entry in catalogue.entries)
    blank.set_content(ARABIC_PAGE.format(heading="7,8% of the need", label="تنزيل"))
    with pytest.raises(AssertionError, match="of the need"):
        check_translated(blank, "ar")


def test_a_counter_stands_for_a_number_only(blank: Page) -> None:
    blank.set_content(
        ARABIC_PAGE.format(heading="Travel support for refugee participants", label="تنزيل")
    )
    check_translated(blank, "ar")
    blank.set_content(ARABIC_PAGE.format(heading="12 participants", label="تنزيل"))
    with pytest.raises(AssertionError, match="participants"):
        check_translated(blank, "ar")


def test_a_translated_arabic_page_passes(blank: Page) -> None:
    blank.set_content(ARABIC_PAGE.format(heading="أعلى نسبة", label="تنزيل الرسم البياني"))
    check_translated(blank, "ar")
    # English pages are not checked.
    check_translated(blank, "en")


def test_serious_accessibility_violations_fail(blank: Page) -> None:
    blank.set_content(
        '<!doctype html><html lang="en"><head><title>Test</title></head><body><main>'
        '<h1>Test</h1><p style="color:#bbb;background:#fff">Pale text</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        check_accessibility(blank, context_label="sample")
    message = str(failure.value)
    assert "color-contrast (serious" in message
    assert "image-alt (critical" in message


def test_an_accessible_page_passes(blank: Page) -> None:
    blank.set_content(
        '<!doctype html><html lang="en"><head><title>Test</title></head><body><main>'
        '<h1>Test</h1><p>Dark text</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'alt="A dot"></main></body></html>'
    )
    assert all(
        v["impact"] not in ("serious", "critical")
        for v in check_accessibility(blank, context_label="sample")
    )
