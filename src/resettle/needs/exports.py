"""Exports of needs, pledges, flows and the gap: CSV, XLSX, JSON and HXL-tagged CSV.

A table is a list of `Column`s (a header, the HXL hashtag for the second row of
an HXL export) and an iterator of rows, so a million flow rows stream out
without being held in memory (except XLSX, which openpyxl writes in one piece).

Spreadsheet safety: in CSV, XLSX and HXL, a text cell that begins with
= + - @ (or a tab or carriage return) gets a single quote in front, so that a
spreadsheet opening the file shows it as text and never runs it as a formula.
Numbers are written as numbers. JSON is not escaped: no spreadsheet reads it.

The gap table carries the gap page's bar chart (charts.ChartSpec): a native
bar chart in XLSX, drawn from the chart's own figures on a second sheet, and
the specification itself under `chart` in JSON.

HXL: populations (a nationality's ISO alpha-3 code, or a named group such as
ROHINGYA) are tagged #country+code+origin, like the origin of flows: HXL's
#population is a number of people, and libhxl's core schema refuses a code
under it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from resettle.needs import gap_queries
from resettle.needs.charts import ChartSpec
from resettle.needs.gap_queries import Cut, Lookups, Sources
from resettle.needs.models import (
    DatasetKind,
    DatasetVersion,
    FlowFigure,
    NeedFigure,
    PathwayPlaces,
    PathwayType,
    Pledge,
    PledgeBreakdown,
)

FORMATS = ("csv", "xlsx", "json", "hxl")
TABLES = ("needs", "pledges", "flows", "gap")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's limit, less the header
XLSX_CHART_SHEET = "chart"
CHUNK = 5000


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and its HXL hashtag."""

    name: str
    hxl: str


def escape_cell(value: Any) -> Any:
    """A text value that a spreadsheet would read as a formula, quoted; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# ---- the tables ---------------------------------------------------------------------

NEEDS_COLUMNS = [
    Column("version", "#meta+version"),
    Column("year", "#date+year"),
    Column("population", "#country+code+origin"),
    Column("asylum", "#country+code+asylum"),
    Column("category", "#meta+category"),
    Column("priority", "#meta+priority"),
    Column("persons", "#affected+refugees"),
]
PLEDGE_COLUMNS = [
    Column("version", "#meta+version"),
    Column("state", "#country+code+resettlement"),
    Column("year", "#date+year"),
    Column("end_year", "#date+year+end"),
    Column("persons", "#capacity+pledged"),
    Column("emergency_urgent_places", "#capacity+pledged+urgent"),
    Column("unallocated_places", "#capacity+pledged+unallocated"),
    Column("modality", "#meta+modality"),
    Column("status", "#status+pledge"),
    Column("illustrative", "#meta+illustrative"),
]
FLOW_COLUMNS = [
    Column("version", "#meta+version"),
    Column("year", "#date+year"),
    Column("origin", "#country+code+origin"),
    Column("asylum", "#country+code+asylum"),
    Column("resettlement_state", "#country+code+resettlement"),
    Column("category", "#meta+category"),
    Column("priority", "#meta+priority"),
    Column("submitted", "#affected+submitted"),
    Column("departed", "#affected+departed"),
    Column("departed_within_6_months", "#affected+departed+within_6_months"),
]
# The gap's key column is tagged after the cut.
GAP_KEY_TAG = {
    Cut.GLOBAL: "#meta+key",
    Cut.REGION: "#region+name+asylum",
    Cut.ASYLUM: "#country+code+asylum",
    Cut.POPULATION: "#country+code+origin",
    Cut.SITUATION: "#crisis+name",
    Cut.STATE: "#country+code+resettlement",
}
RATIO_NAMES = (
    "pledged_need",
    "submitted_need",
    "departed_need",
    "departed_pledged",
    "departed_submitted",
)


def gap_columns(cut: str) -> list[Column]:
    return [
        Column("year", "#date+year"),
        Column("cut", "#meta+cut"),
        Column("key", GAP_KEY_TAG.get(Cut(cut), "#meta+key")),
        Column("label", "#meta+label"),
        Column("need", "#affected+refugees"),
        Column("need_urgent", "#affected+refugees+urgent"),
        Column("pledged", "#capacity+pledged"),
        Column("submitted", "#affected+submitted"),
        Column("departed", "#affected+departed"),
        Column("unmet_need", "#affected+refugees+unmet"),
        *(Column(name, f"#indicator+{name}+ratio") for name in RATIO_NAMES),
    ]


def _version_labels(ids: Sequence[int]) -> dict[int, str]:
    return {v.pk: str(v) for v in DatasetVersion.objects.filter(pk__in=ids)}


def need_rows(version_ids: Sequence[int], year: int | None = None) -> Iterator[list[Any]]:
    """Rows of the needs table for these versions, in a stable order."""
    lookups = Lookups.load()
    labels = _version_labels(version_ids)
    qs = NeedFigure.objects.filter(version_id__in=version_ids)
    if year is not None:
        qs = qs.filter(year=year)
    for vid, y, pop, asylum, category, priority, persons in (
        qs.order_by("version_id", "year", "pk")
        .values_list(
            "version_id", "year", "population_id", "asylum_id", "category", "priority", "persons"
        )
        .iterator(chunk_size=CHUNK)
    ):
        yield [
            labels[vid],
            y,
            lookups.population_code.get(pop, ""),
            lookups.country_key(asylum),
            category,
            priority,
            persons,
        ]


def flow_rows(version_ids: Sequence[int], year: int | None = None) -> Iterator[list[Any]]:
    """Rows of the flows table for these versions (streamed in chunks)."""
    lookups = Lookups.load()
    labels = _version_labels(version_ids)
    qs = FlowFigure.objects.filter(version_id__in=version_ids)
    if year is not None:
        qs = qs.filter(year=year)
    fields = (
        "version_id",
        "year",
        "origin_id",
        "asylum_id",
        "resettlement_state_id",
        "category",
        "priority",
        "submitted",
        "departed",
        "departed_within_6_months",
    )
    for row in (
        qs.order_by("version_id", "year", "pk").values_list(*fields).iterator(chunk_size=CHUNK)
    ):
        vid, y, origin, asylum, state, category, priority, submitted, departed, d6 = row
        yield [
            labels[vid],
            y,
            lookups.population_code.get(origin, ""),
            lookups.country_key(asylum),
            lookups.country_key(state),
            category,
            priority,
            submitted,
            departed,
            d6,
        ]


PATHWAY_ORDER = [p.value for p in PathwayType]


def _earmark_hxl(kind: str, value: str) -> str:
    """The importer's hashtag for an earmark column, where the value fits an HXL attribute."""
    if kind in ("nationality", "asylum") and value.isalpha():
        return f"#capacity+earmark+{kind}+{value.lower()}"
    # Region and situation names are not HXL attributes: the header names the earmark.
    return f"#capacity+earmark+{kind}"


def pledge_table(
    version_ids: Sequence[int], year: int | None = None
) -> tuple[list[Column], Iterator[list[Any]]]:
    """The pledges, in the importer's own layout so that an export imports back unchanged:
    one `kind:value` column per earmark present (`nationality:SYR`, `situation:<name>`)
    and one `pathway_<type>` column per complementary pathway."""
    lookups = Lookups.load()
    labels = _version_labels(version_ids)
    qs = Pledge.objects.filter(version_id__in=version_ids)
    if year is not None:
        qs = qs.filter(gap_queries.covering(year))
    pledges = list(qs.order_by("version_id", "year", "state__iso3", "pk"))
    ids = [p.pk for p in pledges]
    earmarks: dict[int, dict[tuple[str, str], int]] = {}
    for pid, kind, value, persons in PledgeBreakdown.objects.filter(pledge_id__in=ids).values_list(
        "pledge_id", "kind", "value", "persons"
    ):
        earmarks.setdefault(pid, {})[(kind, value)] = persons
    pathways: dict[int, dict[str, int]] = {}
    for pid, pathway, persons in PathwayPlaces.objects.filter(pledge_id__in=ids).values_list(
        "pledge_id", "pathway", "persons"
    ):
        pathways.setdefault(pid, {})[pathway] = persons
    earmark_keys = sorted({key for marks in earmarks.values() for key in marks})
    pathway_keys = [p for p in PATHWAY_ORDER if any(p in ways for ways in pathways.values())]
    columns = [
        *PLEDGE_COLUMNS,
        *(Column(f"{kind}:{value}", _earmark_hxl(kind, value)) for kind, value in earmark_keys),
        *(Column(f"pathway_{p}", f"#capacity+pathway+{p}") for p in pathway_keys),
    ]

    def rows() -> Iterator[list[Any]]:
        for p in pledges:
            marks = earmarks.get(p.pk, {})
            ways = pathways.get(p.pk, {})
            yield [
                labels[p.version_id],
                lookups.country_key(p.state_id),
                p.year,
                p.end_year,
                p.persons,
                p.emergency_urgent_places,
                p.unallocated_places,
                p.modality,
                p.status,
                p.is_illustrative,
                *(marks.get(key) for key in earmark_keys),
                *(ways.get(way) for way in pathway_keys),
            ]

    return columns, rows()


def gap_table_rows(view: gap_queries.GapView) -> Iterator[list[Any]]:
    """The gap table of a year and cut, with its ratios as decimals (empty without data)."""
    for row in view.rows:
        f, r = row.figures, row.ratios
        yield [
            view.year,
            view.cut,
            row.key,
            row.label,
            f.need,
            f.need_urgent,
            f.pledged,
            f.submitted,
            f.departed,
            f.unmet_need,
            *(None if getattr(r, n) is None else round(getattr(r, n), 4) for n in RATIO_NAMES),
        ]


@dataclass
class Table:
    """A table ready to write: name, columns, rows and where its figures come from."""

    name: str
    columns: list[Column]
    rows: Iterable[list[Any]]
    versions: list[DatasetVersion]
    meta: dict[str, Any]
    chart: ChartSpec | None = None


KIND_OF_TABLE = {
    "needs": DatasetKind.NEEDS,
    "pledges": DatasetKind.PLEDGES,
    "flows": DatasetKind.FLOWS,
}


def data_table(
    name: str, sources: Sources, *, version: DatasetVersion | None, year: int | None
) -> Table:
    """One of the figure tables, for one version or for the versions of the sources."""
    kind = KIND_OF_TABLE[name]
    versions = [version] if version is not None else sources.of_kind(kind)
    ids = [v.pk for v in versions]
    rows: Iterable[list[Any]]
    if name == "needs":
        columns, rows = NEEDS_COLUMNS, need_rows(ids, year)
    elif name == "pledges":
        columns, rows = pledge_table(ids, year)
    else:
        columns, rows = FLOW_COLUMNS, flow_rows(ids, year)
    meta = {"year": year} if year is not None else {}
    return Table(name, columns, rows, versions, meta)


def gap_table(view: gap_queries.GapView, *, chart: ChartSpec | None = None) -> Table:
    """The gap table of a view, with the chart its exports draw (the gap page's bars)."""
    return Table(
        "gap",
        gap_columns(view.cut),
        gap_table_rows(view),
        list(view.sources.versions),
        {"year": view.year, "cut": view.cut},
        chart,
    )


# ---- writers ---------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the text (for streaming csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table, *, hxl: bool = False) -> Iterator[str]:
    """The table as CSV text, line by line (HXL: the hashtags as second row)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" if not hxl else ""
    yield writer.writerow([c.name for c in table.columns])
    if hxl:
        yield writer.writerow([c.hxl for c in table.columns])
    for row in table.rows:
        yield writer.writerow(["" if v is None else escape_cell(v) for v in row])


def json_chunks(table: Table) -> Iterator[str]:
    """The table as one JSON object: table, versions, meta, columns and rows (objects)."""
    head = {
        "table": table.name,
        "versions": [
            {
                "id": v.pk,
                "kind": v.kind,
                "series": v.series,
                "number": v.number,
                "source": v.source,
                "created_at": v.created_at.isoformat(),
                "is_illustrative": v.is_illustrative,
            }
            for v in table.versions
        ],
        "meta": table.meta,
        **({"chart": table.chart.as_dict()} if table.chart is not None else {}),
        "columns": [c.name for c in table.columns],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    names = [c.name for c in table.columns]
    first = True
    for row in table.rows:
        yield ("" if first else ",\n") + json.dumps(
            dict(zip(names, row, strict=True)), ensure_ascii=False
        )
        first = False
    yield "]}\n"


def xlsx_bytes(table: Table, sheet_title: str) -> bytes:
    """The table as an XLSX workbook (ValueError past Excel's row limit): one sheet,
    and with a chart, a native bar chart beside the table and its figures on a second."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([c.name for c in table.columns])
    for count, row in enumerate(table.rows, 1):
        if count > XLSX_MAX_ROWS:
            raise ValueError("too many rows for one XLSX sheet")
        sheet.append([escape_cell(v) for v in row])
    if table.chart is not None and table.chart.categories:
        data = workbook.create_sheet(title=XLSX_CHART_SHEET)
        sheet.add_chart(xlsx_bar_chart(table.chart, data), _column_letter(len(table.columns) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    """The cell of row 2 in a column (1 -> A2, 27 -> AA2)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}2"


def xlsx_bar_chart(spec: ChartSpec, data: WriteOnlyWorksheet) -> BarChart:
    """A native clustered bar chart of a ChartSpec: its figures are written to `data`
    (categories in the first column, one column per series, labels on the first row),
    each series filled with the spec's colour."""
    data.append(["", *(s.label for s in spec.series)])
    for i, category in enumerate(spec.categories):
        data.append([escape_cell(category), *(s.values[i] for s in spec.series)])
    last = len(spec.categories) + 1
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = spec.title
    chart.width, chart.height = 24, 12  # centimetres
    chart.legend.position = "b"
    # Recent Excel hides the axes openpyxl writes unless they are marked as kept.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    figures = Reference(data, min_col=2, max_col=len(spec.series) + 1, min_row=1, max_row=last)
    chart.add_data(figures, titles_from_data=True)
    # Categories are text: a string reference (set_categories would write a numeric one).
    categories = str(Reference(data, min_col=1, min_row=2, max_row=last))
    for drawn, series in zip(chart.series, spec.series, strict=True):
        drawn.cat = AxDataSource(strRef=StrRef(f=categories))
        colour = series.colour.lstrip("#").upper()
        drawn.graphicalProperties.solidFill = colour
        drawn.graphicalProperties.line.solidFill = colour
    return chart


def response(table: Table, fmt: str, filename: str) -> HttpResponse | StreamingHttpResponse:
    """The HTTP download of a table in a format (csv, xlsx, json, hxl)."""
    if fmt == "xlsx":
        try:
            content = xlsx_bytes(table, table.name)
        except ValueError:
            return HttpResponse(
                "Too many rows for XLSX; export CSV instead.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        out = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        out["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return out
    if fmt == "json":
        stream = StreamingHttpResponse(
            json_chunks(table), content_type="application/json; charset=utf-8"
        )
        stream["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return stream
    hxl = fmt == "hxl"
    stream = StreamingHttpResponse(
        csv_lines(table, hxl=hxl), content_type="text/csv; charset=utf-8"
    )
    name = f"{filename}-hxl.csv" if hxl else f"{filename}.csv"
    stream["Content-Disposition"] = f'attachment; filename="{name}"'
    return stream


def year_filter(value: str | None) -> int | None:
    """A year from the query string (None if absent or not a year)."""
    if value and value.isdigit() and 1900 <= int(value) <= 2100:
        return int(value)
    return None
