"""The counting and candidate picking of library/tally.py (pure Python)."""

from __future__ import annotations

from resettle.library import tally
from resettle.library.tally import KEY_FACTOR, KEY_YEAR_OFFSET


def key(year: int | None, pk: int) -> str:
    """A sort key as the database writes it."""
    return str(((year or 0) + KEY_YEAR_OFFSET) * KEY_FACTOR + pk)


def test_sort_keys_and_years() -> None:
    pairs = [(2021, 5), (None, 9), (2023, 2), (2021, 70), (2021, 123456)]
    ascending = tally.sort_keys(",".join(key(y, pk) for y, pk in pairs))
    # As strings, in the order of (year, id): the keys all have seventeen digits.
    expected = [(None, 9), (2021, 5), (2021, 70), (2021, 123456), (2023, 2)]
    assert ascending == [key(y, pk) for y, pk in expected]
    # Items without a year are not in the years facet.
    assert tally.year_counts(ascending) == {"2021": 3, "2023": 1}
    assert tally.sort_keys(None) == [] and tally.year_counts([]) == {}


def test_candidates_are_the_newest_then_highest_ids() -> None:
    ascending = tally.sort_keys(
        ",".join(key(y, pk) for y, pk in [(2020, 8), (2024, 3), (2024, 40)])
    )
    assert tally.candidates(ascending, 2) == [40, 3]
    assert tally.candidates(ascending, 10) == [40, 3, 8]
    assert tally.candidates(ascending, 0) == []


def test_kind_mask_and_forum_counts() -> None:
    # Kinds joined by ",,": neighbours with the same kind are each counted; kinds
    # that are not asked for (nor parts of a kind) are not.
    kinds = "report,,report,,handbook,,old_report"
    assert tally.kind_counts(kinds, ["report", "handbook", "training"]) == {
        "report": 2,
        "handbook": 1,
    }
    assert tally.kind_counts(None, ["report"]) == {}
    # Two themes (bits 0-1), then the languages (bits 2-3).
    themes, languages = tally.mask_counts("5,3,9,1", ["a", "b"], ["en", "fr"])
    assert themes == {"a": 4, "b": 1}
    assert languages == {"en": 1, "fr": 1}
    assert tally.mask_counts(None, ["a"], ["en"]) == ({}, {})
    # Each match's ",1,4," joined end to end; matches in no forum add nothing.
    assert tally.forum_counts(",1,4,,1,,12,") == {"1": 2, "4": 1, "12": 1}
    assert tally.forum_counts("") == {}


def test_settled() -> None:
    # The first two places are settled when both have the best score possible...
    assert tally.settled([7, 7, 3], 2, 7, complete=False)
    # ...not when a later match could still score more than the second...
    assert not tally.settled([7, 5, 5], 2, 7, complete=False)
    # ...nor with too few candidates; always when every match was scored.
    assert not tally.settled([7], 2, 7, complete=False)
    assert tally.settled([7], 2, 7, complete=True)
