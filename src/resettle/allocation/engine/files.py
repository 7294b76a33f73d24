"""Cases and pledge lines from CSV files, and the result to CSV (docs/allocation-engine.md).

Cases (one family a row; * = required):
  id*, persons* (1-15), nationality*, asylum*, priority* (emergency|urgent|normal),
  submitted* (YYYY-MM-DD), situation, category, secondary_category,
  flags (semicolon-separated: medical_needs;serious_medical;disability;
  unaccompanied_child;woman_at_risk), languages (semicolon-separated), link
  (cases with the same link go to one State), interview_possible (yes|no, empty = yes).

Pledge lines (one a row):
  id*, state*, capacity* (persons), nationalities, asylums, situations,
  categories, priorities (semicolon-separated; empty = any), modality
  (dossier|interview, empty = interview), max_serious_medical_cases (empty =
  no cap), max_family_size (empty = none), reserved_urgent (empty = 0),
  preferences ("attribute:value=weight;..." with attribute one of
  nationality, asylum, situation, category, language, flag).

Every problem is collected, with its row (1 = the first row after the
header) and column, and a file with any problem is refused whole
(FileFormatError); nothing is returned from it.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from resettle.allocation.engine.explain import explanation_text
from resettle.allocation.engine.model import (
    Case,
    Flag,
    Instance,
    Modality,
    PledgeLine,
    Preference,
    Priority,
    Result,
    Weights,
)

CASE_COLUMNS = (
    "id",
    "persons",
    "nationality",
    "asylum",
    "priority",
    "submitted",
    "situation",
    "category",
    "secondary_category",
    "flags",
    "languages",
    "link",
    "interview_possible",
)
CASE_REQUIRED = ("id", "persons", "nationality", "asylum", "priority", "submitted")
LINE_COLUMNS = (
    "id",
    "state",
    "capacity",
    "nationalities",
    "asylums",
    "situations",
    "categories",
    "priorities",
    "modality",
    "max_serious_medical_cases",
    "max_family_size",
    "reserved_urgent",
    "preferences",
)
LINE_REQUIRED = ("id", "state", "capacity")
RESULT_COLUMNS = ("case_id", "state", "line", "reason", "explanation")
PREFERENCE_ATTRIBUTES = ("nationality", "asylum", "situation", "category", "language", "flag")
MAX_PERSONS = 15
PRIORITY_NAMES = {
    "emergency": Priority.EMERGENCY,
    "urgent": Priority.URGENT,
    "normal": Priority.NORMAL,
}
YES = {"yes", "true", "1", "y", ""}
NO = {"no", "false", "0", "n"}

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One problem of a file: its row (1 = first row after the header; None: the file), column."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = "header" if self.row is None else f"row {self.row}"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class FileFormatError(ValueError):
    """A file refused, with every problem found in it."""

    def __init__(self, problems: list[Problem], name: str = "") -> None:
        self.problems = problems
        self.name = name
        prefix = f"{name}: " if name else ""
        super().__init__("\n".join(prefix + str(p) for p in problems))


class _Rows:
    """The rows of a CSV text as dicts, with the header checked."""

    def __init__(self, text: str, columns: tuple[str, ...], required: tuple[str, ...]) -> None:
        self.problems: list[Problem] = []
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        rows = [r for r in reader if any(cell.strip() for cell in r)]
        self.rows: list[tuple[int, dict[str, str]]] = []
        if not rows:
            self.problems.append(Problem(None, "", "the file is empty: no header row"))
            return
        header = [h.strip().lower() for h in rows[0]]
        for name in header:
            if name not in columns:
                known = ", ".join(columns)
                self.problems.append(Problem(None, name, f"unknown column (known: {known})"))
            elif header.count(name) > 1:
                self.problems.append(Problem(None, name, "column given twice"))
        for name in required:
            if name not in header:
                self.problems.append(Problem(None, name, "required column missing"))
        if self.problems:
            return
        for number, raw in enumerate(rows[1:], start=1):
            if len(raw) > len(header):
                self.problems.append(
                    Problem(number, "", f"{len(raw)} fields, but the header has {len(header)}")
                )
                continue
            cells = [c.strip() for c in raw] + [""] * (len(header) - len(raw))
            self.rows.append((number, dict(zip(header, cells, strict=True))))

    def field(
        self, row: int, values: dict[str, str], column: str, parse: Callable[[str], T]
    ) -> T | None:
        """The parsed value of a cell, or None with a problem recorded."""
        try:
            return parse(values.get(column, ""))
        except ValueError as exc:
            self.problems.append(Problem(row, column, str(exc)))
            return None


def _required_text(value: str) -> str:
    if not value:
        raise ValueError("required, but empty")
    return value


def _int_range(
    low: int, high: int | None, *, empty: int | None = None
) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        if value == "" and empty is not None:
            return empty
        if value == "":
            raise ValueError("required, but empty")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"not a whole number: {value!r}") from None
        if number < low or (high is not None and number > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise ValueError(f"must be {bounds} (got {number})")
        return number

    return parse


def _optional_int(low: int) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        if value == "":
            return None
        return _int_range(low, None)(value)

    return parse


def _priority(value: str) -> Priority:
    got = PRIORITY_NAMES.get(value.lower())
    if got is None:
        raise ValueError(f"must be emergency, urgent or normal (got {value!r})")
    return got


def _date(value: str) -> int:
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value).toordinal()
    except ValueError:
        raise ValueError(f"not a date as YYYY-MM-DD: {value!r}") from None


def _items(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _flags(value: str) -> frozenset[str]:
    known = {f.value for f in Flag}
    items = _items(value)
    unknown = [v for v in items if v not in known]
    if unknown:
        raise ValueError(
            f"unknown flag {', '.join(map(repr, unknown))} (known: {', '.join(sorted(known))})"
        )
    return frozenset(items)


def _yes_no(value: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise ValueError(f"must be yes or no (got {value!r})")


def _set_or_any(value: str) -> frozenset[str] | None:
    items = _items(value)
    return frozenset(items) if items else None


def _priorities(value: str) -> frozenset[Priority]:
    items = _items(value)
    if not items:
        return frozenset(Priority)
    return frozenset(_priority(v) for v in items)


def _modality(value: str) -> Modality:
    if value == "":
        return Modality.INTERVIEW
    try:
        return Modality(value.lower())
    except ValueError:
        raise ValueError(f"must be dossier or interview (got {value!r})") from None


def _preferences(value: str) -> tuple[Preference, ...]:
    prefs: list[Preference] = []
    for item in _items(value):
        head, eq, weight_text = item.rpartition("=")
        attribute, colon, pref_value = head.partition(":")
        if not eq or not colon or not pref_value.strip():
            raise ValueError(f"{item!r} is not attribute:value=weight")
        attribute = attribute.strip().lower()
        if attribute not in PREFERENCE_ATTRIBUTES:
            raise ValueError(
                f"unknown attribute {attribute!r} in {item!r} "
                f"(known: {', '.join(PREFERENCE_ATTRIBUTES)})"
            )
        try:
            weight = float(weight_text)
        except ValueError:
            raise ValueError(f"weight {weight_text!r} in {item!r} is not a number") from None
        if not math.isfinite(weight):
            raise ValueError(f"weight {weight_text!r} in {item!r} is not a finite number")
        prefs.append(Preference(attribute, pref_value.strip(), weight))
    return tuple(prefs)


def read_cases(text: str) -> list[Case]:
    """The cases of a CSV text; FileFormatError with every problem if any."""
    rows = _Rows(text, CASE_COLUMNS, CASE_REQUIRED)
    cases: list[Case] = []
    first_row: dict[str, int] = {}
    for row, values in rows.rows:
        before = len(rows.problems)
        case_id = rows.field(row, values, "id", _required_text)
        if case_id is not None:
            if case_id in first_row:
                rows.problems.append(
                    Problem(row, "id", f"{case_id!r} already given on row {first_row[case_id]}")
                )
            else:
                first_row[case_id] = row
        persons = rows.field(row, values, "persons", _int_range(1, MAX_PERSONS))
        nationality = rows.field(row, values, "nationality", _required_text)
        asylum = rows.field(row, values, "asylum", _required_text)
        priority = rows.field(row, values, "priority", _priority)
        submitted = rows.field(row, values, "submitted", _date)
        flags = rows.field(row, values, "flags", _flags)
        interview = rows.field(row, values, "interview_possible", _yes_no)
        # A None value always comes with a problem; the test also narrows the types.
        if (
            len(rows.problems) > before
            or case_id is None
            or persons is None
            or nationality is None
            or asylum is None
            or priority is None
            or submitted is None
            or flags is None
            or interview is None
        ):
            continue
        cases.append(
            Case(
                id=case_id,
                persons=persons,
                nationality=nationality,
                asylum=asylum,
                priority=priority,
                submitted_day=submitted,
                situation=values.get("situation", ""),
                category=values.get("category", ""),
                secondary_category=values.get("secondary_category", ""),
                flags=flags,
                languages=frozenset(_items(values.get("languages", ""))),
                link=values.get("link", ""),
                interview_possible=interview,
            )
        )
    if rows.problems:
        raise FileFormatError(rows.problems)
    return cases


def read_lines(text: str) -> list[PledgeLine]:
    """The pledge lines of a CSV text; FileFormatError with every problem if any."""
    rows = _Rows(text, LINE_COLUMNS, LINE_REQUIRED)
    lines: list[PledgeLine] = []
    first_row: dict[str, int] = {}
    for row, values in rows.rows:
        before = len(rows.problems)
        line_id = rows.field(row, values, "id", _required_text)
        if line_id is not None:
            if line_id in first_row:
                rows.problems.append(
                    Problem(row, "id", f"{line_id!r} already given on row {first_row[line_id]}")
                )
            else:
                first_row[line_id] = row
        state = rows.field(row, values, "state", _required_text)
        capacity = rows.field(row, values, "capacity", _int_range(0, None))
        priorities = rows.field(row, values, "priorities", _priorities)
        modality = rows.field(row, values, "modality", _modality)
        serious = rows.field(row, values, "max_serious_medical_cases", _optional_int(0))
        family = rows.field(row, values, "max_family_size", _optional_int(1))
        reserved = rows.field(row, values, "reserved_urgent", _int_range(0, None, empty=0))
        prefs = rows.field(row, values, "preferences", _preferences)
        if reserved and capacity is not None and reserved > capacity:
            rows.problems.append(
                Problem(row, "reserved_urgent", f"{reserved} is more than the capacity {capacity}")
            )
        if (
            reserved
            and priorities is not None
            and not (priorities & {Priority.EMERGENCY, Priority.URGENT})
        ):
            rows.problems.append(
                Problem(
                    row,
                    "reserved_urgent",
                    "places reserved for emergency and urgent cases on a line that takes neither",
                )
            )
        if (
            len(rows.problems) > before
            or line_id is None
            or state is None
            or capacity is None
            or priorities is None
            or modality is None
            or prefs is None
        ):
            continue
        lines.append(
            PledgeLine(
                id=line_id,
                state=state,
                capacity=capacity,
                nationalities=_set_or_any(values.get("nationalities", "")),
                asylums=_set_or_any(values.get("asylums", "")),
                situations=_set_or_any(values.get("situations", "")),
                categories=_set_or_any(values.get("categories", "")),
                priorities=priorities,
                modality=modality,
                max_serious_medical_cases=serious,
                max_family_size=family,
                reserved_urgent=reserved or 0,
                preferences=prefs,
            )
        )
    if rows.problems:
        raise FileFormatError(rows.problems)
    return lines


class InputError(ValueError):
    """Input files refused: every problem of every file, each naming its file."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


def _read_text(path: Path, problems: list[str]) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text")
    return None


def load_instance(
    cases_path: Path,
    lines_path: Path,
    today: datetime.date,
    weights: Weights | None = None,
) -> Instance:
    """The instance of a cases file and a pledges file; InputError with both files' problems."""
    messages: list[str] = []
    cases: list[Case] = []
    lines: list[PledgeLine] = []
    for path, reader, sink in (
        (cases_path, read_cases, cases),
        (lines_path, read_lines, lines),
    ):
        text = _read_text(path, messages)
        if text is None:
            continue
        try:
            sink.extend(reader(text))  # type: ignore[arg-type]
        except FileFormatError as exc:
            messages.extend(f"{path.name}: {p}" for p in exc.problems)
    if messages:
        raise InputError(messages)
    return Instance(
        cases=tuple(cases),
        lines=tuple(lines),
        today=today.toordinal(),
        weights=weights or Weights(),
    )


def result_rows(instance: Instance, result: Result) -> Iterable[list[str]]:
    """The result table: header, then one row per case in the instance's order."""
    yield list(RESULT_COLUMNS)
    state_of = {line.id: line.state for line in instance.lines}
    for case in instance.cases:
        explanation = result.explanations[case.id]
        line_id = result.assignment.get(case.id, "")
        yield [
            case.id,
            state_of.get(line_id, ""),
            line_id,
            str(explanation.reason),
            explanation_text(explanation, state_of),
        ]


def write_result(path: Path, instance: Instance, result: Result) -> None:
    """Write the result table as CSV (UTF-8)."""
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(result_rows(instance, result))
