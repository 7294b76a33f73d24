"""What an anonymous visitor sees: public forums, and a 404 for members-only ones."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, screenshot

pytestmark = pytest.mark.browser


def test_anonymous_sees_public_forums_only(page: Page, browser_world: World) -> None:
    page.goto("/forums/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forums")
    table = page.locator("table.rs-list")
    expect(table.get_by_role("link", name=browser_world.consultation.name)).to_be_visible()
    expect(table).not_to_contain_text(browser_world.members_forum.name)
    expect(page.locator("[data-testid=count]")).to_have_text("1 result")
    # No add button for a visitor.
    expect(page.locator("main").get_by_role("link", name="Add", exact=True)).to_have_count(0)
    screenshot(page, "10-forums-anonymous")

    table.get_by_role("link", name=browser_world.consultation.name).click()
    expect(page).to_have_url(re.compile(rf"/forums/{browser_world.consultation.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(browser_world.consultation))
    expect(page.locator("dl")).to_contain_text("Public")
    # Visitors do not see who changed what.
    expect(page.locator("[data-testid=history]")).to_have_count(0)
    expect(page.get_by_role("link", name="Plan a cycle")).to_have_count(0)

    response = page.goto(f"/forums/{browser_world.members_forum.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("main")).not_to_contain_text(browser_world.members_forum.name)
    expect(page).to_have_title(re.compile(r"^Not found"))
    screenshot(page, "11-members-forum-404")

    # The same 404 as for a forum that does not exist at all.
    missing = page.goto("/forums/999999/")
    assert missing is not None and missing.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
