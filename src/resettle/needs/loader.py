"""Writing checked datasets into the database: versions, checksums and fast row writes.

`needs.importing` reads and checks a file without touching the database; this
module feeds it the lookups it needs (codes to ids) and writes what it returns:

1. `check_file` reads and checks every row, outside any transaction (a
   background import reports its progress on its pending version meanwhile);
2. `write_dataset`, in one transaction: if the series' current version has the
   same checksum, nothing is written (no new version); otherwise the version
   is saved as the series' next number, its rows are written (PostgreSQL's
   COPY, or executemany in chunks elsewhere) and one audit entry records it.

A file with any problem never reaches step 2: nothing is written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.accounts.models import User
from resettle.core.audit import record
from resettle.core.models import AuditAction
from resettle.directory.models import Country, UnhcrRegion
from resettle.needs import importing
from resettle.needs.importing import NULL, CheckResult, Lookups, RowError
from resettle.needs.models import (
    DatasetKind,
    DatasetVersion,
    FlowFigure,
    Modality,
    NeedFigure,
    PathwayPlaces,
    Pledge,
    PledgeBreakdown,
    PledgeStatus,
    Population,
    Priority,
    SubmissionCategory,
    VersionStatus,
)
from resettle.needs.populations import UNHCR_GROUP_CODES

# progress(phase, done, total): phase is "checking" (rows read and checked) or
# "writing" (rows written; inside the transaction).
Progress = Callable[[str, int, int], None]

CHECKING, WRITING = "checking", "writing"

# Rows per COPY write or executemany call.
CHUNK = 20_000

# Codes of UNHCR's "ISO" columns that are no ISO country: the Refugee Data Finder
# gives stateless persons as XXA (the code of travel documents) and the unknown
# origin as UNK; its country list gives XXX.
ISO_GROUP_CODES = {"XXA": "STATELESS", "XXX": "UNKNOWN", "UNK": "UNKNOWN"}

MODELS: dict[str, type[models.Model]] = {
    DatasetKind.NEEDS: NeedFigure,
    DatasetKind.PLEDGES: Pledge,
    DatasetKind.FLOWS: FlowFigure,
}

# What each reason code of needs.importing says to the reader.
REASONS: dict[str, Any] = {
    "missing_column": gettext_lazy("No column of the file is mapped to the field %(field)s."),
    "unknown_column": gettext_lazy("The file has no column %(column)s."),
    "unknown_field": gettext_lazy("This kind of dataset has no field %(field)s."),
    "missing_value": gettext_lazy("Missing value."),
    "not_a_number": gettext_lazy("Not a number: %(value)s."),
    "not_whole": gettext_lazy("Not a whole number: %(value)s."),
    "negative": gettext_lazy("Negative number: %(value)s."),
    "too_large": gettext_lazy("Number too large: %(value)s."),
    "year_range": gettext_lazy("Year out of range (%(min)s to %(max)s): %(value)s."),
    "unknown_country": gettext_lazy("Unknown country code: %(value)s."),
    "unknown_unhcr_country": gettext_lazy("Unknown UNHCR country code: %(value)s."),
    "unknown_population": gettext_lazy("Unknown country or population code: %(value)s."),
    "unknown_choice": gettext_lazy("Unknown value %(value)s; expected one of %(choices)s."),
    "duplicate": gettext_lazy("Duplicate key (%(key)s): the same as row %(other)s."),
    "no_figures": gettext_lazy("No figures: neither submitted nor departed is given."),
    "end_before_start": gettext_lazy("The last year %(value)s is before the year %(year)s."),
    "exceeds_persons": gettext_lazy("%(value)s places are more than the %(persons)s pledged."),
    "breakdowns_exceed": gettext_lazy(
        "The places earmarked by %(kind)s add up to %(value)s, more than the %(persons)s pledged."
    ),
    "missing_name": gettext_lazy(
        "The column names no situation, region or country after the colon."
    ),
    "too_long": gettext_lazy("Longer than %(max)s characters: %(value)s."),
    "unknown_region": gettext_lazy("Unknown region %(value)s; expected one of %(choices)s."),
    "duplicate_column": gettext_lazy("The same breakdown or pathway as the column %(other)s."),
    "empty_file": gettext_lazy("The file is empty: it has no header row."),
    "no_rows": gettext_lazy("The file has no data rows."),
    "unreadable": gettext_lazy("The file cannot be read as CSV or XLSX: %(detail)s"),
    "wrong_layout": gettext_lazy(
        "The %(layout)s layout holds departures: import the file as departures."
    ),
}


def describe_reason(error: RowError) -> str:
    """Why a row or the file is refused, in the active language."""
    params = {
        "value": error.value,
        "column": error.column,
        "field": error.field,
        "key": "",
        "other": "",
        "min": "",
        "max": "",
        "choices": "",
        "year": "",
        "persons": "",
        "kind": "",
        "detail": "",
        "layout": "",
        **error.params,
    }
    template = REASONS.get(error.code)
    if template is None:
        return error.code
    return str(template) % params


def describe_location(error: RowError) -> str:
    """Where a problem is: row and line, and column."""
    if error.row is None:
        if error.column:
            return _("Column %(column)s") % {"column": error.column}
        return _("The file")
    where = {"row": error.row, "line": error.line, "column": error.column}
    if error.column:
        return _("Row %(row)s (line %(line)s), column %(column)s") % where
    return _("Row %(row)s (line %(line)s)") % where


def describe_error(error: RowError) -> str:
    """Location and reason in one sentence, for reports."""
    return _("%(where)s: %(why)s") % {
        "where": describe_location(error),
        "why": describe_reason(error),
    }


class ImportRefused(ValidationError):
    """A file refused whole: `errors` lists the problems found (the first
    MAX_ERRORS of `error_count`), `result` is the check that found them."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        self.report = result.errors
        self.error_count = result.error_count
        shown = [describe_error(e) for e in result.errors[:20]]
        more = result.error_count - len(shown)
        if more > 0:
            shown.append(_("And %(count)s more problems.") % {"count": more})
        super().__init__({"file": shown})


@dataclass
class LoadResult:
    """What an import did: `imported` a new version, or found the content `unchanged`."""

    outcome: str
    version: DatasetVersion
    rows: int
    skipped: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def imported(self) -> bool:
        return self.outcome == "imported"


# ---- lookups -------------------------------------------------------------------------

# The choice sets the import module's fields name, and the choices behind them.
CHOICE_SETS: dict[str, type[models.TextChoices]] = {
    "category": SubmissionCategory,
    "priority": Priority,
    "modality": Modality,
    "status": PledgeStatus,
}


def _choices(choices: type[models.TextChoices]) -> dict[str, str]:
    """Accepted spellings (value, English label; lowercase) -> value."""
    accepted: dict[str, str] = {}
    with translation.override("en"):
        for value, label in choices.choices:
            accepted[str(value).lower()] = str(value)
            accepted[str(label).lower()] = str(value)
    return accepted


def build_lookups() -> Lookups:
    """Codes to ids, from the countries and populations in the database."""
    rows = list(Country.objects.values_list("pk", "iso3", "unhcr_code"))
    return Lookups(
        countries={iso3: pk for pk, iso3, _u in rows},
        populations=dict(Population.objects.values_list("code", "pk")),
        unhcr_codes={unhcr: iso3 for _pk, iso3, unhcr in rows if unhcr},
        group_codes={**UNHCR_GROUP_CODES, **ISO_GROUP_CODES},
        choices={name: _choices(choices) for name, choices in CHOICE_SETS.items()},
        regions=tuple(UnhcrRegion.values),
    )


# ---- step 1: reading and checking -----------------------------------------------------------


def check_file(
    kind: str,
    data: bytes,
    *,
    file_name: str = "",
    mapping: dict[str, int | str | None] | None = None,
    layout: str | None = None,
    progress: Progress | None = None,
) -> CheckResult:
    """Read and check a whole file (no write)."""
    on_rows = None
    if progress is not None:
        report = progress

        def on_rows(done: int, total: int) -> None:
            report(CHECKING, done, total)

    try:
        table = importing.read_table(data, file_name)
    except importing.Unreadable as exc:
        error = RowError(None, None, "", "", "unreadable", params={"detail": str(exc)})
        return CheckResult(kind, importing.db_columns(kind), [], 0, 0, [error], 1, "", {}, layout)
    return importing.check(kind, table, build_lookups(), mapping, layout=layout, progress=on_rows)


# ---- step 2: writing ----------------------------------------------------------------------


def current_version(series: str) -> DatasetVersion | None:
    """The latest completed version of a series."""
    return (
        DatasetVersion.objects.filter(series=series, status=VersionStatus.DONE)
        .order_by("-number")
        .first()
    )


def next_number(series: str) -> int:
    """The number the series' next version gets (pending versions count)."""
    latest = DatasetVersion.objects.filter(series=series).aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def _extra_columns(kind: str, version: DatasetVersion) -> tuple[tuple[str, ...], list[Any]]:
    """Columns every row of a version shares: its version, and for pledges the flag."""
    if kind == DatasetKind.PLEDGES:
        return ("is_illustrative", "version_id"), [version.is_illustrative, version.pk]
    return ("version_id",), [version.pk]


def write_rows(
    kind: str,
    version: DatasetVersion,
    result: CheckResult,
    progress: Progress | None = None,
) -> None:
    """Write a checked file's rows for a version (the caller holds the transaction)."""
    model = MODELS[kind]
    extra_columns, extra_values = _extra_columns(kind, version)
    columns = result.columns + extra_columns
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    lines = result.lines
    total = len(lines)
    if connection.vendor == "postgresql":
        suffix = "".join(
            "\t" + ("t" if v is True else "f" if v is False else str(v)) for v in extra_values
        )
        end = suffix + "\n"
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for start in range(0, total, CHUNK):
                copy.write(end.join(lines[start : start + CHUNK]) + end)
                if progress is not None:
                    progress(WRITING, min(total, start + CHUNK), total)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names from models
    extra = tuple(extra_values)
    with connection.cursor() as cursor:
        for start in range(0, total, CHUNK):
            batch = [
                tuple(None if t == NULL else t for t in line.split("\t")) + extra
                for line in lines[start : start + CHUNK]
            ]
            cursor.executemany(sql, batch)
            if progress is not None:
                progress(WRITING, min(total, start + CHUNK), total)


def write_pledge_extras(version: DatasetVersion, extras: list[str]) -> None:
    """Write the breakdowns and pathway places of a version's pledges (extra lines of
    `importing.check`, keyed by the pledge's state, year and end year; the caller
    holds the transaction and has written the pledges)."""
    ids = {
        importing.pledge_key(state, year, end): pk
        for pk, state, year, end in Pledge.objects.filter(version=version).values_list(
            "pk", "state_id", "year", "end_year"
        )
    }
    breakdowns: list[PledgeBreakdown] = []
    pathways: list[PathwayPlaces] = []
    for line in extras:
        state, year, end, table, kind, value, persons = line.split("\t")
        pledge_id = ids[f"{state}\t{year}\t{end}"]
        if table == importing.BREAKDOWN:
            breakdowns.append(
                PledgeBreakdown(pledge_id=pledge_id, kind=kind, value=value, persons=int(persons))
            )
        else:
            pathways.append(PathwayPlaces(pledge_id=pledge_id, pathway=kind, persons=int(persons)))
    PledgeBreakdown.objects.bulk_create(breakdowns, batch_size=CHUNK)
    PathwayPlaces.objects.bulk_create(pathways, batch_size=CHUNK)


def write_dataset(
    kind: str,
    result: CheckResult,
    *,
    series: str,
    source: str,
    actor: User | None,
    file_name: str = "",
    is_public: bool = True,
    is_illustrative: bool = False,
    note: str = "",
    pending: DatasetVersion | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Save a checked file as the series' next version, or find it unchanged.

    Atomic: the version, its rows and its audit entry are written together.
    A pending version (a background import's progress record) becomes the new
    version, or is deleted when the content is unchanged.
    """
    if not result.ok:
        raise ImportRefused(result)
    started = time.perf_counter()
    if progress is not None:
        progress(WRITING, 0, result.rows)
    with transaction.atomic():
        # Imports into one series wait for one another.
        list(DatasetVersion.objects.select_for_update().filter(series=series).values("pk"))
        current = current_version(series)
        if current is not None and current.kind != kind:
            raise ValidationError(
                {
                    "series": _("The series %(series)s holds another kind of dataset.")
                    % {"series": series}
                }
            )
        if (
            current is not None
            and current.checksum == result.checksum
            and current.is_illustrative == is_illustrative
        ):
            # Not when the pending version *is* the current one: another attempt of
            # the same background import wrote it meanwhile (core.tasks_reliability).
            if pending is not None and pending.pk != current.pk:
                pending.delete()
            return LoadResult("unchanged", current, current.row_count, result.skipped)
        version = pending if pending is not None else DatasetVersion(number=next_number(series))
        version.kind = kind
        version.series = series
        version.source = source[:300]
        version.file_name = file_name[:300]
        version.checksum = result.checksum
        version.row_count = result.rows
        version.rows_done = result.rows
        version.status = VersionStatus.DONE
        version.errors = []
        version.is_public = is_public
        version.is_illustrative = is_illustrative
        version.note = note
        version.created_at = timezone.now()
        version.created_by = actor if actor is not None and actor.pk else None
        version.save()
        write_rows(kind, version, result, progress)
        if result.extras:
            write_pledge_extras(version, result.extras)
        record(
            actor,
            AuditAction.LOAD,
            version,
            None,
            {
                "kind": kind,
                "series": series,
                "number": version.number,
                "source": version.source,
                "file_name": version.file_name,
                "rows": result.rows,
                "skipped": result.skipped,
                "checksum": result.checksum,
                "replaces": current.number if current is not None else None,
                "is_public": is_public,
                "is_illustrative": is_illustrative,
            },
        )
    return LoadResult(
        "imported", version, result.rows, result.skipped, time.perf_counter() - started
    )
