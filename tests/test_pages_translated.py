"""Every page of the platform in Arabic and in French: no English message id left in it.

The journeys (tests/browser/journeys/) check the pages they visit in a real browser;
this test checks every page the authorization matrix knows, server side: each GET
row of a page (not the API, not a file download) is requested as the first role the
row lets in, in Arabic and in French, and the page's text is searched for the
catalogues' English message ids by the journeys' own rule
(`browser.audit.untranslated_in`: ids of two words or twelve characters whose
translation differs, as whole words, where they are all the Latin text of their
text node). The text is what a reader sees or hears: text nodes (hidden menus
included, not scripts or styles), the title, and placeholder, aria-label, title
and alt attributes, and the labels of input buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from authz import Case, W
from browser.audit import untranslated_in
from resettle.accounts.models import User
from test_authorization_matrix import MATRIX, _url

LANGUAGES = ("ar", "fr")
SHOWN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
SILENT = {"script", "style", "noscript", "template"}


# Elements that never have an end tag: they open no scope of their own.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class PageText(HTMLParser):
    """The text a reader of the page meets, one piece a line (as the browser check).

    Text inside an element marked in another language (`lang="en"` in an Arabic page:
    the explanation of an allocation shown in all three languages) is that language's
    on purpose and left out.
    """

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self._silent = 0
        self._open: list[tuple[str, bool]] = []  # (tag, another language from here)

    def _elsewhere(self) -> bool:
        return any(other for _tag, other in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        lang = (named.get("lang") or "").split("-")[0]
        if tag not in VOID:
            self._open.append((tag, bool(lang) and lang != self.language and tag != "html"))
        if tag in SILENT:
            self._silent += 1
        if self._elsewhere():
            return
        for name in SHOWN_ATTRIBUTES:
            if named.get(name):
                self.parts.append(" ".join(str(named[name]).split()))
        if tag == "input" and named.get("type") in ("submit", "button") and named.get("value"):
            self.parts.append(" ".join(str(named["value"]).split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in SILENT and self._silent:
            self._silent -= 1
        # Close up to the matching open tag (HTML lets some end tags be left out).
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._silent and not self._elsewhere():
            self.parts.append(text)


def page_text(html: str, language: str) -> str:
    parser = PageText(language)
    parser.feed(html)
    return "\n".join(parser.parts)


def _first_allowed(case: Case) -> str | None:
    for role, expected in case.expect.items():
        if expected == 200:
            return role
    return None


PAGES = [
    pytest.param(key, case, role, id=f"{key}{' [' + case.label + ']' if case.label else ''}")
    for key, cases in MATRIX.items()
    if not isinstance(key, tuple)  # pages, not API operations
    for case in cases
    if case.method == "GET" and (role := _first_allowed(case)) is not None
]


@pytest.mark.parametrize(("key", "case", "role"), PAGES)
def test_the_page_is_translated(
    *,
    key: str,
    case: Case,
    role: str,
    world: W,
    request: pytest.FixtureRequest,
    bearer: Callable[[User | None], dict[str, str]],
) -> None:
    if case.setup:
        settings: Any = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path")
        case.setup(world)
    user = world.users[role]
    url = _url(key, case, world)
    problems = []
    for language in LANGUAGES:
        client = Client(headers={"Accept-Language": language})
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, f"{url} as {role} in {language}"
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue  # a download (CSV, PDF, calendar): its words are data or checked apart
        html = response.content.decode()
        assert f'lang="{language}"' in html, f"{url} is not in {language}"
        left = untranslated_in(page_text(html, language), language)
        problems += [f"{language}: {line}" for line in left]
    assert not problems, f"{url} as {role}: English left in the page\n" + "\n".join(problems)


def test_the_check_finds_english_and_leaves_marked_languages_alone() -> None:
    page = (
        '<html lang="ar"><head><title>المكتبة</title><script>var s = "Knowledge library";</script>'
        '</head><body><nav><a href="/library/">Knowledge library</a></nav>'
        '<input type="search" placeholder="Search the library">'
        '<div lang="en"><p>Not placed: no pledge line takes this case.</p></div>'
        "<p>تم الحفظ.</p></body></html>"
    )
    text = page_text(page, "ar")
    assert "Not placed" not in text and "var s" not in text
    found = "\n".join(untranslated_in(text, "ar"))
    assert "'Knowledge library'" in found and "'Search the library'" in found
    assert "Not placed" not in found
