"""The counting and candidate picking of library/tally.py (pure Python)."""

from __future__ import annotations

from resettle.library import tally
from resettle.library.tally import KEY_FACTOR


def key(year: int | None, pk: int) -> int:
    return (year or 0) * KEY_FACTOR + pk


def test_sort_keys_and_years() -> None:
    joined = ",".join(str(key(y, pk)) for y, pk in [(2021, 5), (None, 9), (2023, 2), (2021, 7)])
    ascending = tally.sort_keys(joined)
    assert ascending == [key(None, 9), key(2021, 5), key(2021, 7), key(2023, 2)]
    # Items without a year are not in the years facet.
    assert tally.year_counts(ascending) == {"2021": 2, "2023": 1}
    assert tally.sort_keys(None) == [] and tally.year_counts([]) == {}


def test_candidates_are_the_newest_then_highest_ids() -> None:
    ascending = tally.sort_keys(
        ",".join(str(key(y, pk)) for y, pk in [(2020, 8), (2024, 3), (2024, 4)])
    )
    assert tally.candidates(ascending, 2) == [4, 3]
    assert tally.candidates(ascending, 10) == [4, 3, 8]
    assert tally.candidates(ascending, 0) == []


def test_bit_value_and_forum_counts() -> None:
    assert tally.bit_counts("1,3,2,0", ["a", "b"]) == {"a": 2, "b": 2}
    assert tally.bit_counts(None, ["a"]) == {}
    assert tally.value_counts("report,handbook,report") == {"report": 2, "handbook": 1}
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
