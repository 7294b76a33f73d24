"""Logging in and out through the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, World, screenshot

pytestmark = pytest.mark.browser


def test_log_in_see_dashboard_and_log_out(page: Page, browser_world: World) -> None:
    page.goto("/")
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)
    # The navbar's link comes back to the page it was followed from; the home
    # page's own button leads to the dashboard.
    expect(page.locator("nav").get_by_role("link", name="Log in")).to_have_attribute(
        "href", "/login/?next=/"
    )
    page.locator("main").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login/$"))

    # A wrong password keeps the visitor on the form, with the error and the username kept.
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill("not-the-password")
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    expect(page.get_by_label("Username")).to_have_value("nadia")
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)

    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    whoami = page.locator("[data-testid=whoami]")
    expect(whoami).to_be_visible()
    expect(whoami).to_contain_text("nadia")
    expect(whoami).to_contain_text("DCV")  # the user's organisation
    expect(page.locator("[data-testid=role]")).to_contain_text("NGO staff")
    expect(page.locator("[data-testid=role]")).to_contain_text("Caritas Germany")
    screenshot(page, "01-dashboard")

    whoami.click()  # the account menu holds the log-out button
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)
    expect(page.locator("nav").get_by_role("link", name="Log in")).to_be_visible()

    # Logged out for real: the dashboard sends the visitor back to the login form.
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/dashboard/"))
