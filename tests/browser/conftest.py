"""Fixtures of the browser tests: Chromium through Playwright, a live server, known data.

Playwright's sync API runs an event loop in the test thread, so Django's guard
against synchronous database calls from async code must be lifted before any
fixture touches the database.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PASSWORD = "Browser-test-pass-2031!"
# Playwright's own timeouts (ms): generous for a loaded machine, far from hanging forever.
EXPECT_TIMEOUT_MS = 10_000
ACTION_TIMEOUT_MS = 15_000


# ---- browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    """One Playwright driver for the session."""
    if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
        pytest.skip(f"{CHROMIUM} is not installed")
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, started once for the session."""
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    chromium = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class PageWatch:
    """What went wrong in the page: script errors and static files that failed to load."""

    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert not self.errors, "the browser reported problems:\n" + "\n".join(self.errors)


def watch_page(page: Page, watch: PageWatch) -> None:
    page.on("pageerror", lambda exc: watch.errors.append(f"script error: {exc}"))

    def on_response(response: Any) -> None:
        if "/static/" in response.url and response.status >= 400:
            watch.errors.append(f"{response.status} for {response.url}")

    page.on("response", on_response)

    def on_failed(request: Any) -> None:
        # A navigation cancels the previous page's pending requests: that is not a fault.
        if "/static/" in request.url and "ERR_ABORTED" not in (request.failure or ""):
            watch.errors.append(f"request failed: {request.url} {request.failure}")

    page.on("requestfailed", on_failed)


_WARM: set[str] = set()


def _warm_up(base_url: str) -> None:
    """Load the first page once per live server, outside any browser timeout.

    The first request of a process compiles templates and loads the three
    languages' catalogues; on a busy 2-core machine that alone can pass the
    browser's navigation timeout, which is meant for pages, not for start-up.
    """
    if base_url in _WARM:
        return
    for language in ("en", "ar", "fr"):
        request = urllib.request.Request(  # noqa: S310 - our own live server
            base_url + "/login/", headers={"Accept-Language": language}
        )
        with urllib.request.urlopen(request, timeout=120) as resp:  # noqa: S310 - same
            resp.read()
    _WARM.add(base_url)


def make_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A fresh context (its own cookies) pointed at the live server, in English."""
    _warm_up(base_url)
    context = browser.new_context(base_url=base_url, locale="en-GB", **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A new browser context per test, on a desktop-sized window."""
    ctx = make_context(browser, live_server.url, viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page_watch() -> PageWatch:
    """Problems seen by the test's pages; checked when the test ends."""
    return PageWatch()


@pytest.fixture
def page(context: BrowserContext, page_watch: PageWatch) -> Iterator[Page]:
    """A page in the test's context; fails the test on script errors or missing assets."""
    pg = context.new_page()
    watch_page(pg, page_watch)
    yield pg
    page_watch.check()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait for the dashboard."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


# ---- data ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """A cheap hasher: the tests log in through the form, they do not test PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_COUNTRY_ROWS: list[dict[str, Any]] = []


@pytest.fixture
def countries(transactional_db: None) -> None:
    """The ISO countries loaded by the data migration.

    A transactional test ends by flushing every table, data migrations' rows
    included, so the first browser test finds them and the next ones reload them.
    """
    from resettle.directory.countries import country_rows
    from resettle.directory.models import Country

    if Country.objects.filter(iso3="DEU").exists():
        return
    if not _COUNTRY_ROWS:
        _COUNTRY_ROWS.extend(dict(row) for row in country_rows())
    Country.objects.bulk_create([Country(**row) for row in _COUNTRY_ROWS])


@dataclass
class World:
    """The rows the browser tests work with."""

    unhcr: Any
    german_ministry: Any
    german_ngo: Any
    french_ngo: Any
    ngo_user: Any
    unhcr_user: Any
    consultation: Any
    members_forum: Any


@pytest.fixture
def browser_world(countries: None, live_server: Any) -> World:
    """Organisations in Germany and France, a UNHCR and an NGO user, two forums."""
    from resettle.accounts.models import User
    from resettle.accounts.roles import Role
    from resettle.directory.models import Country, Organisation, OrganisationKind
    from resettle.forums.models import Forum, ForumAccess, ForumKind

    deu = Country.objects.get(iso3="DEU")
    fra = Country.objects.get(iso3="FRA")
    che = Country.objects.get(iso3="CHE")
    unhcr = Organisation.objects.create(
        name="Office of the UN High Commissioner for Refugees",
        acronym="UNHCR",
        kind=OrganisationKind.UN,
        country=che,
    )
    german_ministry = Organisation.objects.create(
        name="Federal Ministry of the Interior",
        acronym="BMI",
        kind=OrganisationKind.STATE,
        country=deu,
    )
    german_ngo = Organisation.objects.create(
        name="Caritas Germany", acronym="DCV", kind=OrganisationKind.NGO, country=deu
    )
    french_ngo = Organisation.objects.create(
        name="France terre d'asile", acronym="FTDA", kind=OrganisationKind.NGO, country=fra
    )
    ngo_user = User.objects.create_user(
        "nadia",
        password=PASSWORD,
        first_name="Nadia",
        last_name="Keller",
        role=Role.NGO,
        organisation=german_ngo,
    )
    unhcr_user = User.objects.create_user(
        "ulrich",
        password=PASSWORD,
        first_name="Ulrich",
        last_name="Haas",
        role=Role.UNHCR,
        organisation=unhcr,
    )
    consultation = Forum.objects.create(
        name="Consultations on Resettlement and Complementary Pathways",
        acronym="CRCP",
        kind=ForumKind.CONSULTATION,
        access=ForumAccess.PUBLIC,
        description="The yearly multilateral consultation on resettlement.",
    )
    members_forum = Forum.objects.create(
        name="Core Group on Private Sponsorship",
        acronym="CGPS",
        kind=ForumKind.CORE_GROUP,
        access=ForumAccess.MEMBERS,
    )
    return World(
        unhcr=unhcr,
        german_ministry=german_ministry,
        german_ngo=german_ngo,
        french_ngo=french_ngo,
        ngo_user=ngo_user,
        unhcr_user=unhcr_user,
        consultation=consultation,
        members_forum=members_forum,
    )
