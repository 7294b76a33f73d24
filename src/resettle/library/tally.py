"""What one pass over a search's matches gives (library/search.py): the facet counts,
and the matches in (year, id) order from which the ranking picks its candidates.
Pure Python, no Django.

The database reads each match once and hands back one row of lists joined into
strings (GROUP_CONCAT on SQLite, string_agg on PostgreSQL): the matches' kinds,
theme bits, language bits, forums and sort keys. Splitting and counting those
strings here costs less than the database's own grouping and conditional counts
(a sort and twenty aggregate calls per match), and the same Python does it for both
engines, so both give the same counts.

A sort key is `year * KEY_FACTOR + item id` (no year counts as 0): the ranking's
order after the score (newest year, then highest id).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Years are at most 2100 (the model's validator) and ids below 10**15: a key stays
# below 2**63, the largest integer both engines compute with.
KEY_FACTOR = 10**15


@dataclass(frozen=True)
class Aggregate:
    """The aggregate row of a search's matches (see the module docstring)."""

    total: int
    kinds: str | None
    themes: str | None
    languages: str | None
    forums: str | None
    keys: str | None


def sort_keys(joined: str | None) -> list[int]:
    """The matches' sort keys, ascending (the best-placed last)."""
    return sorted(map(int, joined.split(","))) if joined else []


def year_counts(ascending: Sequence[int]) -> Counter[str]:
    """How many matches have each year (those without a year are not counted): the
    keys are sorted, so each year is one run, found by bisection."""
    counts: Counter[str] = Counter()
    start = 0
    while start < len(ascending):
        year = ascending[start] // KEY_FACTOR
        end = bisect_left(ascending, (year + 1) * KEY_FACTOR, start)
        if year:
            counts[str(year)] = end - start
        start = end
    return counts


def _split(joined: str | None) -> Counter[str]:
    return Counter(joined.split(",")) if joined else Counter()


def bit_counts(joined: str | None, universe: Sequence[str]) -> Counter[str]:
    """How many matches have each value of a bit mask (bit i: universe[i])."""
    counts: Counter[str] = Counter()
    for mask_text, n in _split(joined).items():
        mask = int(mask_text)
        for i, value in enumerate(universe):
            if mask >> i & 1:
                counts[value] += n
    return counts


def value_counts(joined: str | None) -> Counter[str]:
    """How many matches have each value (empty values left out)."""
    counts = _split(joined)
    counts.pop("", None)
    return counts


def forum_counts(joined: str | None) -> Counter[str]:
    """How many matches are in each forum: the matches' ",1,4," fields joined end to
    end, so every id between commas is one match in that forum."""
    return value_counts(joined)


def candidates(ascending: Sequence[int], wanted: int) -> list[int]:
    """The item ids of the `wanted` best-placed matches by (year, id), best first."""
    return [key % KEY_FACTOR for key in reversed(ascending[-wanted:])] if wanted > 0 else []


def settled(scores: Sequence[int], needed: int, best_possible: int, complete: bool) -> bool:
    """Whether the first `needed` places are known from the scored candidates (scores
    in rank order). Candidates are the best-placed matches by (year, id); any other
    match comes after them on equal score, so it can only move ahead of a candidate
    by scoring more. When the candidates ranked up to `needed` all have the best score
    possible, none can; nor when every match was a candidate."""
    if complete:
        return True
    return len(scores) >= needed and scores[needed - 1] >= best_possible
