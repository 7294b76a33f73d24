"""Importing pledge lines from a CSV file in the engine's pledges format, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.allocation.engine import files as engine_files
from resettle.allocation.engine.model import PledgeLine as EngineLine
from resettle.allocation.models import PledgeLine
from resettle.allocation.services import can_allocate
from resettle.allocation.snapshot import line_to_dict
from resettle.cases.importing import RowProblem
from resettle.core.access import require
from resettle.core.audit import save_with_audit
from resettle.directory.models import Country


@dataclass
class LinesOutcome:
    """Lines created, or the problems that refused the file."""

    created: int = 0
    errors: list[RowProblem] = field(default_factory=list)


def _engine_lines(data: bytes) -> tuple[list[EngineLine], list[RowProblem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowProblem(None, "", _("The file is not UTF-8 text."))]
    try:
        lines = engine_files.read_lines(text)
    except engine_files.FileFormatError as exc:
        return [], [RowProblem(p.row, p.column, p.message) for p in exc.problems]
    return list(lines), []


def line_fields(line: EngineLine, state: Country, year: int) -> dict[str, Any]:
    """The model fields of an engine pledge line (its id becomes the label)."""
    data = line_to_dict(line)
    return {
        "year": year,
        "state": state,
        "label": line.id[:100],
        "capacity": line.capacity,
        "reserved_urgent": line.reserved_urgent,
        "nationalities": data["nationalities"],
        "asylums": data["asylums"],
        "situations": data["situations"],
        "categories": data["categories"],
        "priorities": data["priorities"],
        "modality": data["modality"],
        "max_serious_medical": line.max_serious_medical_cases,
        "max_family_size": line.max_family_size,
        "preferences": data["preferences"],
    }


@transaction.atomic
def do_import_lines(data: bytes, *, year: int, actor: User | None) -> LinesOutcome:
    """Create the pledge lines of a CSV file for a year; a file with a problem creates none."""
    if actor is not None:
        require(can_allocate(actor), "pledge lines")
    lines, problems = _engine_lines(data)
    if problems:
        return LinesOutcome(errors=problems)
    states = {c.iso3: c for c in Country.objects.filter(iso3__in={x.state for x in lines})}
    errors = [
        RowProblem(number, "state", _("Unknown country code."))
        for number, line in enumerate(lines, start=1)
        if line.state not in states
    ]
    if errors:
        return LinesOutcome(errors=errors)
    for line in lines:
        save_with_audit(PledgeLine(), line_fields(line, states[line.state], year), actor=actor)
    return LinesOutcome(created=len(lines))
