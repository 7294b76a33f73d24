"""Reading a CSV file of cases (the allocation engine's cases format) into case fields.

The engine's reader (allocation.engine.files) parses and checks each row into
its Case; this module adds what only the database knows: the country of
asylum and the priority situation must exist, the reference must be new.
Every problem is collected with its row, so a file is refused whole with its
report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from resettle.allocation.engine import files as engine_files
from resettle.allocation.engine.model import Case
from resettle.allocation.snapshot import PRIORITY_NAMES
from resettle.cases.models import FLAG_FIELDS, ResettlementCase
from resettle.directory.models import Country
from resettle.needs.models import Population, PrioritySituation, SubmissionCategory


@dataclass(frozen=True)
class RowProblem:
    """One problem of a file: its data row (1 = first row after the header), column, message."""

    row: int | None
    column: str
    message: str


@dataclass
class ParsedRow:
    """The fields of one case to create."""

    row: int
    fields: dict[str, Any]


@dataclass
class Parsed:
    """A file read: the rows, or the problems."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)


def _engine_cases(data: bytes) -> tuple[list[Case], list[RowProblem]]:
    """The engine's reading of the file: its cases, or its problems by row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowProblem(None, "", _("The file is not UTF-8 text."))]
    try:
        cases = engine_files.read_cases(text)
    except engine_files.FileFormatError as exc:
        return [], [
            RowProblem(problem.row, problem.column, problem.message) for problem in exc.problems
        ]
    return list(cases), []


def read_cases(data: bytes) -> Parsed:
    """Every case of the file as model fields, or every problem found."""
    cases, problems = _engine_cases(data)
    parsed = Parsed(errors=problems)
    if problems:
        return parsed
    countries = {c.iso3: c for c in Country.objects.all()}
    populations = set(Population.objects.values_list("code", flat=True))
    situations = {s.name.casefold(): s for s in PrioritySituation.objects.all()}
    categories = set(SubmissionCategory.values)
    refs = [c.id for c in cases]
    existing = set(
        ResettlementCase.objects.filter(reference__in=refs).values_list("reference", flat=True)
    )
    seen: set[str] = set()
    for number, case in enumerate(cases, start=1):
        errors: list[RowProblem] = []

        def problem(column: str, message: str, n: int = number) -> None:
            errors.append(RowProblem(n, column, message))  # noqa: B023 - used at once

        if case.id in existing:
            problem("id", _("A case with this reference exists already."))
        elif case.id in seen:
            problem("id", _("The reference appears twice in the file."))
        seen.add(case.id)
        if case.nationality not in countries and case.nationality not in populations:
            problem("nationality", _("Unknown nationality or population code."))
        asylum = countries.get(case.asylum)
        if asylum is None:
            problem("asylum", _("Unknown country code."))
        situation = situations.get(case.situation.casefold()) if case.situation else None
        if case.situation and situation is None:
            problem("situation", _("Unknown priority situation."))
        for column, value in (
            ("category", case.category),
            ("secondary_category", case.secondary_category),
        ):
            if value and value not in categories:
                problem(column, _("Unknown submission category."))
        if not case.category:
            problem("category", _("The primary submission category is required."))
        if not 1 <= case.persons <= 15:
            problem("persons", _("Between 1 and 15 persons."))
        parsed.errors.extend(errors)
        if errors:
            continue
        fields: dict[str, Any] = {
            "reference": case.id,
            "persons": case.persons,
            "nationality": case.nationality,
            "asylum": asylum,
            "situation": situation,
            "category": case.category,
            "secondary_category": case.secondary_category,
            "priority": PRIORITY_NAMES[case.priority],
            "submitted_on": datetime.date.fromordinal(case.submitted_day),
            "languages": sorted(case.languages),
            "link_group": case.link,
            "interview_possible": case.interview_possible,
        }
        for flag in FLAG_FIELDS:
            fields[flag] = flag in case.flags
        parsed.rows.append(ParsedRow(number, fields))
    return parsed
