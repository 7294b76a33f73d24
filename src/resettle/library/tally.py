"""What one pass over a search's matches gives (library/search.py): the facet counts,
and the matches in (year, id) order from which the ranking picks its candidates.
Pure Python, no Django.

The database reads each match once and hands back one row of lists joined into
strings (GROUP_CONCAT on SQLite, string_agg on PostgreSQL): the matches' kinds, their
theme and language bits, their forums and their sort keys. Counting those strings
here costs less than the database's own grouping and conditional counts (a sort and
a score of aggregate calls per match), and the same Python does it for both engines,
so both give the same counts. The formats keep the counting cheap:

- kinds are joined by ",,", so that every kind stands between two commas of its own
  and `str.count(",kind,")` counts it exactly;
- a facet mask is `themes_mask | languages_mask << len(themes)`: one list for both;
- a sort key is `(year + KEY_YEAR_OFFSET) * KEY_FACTOR + item id` (no year counts as
  0), seventeen digits for any year below 90,000 and id below 10**12, so that keys
  sort as strings in the ranking's order after the score (newest year, then highest
  id) without being converted to numbers, and its first five digits are the year.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

KEY_FACTOR = 10**12
KEY_YEAR_OFFSET = 10_000
_YEAR_DIGITS = 5


@dataclass(frozen=True)
class Aggregate:
    """The aggregate row of a search's matches (see the module docstring)."""

    total: int
    kinds: str | None
    masks: str | None
    forums: str | None
    keys: str | None


def sort_keys(joined: str | None) -> list[str]:
    """The matches' sort keys, ascending (the best placed last)."""
    return sorted(joined.split(",")) if joined else []


def year_counts(ascending: Sequence[str]) -> Counter[str]:
    """How many matches have each year (those without a year are not counted): the
    keys are sorted, so each year is one run, found by bisection."""
    counts: Counter[str] = Counter()
    start = 0
    while start < len(ascending):
        prefix = ascending[start][:_YEAR_DIGITS]
        end = bisect_left(ascending, str(int(prefix) + 1), start)
        year = int(prefix) - KEY_YEAR_OFFSET
        if year:
            counts[str(year)] = end - start
        start = end
    return counts


def kind_counts(joined: str | None, kinds: Sequence[str]) -> Counter[str]:
    """How many matches have each of the kinds (joined by ",,")."""
    if not joined:
        return Counter()
    text = f",{joined},"
    return +Counter({kind: text.count(f",{kind},") for kind in kinds})


def mask_counts(
    joined: str | None, themes: Sequence[str], languages: Sequence[str]
) -> tuple[Counter[str], Counter[str]]:
    """How many matches have each theme and each language, from their masks."""
    theme_counts: Counter[str] = Counter()
    language_counts: Counter[str] = Counter()
    if not joined:
        return theme_counts, language_counts
    for mask_text, n in Counter(joined.split(",")).items():
        mask = int(mask_text)
        for i, theme in enumerate(themes):
            if mask >> i & 1:
                theme_counts[theme] += n
        mask >>= len(themes)
        for i, language in enumerate(languages):
            if mask >> i & 1:
                language_counts[language] += n
    return theme_counts, language_counts


def forum_counts(joined: str | None) -> Counter[str]:
    """How many matches are in each forum: the matches' ",1,4," fields joined end to
    end, so every id between commas is one match in that forum."""
    counts = Counter(joined.split(",")) if joined else Counter()
    counts.pop("", None)
    return counts


def candidates(ascending: Sequence[str], wanted: int) -> list[int]:
    """The item ids of the `wanted` best-placed matches by (year, id), best first."""
    if wanted <= 0:
        return []
    return [int(key) % KEY_FACTOR for key in reversed(ascending[-wanted:])]


def settled(scores: Sequence[int], needed: int, best_possible: int, complete: bool) -> bool:
    """Whether the first `needed` places are known from the scored candidates (scores
    in rank order). Candidates are the best-placed matches by (year, id); any other
    match comes after them on equal score, so it can only move ahead of a candidate
    by scoring more. When the candidates ranked up to `needed` all have the best score
    possible, none can; nor when every match was a candidate."""
    if complete or needed <= 0:
        return True
    return len(scores) >= needed and scores[needed - 1] >= best_possible
