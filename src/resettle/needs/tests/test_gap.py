"""The pure gap engine: ratios, indicators, Roadmap 2030, trends, comparisons, on hand-checked
examples. No database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from resettle.needs import charts, gap
from resettle.needs.gap import Figures, GapRow


def _imported(module: object) -> set[str]:
    tree = ast.parse(Path(getattr(module, "__file__", "") or "").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


def test_engine_imports_no_django() -> None:
    for module in (gap, charts):
        assert "django" not in _imported(module), module.__name__


def test_ratio_is_none_without_denominator() -> None:
    assert gap.ratio(1, 4) == 0.25
    assert gap.ratio(5, 0) is None
    assert gap.ratio(0, 3) == 0


def test_ratios_hand_checked() -> None:
    # 2023 from the brief: 155,486 submitted, 96,311 departed; PGRN 2023: 2,003,982.
    f = Figures(need=2_003_982, pledged=120_000, submitted=155_486, departed=96_311)
    r = f.ratios
    assert r.submitted_need == pytest.approx(0.07759, abs=1e-5)
    assert r.departed_need == pytest.approx(0.04806, abs=1e-5)
    assert r.departed_submitted == pytest.approx(0.61942, abs=1e-5)
    assert r.pledged_need == pytest.approx(0.05988, abs=1e-5)
    assert r.departed_pledged == pytest.approx(0.80259, abs=1e-5)
    assert r.urgent_share == 0
    assert f.unmet_need == 2_003_982 - 96_311
    assert f.places_gap == 2_003_982 - 120_000
    assert Figures(departed=10).unmet_need == 0  # never negative
    assert Figures().ratios.pledged_need is None


def test_figures_add() -> None:
    a = Figures(need=10, need_urgent=2, pledged=5, departed=1, departed_within_6_months=1)
    b = Figures(need=5, submitted=3, submitted_timed=2, departed=2)
    assert a + b == Figures(
        need=15,
        need_urgent=2,
        pledged=5,
        submitted=3,
        submitted_timed=2,
        departed=3,
        departed_within_6_months=1,
    )
    assert gap.add_all([a, b, Figures()]) == a + b


@pytest.mark.parametrize(
    ("persons", "first", "last", "year", "expected"),
    [
        (1000, 2024, None, 2024, 1000),
        (1000, 2024, None, 2025, 0),
        (3001, 2024, 2025, 2024, 1501),
        (3001, 2024, 2025, 2025, 1500),
        (10, 2024, 2026, 2024, 4),
        (10, 2024, 2026, 2025, 3),
        (10, 2024, 2026, 2026, 3),
        (10, 2024, 2026, 2023, 0),
    ],
)
def test_pledge_share(persons: int, first: int, last: int | None, year: int, expected: int) -> None:
    assert gap.pledge_share(persons, first, last, year) == expected


def test_multi_year_pledge_adds_up_to_the_pledge() -> None:
    assert sum(gap.pledge_share(100_003, 2024, 2030, y) for y in range(2020, 2035)) == 100_003


def test_pledge_winners_latest_version_per_state_and_year() -> None:
    # Version 1 (older): State 10 for 2024-2025, State 20 for 2024.
    # Version 2 (newer): State 10 for 2025 only, twice (a pledge and its top-up).
    pledges = [(1, 10, 2024, 2025), (1, 20, 2024, None), (2, 10, 2025, None), (2, 10, 2025, None)]
    assert gap.pledge_winners(pledges, [2, 1]) == {(10, 2024): 1, (10, 2025): 2, (20, 2024): 1}
    # The order given decides, not the ids.
    assert gap.pledge_winners(pledges, [1, 2]) == {(10, 2024): 1, (10, 2025): 1, (20, 2024): 1}
    assert gap.pledge_winners([], [1]) == {}


def test_emergency_urgent_indicator() -> None:
    # 251 of 2,501 places kept for emergency and urgent cases: 10.04%, target met.
    i = gap.emergency_urgent_indicator(Figures(pledged=2501, pledged_emergency_urgent=251))
    assert i.value == pytest.approx(0.100360, abs=1e-6)
    assert i.met is True
    assert i.target == 0.10
    below = gap.emergency_urgent_indicator(Figures(pledged=1000, pledged_emergency_urgent=99))
    assert below.met is False and below.progress == pytest.approx(0.99)
    assert gap.emergency_urgent_indicator(Figures()).value is None
    assert gap.emergency_urgent_indicator(Figures()).met is None


def test_six_months_indicator_counts_only_records_that_report_it() -> None:
    # 1,000 submitted, of which 600 in records that report departures within six months;
    # 120 of those 600 departed in time: 20%, below the 25% target.
    f = Figures(submitted=1000, submitted_timed=600, departed_within_6_months=120)
    i = gap.six_months_indicator(f)
    assert (i.numerator, i.denominator) == (120, 600)
    assert i.value == pytest.approx(0.2)
    assert i.met is False
    assert gap.six_months_indicator(Figures(submitted_timed=4, departed_within_6_months=1)).met


def test_roadmap_2030() -> None:
    # Departures from the brief, 2020-2023, plus 2019 and 2018 (before the Roadmap).
    departed = {2018: 55_000, 2019: 63_726, 2020: 22_800, 2021: 39_266, 2022: 58_457, 2023: 96_311}
    pledged = {2019: 70_000, 2023: 100_000, 2031: 5}
    r = gap.roadmap(departed, pledged, 2023)
    assert r.departed == 63_726 + 22_800 + 39_266 + 58_457 + 96_311 == 280_560
    assert r.pledged == 170_000
    assert r.departed_share == pytest.approx(0.28056)
    assert r.expected_share == pytest.approx(5 / 12)
    assert r.on_track is False
    assert r.years_left == 7
    assert r.needed_per_year == -(-(1_000_000 - 280_560) // 7) == 102_778
    late = gap.roadmap(departed, pledged, 2035)
    assert late.years_left == 0 and late.needed_per_year is None and late.expected_share == 1
    met = gap.roadmap({2020: 1_000_000}, {}, 2024)
    assert met.needed_per_year is None and met.on_track


def _row(key: str, need: int, urgent: int = 0, departed: int = 0) -> GapRow:
    return GapRow(key, key.title(), Figures(need=need, need_urgent=urgent, departed=departed))


def test_most_unmet_and_most_urgent() -> None:
    rows = [
        _row("afg", 3500, urgent=500, departed=200),
        _row("syr", 1100, urgent=200, departed=300),
        _row("roh", 1500, urgent=300, departed=50),
        _row("sdn", 700),
        _row("met", 100, urgent=90, departed=100),
    ]
    assert [r.key for r in gap.most_unmet(rows)] == ["afg", "roh", "syr", "sdn"]
    assert [r.key for r in gap.most_unmet(rows, limit=2)] == ["afg", "roh"]
    # Urgent shares: met 90%, roh 20%, syr 18.2%, afg 14.3%, sdn 0%.
    assert [r.key for r in gap.most_urgent(rows)] == ["met", "roh", "syr", "afg"]
    assert [r.key for r in gap.most_urgent(rows, threshold=0.15)] == ["met", "roh", "syr"]


def test_gap_rows_sorted_by_need_with_labels() -> None:
    rows = gap.gap_rows(
        {"A": Figures(need=1), "B": Figures(need=5), "C": Figures(departed=3)},
        {"A": "Alpha", "B": "Beta"},
    )
    assert [(r.key, r.label) for r in rows] == [("B", "Beta"), ("A", "Alpha"), ("C", "C")]


def test_trend_changes() -> None:
    points = gap.trend({2024: Figures(departed=550), 2022: Figures(), 2023: Figures(departed=250)})
    assert [p.year for p in points] == [2022, 2023, 2024]
    assert points[0].changes["departed"] is None
    first = points[1].changes["departed"]
    assert first is not None and first.diff == 250 and first.pct is None  # from 0
    second = points[2].changes["departed"]
    assert second is not None and second.diff == 300 and second.pct == pytest.approx(1.2)


def test_compare() -> None:
    before = {("2024", "SYR"): {"persons": 1000}, ("2024", "AFG"): {"persons": 500}}
    after = {("2024", "SYR"): {"persons": 1100}, ("2025", "SYR"): {"persons": 50}}
    diffs = gap.compare(before, after, ["persons"])
    assert [(d.key, d.status, d.diff) for d in diffs] == [
        (("2024", "AFG"), "removed", -500),
        (("2024", "SYR"), "changed", 100),
        (("2025", "SYR"), "added", 50),
    ]
    assert diffs[1].pct == pytest.approx(0.1)
    assert diffs[0].pct == -1.0
    assert diffs[2].pct is None
    assert gap.compare(before, before, ["persons"]) == []
    # A key only on one side with 0 is no change.
    assert gap.compare({"x": {"persons": 0}}, {}, ["persons"]) == []
    assert gap.sum_measures(after.values(), ["persons"]) == {"persons": 1150}


def test_quantile_breaks_and_classes() -> None:
    values = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    breaks = gap.quantile_breaks(values, 5)
    assert breaks == [20, 40, 60, 80, 100]
    assert [gap.class_of(v, breaks) for v in (0, 5, 20, 21, 100, 500)] == [None, 0, 0, 1, 4, 4]
    assert gap.quantile_breaks([0, 0]) == []
    assert gap.quantile_breaks([7, 7, 7]) == [7]
