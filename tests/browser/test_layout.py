"""The layout on a phone: the navbar collapses behind its toggler."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import PageWatch, World, make_context, screenshot, watch_page

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser, live_server: Any, page_watch: PageWatch) -> Iterator[Page]:
    """A page in a phone-sized, touch-enabled context."""
    ctx = make_context(
        browser,
        live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    pg = ctx.new_page()
    watch_page(pg, page_watch)
    try:
        yield pg
        page_watch.check()
    finally:
        ctx.close()


def test_navbar_collapses_on_a_phone(phone: Page, browser_world: World) -> None:
    phone.goto("/")
    toggler = phone.locator(".navbar-toggler")
    links = phone.locator("#nav")
    forums = links.get_by_role("link", name="Forums")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(forums).to_be_hidden()
    expect(phone.get_by_role("button", name="العربية")).to_be_hidden()
    # Nothing spills sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "08-phone-collapsed")

    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(links).to_have_class("navbar-collapse collapse show")
    expect(forums).to_be_visible()
    expect(links.get_by_role("button", name="Directory")).to_be_visible()
    expect(links.get_by_role("link", name="Log in")).to_be_visible()
    expect(phone.get_by_role("button", name="Français")).to_be_visible()
    screenshot(phone, "09-phone-menu-open")

    forums.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Forums")


def test_phone_menu_in_arabic_is_mirrored(phone: Page, browser_world: World) -> None:
    phone.goto("/forums/")
    toggler = phone.locator(".navbar-toggler")
    toggler.tap()
    # Wait for Bootstrap's collapse transition to end: a tap while the menu is
    # still growing can land on whatever the animation moves under the finger.
    expect(phone.locator("#nav")).to_have_class("navbar-collapse collapse show")
    phone.locator("#language-form").get_by_role("button", name="العربية").tap()

    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone).to_have_url(re.compile(r"/forums/$"))
    # A new page: the menu is closed again, and the bar is mirrored.
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(phone.locator("#nav")).to_be_hidden()
    brand = phone.locator(".navbar-brand").bounding_box()
    button = toggler.bounding_box()
    assert brand and button
    assert button["x"] + button["width"] < 195 < brand["x"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    toggler.tap()
    expect(phone.locator("#nav")).to_have_class("navbar-collapse collapse show")
    links = phone.locator("#nav .nav-link")
    expect(links.first).to_be_visible()
    # Links start at the right edge in RTL.
    first = links.first.bounding_box()
    assert first and first["x"] + first["width"] > 300
    screenshot(phone, "12-phone-menu-ar")
