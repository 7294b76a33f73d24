"""The language switch: Arabic right to left with Bootstrap's RTL build, and French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

FRENCH_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "src/resettle/locale/fr/LC_MESSAGES/django.mo"
)
# Navbar strings: with the French catalogue compiled, at least one must read in French.
NAV_STRINGS = ["Dashboard", "Forums", "Consultation cycles", "Organisations", "Log out"]

# True once a stylesheet whose address contains `part` has loaded and has rules.
STYLESHEET_LOADED = """(part) => [...document.styleSheets].some(
    (sheet) => sheet.href && sheet.href.includes(part) && sheet.cssRules.length > 0)"""


def _stylesheets(page: Page) -> list[str]:
    return page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.href)")


def test_switch_to_arabic_then_french(page: Page, browser_world: World) -> None:
    log_in(page, "nadia")
    page.goto("/directory/countries/DEU/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Germany")

    # The switch's accessible name is translated too, so find it by its id.
    language = page.locator("#language-form")
    language.get_by_role("button", name="العربية").click()

    # Back on the same page, now right to left with Bootstrap's RTL build.
    expect(page).to_have_url(re.compile(r"/directory/countries/DEU/$"))
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    sheets = _stylesheets(page)
    assert any(s.endswith("/vendor/bootstrap/bootstrap.rtl.min.css") for s in sheets), sheets
    assert not any(s.endswith("/vendor/bootstrap/bootstrap.min.css") for s in sheets), sheets
    page.wait_for_function(STYLESHEET_LOADED, arg="bootstrap.rtl.min.css")
    # Names from the database follow the language too.
    expect(page.get_by_role("heading", level=1)).to_have_text("ألمانيا")
    expect(language.get_by_role("button", name="العربية")).to_have_class(re.compile(r"\bactive\b"))
    # The layout mirrors: the brand sits at the right, the language switch to its left.
    brand = page.locator(".navbar-brand").bounding_box()
    switch = language.bounding_box()
    viewport = page.viewport_size
    assert brand and switch and viewport
    assert brand["x"] > viewport["width"] / 2 > switch["x"] + switch["width"]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    screenshot(page, "02-country-ar-rtl")

    language.get_by_role("button", name="Français").click()

    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    sheets = _stylesheets(page)
    assert any(s.endswith("/vendor/bootstrap/bootstrap.min.css") for s in sheets), sheets
    assert not any("bootstrap.rtl" in s for s in sheets), sheets
    page.wait_for_function(STYLESHEET_LOADED, arg="/bootstrap.min.css")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allemagne")
    french = language.get_by_role("button", name="Français")
    expect(french).to_have_class(re.compile(r"\bactive\b"))
    expect(language.get_by_role("button", name="العربية")).not_to_have_class(
        re.compile(r"\bactive\b")
    )
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand and brand["x"] < viewport["width"] / 2
    if FRENCH_CATALOGUE.exists():
        with translation.override("fr"):
            translated = {en: translation.gettext(en) for en in NAV_STRINGS}
        french_only = {en: fr for en, fr in translated.items() if fr != en}
        assert french_only, f"{FRENCH_CATALOGUE} translates none of {NAV_STRINGS}"
        english, text = next(iter(french_only.items()))
        expect(page.locator("nav")).to_contain_text(text)
        expect(page.locator("nav")).not_to_contain_text(english)
    screenshot(page, "03-country-fr")

    # The choice sticks: a new page in the same session is still in French.
    page.goto("/forums/")
    expect(html).to_have_attribute("lang", "fr")
