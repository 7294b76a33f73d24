"""Checks run on every page of the user journeys (tests/browser/journeys/).

- `check_accessibility`: axe-core (vendored under vendor/axe-core/) with the WCAG 2.0,
  2.1 and 2.2 A/AA rules; any violation of impact serious or critical fails.
- `check_translated`: in Arabic or French, no English message id of the catalogues is
  left in the page (rule in `check_translated`'s docstring).
- `check_rtl`: in Arabic the page reads right to left.
- `measure_weight`: bytes a page transfers, compressed, on a first and a later load.
- `audit`: a screenshot under test-artifacts/journeys/ and the first three checks.
"""

from __future__ import annotations

import ast
import gzip
import html
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response

REPO = Path(__file__).resolve().parents[2]
JOURNEY_ARTIFACTS = REPO / "test-artifacts" / "journeys"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
RTL_LANGUAGES = {"ar"}

# Page weights (bytes, gzip-compressed bodies): issue 9's budgets.
FIRST_LOAD_LIMIT = 300 * 1024
FIRST_LOAD_LIMIT_CHARTS = 600 * 1024
LATER_LOAD_LIMIT = 50 * 1024
GZIP_LEVEL = 6


# ---- accessibility -----------------------------------------------------------------


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _inject_axe(page: Page) -> None:
    """Define `window.axe` in the page, whatever its Content-Security-Policy.

    The app's policy (core/security.py) allows scripts from its own origin only:
    `page.add_script_tag(path=...)` inserts an inline <script> element, which the
    browser refuses. `page.evaluate` runs through the DevTools protocol
    (Runtime.evaluate), which a page's policy does not govern, so evaluating
    axe's source defines `window.axe` (axe assigns it itself) with the policy left
    in force: the journeys still see any CSP violation the app's own pages cause,
    which `bypass_csp=True` on the context would hide.
    """
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    # A plain statement list, not a function: Playwright evaluates it as a script.
    page.evaluate(_axe_source())
    assert page.evaluate("() => typeof window.axe === 'object'"), "axe-core did not load"


_RUN_AXE = """async (tags) => {
    const results = await window.axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.slice(0, 3).map((n) => ({
            target: n.target.join(' '), html: n.html.slice(0, 160), summary: n.failureSummary,
        })),
        count: v.nodes.length,
    }));
}"""


def check_accessibility(page: Page, *, context_label: str) -> list[dict[str, Any]]:
    """Run axe on the page; fail on any serious or critical violation.

    Returns every violation (minor and moderate ones too), which `audit` saves next to
    the screenshot.
    """
    _inject_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, AXE_TAGS)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        lines = [f"{context_label}: {len(failing)} serious or critical axe violation(s):"]
        for v in failing:
            lines.append(f"- {v['id']} ({v['impact']}, {v['count']} node(s)): {v['help']}")
            lines.append(f"  {v['helpUrl']}")
            for node in v["nodes"]:
                lines.append(f"    at {node['target']}: {node['html']}")
                summary = " ".join(str(node["summary"] or "").split())
                lines.append(f"      {summary[:300]}")
        raise AssertionError("\n".join(lines))
    return violations


# ---- translations --------------------------------------------------------------------

# Placeholders of Python's %-formatting and of str.format, which Django's catalogues use.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")
MIN_WORDS = 2
MIN_CHARS = 12


@dataclass(frozen=True)
class CatalogueEntry:
    """One English message id of a catalogue and its translation (first plural form)."""

    msgid: str
    msgstr: str
    pattern: re.Pattern[str]


@dataclass
class Catalogue:
    """The message ids worth looking for in a page of one language."""

    language: str
    entries: list[CatalogueEntry] = field(default_factory=list)
    # Message ids with no translation at all (an empty msgstr).
    empty: list[str] = field(default_factory=list)


def _po_files(language: str) -> list[Path]:
    return sorted((REPO / "src" / "resettle").glob(f"**/locale/{language}/LC_MESSAGES/django.po"))


def _parse_po(path: Path) -> Iterable[tuple[list[str], list[str], bool]]:
    """(msgid and msgid_plural, msgstr forms, fuzzy) of each entry of a .po file.

    A small reader of the format gettext and makemessages write (polib is not a
    dependency): entries separated by blank lines; comments (obsolete "#~" entries
    included) skipped; msgctxt, msgid, msgid_plural, msgstr and msgstr[n], each
    continued by further quoted lines.
    """
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields: dict[str, str] = {}
        fuzzy = False
        key = ""
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _, rest = line.partition(" ")
            fields[key] = ast.literal_eval(rest)
        if not fields.get("msgid"):
            continue  # the header, or comments only
        ids = [fields["msgid"]] + ([fields["msgid_plural"]] if "msgid_plural" in fields else [])
        strs = [value for name, value in fields.items() if name.startswith("msgstr")]
        yield ids, strs, fuzzy


def _literal(msgid: str) -> str:
    """What of a message id shows in a page: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub("", msgid)).split())


# Placeholders that stand for a number: blocktranslate's counter, %d, and the like.
_NUMERIC = re.compile(r"%\((?:counter|count|number|total|year|n)\)s|%[dif]")
_ANY_TEXT = r"[^\n]{1,120}?"
# Digits (Western and Arabic-Indic) with separators and signs, as Django formats them.
_NUMBER = r"[-+\u2212]?[\d\u0660-\u0669][\d\u0660-\u0669.,\u066b\u066c\u00a0\u202f %٪]*"


def _pattern(literal: str) -> re.Pattern[str]:
    """A whole-word pattern for the text: a placeholder stands for a number where it is
    one (a counter), else for any text of up to 120 characters on the line."""
    parts = _PLACEHOLDER.split(literal)
    holders = [
        _NUMBER if _NUMERIC.fullmatch(h) else _ANY_TEXT for h in _PLACEHOLDER.findall(literal)
    ]
    body = r"\s+".join(map(re.escape, parts[0].split(" ")))
    for holder, part in zip(holders, parts[1:], strict=True):
        body += holder + r"\s+".join(map(re.escape, part.split(" ")))
    start = r"(?<!\w)" if re.match(r"\w", literal) else ""
    end = r"(?!\w)" if re.search(r"\w$", literal) else ""
    return re.compile(start + body + end)


# Letters of the Latin script: English (or French) words around a match.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _stands_alone(text: str, match: re.Match[str]) -> tuple[bool, str]:
    """Whether the match is all the Latin text of its line; and the line.

    A label the template failed to translate fills its text node, give or take
    numbers, punctuation and translated words; an id inside a longer Latin text is
    most likely part of a name in the data ("Steering Committee of the Consultations").
    """
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    end = len(text) if end < 0 else end
    rest = text[start : match.start()] + " " + text[match.end() : end]
    return not _LATIN.search(rest), text[start:end]


def _worth_checking(literal: str) -> bool:
    words = _PLACEHOLDER.sub(" ", literal).split()
    return len(words) >= MIN_WORDS or len(" ".join(words)) >= MIN_CHARS


@cache
def load_catalogue(language: str) -> Catalogue:
    """The catalogues' English message ids that `check_translated` looks for."""
    catalogue = Catalogue(language)
    translations: list[str] = []
    candidates: dict[str, str] = {}
    for path in _po_files(language):
        for msgids, msgstrs, fuzzy in _parse_po(path):
            translated = [s for s in msgstrs if s]
            translations.extend(translated)
            if fuzzy:
                continue  # Django ignores fuzzy entries: they show in English
            for msgid in msgids:
                literal = _literal(msgid)
                if not _worth_checking(literal):
                    continue
                if not translated:
                    catalogue.empty.append(msgid)
                    candidates.setdefault(literal, "")
                elif all(_literal(s) != literal for s in translated):
                    candidates.setdefault(literal, translated[0])
    # An English id quoted inside some translation (a name kept in English, say) would be
    # found in every correct page: such ids are not looked for.
    quoted = "\n".join(_literal(s) for s in translations)
    for literal, msgstr in candidates.items():
        fixed = _PLACEHOLDER.split(literal)
        if all(part.strip() and part.strip() in quoted for part in fixed if part.strip()):
            continue
        catalogue.entries.append(CatalogueEntry(literal, msgstr, _pattern(literal)))
    return catalogue


# Every text node of the body (hidden menus too), and the attributes a user agent shows
# or reads out. <script>, <style> and <noscript> hold no text for the reader.
_PAGE_TEXT = """() => {
    const parts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (parent && parent.closest('script, style, noscript, template')) continue;
        // Text marked in another language (an explanation shown in all three) is meant.
        const marked = parent && parent.closest('[lang]');
        if (marked && marked !== document.documentElement
            && marked.lang.split('-')[0] !== document.documentElement.lang.split('-')[0]) continue;
        const text = node.textContent.replace(/\\s+/g, ' ').trim();
        if (text) parts.push(text);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
        for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
            const value = el.getAttribute(name);
            if (value) parts.push(value.replace(/\\s+/g, ' ').trim());
        }
    }
    const buttons = 'input[type=submit][value], input[type=button][value]';
    for (const el of document.querySelectorAll(buttons)) parts.push(el.value);
    return parts.join('\\n');
}"""


def page_text(page: Page) -> str:
    """The page's text nodes and its shown or spoken attributes, one piece a line."""
    text: str = page.evaluate(_PAGE_TEXT)
    return text


def untranslated_in(text: str, language: str, *, allow: Collection[str] = ()) -> list[str]:
    """The English message ids left in a page's text (one piece a line), by the rule of
    `check_translated`: a line "- 'id' in 'the line'" each."""
    found = []
    for entry in load_catalogue(language).entries:
        if entry.msgid in allow:
            continue
        for match in entry.pattern.finditer(text):
            alone, line = _stands_alone(text, match)
            if alone:
                found.append(f"- {entry.msgid!r} in {line[:200]!r}")
                break
    return found


def check_translated(page: Page, language: str, *, allow: Collection[str] = ()) -> None:
    """Fail if an English message id of the catalogues is left in a page in `language`.

    The rule, to avoid false alarms:
    - message ids of all the catalogues (src/resettle/**/locale/<language>/LC_MESSAGES/
      django.po), without HTML tags, plural forms included, fuzzy entries excluded;
    - only ids of at least 2 words or at least 12 characters (placeholders left out):
      "Name" or "Status" also occur in data, acronyms and proper names;
    - only ids whose translation differs (an empty translation counts as different: the
      page shows the English), and that no translation quotes (a name kept in English);
    - matched as whole words, case-sensitively, a placeholder standing for up to 120
      characters on the same line, in every text node of the body (hidden menus
      included), the title, and placeholder, aria-label, title and alt attributes;
    - only where the match is all the Latin-script text of its text node or attribute
      (numbers, punctuation and Arabic around it allowed): an id inside a longer English
      text is part of the data, a forum or an organisation's name, which stays as
      entered ("Steering Committee of the Consultations", "EUAA Resettlement Support
      Facility in Türkiye").
    `allow` lists ids a page may show in English for a stated reason (data that happens to
    read like an id, say); each use must say why in the test.
    """
    if language not in ("ar", "fr"):
        return
    found = untranslated_in(page_text(page), language, allow=allow)
    assert not found, f"{page.url}: English message ids left in the {language} page:\n" + "\n".join(
        found
    )


# ---- right to left -------------------------------------------------------------------

_STYLESHEET_LOADED = """(part) => [...document.styleSheets].some(
    (sheet) => sheet.href && sheet.href.includes(part) && sheet.cssRules.length > 0)"""


def check_rtl(page: Page) -> None:
    """The page reads right to left: the attribute, Bootstrap's RTL build, the navbar.

    With the menu expanded (desktop) the first menu item sits to the right of the last;
    collapsed (phone) the brand sits to the right of the menu button.
    """
    html_el = page.locator("html")
    assert html_el.get_attribute("dir") == "rtl", f"{page.url}: html[dir] is not rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    sheets: list[str] = page.locator("link[rel=stylesheet]").evaluate_all(
        "links => links.map(l => l.href)"
    )
    assert any(s.endswith("/bootstrap.rtl.min.css") for s in sheets), sheets
    assert not any(s.endswith("/bootstrap.min.css") for s in sheets), sheets
    page.wait_for_function(_STYLESHEET_LOADED, arg="bootstrap.rtl.min.css")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        brand = page.locator(".navbar-brand").bounding_box()
        button = toggler.bounding_box()
        assert brand and button, "navbar brand or menu button without a box"
        assert brand["x"] > button["x"] + button["width"], (
            f"{page.url}: the brand is not to the right of the menu button"
        )
    else:
        items = page.locator("#nav .navbar-nav > .nav-item")
        first = items.first.bounding_box()
        last = items.last.bounding_box()
        assert first and last, "navbar items without a box"
        assert first["x"] > last["x"] + last["width"] - 1, (
            f"{page.url}: the first menu item is not to the right of the last"
        )


# ---- weight --------------------------------------------------------------------------


def _is_static(url: str) -> bool:
    return "/static/" in url


@dataclass
class LoadWeight:
    """The compressed bytes one page load transferred, and what they were."""

    url: str
    total: int = 0
    parts: list[tuple[str, int]] = field(default_factory=list)

    def describe(self) -> str:
        rows = sorted(self.parts, key=lambda p: -p[1])
        return "\n".join(f"  {size:>9,} B  {url}" for url, size in rows)


class WeightMeter:
    """Counts what the pages of one browser context transfer, compressed.

    - The live server (Django's test server) does not compress: each response's body
      is gzip-compressed here at level 6, what a deployment's proxy or whitenoise
      would send, and that size counted. Headers are not counted.
    - The test server sends static files without Cache-Control, so the browser may
      fetch them again; in production they are fingerprinted and cached for a year
      (whitenoise's CompressedManifestStaticFilesStorage). A static URL already
      fetched in this context therefore counts as cached: 0 bytes. So does a 304.
    - Pages, htmx fragments, images served by views and the favicon always count.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.fetched_static: set[str] = set()
        self._responses: list[Response] = []
        page.on("response", self._record)

    def _record(self, response: Response) -> None:
        self._responses.append(response)

    def load(self, url: str) -> LoadWeight:
        self._responses.clear()
        self.page.goto(url, wait_until="networkidle")
        weight = LoadWeight(self.page.url)
        for response in list(self._responses):
            if response.url.startswith("data:"):
                continue
            cached = _is_static(response.url) and response.url in self.fetched_static
            if cached or 300 <= response.status < 400:  # a 304 or a redirect: no body
                size = 0
            else:
                try:
                    body = response.body()
                except PlaywrightError:  # a body the browser no longer holds: count none
                    body = b""
                size = len(gzip.compress(body, compresslevel=GZIP_LEVEL))
            if _is_static(response.url):
                self.fetched_static.add(response.url)
            weight.total += size
            weight.parts.append((response.url, size))
        return weight


@dataclass
class PageWeight:
    """A page's weight on a first load (cold cache) and as a later page."""

    name: str
    url: str
    charts: bool
    first: LoadWeight
    later: LoadWeight

    @property
    def first_limit(self) -> int:
        return FIRST_LOAD_LIMIT_CHARTS if self.charts else FIRST_LOAD_LIMIT

    def summary(self) -> str:
        kb = 1024
        return (
            f"{self.name}: first {self.first.total / kb:.1f} KB "
            f"(limit {self.first_limit // kb}), later {self.later.total / kb:.1f} KB "
            f"(limit {LATER_LOAD_LIMIT // kb})"
        )


@dataclass(frozen=True)
class PageToWeigh:
    name: str
    url: str
    charts: bool = False


def measure_weight(
    new_context: Callable[[], Any],
    pages: list[PageToWeigh],
    *,
    home: str = "/",
    label: str = "",
) -> list[PageWeight]:
    """Weigh each page on a first load (a fresh context) and as a later page; assert.

    `new_context()` returns a fresh browser context (its own empty cache) with the
    journey's locale, size and cookies. The later load of each page comes after the
    home page and the journey's earlier pages in one context, the way a user arrives.
    Writes the weights to test-artifacts/journeys/weights.txt (appended).
    """
    firsts: dict[str, LoadWeight] = {}
    laters: dict[str, LoadWeight] = {}
    walk = new_context()
    try:
        meter = WeightMeter(walk.new_page())
        meter.load(home)
        for item in pages:
            laters[item.name] = meter.load(item.url)
    finally:
        walk.close()
    for item in pages:
        cold = new_context()
        try:
            firsts[item.name] = WeightMeter(cold.new_page()).load(item.url)
        finally:
            cold.close()
    results = [
        PageWeight(item.name, item.url, item.charts, firsts[item.name], laters[item.name])
        for item in pages
    ]
    JOURNEY_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (JOURNEY_ARTIFACTS / "weights.txt").open("a", encoding="utf-8") as out:
        for result in results:
            out.write(f"{label} {result.summary()}".strip() + "\n")
    problems = []
    for result in results:
        if result.first.total > result.first_limit:
            problems.append(f"{result.summary()}\nfirst load:\n{result.first.describe()}")
        if result.later.total > LATER_LOAD_LIMIT:
            problems.append(f"{result.summary()}\nlater load:\n{result.later.describe()}")
    assert not problems, "pages over their weight:\n" + "\n".join(problems)
    return results


# ---- all together --------------------------------------------------------------------


def screenshot_path(name: str, language: str, size: str) -> Path:
    return JOURNEY_ARTIFACTS / f"{name}-{language}-{size}.png"


def audit(
    page: Page,
    language: str,
    name: str,
    *,
    size: str = "desktop",
    allow_english: Collection[str] = (),
) -> Path:
    """Screenshot the page (viewport) and run the accessibility, language and RTL checks.

    The screenshot goes to test-artifacts/journeys/<name>-<language>-<size>.png, axe's
    full findings (minor and moderate too) next to it as .axe.json. Returns the PNG.
    """
    page.wait_for_load_state("load")
    label = f"{name} [{language}, {size}] {page.url}"
    JOURNEY_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = screenshot_path(name, language, size)
    page.screenshot(path=str(path))
    violations = check_accessibility(page, context_label=label)
    path.with_suffix(".axe.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    check_translated(page, language, allow=allow_english)
    if language in RTL_LANGUAGES:
        check_rtl(page)
    else:
        assert page.locator("html").get_attribute("dir") == "ltr", label
    assert page.locator("html").get_attribute("lang") == language, label
    return path
