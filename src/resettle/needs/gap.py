"""The gap engine: needs against pledges, submissions and departures.

Pure computation, no Django: `gap_queries` aggregates the database into
`Figures` per key (a region, a country, a population, a resettlement State, or
"all") and per year, and this module derives everything else from them. The
formulas are written out in each docstring and in docs/gap.md.

Conventions:

- Every ratio is `numerator / denominator` as a float, or None when the
  denominator is 0 (no data is not 0%).
- "Urgent" needs and places mean emergency and urgent priority together.
- Figures are persons (quotas and needs are counted in persons, never cases).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

# Global Compact on Refugees / Three-Year Strategy targets.
EMERGENCY_URGENT_TARGET = 0.10
"""At least 10% of resettlement places kept unallocated for emergency and urgent cases."""
SIX_MONTHS_TARGET = 0.25
"""At least 25% of annual submissions resettled within six months of referral."""
ROADMAP_TARGET = 1_000_000
"""Roadmap 2030: one million refugees resettled, counted from 2019 to 2030."""
ROADMAP_FIRST_YEAR = 2019
ROADMAP_LAST_YEAR = 2030
URGENT_SHARE_THRESHOLD = 0.10
"""A population's needs are "highly urgent" from this share of emergency and urgent needs."""

K = TypeVar("K")


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    if not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Figures:
    """The aggregates of one key (or of a total) for one year.

    need: persons in need (PGRN); need_urgent: those of emergency or urgent
    priority. pledged: places pledged; pledged_emergency_urgent: places kept
    unallocated for emergency and urgent cases; pledged_unallocated: places
    not earmarked for any situation. submitted, departed: persons.
    submitted_timed: persons submitted in the records that report how many
    departed within six months (the denominator of that indicator);
    departed_within_6_months: of those, persons who departed within six months
    of submission.
    """

    need: int = 0
    need_urgent: int = 0
    pledged: int = 0
    pledged_emergency_urgent: int = 0
    pledged_unallocated: int = 0
    submitted: int = 0
    submitted_timed: int = 0
    departed: int = 0
    departed_within_6_months: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def unmet_need(self) -> int:
        """Persons in need who did not depart: max(0, need - departed)."""
        return max(0, self.need - self.departed)

    @property
    def places_gap(self) -> int:
        """Persons in need without a pledged place: max(0, need - pledged)."""
        return max(0, self.need - self.pledged)

    @property
    def ratios(self) -> Ratios:
        """The ratios between these figures."""
        return Ratios.of(self)


def add_all(items: Iterable[Figures]) -> Figures:
    """The sum of several Figures."""
    total = Figures()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class Ratios:
    """How far pledges, submissions and departures go towards the need.

    - pledged_need = pledged / need
    - submitted_need = submitted / need
    - departed_need = departed / need
    - departed_pledged = departed / pledged (how much of the pledge was filled)
    - departed_submitted = departed / submitted
    - urgent_share = need_urgent / need
    """

    pledged_need: float | None
    submitted_need: float | None
    departed_need: float | None
    departed_pledged: float | None
    departed_submitted: float | None
    urgent_share: float | None

    @classmethod
    def of(cls, f: Figures) -> Ratios:
        return cls(
            pledged_need=ratio(f.pledged, f.need),
            submitted_need=ratio(f.submitted, f.need),
            departed_need=ratio(f.departed, f.need),
            departed_pledged=ratio(f.departed, f.pledged),
            departed_submitted=ratio(f.departed, f.submitted),
            urgent_share=ratio(f.need_urgent, f.need),
        )


# ---- multi-year pledges ------------------------------------------------------


def pledge_share(persons: int, first_year: int, last_year: int | None, year: int) -> int:
    """The places of a pledge that count for one year.

    A pledge of P places for the years first..last (n = last - first + 1
    years; a one-year pledge when last is None) is spread evenly: each year
    gets P // n places and the first P % n years one more, so that the years
    add up to P exactly. A year outside the pledge gets 0.
    """
    last = first_year if last_year is None else last_year
    if not first_year <= year <= last:
        return 0
    years = last - first_year + 1
    base, rest = divmod(persons, years)
    return base + (1 if year - first_year < rest else 0)


# ---- pledges of several series: the latest version counts ------------------------


def pledge_winners(
    pledges: Iterable[tuple[int, int, int, int | None]], precedence: Sequence[int]
) -> dict[tuple[int, int], int]:
    """For each (State, year) pledged for, the version whose pledges count.

    pledges: (version, State, first year, last year or None), one per pledge
    (or per distinct such tuple); precedence: the version ids, the one that
    wins first (the latest version first). A State pledging for a year in
    several versions (an imported series covering many States and the State's
    own recorded series, say) counts once that year, with the pledges of the
    version that comes first in `precedence`; the pledges of that version for
    that year still add up (a multi-year pledge and a top-up).
    """
    rank = {version: i for i, version in enumerate(precedence)}
    out: dict[tuple[int, int], int] = {}
    for version, state, first, last in pledges:
        for year in range(first, (first if last is None else last) + 1):
            held = out.get((state, year))
            if held is None or rank[version] < rank[held]:
                out[(state, year)] = version
    return out


# ---- one year, one cut ---------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    """One key of a cut (a country, a population...) with its figures and label."""

    key: str
    label: str
    figures: Figures

    @property
    def ratios(self) -> Ratios:
        return self.figures.ratios


def gap_rows(
    figures: Mapping[str, Figures],
    labels: Mapping[str, str],
    *,
    sort: Callable[[GapRow], tuple[int, ...]] | None = None,
) -> list[GapRow]:
    """Rows of a cut, largest need first (then departures, then label)."""
    rows = [GapRow(key, labels.get(key, key) or key, f) for key, f in figures.items()]
    rows.sort(key=sort or (lambda r: (-r.figures.need, -r.figures.departed, -r.figures.pledged)))
    return rows


def most_unmet(rows: Sequence[GapRow], limit: int = 10) -> list[GapRow]:
    """The keys with the largest unmet need (need - departed), largest first.

    Keys whose need is fully met are left out; ties go to the larger need.
    """
    candidates = [r for r in rows if r.figures.unmet_need > 0]
    candidates.sort(key=lambda r: (-r.figures.unmet_need, -r.figures.need, r.label))
    return candidates[:limit]


def most_urgent(
    rows: Sequence[GapRow], *, threshold: float = URGENT_SHARE_THRESHOLD, limit: int = 10
) -> list[GapRow]:
    """The keys whose needs are most urgent.

    Those whose urgent share (need_urgent / need) is at least `threshold`,
    highest share first, then largest urgent need.
    """
    candidates = [
        r for r in rows if r.figures.need_urgent > 0 and (r.ratios.urgent_share or 0) >= threshold
    ]
    candidates.sort(key=lambda r: (-(r.ratios.urgent_share or 0), -r.figures.need_urgent, r.label))
    return candidates[:limit]


# ---- Global Compact indicators ---------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A Global Compact indicator: numerator / denominator against a target share."""

    code: str
    numerator: int
    denominator: int
    target: float

    @property
    def value(self) -> float | None:
        """numerator / denominator (None without data)."""
        return ratio(self.numerator, self.denominator)

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target (None without data)."""
        value = self.value
        return None if value is None else value >= self.target

    @property
    def progress(self) -> float | None:
        """value / target: 1.0 means the target is just met."""
        value = self.value
        return None if value is None else value / self.target


def emergency_urgent_indicator(f: Figures) -> Indicator:
    """Share of pledged places kept unallocated for emergency and urgent cases.

    pledged_emergency_urgent / pledged, against the target of 10%.
    """
    return Indicator(
        "emergency_urgent_places",
        f.pledged_emergency_urgent,
        f.pledged,
        EMERGENCY_URGENT_TARGET,
    )


def six_months_indicator(f: Figures) -> Indicator:
    """Share of submissions departed within six months of submission.

    departed_within_6_months / submitted_timed, against the target of 25%.
    Only the records that report departures within six months count in the
    denominator, so that missing data does not read as slow departures.
    """
    return Indicator(
        "departed_within_6_months", f.departed_within_6_months, f.submitted_timed, SIX_MONTHS_TARGET
    )


@dataclass(frozen=True)
class Roadmap:
    """Progress towards Roadmap 2030's one million resettled refugees.

    Cumulative figures run from 2019 to `year` (at most 2030):

    - departed_share = departed / 1,000,000
    - pledged_share = pledged / 1,000,000
    - expected_share = (year - 2019 + 1) / 12: where an even pace would be
    - needed_per_year = (1,000,000 - departed) / (2030 - year): the departures
      each remaining year needs (None from 2030 on, or once the target is met)
    """

    year: int
    departed: int
    pledged: int
    target: int = ROADMAP_TARGET
    first_year: int = ROADMAP_FIRST_YEAR
    last_year: int = ROADMAP_LAST_YEAR

    @property
    def departed_share(self) -> float:
        return self.departed / self.target

    @property
    def pledged_share(self) -> float:
        return self.pledged / self.target

    @property
    def expected_share(self) -> float:
        years = self.last_year - self.first_year + 1
        done = min(max(self.year - self.first_year + 1, 0), years)
        return done / years

    @property
    def on_track(self) -> bool:
        """Whether departures keep up with an even pace to the target."""
        return self.departed_share >= self.expected_share

    @property
    def years_left(self) -> int:
        return max(self.last_year - self.year, 0)

    @property
    def needed_per_year(self) -> int | None:
        remaining = self.target - self.departed
        if remaining <= 0 or not self.years_left:
            return None
        return -(-remaining // self.years_left)  # rounded up


def roadmap(
    departed_by_year: Mapping[int, int], pledged_by_year: Mapping[int, int], year: int
) -> Roadmap:
    """Roadmap 2030 progress up to `year`: sums over 2019..min(year, 2030)."""
    last = min(year, ROADMAP_LAST_YEAR)

    def span(by_year: Mapping[int, int]) -> int:
        return sum(v for y, v in by_year.items() if ROADMAP_FIRST_YEAR <= y <= last)

    return Roadmap(year=year, departed=span(departed_by_year), pledged=span(pledged_by_year))


# ---- trends --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How a figure moved: after - before, and that as a share of before."""

    before: int
    after: int

    @property
    def diff(self) -> int:
        return self.after - self.before

    @property
    def pct(self) -> float | None:
        """(after - before) / before, None when before is 0."""
        return ratio(self.diff, self.before)


TREND_MEASURES = ("need", "pledged", "submitted", "departed")


@dataclass(frozen=True)
class TrendPoint:
    """One year of a trend, with the change from the year before it in the series."""

    year: int
    figures: Figures
    changes: Mapping[str, Change | None]

    @property
    def ratios(self) -> Ratios:
        return self.figures.ratios


def trend(by_year: Mapping[int, Figures]) -> list[TrendPoint]:
    """The years in order, each with its change from the previous year present.

    Missing years are not filled in: a year without any data is not a year of
    zeros. The first year has no change.
    """
    points: list[TrendPoint] = []
    previous: Figures | None = None
    for year in sorted(by_year):
        figures = by_year[year]
        changes: dict[str, Change | None] = {
            m: None if previous is None else Change(getattr(previous, m), getattr(figures, m))
            for m in TREND_MEASURES
        }
        points.append(TrendPoint(year, figures, changes))
        previous = figures
    return points


# ---- comparing two versions -----------------------------------------------------


@dataclass(frozen=True)
class Difference(Generic[K]):
    """A key whose figure differs between two versions.

    status: "added" (only in the second), "removed" (only in the first) or
    "changed"; a missing side counts as 0 for diff.
    """

    key: K
    measure: str
    before: int | None
    after: int | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def diff(self) -> int:
        return (self.after or 0) - (self.before or 0)

    @property
    def pct(self) -> float | None:
        return ratio(self.diff, self.before or 0)


def compare(
    before: Mapping[K, Mapping[str, int]],
    after: Mapping[K, Mapping[str, int]],
    measures: Sequence[str],
) -> list[Difference[K]]:
    """What changed between two versions, per key and measure, largest change first.

    Unchanged figures are left out. A key present in one version only is
    "added" or "removed" (for every measure it has that is not 0).
    """
    out: list[Difference[K]] = []
    for key in before.keys() | after.keys():
        a, b = before.get(key), after.get(key)
        for measure in measures:
            va = None if a is None else a.get(measure, 0)
            vb = None if b is None else b.get(measure, 0)
            if va == vb or (va is None and not vb) or (vb is None and not va):
                continue
            out.append(Difference(key, measure, va, vb))
    out.sort(key=lambda d: (-abs(d.diff), str(d.key), d.measure))
    return out


def sum_measures(rows: Iterable[Mapping[str, int]], measures: Sequence[str]) -> dict[str, int]:
    """The total of each measure over rows."""
    totals = dict.fromkeys(measures, 0)
    for row in rows:
        for m in measures:
            totals[m] += row.get(m, 0)
    return totals


# ---- map classes -----------------------------------------------------------------


def quantile_breaks(values: Iterable[int], classes: int = 5) -> list[int]:
    """Upper bounds of `classes` classes holding about as many positive values each.

    The last bound is the maximum; fewer bounds when there are fewer distinct
    values. Empty for no positive value.
    """
    data = sorted(v for v in values if v > 0)
    if not data:
        return []
    bounds: list[int] = []
    for i in range(1, classes + 1):
        bound = data[min(len(data) - 1, -(-i * len(data) // classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def class_of(value: int, breaks: Sequence[int]) -> int | None:
    """The class index of a value (0-based), None for 0 or no data."""
    if value <= 0:
        return None
    for i, bound in enumerate(breaks):
        if value <= bound:
            return i
    return len(breaks) - 1 if breaks else None
