"""Pipeline indicators and departure figures, from plain data (no Django).

- days from submission to each stage (median and mean over the cases that
  reached it);
- share departed within six months of submission (Global Compact target
  25%): among the cases whose six-month window has closed (submitted at least
  six months ago) or that departed, the share that departed within it;
- acceptance rate: accepted / (accepted + rejected) final decisions;
- no-shows: interview no-shows, and their share of scheduled interviews.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TARGET_WITHIN_SIX_MONTHS = 0.25
DEPARTED = "departed"
ACCEPTED = "accepted"
REJECTED = "rejected"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day some months later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Timeline:
    """One case: when submitted, when it first reached each stage, its interviews."""

    submitted: datetime.date
    reached: Mapping[str, datetime.date]
    interviews_scheduled: int = 0
    no_shows: int = 0


@dataclass(frozen=True)
class StageTime:
    """Days from submission to a stage."""

    stage: str
    cases: int
    median: float | None
    mean: float | None


@dataclass(frozen=True)
class Indicators:
    """The pipeline's indicators over a set of cases."""

    cases: int
    days_to_stage: list[StageTime]
    window_closed: int
    departed_within_six_months: int
    share_within_six_months: float | None
    accepted: int
    rejected: int
    acceptance_rate: float | None
    interviews_scheduled: int
    no_shows: int
    no_show_rate: float | None
    target: float = TARGET_WITHIN_SIX_MONTHS
    meets_target: bool | None = field(default=None)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compute(
    timelines: Sequence[Timeline], stage_order: Sequence[str], today: datetime.date
) -> Indicators:
    """The indicators of some cases (stages reported in `stage_order`)."""
    days: dict[str, list[int]] = defaultdict(list)
    for t in timelines:
        for stage, when in t.reached.items():
            days[stage].append((when - t.submitted).days)
    stage_times = [
        StageTime(
            s,
            len(days[s]),
            float(statistics.median(days[s])) if days[s] else None,
            round(statistics.fmean(days[s]), 1) if days[s] else None,
        )
        for s in stage_order
    ]
    closed = within = 0
    for t in timelines:
        deadline = add_months(t.submitted, 6)
        departed = t.reached.get(DEPARTED)
        if departed is not None and departed <= deadline:
            within += 1
            closed += 1
        elif deadline <= today or departed is not None:
            closed += 1
    accepted = sum(1 for t in timelines if ACCEPTED in t.reached)
    rejected = sum(1 for t in timelines if REJECTED in t.reached)
    scheduled = sum(t.interviews_scheduled for t in timelines)
    no_shows = sum(t.no_shows for t in timelines)
    share = _ratio(within, closed)
    return Indicators(
        cases=len(timelines),
        days_to_stage=stage_times,
        window_closed=closed,
        departed_within_six_months=within,
        share_within_six_months=share,
        accepted=accepted,
        rejected=rejected,
        acceptance_rate=_ratio(accepted, accepted + rejected),
        interviews_scheduled=scheduled,
        no_shows=no_shows,
        no_show_rate=_ratio(no_shows, scheduled),
        meets_target=None if share is None else share >= TARGET_WITHIN_SIX_MONTHS,
    )


# ---- departure figures in the needs app's flows format ----------------------------


@dataclass(frozen=True)
class Departure:
    """A departed case: persons, origin (nationality code), asylum, State, dates."""

    persons: int
    origin: str
    asylum: str
    state: str
    submitted: datetime.date
    departed: datetime.date
    category: str = ""
    priority: str = ""


FLOW_HEADER = (
    "year",
    "origin",
    "asylum",
    "resettlement_state",
    "category",
    "priority",
    "departed",
    "departed_within_6_months",
)


@dataclass(frozen=True)
class FlowRow:
    """Persons departed in a year from an origin and asylum country to a State."""

    year: int
    origin: str
    asylum: str
    resettlement_state: str
    category: str
    priority: str
    departed: int
    departed_within_6_months: int


def aggregate_departures(departures: Iterable[Departure]) -> list[FlowRow]:
    """Persons departed per year (of departure), origin, asylum, State, category, priority."""
    totals: dict[tuple[int, str, str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for d in departures:
        key = (d.departed.year, d.origin, d.asylum, d.state, d.category, d.priority)
        totals[key][0] += d.persons
        if d.departed <= add_months(d.submitted, 6):
            totals[key][1] += d.persons
    return [FlowRow(*key, *values) for key, values in sorted(totals.items())]


def flows_csv(rows: Iterable[FlowRow]) -> bytes:
    """The rows as a departures (flows) CSV file the needs import reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLOW_HEADER)
    for r in rows:
        writer.writerow(
            [
                r.year,
                r.origin,
                r.asylum,
                r.resettlement_state,
                r.category,
                r.priority,
                r.departed,
                r.departed_within_6_months,
            ]
        )
    return out.getvalue().encode("utf-8")
