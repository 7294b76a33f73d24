"""The database side of objective 1 and of a situation's needs: plain rows for
pscg/progress.py, and the situation's row of the gap.

Which pledges count: those of the pledge versions the user may see that are
current (needs.gap_queries.sources_for), the same as the gap page's default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from resettle.directory.models import Country
from resettle.needs import gap
from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut, Sources
from resettle.needs.models import BreakdownKind, DatasetKind, Pledge, PledgeBreakdown
from resettle.needs.models import PrioritySituation as Situation
from resettle.pscg import progress
from resettle.pscg.models import SituationTarget


def names_situation(value: str, situation: Situation) -> bool:
    """Whether an earmark's value names the situation (as gap_queries.Lookups.breakdown_key)."""
    return value.strip().casefold() == situation.name.casefold()


def situation_earmarks(situation: Situation, sources: Sources) -> list[progress.Earmark]:
    """The situation's earmarks in the pledge versions of `sources`: one GROUP BY."""
    pledge_ids = sources.ids(DatasetKind.PLEDGES)
    if not pledge_ids:
        return []
    # The exact comparison of the values (spaces, case beyond ASCII) is made here,
    # in Python. For a name in ASCII, where that comparison is plain case folding,
    # the database first keeps the values that contain it whatever the case: the
    # other situations' earmarks (hundreds) are not read and converted for nothing.
    found = PledgeBreakdown.objects.filter(
        pledge__version_id__in=pledge_ids, kind=BreakdownKind.SITUATION
    )
    if situation.name.isascii():
        found = found.filter(value__icontains=situation.name.strip())
    rows = (
        found.values(
            "pledge__version_id", "pledge__state_id", "pledge__year", "pledge__end_year", "value"
        )
        .order_by()
        .annotate(places=Sum("persons"))
    )
    return [
        progress.Earmark(
            r["pledge__version_id"],
            r["pledge__state_id"],
            r["pledge__year"],
            r["pledge__end_year"],
            r["places"] or 0,
            r["value"],
        )
        for r in rows
        if names_situation(r["value"], situation)
    ]


def counting_versions(sources: Sources, states: set[int]) -> dict[tuple[int, int], int] | None:
    """(State, year) -> the pledge version that counts; None with a single version.

    Read from every pledge of those States (not only the earmarked ones), so
    that a later version pledging for a State and year without earmarking
    replaces the earlier one's earmark, as in the gap.
    """
    versions = sources.of_kind(DatasetKind.PLEDGES)
    if len(versions) < 2 or not states:
        return None
    latest_first = sorted(versions, key=lambda v: (v.created_at, v.pk), reverse=True)
    rows = (
        Pledge.objects.filter(version_id__in=[v.pk for v in versions], state_id__in=states)
        .order_by()
        .values_list("version_id", "state_id", "year", "end_year")
        .distinct()
    )
    return progress.winners(rows, [v.pk for v in latest_first])


@dataclass(frozen=True)
class Objective1:
    """Places pledged for a situation, by State and year, against its targets."""

    years: list[progress.YearProgress]
    states: list[tuple[Country, dict[int, int]]]
    sources: Sources

    @property
    def year_list(self) -> list[int]:
        return [y.year for y in self.years]

    def for_year(self, year: int) -> progress.YearProgress:
        for y in self.years:
            if y.year == year:
                return y
        return progress.YearProgress(year, None, 0)


def objective1(situation: Situation, sources: Sources) -> Objective1:
    """The situation's targets and earmarked places (see pscg/progress.py for the rules)."""
    earmarks = situation_earmarks(situation, sources)
    counting = counting_versions(sources, {e.state for e in earmarks})
    places = progress.places_by_state_year(earmarks, counting)
    targets = dict(
        SituationTarget.objects.filter(situation=situation).values_list("year", "places")
    )
    per_state = progress.by_state(places)
    countries = Country.objects.in_bulk(list(per_state))
    states = sorted(
        ((countries[pk], years) for pk, years in per_state.items() if pk in countries),
        key=lambda item: (-sum(item[1].values()), item[0].name_en),
    )
    return Objective1(progress.by_year(places, targets), states, sources)


def objective1_for_user(situation: Situation, user: Any) -> Objective1:
    """Objective 1 from the current pledge versions this user may see."""
    return objective1(situation, q.sources_for(user))


# ---- the situation's needs, from the gap ------------------------------------------------


@dataclass(frozen=True)
class SituationNeeds:
    """The situation's row of the gap for a year (None when the year has no figure)."""

    year: int
    years: list[int]
    row: gap.GapRow | None
    sources: Sources


def situation_needs(situation: Situation, user: Any, year: int | None) -> SituationNeeds:
    """The gap's situation cut for a year (this year or the latest with data by default),
    reduced to this situation's row; the same figures as the gap page."""
    sources = q.sources_for(user)
    years = q.available_years(sources)
    chosen = year if year is not None else q.default_year(years, timezone.localdate().year)
    view = q.gap_view(sources, chosen, Cut.SITUATION)
    row = next((r for r in view.rows if r.key == situation.name), None)
    return SituationNeeds(chosen, years, row, sources)
