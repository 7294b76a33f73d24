"""Exports: every table in every format parses back to the same figures; HXL is valid under
libhxl; formula-like text is escaped in CSV, XLSX and HXL (see gap_fixtures for the figures)."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace
from typing import Any

import hxl
import pytest
from django.test import Client
from openpyxl import load_workbook

from resettle.accounts.models import User
from resettle.needs import exports
from resettle.needs.models import FlowFigure, NeedFigure
from resettle.needs.tests.gap_fixtures import make_gap_world, version


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _body(response)


def parse(fmt: str, body: bytes) -> list[dict[str, Any]]:
    """An export read back as a list of row dicts (text for CSV and HXL, typed for the rest)."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    if fmt == "hxl":
        reader = csv.DictReader(io.StringIO(body.decode("utf-8")))
        next(reader)  # the hashtag row
        return list(reader)
    if fmt == "json":
        rows: list[dict[str, Any]] = json.loads(body)["rows"]
        return rows
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    width = len(values[0])
    # A write-only sheet leaves trailing empty cells out of a row.
    return [
        dict(zip(values[0], (*row, *[None] * (width - len(row))), strict=True))
        for row in values[1:]
    ]


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_needs_round_trip(client: Client, w: SimpleNamespace, fmt: str) -> None:
    rows = parse(fmt, _get(client, f"/needs/export/needs.{fmt}"))
    assert len(rows) == NeedFigure.objects.filter(version=w.pgrn2).count() == 8
    assert {r["version"] for r in rows} == {"pgrn v2"}
    got = sorted(
        (_int(r["year"]), r["population"], r["asylum"], r["priority"] or "", _int(r["persons"]))
        for r in rows
    )
    expected = sorted(
        (f.year, f.population.code, f.asylum.iso3 if f.asylum else "", f.priority, f.persons)
        for f in NeedFigure.objects.filter(version=w.pgrn2).select_related("population", "asylum")
    )
    assert got == expected


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_flows_round_trip_keeps_missing_values_missing(
    client: Client, w: SimpleNamespace, fmt: str
) -> None:
    rows = parse(fmt, _get(client, f"/needs/export/flows.{fmt}?year=2024"))
    assert len(rows) == 3  # the private series stays out for anonymous visitors
    by_origin = {r["origin"]: r for r in rows}
    assert _int(by_origin["AFG"]["submitted"]) == 400
    assert _int(by_origin["AFG"]["departed_within_6_months"]) is None
    assert by_origin["ROHINGYA"]["resettlement_state"] == "CAN"
    assert _int(by_origin["SYR"]["departed"]) == 300


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_pledges_round_trip(client: Client, w: SimpleNamespace, fmt: str) -> None:
    rows = parse(fmt, _get(client, f"/needs/export/pledges.{fmt}"))
    by_state = {r["state"]: r for r in rows}
    assert _int(by_state["CAN"]["persons"]) == 3001
    assert _int(by_state["CAN"]["end_year"]) == 2025
    # Earmarks and pathway places in the importer's own columns.
    deu = by_state["DEU"]
    assert _int(deu["nationality:SYR"]) == 400
    assert _int(deu["asylum:LBN"]) == 300
    assert _int(deu["region:Middle East and North Africa"]) == 500
    assert _int(deu["pathway_sponsorship"]) == 200
    assert by_state["CAN"]["nationality:SYR"] in (None, "")


def test_pledges_export_imports_back_unchanged(client: Client, w: SimpleNamespace) -> None:
    """Export, re-import as a new series: the same pledges, earmarks and pathway places."""
    from resettle.needs.models import PathwayPlaces, Pledge, PledgeBreakdown
    from resettle.needs.services import do_import_dataset

    def picture(version_id: int) -> set[tuple[object, ...]]:
        pledges = Pledge.objects.filter(version_id=version_id)
        return {
            *pledges.values_list("state__iso3", "year", "end_year", "persons"),
            *PledgeBreakdown.objects.filter(pledge__in=pledges).values_list(
                "pledge__state__iso3", "kind", "value", "persons"
            ),
            *PathwayPlaces.objects.filter(pledge__in=pledges).values_list(
                "pledge__state__iso3", "pathway", "persons"
            ),
        }

    original = Pledge.objects.values_list("version_id", flat=True).first()
    assert original is not None
    data = _get(client, f"/needs/export/pledges.csv?version={original}")
    result = do_import_dataset("pledges", data, series="round-trip", actor=None)
    assert picture(result.version.pk) == picture(original)
    again = do_import_dataset("pledges", data, series="round-trip", actor=None)
    assert again.version.pk == result.version.pk  # the same file again changes nothing


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_gap_round_trip(client: Client, w: SimpleNamespace, fmt: str) -> None:
    rows = parse(fmt, _get(client, f"/needs/export/gap.{fmt}?year=2024&cut=asylum"))
    lbn = next(r for r in rows if r["key"] == "LBN")
    assert _int(lbn["need"]) == 1100 and _int(lbn["pledged"]) == 300
    assert _int(lbn["departed"]) == 300
    assert float(lbn["departed_need"]) == pytest.approx(round(300 / 1100, 4))
    tcd = next(r for r in rows if r["key"] == "TCD")
    assert tcd["departed_pledged"] in (None, "")  # no places: no ratio
    assert sum(_int(r["need"]) or 0 for r in rows) == 6800


def test_export_as_of_a_version(client: Client, w: SimpleNamespace) -> None:
    first = parse("json", _get(client, f"/needs/export/needs.json?version={w.pgrn1.pk}"))
    assert len(first) == 6 and {r["version"] for r in first} == {"pgrn v1"}
    gap_then = json.loads(_get(client, f"/needs/export/gap.json?year=2024&version={w.pgrn1.pk}"))
    assert [v["id"] for v in gap_then["versions"]] == [w.pgrn1.pk]
    assert gap_then["rows"][0]["need"] == 6000


def test_export_refuses_hidden_and_mismatched_versions(client: Client, w: SimpleNamespace) -> None:
    assert client.get(f"/needs/export/flows.csv?version={w.private.pk}").status_code == 404
    assert client.get(f"/needs/export/needs.csv?version={w.flows.pk}").status_code == 404
    assert client.get("/needs/export/needs.csv?version=999999").status_code == 404
    assert client.get(f"/needs/export/gap.csv?version={w.private.pk}").status_code == 404
    assert client.get("/needs/export/people.csv").status_code == 404
    assert client.get("/needs/export/needs.pdf").status_code == 404
    reader = User.objects.create_user("reader", "r@example.org", None, role="ngo")
    client.force_login(reader)
    rows = parse("csv", _get(client, f"/needs/export/flows.csv?version={w.private.pk}"))
    assert [_int(r["departed"]) for r in rows] == [10000]


@pytest.mark.parametrize("table", ["needs", "pledges", "flows", "gap"])
def test_hxl_exports_are_valid_hxl(client: Client, w: SimpleNamespace, table: str) -> None:
    body = _get(client, f"/needs/export/{table}.hxl?year=2024&cut=population")
    header = next(csv.reader(io.StringIO(body.decode("utf-8"))))
    source = hxl.data(io.BytesIO(body))
    tags = [c.display_tag for c in source.columns]
    assert all(tags), f"a column lost its hashtag: {tags}"
    assert len(tags) == len(header)
    assert "#date+year" in tags
    problems: list[Any] = []
    schema = hxl.schema(callback=problems.append)
    schema.validate(hxl.data(io.BytesIO(body)))
    serious = [p.message for p in problems if p.rule.severity in ("error", "warning")]
    assert not serious, serious
    rows = list(hxl.data(io.BytesIO(body)))
    assert rows, "no data rows"
    if table == "flows":
        assert {r.get("#country+code+resettlement") for r in rows} == {"DEU", "CAN"}
        assert sum(int(r.get("#affected+departed") or 0) for r in rows) == 550
    if table == "needs":
        assert sum(int(r.get("#affected+refugees")) for r in rows) == 6800
        assert "ROHINGYA" in {r.get("#country+code+origin") for r in rows}
    if table == "gap":
        assert "#country+code+origin" in tags


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Syria", "Syria"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_escape_cell(value: Any, expected: Any) -> None:
    assert exports.escape_cell(value) == expected


def test_formula_text_is_escaped_in_spreadsheet_formats(client: Client, w: SimpleNamespace) -> None:
    evil = version("flows", '=HYPERLINK("http://x","y")', 1, w.now)
    FlowFigure.objects.create(
        version=evil,
        year=2024,
        origin=w.populations["SYR"],
        resettlement_state=w.countries["DEU"],
        departed=1,
    )
    url = f"/needs/export/flows.{{}}?version={evil.pk}"
    for fmt in ("csv", "hxl", "xlsx"):
        rows = parse(fmt, _get(client, url.format(fmt)))
        assert rows[0]["version"] == """'=HYPERLINK("http://x","y") v1""", fmt
    sheet = load_workbook(io.BytesIO(_get(client, url.format("xlsx")))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s"  # text, not a formula
    raw = parse("json", _get(client, url.format("json")))
    assert raw[0]["version"] == """=HYPERLINK("http://x","y") v1"""  # JSON is data, not a sheet


def test_csv_has_a_bom_for_spreadsheets_and_hxl_has_none(
    client: Client, w: SimpleNamespace
) -> None:
    assert _get(client, "/needs/export/needs.csv").startswith(b"\xef\xbb\xbf")
    assert _get(client, "/needs/export/needs.hxl").startswith(b"version,")
    response = client.get("/needs/export/needs.hxl")
    assert response["Content-Disposition"] == 'attachment; filename="resettle-needs-hxl.csv"'
    assert response["Content-Type"].startswith("text/csv")


def test_big_flow_exports_stream(client: Client, w: SimpleNamespace) -> None:
    FlowFigure.objects.bulk_create(
        FlowFigure(
            version=w.flows,
            year=2000 + i % 20,
            origin=w.populations["AFG"],
            resettlement_state=w.countries["CAN"],
            departed=i,
        )
        for i in range(12000)
    )
    response = client.get("/needs/export/flows.csv")
    assert response.streaming
    rows = parse("csv", _body(response))
    assert len(rows) == 12004
    assert sum(_int(r["departed"]) or 0 for r in rows) == sum(range(12000)) + 800
