"""Fixtures of the user journeys: each journey runs in English and Arabic, on a desktop
and a phone, over the demo dataset, and audits every page it visits (../audit.py).

A journey test asks for `journey` (and is then run four times) and for `demo` (the
demo dataset, loaded afresh for each run: about 5 s). See docs/guide/README.md.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.utils import formats, translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ..audit import PageToWeigh, PageWeight, audit, measure_weight
from ..conftest import ACTION_TIMEOUT_MS, PageWatch, _warm_up, watch_page

# RESETTLE_JOURNEY_LANGUAGES=en,ar,fr runs the journeys in French too (checked as Arabic is).
LANGUAGES = tuple(os.environ.get("RESETTLE_JOURNEY_LANGUAGES", "en,ar").split(","))
# Accept-Language of each language's context: the site picks the language from it.
BROWSER_LOCALES = {"en": "en-GB", "ar": "ar", "fr": "fr-FR"}
SIZES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
GUIDE_IMAGES = Path(__file__).resolve().parents[3] / "docs" / "guide" / "img"
# RESETTLE_GUIDE_SCREENSHOTS=1: the English desktop run copies its screenshots to the guide.
GUIDE_SCREENSHOTS = os.environ.get("RESETTLE_GUIDE_SCREENSHOTS") == "1"


def new_journey_context(
    browser: Browser, base_url: str, language: str, size: str, **options: Any
) -> BrowserContext:
    """A fresh context in the language (Accept-Language) and at the size given."""
    _warm_up(base_url)
    context = browser.new_context(
        base_url=base_url, locale=BROWSER_LOCALES[language], **SIZES[size], **options
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@dataclass
class Journey:
    """One run of a journey: a language, a size, a page, and the pages audited so far."""

    browser: Browser
    base_url: str
    language: str
    size: str
    context: BrowserContext
    page: Page
    visited: list[PageToWeigh] = field(default_factory=list)

    @property
    def is_phone(self) -> bool:
        return self.size == "phone"

    @property
    def is_guide_run(self) -> bool:
        return self.language == "en" and self.size == "desktop"

    def t(self, english: str) -> str:
        """The English text as the page shows it in this journey's language.

        Form labels come from models' lower-case verbose names, which Django shows
        with a capital first letter ("progress so far (number)"): a capitalised text
        with no translation of its own is looked up in lower case and capitalised.
        """
        with translation.override(self.language):
            shown = translation.gettext(english)
            if shown == english and english[:1].isupper() and self.language != "en":
                lower = translation.gettext(english[:1].lower() + english[1:])
                if lower[:1].lower() + lower[1:] != english[:1].lower() + english[1:]:
                    shown = lower[:1].upper() + lower[1:]
        return shown

    @property
    def integer_pattern(self) -> re.Pattern[str]:
        """A whole number as the language writes it: 2,500,000 in English, 2.500.000 in
        Arabic (Django's formats, digits 0-9), 2 500 000 in French."""
        with translation.override(self.language):
            separator = str(formats.get_format("THOUSAND_SEPARATOR"))
        return re.compile(r"^\d{1,3}(" + re.escape(separator) + r"\d{3})*$")

    def audit(
        self, name: str, *, charts: bool = False, weigh: bool = True, allow_english: Any = ()
    ) -> Path:
        """Screenshot and check the current page; remember it for `check_weights`.

        `name` is the screenshot's name (test-artifacts/journeys/<name>-<lang>-<size>.png;
        docs/guide/img/<name>.png for the guide); `charts` raises the page's first-load
        budget to 600 KB; `weigh=False` for a page reached by a POST.
        """
        path = audit(self.page, self.language, name, size=self.size, allow_english=allow_english)
        if weigh:
            url = self.page.url.removeprefix(self.base_url)
            self.visited.append(PageToWeigh(name, url, charts))
        if GUIDE_SCREENSHOTS and self.is_guide_run:
            GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, GUIDE_IMAGES / f"{name}.png")
        return path

    def open_menu(self) -> None:
        """On a phone, open the collapsed main menu (no-op where it is expanded)."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            expect(self.page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))

    def navigate(self, menu: str, item: str | None = None) -> None:
        """Follow the main menu: `menu` (English) and, for a drop-down, its `item`."""
        self.open_menu()
        nav = self.page.locator("#nav")
        if item is None:
            nav.get_by_role("link", name=self.t(menu), exact=True).click()
        else:
            nav.get_by_role("button", name=self.t(menu), exact=True).click()
            nav.get_by_role("link", name=self.t(item), exact=True).click()
        self.page.wait_for_load_state("load")

    def log_in(self, username: str) -> None:
        """Log in as a demo user through the login form; lands on the dashboard."""
        from resettle.demo.data import DEMO_PASSWORD

        self.page.goto("/login/")
        main = self.page.locator("main")
        main.get_by_label(self.t("Username")).fill(username)
        main.get_by_label(self.t("Password")).fill(DEMO_PASSWORD)
        main.get_by_role("button", name=self.t("Log in")).click()
        self.page.wait_for_url(re.compile(r"/dashboard/$"))

    @contextmanager
    def without_javascript(self) -> Iterator[Page]:
        """A page with JavaScript off, with this journey's cookies (who is logged in)."""
        context = new_journey_context(
            self.browser,
            self.base_url,
            self.language,
            self.size,
            java_script_enabled=False,
            storage_state=self.context.storage_state(),
        )
        try:
            yield context.new_page()
        finally:
            context.close()

    def check_weights(self) -> list[PageWeight]:
        """Weigh every page audited so far (each once), cold and as a later page."""
        seen: dict[str, PageToWeigh] = {}
        for item in self.visited:
            seen.setdefault(item.url, item)
        state = self.context.storage_state()

        def fresh() -> BrowserContext:
            return new_journey_context(
                self.browser, self.base_url, self.language, self.size, storage_state=state
            )

        return measure_weight(fresh, list(seen.values()), label=f"[{self.language}, {self.size}]")


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def demo(countries: None, live_server: Any) -> Any:
    """The demo dataset (resettle demo): its users' password is data.DEMO_PASSWORD."""
    from resettle.demo.services import do_load_demo
    from resettle.directory.models import Country
    from resettle.needs.models import Population
    from resettle.needs.populations import GROUPS

    # A transactional test ends by flushing every table: the populations of the data
    # migration needs/0002 are reloaded as `countries` reloads the countries.
    if not Population.objects.exists():
        rows = [
            Population(
                code=c.iso3, country=c, name_en=c.name_en, name_ar=c.name_ar, name_fr=c.name_fr
            )
            for c in Country.objects.all()
        ]
        rows += [
            Population(
                code=g["code"], name_en=g["name_en"], name_ar=g["name_ar"], name_fr=g["name_fr"]
            )
            for g in GROUPS
        ]
        Population.objects.bulk_create(rows)
    return do_load_demo(actor=None)


@pytest.fixture
def journey(
    browser: Browser, live_server: Any, language: str, size: str, page_watch: PageWatch
) -> Iterator[Journey]:
    """A journey's page in the language and size of this run; script errors fail it."""
    context = new_journey_context(browser, live_server.url, language, size)
    try:
        page = context.new_page()
        watch_page(page, page_watch)
        yield Journey(browser, live_server.url, language, size, context, page)
        page_watch.check()
    finally:
        context.close()
