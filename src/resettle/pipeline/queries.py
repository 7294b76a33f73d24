"""The database side of the board, the indicators and the departure figures."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from resettle.accounts.models import User
from resettle.core.access import require
from resettle.needs.loader import LoadResult
from resettle.needs.services import can_import_dataset, do_import_dataset
from resettle.pipeline import access, indicators, stages
from resettle.pipeline.models import MOVE_LABELS, CaseFile, Stage, StageEvent

DEPARTURES_SERIES = "rsf-departures"
BOARD_CARDS = 30  # cards shown per column (the count gives the rest)


@dataclass(frozen=True)
class Card:
    """A case on a board: no personal data, and the next stages the viewer may record."""

    file: CaseFile
    days_since_submission: int
    moves: list[tuple[str, str]]


@dataclass(frozen=True)
class Column:
    """A column of the board: a stage, how many cases are in it, the first cards."""

    stage: str
    label: str
    count: int
    cards: list[Card]


def board_moves(case_file: CaseFile, user: User | None) -> list[tuple[str, str]]:
    """The moves a board's card offers: the next stages (or resume) the user may record.

    Hold and withdrawal need a reason and stay on the case file's page.
    """
    return [
        (move, str(MOVE_LABELS[move]))
        for move in stages.allowed_moves(case_file.stage)
        if move not in stages.NEEDS_REASON and access.can_record_move(user, case_file, move)
    ]


def board(
    files: models.QuerySet[CaseFile],
    *,
    user: User | None = None,
    only_stage: str = "",
    today: datetime.date | None = None,
) -> list[Column]:
    """Columns by stage, in pipeline order, with counts and (oldest first) cards.

    `only_stage` keeps that column alone; `user` gives each card the moves
    they may record (none without a user).
    """
    today = today or timezone.localdate()
    counts = Counter(dict(files.values_list("stage").annotate(n=models.Count("pk"))))
    labels = dict(Stage.choices)
    columns = []
    for stage in stages.STAGES:
        if only_stage and stage != only_stage:
            continue
        rows = (
            files.filter(stage=stage)
            .select_related("case", "case__referred_state")
            .order_by("stage_since", "case__reference")[:BOARD_CARDS]
        )
        cards = [
            Card(
                f,
                (today - f.case.submitted_on).days,
                board_moves(f, user) if user is not None else [],
            )
            for f in rows
        ]
        columns.append(Column(stage, str(labels[stage]), counts.get(stage, 0), cards))
    return columns


def overdue_ids(files: models.QuerySet[CaseFile], today: datetime.date | None = None) -> list[int]:
    """The case files that stayed longer in their stage than the facility aims for."""
    today = today or timezone.localdate()
    cond = models.Q(pk__in=[])
    for stage, limit in stages.LIMIT_DAYS.items():
        if limit is not None:
            cond |= models.Q(stage=stage, stage_since__lt=today - datetime.timedelta(days=limit))
    return list(files.filter(cond).values_list("pk", flat=True))


def timelines(files: models.QuerySet[CaseFile]) -> list[indicators.Timeline]:
    """The plain timelines of some case files, for indicators.compute."""
    events = Counter(
        (cf, stage)
        for cf, stage in StageEvent.objects.filter(
            case_file__in=files, stage__in=[stages.INTERVIEW_SCHEDULED, stages.NO_SHOW]
        ).values_list("case_file_id", "stage")
    )
    result = []
    for pk, submitted, dates in files.values_list("pk", "case__submitted_on", "stage_dates"):
        reached = {s: datetime.date.fromisoformat(d) for s, d in (dates or {}).items()}
        result.append(
            indicators.Timeline(
                submitted=submitted,
                reached=reached,
                interviews_scheduled=events[(pk, stages.INTERVIEW_SCHEDULED)],
                no_shows=events[(pk, stages.NO_SHOW)],
            )
        )
    return result


def compute_indicators(
    files: models.QuerySet[CaseFile], today: datetime.date | None = None
) -> indicators.Indicators:
    """The indicators of the case files a user sees."""
    order = [s for s in stages.STAGES if s not in {stages.ON_HOLD, stages.WITHDRAWN}]
    return indicators.compute(timelines(files), order, today or timezone.localdate())


def departures(files: models.QuerySet[CaseFile] | None = None) -> list[indicators.Departure]:
    """Every departed case (or those of `files`), as plain departures."""
    qs = (files if files is not None else CaseFile.objects.all()).filter(stage=stages.DEPARTED)
    rows: Any = qs.values_list(
        "case__persons",
        "case__nationality",
        "case__asylum__iso3",
        "case__referred_state__iso3",
        "case__submitted_on",
        "stage_dates",
        "case__category",
        "case__priority",
    )
    return [
        indicators.Departure(
            persons=persons,
            origin=origin,
            asylum=asylum,
            state=state,
            submitted=submitted,
            departed=datetime.date.fromisoformat(dates[stages.DEPARTED]),
            category=category,
            priority=priority,
        )
        for persons, origin, asylum, state, submitted, dates, category, priority in rows
    ]


def departure_flows() -> list[indicators.FlowRow]:
    """Persons departed through the facility, in the needs app's flow figures' shape."""
    return indicators.aggregate_departures(departures())


@transaction.atomic
def do_import_departures(*, actor: User | None, is_illustrative: bool = False) -> LoadResult | None:
    """Import the facility's departures as the next version of the rsf-departures series.

    Returns None when no case has departed (there is nothing to import); the
    needs import reports "unchanged" when the figures did not change.
    """
    if actor is not None:
        require(can_import_dataset(actor, "departures"), "import")
    rows = departure_flows()
    if not rows:
        return None
    return do_import_dataset(
        "departures",
        indicators.flows_csv(rows),
        series=DEPARTURES_SERIES,
        source="Resettlement Support Facility",
        file_name="rsf-departures.csv",
        actor=actor,
        is_illustrative=is_illustrative,
        note="Departures recorded in the facility's case pipeline.",
    )
