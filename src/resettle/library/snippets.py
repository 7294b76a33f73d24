"""Highlighted snippets of search results: escape the HTML, then mark the words that
match the query. Pure Python, no Django."""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

from resettle.library.textnorm import WORD, normalise, stems_of_word

ELLIPSIS = "…"


@lru_cache(maxsize=200_000)
def _stems(raw_word: str) -> frozenset[str]:
    # Cached per word as written: texts repeat their words, so most look-ups are hits.
    word = normalise(raw_word)
    return stems_of_word(word) if word else frozenset()


def _matches(text: str, wanted: frozenset[str], limit: int) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the matching words, over at most `limit` characters."""
    found = []
    for match in WORD.finditer(text, 0, limit):
        stems = _stems(match[0])
        # Most words match nothing: test before building the intersection.
        if not stems.isdisjoint(wanted):
            found.append((match.start(), match.end(), min(stems & wanted)))
    return found


def _render(text: str, marks: list[tuple[int, int, str]], start: int, end: int) -> str:
    out = []
    pos = start
    for m_start, m_end, _stem in marks:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(text[pos:m_start]))
        out.append(f"<mark>{html.escape(text[m_start:m_end])}</mark>")
        pos = m_end
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def wanted_stems(terms: Iterable[Iterable[str]]) -> frozenset[str]:
    """Every alternative of every query term."""
    return frozenset(stem for term in terms for stem in term)


def highlight(text: str, terms: Iterable[Iterable[str]]) -> str:
    """The whole text, escaped, with matching words in <mark>."""
    wanted = wanted_stems(terms)
    marks = _matches(text, wanted, len(text)) if wanted else []
    return _render(text, marks, 0, len(text))


def snippet(
    text: str, terms: Iterable[Iterable[str]], width: int = 260, scan_limit: int = 50_000
) -> str:
    """A passage of about `width` characters around the densest cluster of matches,
    escaped, with matching words in <mark>; the text's beginning when nothing matches."""
    text = " ".join(text.split())
    wanted = wanted_stems(terms)
    marks = _matches(text, wanted, scan_limit) if wanted else []
    if len(text) <= width:
        return _render(text, marks, 0, len(text))
    best_start, best_score = 0, -1
    for i, (m_start, _e, _s) in enumerate(marks):
        # Distinct terms first, then the number of matches, within the window.
        window = [m for m in marks[i : i + 40] if m[1] <= m_start + width]
        score = len({m[2] for m in window}) * 1000 + len(window)
        if score > best_score:
            best_start, best_score = m_start, score
    start = max(0, best_start - width // 4) if marks else 0
    # Start and end on word boundaries.
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _render(text, marks, start, end)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")
