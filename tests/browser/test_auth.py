"""Logging in and out through the pages."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from resettle.accounts import otp

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


def test_staff_set_up_an_authenticator_app_then_log_in_with_its_code(
    page: Page, browser_world: World, settings: Any
) -> None:
    """A UNHCR user, whose role requires MFA, is sent to set it up at first login."""
    settings.RESETTLE_MFA_REQUIRED_ROLES = ["admin", "unhcr", "rsf"]
    page.goto("/login/")
    page.get_by_label("Username").fill("ulrich")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()

    # Sent to set up an app; every other page sends them back here.
    expect(page).to_have_url(re.compile(r"/account/mfa/enrol/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up multi-factor authentication")
    expect(page.get_by_test_id("mfa-qr")).to_be_visible()
    page.goto("/meetings/")
    expect(page).to_have_url(re.compile(r"/account/mfa/enrol/$"))
    screenshot(page, "mfa-01-enrol")

    # What a person would type from the key shown on the page into their app.
    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(otp.totp(secret, time.time()))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(page, "mfa-02-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.locator("[data-testid=whoami]").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("[data-testid=whoami]")).to_have_count(0)

    # Logging in is now two steps: the password, then the app's code.
    page.goto("/login/?next=/meetings/")
    page.get_by_label("Username").fill("ulrich")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/account/verify/"))
    # A wrong code is refused with a message.
    valid = {otp.totp(secret, time.time() + 30 * k) for k in range(-2, 3)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    page.get_by_label("Authentication code").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not valid")
    screenshot(page, "mfa-03-code")
    # The code of the next time step: the one used to set up may not be used again.
    page.get_by_label("Authentication code").fill(otp.totp(secret, time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/meetings/$"))
    expect(page.locator("[data-testid=whoami]")).to_contain_text("ulrich")
