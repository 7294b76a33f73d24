"""Objective 1 arithmetic: places earmarked for a priority situation, by State and year,
against the situation's targets.

Pure computation, no Django (the gap engine's rules come from needs.gap, pure
too); pscg/figures.py feeds it plain rows from the database.

How the places are counted (the same rules as the gap's situation cut, so the
two pages agree):

- "Additional places" for a situation are the places pledges earmark for it:
  pledge breakdowns of kind "situation" whose value names the situation
  (its English name, compared without case or surrounding spaces). A pledge's
  other places are not counted, even when the State resettles refugees of the
  situation from them.
- A multi-year pledge's earmark is spread over its years like the pledge
  (needs.gap.pledge_share: P places over n years give P // n a year, the
  first P % n years one more).
- Earmarks of one pledge version, State, span of years and value (as
  written) are added before they are spread, as the gap does.
- Where several pledge versions pledge for the same State and year (a State's
  recorded series and an imported one), only the latest version's pledges
  count for that State and year (needs.gap.pledge_winners).
- progress = pledged / target; None without a target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from resettle.needs.gap import pledge_share, pledge_winners, ratio


@dataclass(frozen=True)
class Earmark:
    """Places of one pledge version earmarked for the situation.

    version: the dataset version; state: the resettlement State's id; first,
    last: the pledge's years (last None: one year); value: the earmark as written.
    """

    version: int
    state: int
    first: int
    last: int | None
    places: int
    value: str = ""


def winners(
    pledges: Iterable[tuple[int, int, int, int | None]], precedence: Sequence[int]
) -> dict[tuple[int, int], int]:
    """(State, year) -> the version whose pledges count, from (version, State, first, last)."""
    return pledge_winners(pledges, precedence)


def places_by_state_year(
    earmarks: Iterable[Earmark],
    counting: Mapping[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], int]:
    """(State, year) -> places earmarked, multi-year earmarks spread over their years.

    `counting` maps (State, year) to the version that counts for it (see
    winners); None when there is one pledge version, which always counts.
    """
    grouped: dict[tuple[int, int, int, int | None, str], int] = defaultdict(int)
    for e in earmarks:
        grouped[(e.version, e.state, e.first, e.last, e.value)] += e.places
    out: dict[tuple[int, int], int] = defaultdict(int)
    for (version, state, first, last, _value), places in grouped.items():
        for year in range(first, (first if last is None else last) + 1):
            if counting is not None and counting.get((state, year)) != version:
                continue
            share = pledge_share(places, first, last, year)
            if share:
                out[(state, year)] += share
    return dict(out)


@dataclass(frozen=True)
class YearProgress:
    """One year of a situation: places pledged for it against the target."""

    year: int
    target: int | None
    pledged: int

    @property
    def progress(self) -> float | None:
        """pledged / target (None without a target)."""
        return ratio(self.pledged, self.target or 0)

    @property
    def remaining(self) -> int | None:
        """Places still to pledge: max(0, target - pledged); None without a target."""
        if self.target is None:
            return None
        return max(0, self.target - self.pledged)

    @property
    def percent(self) -> int:
        """The progress as a whole percentage capped at 100 (for a progress bar)."""
        value = self.progress
        return 0 if value is None else min(100, round(value * 100))


def by_year(
    places: Mapping[tuple[int, int], int], targets: Mapping[int, int]
) -> list[YearProgress]:
    """Every year with a target or pledged places, in order, with both figures."""
    pledged: dict[int, int] = defaultdict(int)
    for (_state, year), n in places.items():
        pledged[year] += n
    years = sorted(set(pledged) | set(targets))
    return [YearProgress(y, targets.get(y), pledged.get(y, 0)) for y in years]


def by_state(
    places: Mapping[tuple[int, int], int],
) -> dict[int, dict[int, int]]:
    """State -> year -> places (States in no particular order)."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for (state, year), n in places.items():
        out[state][year] = n
    return dict(out)
