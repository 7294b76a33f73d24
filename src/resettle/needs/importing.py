"""Reading needs, pledges and departures files into checked rows (no Django here).

A file (CSV, XLSX, or CSV tagged with HXL hashtags) becomes a `Table`: its
column headers, its hashtags, and an iterator over its data rows as lists of
text. `check()` maps the columns to the fields of a dataset kind, checks every
row and turns each into one line of normalised values (the text format of
PostgreSQL's COPY: tab-separated, `\\N` for an empty value), with the
references already resolved to database ids from the plain lookup dicts it is
fed (`Lookups`). Nothing here touches the database: `needs.loader` feeds the
lookups in and writes the lines out.

Every problem is reported with its data row (1-based, the first row after the
header), its line in the file, the column as the file names it, and a reason
code (`REASONS`); the caller turns codes into sentences in the reader's
language. A file with any problem is refused whole.

The checksum of a result is computed over the sorted lines, so the same rows
in another order, spelled differently (`deu` or `DEU`, `1,200` or `1200`), or
exported and imported again, count as the same content.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# The kinds of dataset a file can hold (DatasetKind values).
NEEDS, PLEDGES, FLOWS = "needs", "pledges", "flows"
KINDS = (NEEDS, PLEDGES, FLOWS)

# The Refugee Data Finder's "solutions" layout: resettlement arrivals.
RDF = "rdf"
LAYOUTS = (RDF,)
RDF_HEADER = ("year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso")

YEAR_MIN, YEAR_MAX = 1950, 2100
COUNT_MAX = 2_147_483_647  # PostgreSQL integer
NULL = "\\N"  # an empty value, as COPY reads it
MAX_ERRORS = 1000  # problems reported in detail; the rest are only counted
PROGRESS_EVERY = 10_000  # rows between two progress reports

# Reason codes of RowError.code, with the values each one's `params` names.
REASONS = {
    "missing_column": "no column of the file is mapped to a required field",
    "unknown_column": "the mapping names a column the file does not have",
    "unknown_field": "the mapping names a field the dataset does not have",
    "missing_value": "a required cell is empty",
    "not_a_number": "the cell is not a number",
    "not_whole": "the cell is a number with a fraction",
    "negative": "the number is negative",
    "too_large": "the number is too large",
    "year_range": "the year is out of range (min, max)",
    "unknown_country": "no country has this ISO code",
    "unknown_unhcr_country": "no country has this UNHCR code",
    "unknown_population": "no population has this code",
    "unknown_choice": "not one of the values the field accepts (choices)",
    "duplicate": "another row has the same key (other: that row, key: the key fields)",
    "no_figures": "neither submitted nor departed is given",
    "end_before_start": "the last year is before the first (year)",
    "exceeds_persons": "more places than pledged (persons)",
    "breakdowns_exceed": "a pledge's breakdowns of one kind add up to more than pledged "
    "(kind, persons)",
    "missing_name": "a breakdown column names no situation, region or country",
    "too_long": "the name is longer than the field holds (max)",
    "unknown_region": "no UNHCR region has this name (choices)",
    "duplicate_column": "another column holds the same breakdown or pathway (other)",
    "empty_file": "the file has no header row",
    "no_rows": "the file has no data rows",
    "unreadable": "the file cannot be read (detail)",
    "wrong_layout": "the layout does not hold this kind of dataset (layout)",
}


class Bad(Exception):
    """A cell's value is refused (raised by the converters, caught by `check`)."""

    def __init__(self, code: str, value: str = "", **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.value = value
        self.params = params


# ---- fields of each kind ------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One field of a dataset kind, as a file provides it.

    `type` is one of year, count, country, population, choice. `key` fields
    together identify a row (two rows with the same key are refused).
    `column` is the database column the value goes to. `hxl` lists the HXL
    hashtags that map to it, `aliases` other header names. `unhcr` says that a
    companion field `<name>_unhcr` may give UNHCR's own country code instead.
    """

    name: str
    type: str
    column: str
    required: bool = False
    key: bool = False
    hxl: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    default: str = NULL
    choices: str = ""
    unhcr: bool = False


def _year(name: str = "year", *, required: bool = True, key: bool = True, **kw: Any) -> FieldSpec:
    return FieldSpec(name, "year", name, required=required, key=key, **kw)


_CATEGORY = FieldSpec(
    "category",
    "choice",
    "category",
    key=True,
    default="",
    choices="category",
    hxl=("#meta+category", "#indicator+category"),
    aliases=("submission_category",),
)
_PRIORITY = FieldSpec(
    "priority",
    "choice",
    "priority",
    key=True,
    default="",
    choices="priority",
    hxl=("#meta+priority", "#severity"),
    aliases=("submission_priority",),
)
_ASYLUM = FieldSpec(
    "asylum",
    "country",
    "asylum_id",
    key=True,
    unhcr=True,
    hxl=("#country+code+asylum",),
    aliases=("country_of_asylum", "asylum_country", "host", "host_country", "coa_host"),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    NEEDS: (
        _year(hxl=("#date+year",)),
        FieldSpec(
            "population",
            "population",
            "population_id",
            required=True,
            key=True,
            unhcr=True,
            hxl=("#population+code", "#country+code+origin"),
            aliases=("nationality", "origin", "country_of_origin", "coo_iso"),
        ),
        _ASYLUM,
        _CATEGORY,
        _PRIORITY,
        FieldSpec(
            "persons",
            "count",
            "persons",
            required=True,
            hxl=("#inneed", "#affected+refugees", "#affected+inneed"),
            aliases=("persons_in_need", "in_need", "need", "needs"),
        ),
    ),
    PLEDGES: (
        FieldSpec(
            "state",
            "country",
            "state_id",
            required=True,
            key=True,
            unhcr=True,
            hxl=("#country+code+resettlement", "#country+code"),
            aliases=("resettlement_state", "country", "resettlement_country"),
        ),
        _year(hxl=("#date+year",), aliases=("start_year",)),
        _year("end_year", required=False, hxl=("#date+year+end",), aliases=("last_year",)),
        FieldSpec(
            "persons",
            "count",
            "persons",
            required=True,
            hxl=("#capacity+places", "#targeted"),
            aliases=("places", "quota", "places_pledged", "pledged"),
        ),
        FieldSpec(
            "emergency_urgent_places",
            "count",
            "emergency_urgent_places",
            default="0",
            hxl=("#capacity+places+urgent",),
            aliases=("emergency_urgent", "urgent_places", "emergency_places"),
        ),
        FieldSpec(
            "unallocated_places",
            "count",
            "unallocated_places",
            default="0",
            hxl=("#capacity+places+unallocated",),
            aliases=("unallocated",),
        ),
        FieldSpec(
            "modality",
            "choice",
            "modality",
            default="",
            choices="modality",
            hxl=("#modality",),
            aliases=("processing_modality",),
        ),
        FieldSpec(
            "status",
            "choice",
            "status",
            default="planning",
            choices="status",
            hxl=("#status",),
            aliases=("pledge_status",),
        ),
    ),
    FLOWS: (
        _year(hxl=("#date+year",)),
        FieldSpec(
            "origin",
            "population",
            "origin_id",
            required=True,
            key=True,
            unhcr=True,
            hxl=("#country+code+origin", "#population+code"),
            aliases=("country_of_origin", "nationality", "population", "coo_iso"),
        ),
        _ASYLUM,
        FieldSpec(
            "resettlement_state",
            "country",
            "resettlement_state_id",
            required=True,
            key=True,
            unhcr=True,
            hxl=("#country+code+resettlement", "#country+code+resettlement_state"),
            aliases=(
                "state",
                "resettlement_country",
                "country_of_resettlement",
                "coa_iso",
            ),
        ),
        _CATEGORY,
        _PRIORITY,
        FieldSpec(
            "submitted",
            "count",
            "submitted",
            hxl=("#affected+submitted",),
            aliases=("persons_submitted", "submissions"),
        ),
        FieldSpec(
            "departed",
            "count",
            "departed",
            hxl=("#affected+departed", "#affected+refugees", "#reached"),
            aliases=("persons_departed", "departures", "arrivals", "resettlement"),
        ),
        FieldSpec(
            "departed_within_6_months",
            "count",
            "departed_within_6_months",
            hxl=("#affected+departed+within_6_months",),
            aliases=("within_6_months", "departed_6_months"),
        ),
    ),
}

# What the Refugee Data Finder's columns are (header names of its CSV).
RDF_MAPPING = {
    "year": "year",
    "origin": "coo_iso",
    "origin_unhcr": "coo",
    "resettlement_state": "coa_iso",
    "resettlement_state_unhcr": "coa",
    "departed": "resettlement",
}


def key_fields(kind: str) -> tuple[str, ...]:
    """The fields that identify a row of a kind."""
    return tuple(f.name for f in FIELDS[kind] if f.key)


def db_columns(kind: str) -> tuple[str, ...]:
    """The database columns of a checked line, in order: the key fields first."""
    specs = FIELDS[kind]
    return tuple(f.column for f in specs if f.key) + tuple(f.column for f in specs if not f.key)


def mapping_targets(kind: str) -> list[tuple[str, FieldSpec, bool]]:
    """Every field a column can be mapped to: (target name, field, is the UNHCR companion)."""
    targets: list[tuple[str, FieldSpec, bool]] = []
    for spec in FIELDS[kind]:
        targets.append((spec.name, spec, False))
        if spec.unhcr:
            targets.append((f"{spec.name}_unhcr", spec, True))
    return targets


def _companion_hxl(spec: FieldSpec) -> tuple[str, ...]:
    return tuple(f"{tag}+unhcr" for tag in spec.hxl if tag.startswith("#country"))


def _companion_aliases(spec: FieldSpec) -> tuple[str, ...]:
    names = {"origin": ("coo",), "population": ("coo",), "resettlement_state": ("coa",)}
    return (f"{spec.name}_unhcr_code", *names.get(spec.name, ()))


# ---- reading files ------------------------------------------------------------------


@dataclass
class Table:
    """A file's columns and an iterator over its data rows (lists of text)."""

    columns: list[str]
    hashtags: list[str]
    rows: Iterator[list[str]]
    header_lines: int
    estimated_rows: int
    source_format: str
    line_of: Callable[[int], int] = field(repr=False)

    @property
    def width(self) -> int:
        return len(self.columns)

    def column_label(self, index: int) -> str:
        """How the report names a column: its header, else its hashtag, else its letter."""
        if 0 <= index < len(self.columns) and self.columns[index]:
            return self.columns[index]
        if 0 <= index < len(self.hashtags) and self.hashtags[index]:
            return self.hashtags[index]
        return column_letter(index)


class Unreadable(Exception):
    """The file is not a CSV or XLSX file this module can read."""


def column_letter(index: int) -> str:
    """A spreadsheet column letter: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normalise_header(name: str) -> str:
    """Header names compared loosely: `Country of asylum` = `country_of_asylum`."""
    return re.sub(r"[^0-9a-z#+]+", "_", name.strip().lstrip("\ufeff").lower()).strip("_")


def normalise_hashtag(tag: str) -> str:
    """An HXL hashtag with its attributes, lowercase and without spaces."""
    return re.sub(r"\s+", "", tag).lower()


def _is_hashtag_row(row: Sequence[str]) -> bool:
    cells = [c.strip() for c in row if c and c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def read_table(data: bytes, file_name: str = "") -> Table:
    """Open a CSV or XLSX file (told apart by content) as a Table.

    Raises Unreadable for a file that is neither.
    """
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    return _read_csv(data)


def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"  # spreadsheets on Windows save CSV in their code page
    return "utf-8-sig"


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise Unreadable("binary")
    encoding = _encoding(data)
    end = data.find(b"\n")
    first_line = (data[:end] if end >= 0 else data).decode(encoding, errors="replace")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    # Decoded as it is read: a StringIO copy of a large file costs up to 4 bytes a character.
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    estimated = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    buffered: list[list[str]] = []
    try:
        first = next(reader, None)
        while first is not None and not any(c.strip() for c in first):
            first = next(reader, None)  # blank lines above the header
        if first is None:
            return Table([], [], iter(()), 0, 0, "csv", lambda n: 0)
        header_lines = reader.line_num
        columns, hashtags = [c.strip() for c in first], []
        if _is_hashtag_row(first):
            columns, hashtags = ["" for _ in first], [normalise_hashtag(c) for c in first]
        else:
            second = next(reader, None)
            if second is not None and _is_hashtag_row(second):
                hashtags = [normalise_hashtag(c) for c in second]
                header_lines = reader.line_num
            elif second is not None:
                buffered = [second]
    except csv.Error as exc:
        raise Unreadable(str(exc)) from exc
    width = max(len(columns), len(hashtags))
    columns += [""] * (width - len(columns))
    hashtags += [""] * (width - len(hashtags))
    return Table(
        columns,
        hashtags,
        itertools.chain(buffered, reader),
        header_lines,
        max(0, estimated - header_lines),
        "csv",
        # Rows are checked as they are read, so the reader's current line is the row's.
        lambda n: reader.line_num,
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # noqa: PLC0415 - only needed for XLSX files

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise Unreadable(str(exc) or exc.__class__.__name__) from exc
    sheet = book.worksheets[0]
    raw = sheet.iter_rows(values_only=True)
    header_lines = 0
    first: list[str] | None = None
    for values in raw:
        header_lines += 1
        cells = [_cell_text(v) for v in values]
        if any(cells):
            first = cells
            break
    if first is None:
        book.close()
        return Table([], [], iter(()), 0, 0, "xlsx", lambda n: 0)
    columns, hashtags = first, []
    buffered: list[list[str]] = []
    if _is_hashtag_row(first):
        columns, hashtags = ["" for _ in first], [normalise_hashtag(c) for c in first]
    else:
        second = next(raw, None)
        if second is not None:
            cells = [_cell_text(v) for v in second]
            if _is_hashtag_row(cells):
                hashtags = [normalise_hashtag(c) for c in cells]
                header_lines += 1
            else:
                buffered = [cells]
    while columns and not columns[-1] and not (hashtags and hashtags[len(columns) - 1]):
        columns.pop()  # empty cells right of the header
    width = len(columns)
    hashtags = (hashtags + [""] * width)[:width]
    estimated = max(0, (sheet.max_row or 0) - header_lines)

    def rows() -> Iterator[list[str]]:
        try:
            yield from buffered
            for values in raw:
                yield [_cell_text(v) for v in values[:width]]
        finally:
            book.close()

    return Table(
        columns, hashtags, rows(), header_lines, estimated, "xlsx", lambda n: header_lines + n
    )


def table_from_rows(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    hashtags: Sequence[str] = (),
    header_lines: int = 1,
    lines: Sequence[int] | None = None,
) -> Table:
    """A Table over rows already in memory (tests, previews)."""
    data = [list(r) for r in rows]
    width = len(columns)
    return Table(
        list(columns),
        (list(hashtags) + [""] * width)[:width] if hashtags else [""] * width,
        iter(data),
        header_lines,
        len(data),
        "rows",
        (lambda n: lines[n - 1]) if lines is not None else (lambda n: header_lines + n),
    )


# ---- mapping columns to fields --------------------------------------------------------


def detect_layout(table: Table) -> str | None:
    """`rdf` for the Refugee Data Finder's layout, None for a generic file."""
    names = tuple(normalise_header(c) for c in table.columns[: len(RDF_HEADER)])
    return RDF if names == RDF_HEADER else None


def _hxl_parts(tag: str) -> tuple[str, frozenset[str]]:
    name, *attributes = normalise_hashtag(tag).split("+")
    return name, frozenset(attributes)


def guess_mapping(kind: str, table: Table, layout: str | None = None) -> dict[str, int]:
    """Which column feeds which field, from the layout, the hashtags and the header names.

    Exact hashtags win over header names, header names over aliases, and those
    over hashtags that merely carry extra attributes; a column feeds one field.
    """
    headers = [normalise_header(c) for c in table.columns]
    if layout == RDF:
        return {
            target: headers.index(column)
            for target, column in RDF_MAPPING.items()
            if column in headers
        }
    tags = [_hxl_parts(t) if t else None for t in table.hashtags]
    mapping: dict[str, int] = {}
    used: set[int] = set()

    def claim(target: str, index: int | None) -> None:
        if index is not None and target not in mapping and index not in used:
            mapping[target] = index
            used.add(index)

    targets = mapping_targets(kind)

    def patterns(spec: FieldSpec, companion: bool) -> tuple[str, ...]:
        return _companion_hxl(spec) if companion else spec.hxl

    def names(target: str, spec: FieldSpec, companion: bool) -> tuple[str, ...]:
        return _companion_aliases(spec) if companion else (target, *spec.aliases)

    for target, spec, companion in targets:  # exact hashtags
        for pattern in patterns(spec, companion):
            wanted = _hxl_parts(pattern)
            claim(target, next((i for i, t in enumerate(tags) if t == wanted), None))
    for target, spec, companion in targets:  # header names, then aliases
        for name in names(target, spec, companion):
            claim(target, next((i for i, h in enumerate(headers) if h == name), None))
    for target, spec, companion in targets:  # hashtags with extra attributes
        for pattern in patterns(spec, companion):
            tag, attributes = _hxl_parts(pattern)
            claim(
                target,
                next(
                    (
                        i
                        for i, t in enumerate(tags)
                        if t and i not in used and t[0] == tag and attributes <= t[1]
                    ),
                    None,
                ),
            )
    return mapping


def resolve_mapping(
    kind: str,
    table: Table,
    mapping: Mapping[str, int | str | None] | None,
    layout: str | None,
) -> tuple[dict[str, int], list[RowError]]:
    """The guessed mapping, overridden by the one given (field -> column index, header
    name or hashtag; None or "" unmaps the field); and the problems with the given one."""
    resolved = guess_mapping(kind, table, layout)
    errors: list[RowError] = []
    if not mapping:
        return resolved, errors
    targets = {name for name, _spec, _c in mapping_targets(kind)}
    headers = [normalise_header(c) for c in table.columns]
    for target, column in mapping.items():
        if target not in targets:
            errors.append(RowError(None, None, str(column or ""), target, "unknown_field"))
            continue
        if column is None or column == "":
            resolved.pop(target, None)
            continue
        index: int | None
        if isinstance(column, int):
            index = column if 0 <= column < table.width else None
        elif column.strip().startswith("#"):
            wanted = normalise_hashtag(column)
            index = table.hashtags.index(wanted) if wanted in table.hashtags else None
        elif column.strip().isdigit():
            index = int(column)
            index = index if index < table.width else None
        else:
            name = normalise_header(column)
            index = headers.index(name) if name in headers else None
        if index is None:
            errors.append(RowError(None, None, str(column), target, "unknown_column"))
        else:
            resolved[target] = index
    return resolved, errors


# ---- checking rows ------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """Plain dicts from the database: codes to ids, and the accepted choice values.

    `countries`: ISO alpha-3 -> country id. `populations`: population code (ISO
    alpha-3 or a group code such as ROHINGYA) -> population id. `unhcr_codes`:
    UNHCR's country code -> ISO alpha-3 (UNHCR's AUS is Austria, AUT).
    `group_codes`: codes that are no ISO country (UNHCR's UKN, TIB, STA...) ->
    population code. `choices`: choice set -> {accepted spelling, lowercase:
    stored value}. `regions`: the names of UNHCR's regions (pledge breakdowns
    by region; empty accepts any name).
    """

    countries: Mapping[str, int]
    populations: Mapping[str, int]
    unhcr_codes: Mapping[str, str] = field(default_factory=dict)
    group_codes: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    regions: Sequence[str] = ()


@dataclass
class RowError:
    """One problem: where (row, line, column) and why (code, value, params).

    `row` is the 1-based data row and `line` the line of the file (None for a
    problem with the file as a whole); `column` names the column as the file
    does, `index` is its position (-1 when no column is concerned).
    """

    row: int | None
    line: int | None
    column: str
    field: str
    code: str
    value: str = ""
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    index: int = -1

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, for task results."""
        return {
            "row": self.row,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "code": self.code,
            "value": self.value,
            "params": dict(self.params),
            "index": self.index,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowError:
        """The inverse of as_dict."""
        row, line, index = data.get("row"), data.get("line"), data.get("index", -1)
        return cls(
            int(row) if row is not None else None,
            int(line) if line is not None else None,
            str(data.get("column", "")),
            str(data.get("field", "")),
            str(data.get("code", "")),
            str(data.get("value", "")),
            {str(k): str(v) for k, v in dict(data.get("params") or {}).items()},
            int(index) if index is not None else -1,
        )


@dataclass
class CheckResult:
    """The outcome of checking a file: its lines, or why it is refused."""

    kind: str
    columns: tuple[str, ...]
    lines: list[str]
    rows: int
    skipped: int
    errors: list[RowError]
    error_count: int
    checksum: str
    mapping: dict[str, int]
    layout: str | None
    extras: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return self.error_count == 0


Converter = Callable[[list[str]], str]
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+")


def _count_token(cell: str) -> str:
    """A count's normalised text ("" when empty); Bad for anything but a whole number >= 0."""
    s = cell.strip()
    if s.isdigit() and s.isascii():
        if len(s) > 9 and int(s) > COUNT_MAX:
            raise Bad("too_large", s)
        return s if s[0] != "0" or s == "0" else str(int(s))
    if not s:
        return ""
    compact = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("_", "")
    if _THOUSANDS.fullmatch(compact):
        compact = compact.replace(",", "")
    negative = compact.startswith("-")
    digits = compact[1:] if negative else compact
    try:
        number = float(digits)
    except ValueError:
        raise Bad("not_a_number", s) from None
    if number != number or number in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN
        raise Bad("not_a_number", s)
    if negative and number != 0:
        raise Bad("negative", s)
    if not number.is_integer():
        raise Bad("not_whole", s)
    if number > COUNT_MAX:
        raise Bad("too_large", s)
    return str(int(number))


def _year_token(cell: str) -> str:
    """A year's text ("" when empty); Bad unless a whole number in range."""
    s = cell.strip()
    if not s:
        return ""
    try:
        year = int(s)
    except ValueError:
        year = int(_count_token(s))  # 2024.0 from a spreadsheet, or Bad
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Bad("year_range", s, min=str(YEAR_MIN), max=str(YEAR_MAX))
    return str(year)


def _reference_tables(spec: FieldSpec, lookups: Lookups) -> tuple[dict[str, str], dict[str, str]]:
    """Code -> id (as text) by ISO code, and by UNHCR's code, for a country or population."""
    if spec.type == "population":
        by_iso = {code: str(pk) for code, pk in lookups.populations.items()}
        for code, group in lookups.group_codes.items():
            if group in lookups.populations:
                by_iso.setdefault(code, str(lookups.populations[group]))
    else:
        by_iso = {code: str(pk) for code, pk in lookups.countries.items()}
    by_unhcr = {u: by_iso[iso3] for u, iso3 in lookups.unhcr_codes.items() if iso3 in by_iso}
    if spec.type == "population":
        for code, group in lookups.group_codes.items():
            if group in lookups.populations:
                by_unhcr.setdefault(code, str(lookups.populations[group]))
    return by_iso, by_unhcr


def _choice_table(spec: FieldSpec, lookups: Lookups) -> dict[str, str]:
    """Accepted spellings -> stored value: the lowercase ones given, and the values."""
    accepted = dict(lookups.choices.get(spec.choices, {}))
    accepted.update({value: value for value in set(accepted.values())})
    return accepted


def _make_converter(
    spec: FieldSpec, index: int | None, companion: int | None, lookups: Lookups
) -> Converter:
    """A function from a row to the field's token, raising Bad for a refused cell."""
    required, default = spec.required, spec.default

    def empty() -> str:
        if required:
            raise Bad("missing_value")
        return default

    if spec.type == "year":
        years: dict[str, str] = {}

        def year(row: list[str]) -> str:
            cell = row[index] if index is not None else ""
            token = years.get(cell)
            if token is None:
                token = _year_token(cell)
                if len(years) < 1000:
                    years[cell] = token
            return token or empty()

        return year

    if spec.type == "count":

        def count(row: list[str]) -> str:
            cell = row[index] if index is not None else ""
            if cell.isdigit() and cell.isascii() and len(cell) < 10 and cell[0] != "0":
                return cell  # the common case, already normalised
            return _count_token(cell) or empty()

        return count

    if spec.type == "choice":
        accepted = _choice_table(spec, lookups)
        quoted = ", ".join(sorted(set(accepted.values())))

        def choice(row: list[str]) -> str:
            cell = row[index] if index is not None else ""
            token = accepted.get(cell)
            if token is not None:
                return token
            s = cell.strip()
            if not s:
                return empty()
            token = accepted.get(s.lower())
            if token is None:
                raise Bad("unknown_choice", s, choices=quoted)
            return token

        return choice

    # A country or population, by ISO code; a companion column may give UNHCR's code.
    by_iso, by_unhcr = _reference_tables(spec, lookups)
    unknown = "unknown_population" if spec.type == "population" else "unknown_country"

    def reference(row: list[str]) -> str:
        cell = row[index] if index is not None else ""
        token = by_iso.get(cell)
        if token is not None:
            return token
        s = cell.strip().upper()
        if s:
            token = by_iso.get(s)
            if token is None:
                raise Bad(unknown, cell.strip())
            return token
        if companion is not None:
            u = row[companion].strip().upper()
            if u:
                token = by_unhcr.get(u)
                if token is None:
                    raise Bad("unknown_unhcr_country", row[companion].strip())
                return token
        return empty()

    return reference


# A problem found across the fields of a row: (field, code, value, params).
Problem = tuple[str, str, str, dict[str, str]]


def _cross_check(kind: str, positions: Mapping[str, int]) -> Callable[[list[str]], list[Problem]]:
    """The checks that look at several fields of a row at once."""
    if kind == FLOWS:
        sub, dep = positions["submitted"], positions["departed"]

        def flows(tokens: list[str]) -> list[Problem]:
            if tokens[sub] == NULL and tokens[dep] == NULL:
                return [("departed", "no_figures", "", {})]
            return []

        return flows
    if kind == PLEDGES:
        year, end, persons = positions["year"], positions["end_year"], positions["persons"]
        parts = [
            (positions[name], name) for name in ("emergency_urgent_places", "unallocated_places")
        ]

        def pledges(tokens: list[str]) -> list[Problem]:
            found: list[Problem] = []
            if tokens[end] != NULL and int(tokens[end]) < int(tokens[year]):
                found.append(("end_year", "end_before_start", tokens[end], {"year": tokens[year]}))
            total = int(tokens[persons])
            for pos, name in parts:
                if int(tokens[pos]) > total:
                    found.append((name, "exceeds_persons", tokens[pos], {"persons": str(total)}))
            return found

        return pledges
    return lambda tokens: []


class _Slow(Exception):
    """The fast path cannot decide a row: the exact, field-by-field path will."""


def _fast_path(  # noqa: PLR0917 - the parts of one plan
    kind: str,
    ordered: Sequence[FieldSpec],
    n_key: int,
    resolved: Mapping[str, int],
    lookups: Lookups,
    converters: Sequence[Converter],
    layout: str | None,
) -> Callable[[list[str]], tuple[str, str]]:
    """One function that turns a clean row into (key, rest of the line) with a dict
    lookup or a digit test per field, raising for anything else.

    Generated for the mapping at hand (a row of a million-row file must cost a few
    microseconds); it gives exactly the tokens of the converters, which handle
    every row it does not (odd spellings, errors) and report the problems.
    """
    env: dict[str, Any] = {"_SLOW": _Slow, "NULL": NULL}
    body: list[str] = []
    names = []
    years = {str(y): str(y) for y in range(YEAR_MIN, YEAR_MAX + 1)}
    for i, spec in enumerate(ordered):
        index, companion = resolved.get(spec.name), resolved.get(f"{spec.name}_unhcr")
        token = f"t{i}"
        names.append(token)
        if index is None and (companion is None or spec.type not in {"country", "population"}):
            if spec.required:
                body.append("raise _SLOW")
            env[f"_V{i}"] = spec.default
            body.append(f"{token} = _V{i}")
            continue
        if spec.type == "count":
            env[f"_C{i}"] = converters[i]
            body.append(f"c = row[{index}]")
            body.append(
                f"{token} = c if c.isdigit() and c.isascii() and len(c) < 10"
                f' and (c[0] != "0" or len(c) == 1) else _C{i}(row)'
            )
            continue
        table: dict[str, str]
        cell = index
        if spec.type == "year":
            table = dict(years)
        elif spec.type == "choice":
            table = _choice_table(spec, lookups)
        else:
            by_iso, by_unhcr = _reference_tables(spec, lookups)
            table, cell = (by_iso, index) if index is not None else (by_unhcr, companion)
        if not spec.required and (companion is None or index is None):
            table[""] = spec.default
        env[f"_D{i}"] = table
        body.append(f"{token} = _D{i}[row[{cell}]]")
    positions = {spec.name: i for i, spec in enumerate(ordered)}
    if kind == FLOWS:
        sub, dep = positions["submitted"], positions["departed"]
        body.append(f"if t{dep} == NULL and (t{sub} == NULL or {layout == RDF!r}): raise _SLOW")
    elif kind == PLEDGES:
        env["_X"] = _cross_check(kind, positions)
        body.append(f"if _X([{', '.join(names)}]): raise _SLOW")
    key = ", ".join(names[:n_key])
    rest = ", ".join(names[n_key:])
    source = "def fast(row):\n" + "".join(f"    {line}\n" for line in body)
    source += f'    return "\\t".join(({key},)), "\\t".join(({rest},))\n'
    exec(source, env)  # noqa: S102 - code built above from field specs, no input in it
    fast: Callable[[list[str]], tuple[str, str]] = env["fast"]
    return fast


# ---- pledges: breakdowns and complementary-pathway places -------------------------
#
# A pledges file may carry, beside the pledge's own fields, one column per
# earmark and per complementary pathway (found by header name or hashtag, not
# mapped): `nationality:SYR`, `asylum:TUR`, `region:Europe`, `situation:<name>`
# hold places of the pledge earmarked for that nationality, host country,
# region or priority situation; `pathway_labour` ... `pathway_humanitarian`
# hold complementary-pathway places beside the quota. Each becomes an extra
# line `<pledge key>\tB|P\t<kind>\t<value>\t<places>` of `CheckResult.extras`.

BREAKDOWN_KINDS = ("situation", "region", "nationality", "asylum")
PATHWAYS = ("labour", "education", "family", "sponsorship", "humanitarian")
BREAKDOWN, PATHWAY = "B", "P"  # the table an extra line goes to
EXTRA_VALUE_MAX = 100  # PledgeBreakdown.value


@dataclass(frozen=True)
class ExtraColumn:
    """A column of earmarked places (`table` B) or pathway places (`table` P)."""

    index: int
    table: str
    kind: str
    value: str = ""

    @property
    def field(self) -> str:
        """How the report names the field."""
        if self.table == PATHWAY:
            return f"pathway_{self.kind}"
        return f"{self.kind}:{self.value}"


def _extra_from_header(header: str) -> tuple[str, str, str] | None:
    """(table, kind, value as written) of a breakdown or pathway header, or None."""
    text = header.strip().lstrip("\ufeff")
    if ":" in text:
        prefix, name = text.split(":", 1)
        prefix = normalise_header(prefix)
        if prefix in BREAKDOWN_KINDS:
            return BREAKDOWN, prefix, name.strip()
        if prefix == "pathway":
            return PATHWAY, normalise_header(name), ""
        return None
    name = normalise_header(text)
    if name.startswith("pathway_"):
        return PATHWAY, name.removeprefix("pathway_"), ""
    return None


def _extra_from_hashtag(tag: str) -> tuple[str, str, str] | None:
    """`#capacity+pathway+labour`; `#capacity+earmark+nationality+syr` (or +asylum+tur)."""
    if not tag:
        return None
    name, attributes = _hxl_parts(tag)
    if name != "#capacity":
        return None
    if "pathway" in attributes:
        rest = sorted(attributes - {"pathway", "places"})
        return PATHWAY, rest[0] if len(rest) == 1 else "+".join(rest), ""
    if "earmark" in attributes:
        kinds = attributes & {"nationality", "asylum"}
        codes = sorted(attributes - kinds - {"earmark", "places"})
        if len(kinds) == 1:
            return BREAKDOWN, next(iter(kinds)), codes[0] if len(codes) == 1 else ""
    return None


def _extra_header_value(
    where: str, kind: str, value: str, lookups: Lookups, regions: Mapping[str, str]
) -> tuple[str, tuple[str, str, dict[str, str]] | None]:
    """The stored value of a breakdown header's name (codes upper-cased, regions as
    UNHCR names them), or the problem with it: (code, value, params)."""
    if where == PATHWAY:
        if kind not in PATHWAYS:
            return value, ("unknown_choice", kind, {"choices": ", ".join(PATHWAYS)})
        return value, None
    value = " ".join(value.split())  # no tab or line break inside a line
    if not value:
        return value, ("missing_name", "", {})
    if len(value) > EXTRA_VALUE_MAX:
        return value, ("too_long", value, {"max": str(EXTRA_VALUE_MAX)})
    if kind == "nationality":
        value = value.upper()
        if value not in lookups.populations and value not in lookups.countries:
            return value, ("unknown_population", value, {})
    elif kind == "asylum":
        value = value.upper()
        if value not in lookups.countries:
            return value, ("unknown_country", value, {})
    elif kind == "region" and regions:
        canonical = regions.get(value.lower())
        if canonical is None:
            return value, ("unknown_region", value, {"choices": ", ".join(lookups.regions)})
        value = canonical
    return value, None


def find_extra_columns(
    table: Table, used: Iterable[int], lookups: Lookups
) -> tuple[list[ExtraColumn], list[RowError]]:
    """The breakdown and pathway columns of a pledges file (those no field is mapped
    to), and the problems with their headers (unknown code or region, no name,
    the same breakdown twice)."""
    taken = set(used)
    found: list[ExtraColumn] = []
    errors: list[RowError] = []
    first: dict[tuple[str, str, str], int] = {}
    regions = {r.lower(): r for r in lookups.regions}
    for index in range(table.width):
        if index in taken:
            continue
        columns, hashtags = table.columns, table.hashtags
        parsed = _extra_from_header(columns[index] if index < len(columns) else "")
        if parsed is None:
            parsed = _extra_from_hashtag(hashtags[index] if index < len(hashtags) else "")
        if parsed is None:
            continue
        where, kind, value = parsed
        value, problem = _extra_header_value(where, kind, value, lookups, regions)
        if problem is not None:
            code, shown, params = problem
            field_name = "pathway" if where == PATHWAY else kind
            label = table.column_label(index)
            errors.append(RowError(None, None, label, field_name, code, shown, params, index))
            continue
        column = ExtraColumn(index, where, kind, value)
        same = (where, kind, value.lower())
        if same in first:
            params = {"other": table.column_label(first[same])}
            label = table.column_label(index)
            errors.append(
                RowError(None, None, label, column.field, "duplicate_column", "", params, index)
            )
            continue
        first[same] = index
        found.append(column)
    return found, errors


# A problem with an extra column of a row: (column index, problem).
ExtraProblem = tuple[int, Problem]


def _extras_checker(
    extras: Sequence[ExtraColumn],
) -> Callable[[list[str], str, int | None], tuple[list[str], list[ExtraProblem]]]:
    """A function from (row, pledge key, places pledged or None) to the row's extra
    lines and the problems with its extra cells."""

    def extras_of(
        row: list[str], key: str, persons: int | None
    ) -> tuple[list[str], list[ExtraProblem]]:
        lines: list[str] = []
        problems: list[ExtraProblem] = []
        totals: dict[str, int] = {}
        first_of: dict[str, ExtraColumn] = {}
        for column in extras:
            cell = row[column.index] if column.index < len(row) else ""
            try:
                token = _count_token(cell)
            except Bad as exc:
                problems.append((column.index, (column.field, exc.code, exc.value, exc.params)))
                continue
            if token in {"", "0"}:
                continue
            lines.append(f"{key}\t{column.table}\t{column.kind}\t{column.value}\t{token}")
            if column.table == BREAKDOWN:
                totals[column.kind] = totals.get(column.kind, 0) + int(token)
                first_of.setdefault(column.kind, column)
        if persons is not None:
            for kind, total in totals.items():
                if total > persons:
                    column = first_of[kind]
                    params = {"kind": kind, "persons": str(persons)}
                    problem = (column.field, "breakdowns_exceed", str(total), params)
                    problems.append((column.index, problem))
        return lines, problems

    return extras_of


def pledge_key(state_id: int, year: int, end_year: int | None) -> str:
    """The key of a pledge's line (state id, year, end year), as the extra lines start."""
    return f"{state_id}\t{year}\t{NULL if end_year is None else end_year}"


def extra_line(key: str, table: str, kind: str, value: str, persons: int) -> str:
    """An extra line, as `check` writes them (for lines built from other sources)."""
    return f"{key}\t{table}\t{kind}\t{value}\t{persons}"


def check(
    kind: str,
    table: Table,
    lookups: Lookups,
    mapping: Mapping[str, int | str | None] | None = None,
    *,
    layout: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
    max_errors: int = MAX_ERRORS,
) -> CheckResult:
    """Check every row of a table as a dataset of `kind`; see the module docstring.

    `layout` None detects the Refugee Data Finder's layout from the header
    (`rdf`: a departures file whose rows without arrivals are skipped).
    `progress(rows_read, rows_expected)` is called every PROGRESS_EVERY rows;
    `limit` stops after that many rows (previews).
    """
    if kind not in FIELDS:
        raise ValueError(f"unknown dataset kind {kind!r}")
    columns = db_columns(kind)
    if layout is None:
        layout = detect_layout(table)

    def refused(errs: list[RowError], resolved: dict[str, int] | None = None) -> CheckResult:
        return CheckResult(
            kind, columns, [], 0, 0, errs[:max_errors], len(errs), "", resolved or {}, layout
        )

    if not table.columns:
        return refused([RowError(None, None, "", "", "empty_file")])
    if layout is not None and (layout not in LAYOUTS or kind != FLOWS):
        return refused([RowError(None, None, "", "", "wrong_layout", params={"layout": layout})])
    resolved, errors = resolve_mapping(kind, table, mapping, layout)
    specs = FIELDS[kind]
    for spec in specs:
        if spec.required and spec.name not in resolved and f"{spec.name}_unhcr" not in resolved:
            errors.append(RowError(None, None, spec.name, spec.name, "missing_column"))
    extras: list[ExtraColumn] = []
    if kind == PLEDGES:
        extras, column_errors = find_extra_columns(table, resolved.values(), lookups)
        errors += column_errors
    if errors:
        return refused(errors, resolved)

    ordered = [s for s in specs if s.key] + [s for s in specs if not s.key]
    n_key = sum(1 for s in specs if s.key)
    plan: list[tuple[str, Converter, int]] = []
    for spec in ordered:
        index = resolved.get(spec.name)
        companion = resolved.get(f"{spec.name}_unhcr")
        shown = index if index is not None else (companion if companion is not None else -1)
        plan.append((spec.name, _make_converter(spec, index, companion, lookups), shown))
    positions = {name: i for i, (name, _c, _s) in enumerate(plan)}
    cross = _cross_check(kind, positions)
    skip_empty = positions["departed"] if layout == RDF else None
    duplicate_params = {"key": ", ".join(s.name for s in ordered[:n_key])}
    width = table.width
    line_of = table.line_of
    label = table.column_label
    expected = table.estimated_rows

    lines: list[str] = []
    extra_lines: list[str] = []
    extras_of = _extras_checker(extras) if extras else None
    persons_at = positions["persons"] - n_key if extras else 0
    seen: dict[str, int] = {}
    error_count = skipped = row_no = 0
    next_report = PROGRESS_EVERY

    def add(row: int, name: str, shown: int, problem: Problem) -> None:
        code, value, params = problem[1], problem[2], problem[3]
        nonlocal error_count
        error_count += 1
        if len(errors) < max_errors:
            errors.append(
                RowError(
                    row,
                    line_of(row),
                    label(shown) if shown >= 0 else "",
                    name,
                    code,
                    value,
                    params,
                    shown,
                )
            )

    fast = _fast_path(kind, ordered, n_key, resolved, lookups, [c for _n, c, _s in plan], layout)

    try:
        for row in table.rows:
            if limit is not None and row_no >= limit:
                break
            row_no += 1
            if row_no >= next_report:
                next_report += PROGRESS_EVERY
                if progress is not None:
                    progress(row_no, max(expected, row_no))
            try:
                key, rest = fast(row)
            except Exception:  # the exact path decides, and says why
                if len(row) < width:
                    row = row + [""] * (width - len(row))  # noqa: PLW2901
                if not row[0] and not any(row):
                    skipped += 1  # a blank line
                    continue
                tokens: list[str] = []
                bad = False
                for name, convert, shown in plan:
                    try:
                        tokens.append(convert(row))
                    except Bad as exc:
                        bad = True
                        tokens.append(NULL)
                        add(row_no, name, shown, (name, exc.code, exc.value, exc.params))
                if bad:
                    if extras_of is not None:
                        for index, problem in extras_of(row, "", None)[1]:
                            add(row_no, problem[0], index, problem)
                    continue
                if skip_empty is not None and tokens[skip_empty] == NULL:
                    skipped += 1  # a Refugee Data Finder row without arrivals
                    continue
                found = cross(tokens)
                if found:
                    for problem in found:
                        add(row_no, problem[0], plan[positions[problem[0]]][2], problem)
                    continue
                key, rest = "\t".join(tokens[:n_key]), "\t".join(tokens[n_key:])
            row_extras: list[str] = []
            if extras_of is not None:
                persons = int(rest.split("\t")[persons_at])
                row_extras, problems = extras_of(row, key, persons)
                if problems:
                    for index, problem in problems:
                        add(row_no, problem[0], index, problem)
                    continue
            first = seen.setdefault(key, row_no)
            if first != row_no:
                params = {"other": str(first), **duplicate_params}
                add(row_no, plan[0][0], plan[0][2], (plan[0][0], "duplicate", "", params))
                continue
            if not error_count:
                lines.append(key + "\t" + rest)
                extra_lines += row_extras
    except (Unreadable, csv.Error) as exc:
        add(row_no + 1, "", -1, ("", "unreadable", "", {"detail": str(exc)}))
    if row_no - skipped == 0 and not error_count:
        add(1, "", -1, ("", "no_rows", "", {}))
    if progress is not None:
        progress(row_no, row_no)
    if error_count:
        return CheckResult(kind, columns, [], 0, skipped, errors, error_count, "", resolved, layout)
    return CheckResult(
        kind,
        columns,
        lines,
        len(lines),
        skipped,
        [],
        0,
        checksum(kind, columns, lines, extra_lines),
        resolved,
        layout,
        extra_lines,
    )


def checksum(
    kind: str, columns: Sequence[str], lines: list[str], extras: Sequence[str] = ()
) -> str:
    """SHA-256 of the kind, its columns and the sorted lines (then the sorted extra
    lines of pledge breakdowns and pathways, when there are any): the same rows
    in any order give the same checksum."""
    digest = hashlib.sha256(f"{kind}\n{','.join(columns)}\n".encode())
    ordered = sorted(lines)
    step = 50_000
    for start in range(0, len(ordered), step):
        digest.update(("\n".join(ordered[start : start + step]) + "\n").encode())
    if extras:
        digest.update(("extras\n" + "\n".join(sorted(extras)) + "\n").encode())
    return digest.hexdigest()


# ---- previews -----------------------------------------------------------------------


@dataclass
class PreviewRow:
    """A data row as the file has it, with the problems found in each of its cells."""

    row: int
    line: int
    cells: list[str]
    cell_errors: dict[int, list[RowError]]
    row_errors: list[RowError]


def preview(
    kind: str,
    table: Table,
    lookups: Lookups,
    mapping: Mapping[str, int | str | None] | None = None,
    *,
    layout: str | None = None,
    limit: int = 20,
) -> tuple[list[PreviewRow], CheckResult]:
    """The first `limit` rows with their problems (cells by column index)."""
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in table.rows:
            rows.append(row + [""] * (table.width - len(row)))
            lines.append(table.line_of(len(rows)))
            if len(rows) >= limit:
                break
    except (Unreadable, csv.Error):
        pass  # check() of the whole file reports it
    sample = table_from_rows(
        table.columns,
        rows,
        hashtags=table.hashtags,
        header_lines=table.header_lines,
        lines=lines,
    )
    result = check(kind, sample, lookups, mapping, layout=layout, max_errors=limit * 20)
    by_row: dict[int, list[RowError]] = {}
    for err in result.errors:
        if err.row is not None:
            by_row.setdefault(err.row, []).append(err)
    out = []
    for number, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        cell_errors: dict[int, list[RowError]] = {}
        row_errors: list[RowError] = []
        for err in by_row.get(number, []):
            if err.index < 0:
                row_errors.append(err)
            else:
                cell_errors.setdefault(err.index, []).append(err)
        out.append(PreviewRow(number, line, row, cell_errors, row_errors))
    return out, result
