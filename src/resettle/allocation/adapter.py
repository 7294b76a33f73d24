"""From the database to the engine's plain data: cases and pledge lines as an Instance.

Case ids in the engine are the case references; line ids are "L" and the
pledge line's primary key, so the results map back to rows (lines a
scenario adds have other ids and no row).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from resettle.allocation.engine.model import Case, Instance, Modality, PledgeLine, Preference
from resettle.allocation.models import PledgeLine as PledgeLineRow
from resettle.allocation.snapshot import PRIORITY_OF_NAME
from resettle.cases.models import CaseStatus, ResettlementCase

LINE_PREFIX = "L"


def line_id(row: PledgeLineRow) -> str:
    """The engine's id of a pledge line row."""
    return f"{LINE_PREFIX}{row.pk}"


def line_pk(engine_id: str) -> int | None:
    """The row behind an engine line id (None for a line a scenario added)."""
    digits = engine_id[len(LINE_PREFIX) :]
    if engine_id.startswith(LINE_PREFIX) and digits.isdigit():
        return int(digits)
    return None


def engine_case(row: ResettlementCase) -> Case:
    """A case row as the engine's Case."""
    return Case(
        id=row.reference,
        persons=row.persons,
        nationality=row.nationality,
        asylum=row.asylum.iso3,
        priority=PRIORITY_OF_NAME[row.priority],
        submitted_day=row.submitted_on.toordinal(),
        situation=row.situation.name if row.situation else "",
        category=row.category,
        secondary_category=row.secondary_category,
        flags=frozenset(row.flags),
        languages=frozenset(row.languages or ()),
        link=row.link_group,
        interview_possible=row.interview_possible,
    )


def _set(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def engine_line(row: PledgeLineRow) -> PledgeLine:
    """A pledge line row as the engine's PledgeLine."""
    return PledgeLine(
        id=line_id(row),
        state=row.state.iso3,
        capacity=row.capacity,
        nationalities=_set(row.nationalities),
        asylums=_set(row.asylums),
        situations=_set(row.situations),
        categories=_set(row.categories),
        priorities=frozenset(PRIORITY_OF_NAME[p] for p in row.priorities),
        modality=Modality(row.modality),
        max_serious_medical_cases=row.max_serious_medical,
        max_family_size=row.max_family_size,
        reserved_urgent=row.reserved_urgent,
        preferences=tuple(
            Preference(p["attribute"], str(p["value"]), float(p["weight"]))
            for p in row.preferences or ()
        ),
    )


def submitted_cases() -> Iterable[ResettlementCase]:
    """The cases waiting for a State, in a stable order."""
    return (
        ResettlementCase.objects.filter(status=CaseStatus.SUBMITTED)
        .select_related("asylum", "situation")
        .order_by("reference")
        .iterator(chunk_size=5000)
    )


def build_instance(year: int, *, today: datetime.date | None = None) -> Instance:
    """The submitted cases and the year's pledge lines, as the engine's problem."""
    lines = PledgeLineRow.objects.filter(year=year).select_related("state").order_by("pk")
    day = (today or timezone.localdate()).toordinal()
    return Instance(
        cases=tuple(engine_case(c) for c in submitted_cases()),
        lines=tuple(engine_line(row) for row in lines),
        today=day,
    )
