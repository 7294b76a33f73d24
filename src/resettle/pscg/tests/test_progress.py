"""Objective 1 arithmetic on plain data (pscg/progress.py)."""

from __future__ import annotations

from resettle.pscg import progress
from resettle.pscg.progress import Earmark


def test_one_year_earmarks_add_up_per_state_and_year() -> None:
    places = progress.places_by_state_year(
        [
            Earmark(1, 10, 2025, None, 300),
            Earmark(1, 10, 2025, None, 50),
            Earmark(1, 20, 2026, None, 7),
        ]
    )
    assert places == {(10, 2025): 350, (20, 2026): 7}


def test_multi_year_earmark_is_spread_like_the_pledge() -> None:
    # 301 places over 2025-2026: 151 + 150 (needs.gap.pledge_share).
    places = progress.places_by_state_year([Earmark(1, 10, 2025, 2026, 301)])
    assert places == {(10, 2025): 151, (10, 2026): 150}
    # Three years, 10 places: 4 + 3 + 3, adding up to 10.
    places = progress.places_by_state_year([Earmark(1, 10, 2025, 2027, 10)])
    assert places == {(10, 2025): 4, (10, 2026): 3, (10, 2027): 3}


def test_earmarks_of_one_pledge_are_added_before_spreading() -> None:
    # Two earmarks of 3 places over two years, same value: 6 -> 3 + 3 (not 2+1 twice).
    places = progress.places_by_state_year(
        [Earmark(1, 10, 2025, 2026, 3, "S"), Earmark(1, 10, 2025, 2026, 3, "S")]
    )
    assert places == {(10, 2025): 3, (10, 2026): 3}


def test_only_the_counting_version_counts() -> None:
    earmarks = [Earmark(1, 10, 2025, 2026, 301), Earmark(2, 10, 2026, None, 40)]
    counting = progress.winners([(1, 10, 2025, 2026), (2, 10, 2026, None)], precedence=[2, 1])
    assert counting == {(10, 2025): 1, (10, 2026): 2}
    assert progress.places_by_state_year(earmarks, counting) == {(10, 2025): 151, (10, 2026): 40}


def test_years_against_targets() -> None:
    years = progress.by_year(
        {(10, 2025): 600, (20, 2025): 150, (10, 2026): 40}, {2025: 1000, 2027: 500}
    )
    assert [(y.year, y.target, y.pledged) for y in years] == [
        (2025, 1000, 750),
        (2026, None, 40),
        (2027, 500, 0),
    ]
    assert years[0].progress == 0.75
    assert years[0].remaining == 250
    assert years[0].percent == 75
    assert years[1].progress is None and years[1].remaining is None and years[1].percent == 0
    assert years[2].progress == 0.0


def test_over_target_is_capped_for_the_bar_only() -> None:
    year = progress.YearProgress(2025, 100, 150)
    assert year.progress == 1.5
    assert year.percent == 100
    assert year.remaining == 0


def test_by_state() -> None:
    assert progress.by_state({(10, 2025): 5, (10, 2026): 6, (20, 2025): 1}) == {
        10: {2025: 5, 2026: 6},
        20: {2025: 1},
    }
