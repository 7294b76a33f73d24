"""The content security policy in Chromium: pages with JavaScript behaviour load and
work with no violation reported, and the styles moved out of attributes still apply.

Violations are caught twice: the `securitypolicyviolation` events the page fires
(listened to by a script Playwright injects, which the policy does not govern)
and Chromium's "Refused to ..." console errors. A first check proves the watch
sees a violation when there is one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PASSWORD, PageWatch, World, log_in, screenshot, watch_page
from .test_gap import gap_world  # noqa: F401 - the gap page's data, as a fixture

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class CspWatch:
    """The violations a page reported, from both sources."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        events: list[str] = self.page.evaluate("window.__csp || []")
        return events + self.console

    def clear(self) -> None:
        self.page.evaluate("window.__csp = []")
        self.console.clear()

    def assert_none(self, where: str) -> None:
        found = self.violations()
        assert not found, f"{where}: content security policy violations:\n" + "\n".join(found)


@pytest.fixture
def csp(context: BrowserContext, page_watch: PageWatch) -> Iterator[tuple[Page, CspWatch]]:
    context.add_init_script(LISTEN)
    page = context.new_page()
    watch_page(page, page_watch)
    watch = CspWatch(page)
    yield page, watch
    page_watch.check()


def _policy(page: Page, url: str) -> str:
    response = page.goto(url)
    assert response is not None and response.ok, url
    return response.headers.get("content-security-policy", "")


def test_the_watch_sees_a_violation(csp: tuple[Page, CspWatch], browser_world: World) -> None:
    page, watch = csp
    assert "script-src 'self'" in _policy(page, "/")
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.append(s)"
    )
    page.wait_for_function("window.__csp.length >= 2")
    assert any("style-src" in v for v in watch.violations())
    assert any("script-src" in v for v in watch.violations())
    assert page.evaluate("window.x") is None  # the inline script did not run
    # The style attribute was refused: the background stays as the stylesheet has it.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"


def test_navigation_menus_and_the_language_switch(
    csp: tuple[Page, CspWatch], browser_world: World
) -> None:
    page, watch = csp
    page.goto("/")
    menu = page.locator("#nav-needs")
    menu.click()  # Bootstrap's dropdown, from the static bundle
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="The gap")).to_be_visible()
    assert page.evaluate("document.querySelectorAll('style').length") == 0  # htmx added none
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    watch.assert_none("home page")


def test_the_gap_filters_and_bars(
    csp: tuple[Page, CspWatch],
    gap_world: SimpleNamespace,  # noqa: F811 - the imported fixture
) -> None:
    page, watch = csp
    page.goto("/needs/gap/?year=2024")
    expect(page.get_by_test_id("total-need")).to_have_text("6,800")
    # The chart styles moved into resettle.css: the figure's border is there.
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.rs-figure')).borderInlineStartWidth"
    )
    assert border == "4px"
    # Bars sized by class: the marker of the first indicator sits at half its track.
    mark = page.locator(".rs-progress .rs-mark.rs-start-50").first
    track = page.locator(".rs-progress").first
    mark_box, track_box = mark.bounding_box(), track.bounding_box()
    assert mark_box is not None and track_box is not None
    assert abs(mark_box["x"] - (track_box["x"] + track_box["width"] / 2)) <= 1.5
    bar = page.locator(".rs-progress > span[class^='rs-w-']").first
    bar_class = bar.get_attribute("class") or ""
    percent = int(re.fullmatch(r"rs-w-(\d+)", bar_class).group(1))  # type: ignore[union-attr]
    bar_box = bar.bounding_box()
    assert bar_box is not None
    assert abs(bar_box["width"] - track_box["width"] * percent / 100) <= 1.5

    page.get_by_label("Break down by").select_option("asylum")  # htmx swaps the results
    expect(page.get_by_test_id("gap-table")).to_contain_text("Lebanon")
    expect(page).to_have_url(re.compile(r"cut=asylum"))
    scroller = page.locator("div.table-responsive:has([data-testid=gap-table])")
    assert scroller.evaluate("e => getComputedStyle(e).maxHeight") == "512px"
    screenshot(page, "csp-gap")
    watch.assert_none("the gap page")


def test_the_agenda_editor(csp: tuple[Page, CspWatch], browser_world: World) -> None:
    from resettle.meetings.models import Meeting

    page, watch = csp
    zurich = ZoneInfo("Europe/Zurich")
    meeting = Meeting.objects.create(
        forum=browser_world.consultation,
        title="CRCP 2031",
        kind="consultation",
        starts_at=datetime.datetime(2031, 6, 17, 9, tzinfo=zurich),
        ends_at=datetime.datetime(2031, 6, 18, 18, tzinfo=zurich),
        time_zone="Europe/Zurich",
        working_languages="en, ar, fr",
    )
    log_in(page, "ulrich")
    page.goto(f"/meetings/{meeting.pk}/agenda/")
    editor = page.locator("#agenda-editor")
    for title, start in (
        ("Opening plenary", "2031-06-17T09:30"),
        ("Refugee voices", "2031-06-17T11:00"),
    ):
        form = page.get_by_test_id("add-session")
        form.get_by_label("Title").fill(title)
        form.get_by_label("Starts").fill(start)
        form.get_by_role("button", name="Add session").click()
        expect(editor.get_by_test_id("session-title").last).to_have_text(title)
    page.get_by_role("button", name=re.compile(r"^Move up\W+Refugee voices$")).click()
    expect(editor.get_by_test_id("session-title")).to_have_text(
        ["Refugee voices", "Opening plenary"]
    )
    # The position box keeps its width from the stylesheet (it was a style attribute).
    box = editor.locator("input.rs-position-input").first
    width = box.evaluate("e => parseFloat(getComputedStyle(e).width)")
    font = box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert abs(width - 4.5 * font) <= 1
    watch.assert_none("the agenda editor")


def test_the_advocacy_brief_keeps_its_styles(
    csp: tuple[Page, CspWatch],
    gap_world: SimpleNamespace,  # noqa: F811 - the imported fixture
) -> None:
    page, watch = csp
    policy = _policy(page, "/needs/brief/?year=2024")
    assert re.search(r"style-src 'self' 'nonce-[\w-]+';", policy)
    color = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert color == "rgb(0, 114, 188)"  # from the brief's own <style>, allowed by its nonce
    watch.assert_none("the advocacy brief")


def test_the_api_docs_and_the_admin(csp: tuple[Page, CspWatch], browser_world: World) -> None:
    from resettle.accounts.models import User

    page, watch = csp
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Resettle API")
    expect(page.locator(".opblock").first).to_be_visible()
    watch.assert_none("the API docs")

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    log_in(page, "root")
    page.goto("/admin/core/auditentry/")
    expect(page.locator("#content h1")).to_contain_text("audit entr")
    page.goto("/admin/forums/forum/add/")
    expect(page.locator("#content h1")).to_be_visible()
    watch.assert_none("the admin")
