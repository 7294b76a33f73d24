"""The gap page's bar chart in the exports (a native XLSX chart, JSON's `chart`) and every
chart of the page as an SVG download, all from one specification (figures of gap_fixtures).

2024 by country of asylum, largest need first: Iran 3,000 in need; Bangladesh 1,500
(50 departed); Lebanon 1,100 (300 places earmarked, 500 submitted, 300 departed); Chad
700; Pakistan 500 (400 submitted, 200 departed). By resettlement State (no needs):
Germany 1,000 pledged, 500 submitted, 300 departed; Canada 1,501, 500, 250.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from resettle.needs import charts
from resettle.needs.tests.gap_fixtures import make_gap_world

SVG = "{http://www.w3.org/2000/svg}"
ASYLUM_2024 = ["Iran", "Bangladesh", "Lebanon", "Chad", "Pakistan"]
TITLE_2024 = "Needs, pledges, submissions and departures, 2024"


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _title_text(chart: Any) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_xlsx_gap_export_has_the_pages_bar_chart(client: Client, w: SimpleNamespace) -> None:
    body = _body(_get(client, "/needs/export/gap.xlsx?year=2024&cut=asylum"))
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["gap", "chart"]
    gap_sheet = book["gap"]
    (chart,) = gap_sheet._charts
    assert chart.tagname == "barChart" and chart.type == "col"
    assert _title_text(chart) == TITLE_2024
    assert len(chart.series) == 4
    colours = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert colours == ["0072BC", "FFC740", "6CD8FD", "32C189"]
    assert [c.lstrip("#") for c in charts.MEASURE_COLOURS.values()] == colours
    # Categories and values come from the chart sheet, in the page's order.
    assert [s.cat.strRef.f for s in chart.series] == ["'chart'!$A$2:$A$6"] * 4
    assert chart.series[0].val.numRef.f == "'chart'!$B$2:$B$6"
    rows = list(book["chart"].iter_rows(values_only=True))
    assert rows[0] == (
        None,
        "Persons in need",
        "Places pledged",
        "Persons submitted",
        "Persons departed",
    )
    assert [r[0] for r in rows[1:]] == ASYLUM_2024
    assert rows[3] == ("Lebanon", 1100, 300, 500, 300)
    assert rows[5] == ("Pakistan", 500, 0, 400, 200)


def test_xlsx_chart_of_the_state_cut_has_no_needs(client: Client, w: SimpleNamespace) -> None:
    body = _body(_get(client, "/needs/export/gap.xlsx?year=2024&cut=state"))
    book = load_workbook(io.BytesIO(body))
    (chart,) = book["gap"]._charts
    assert len(chart.series) == 3
    colours = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert colours == ["FFC740", "6CD8FD", "32C189"]
    rows = list(book["chart"].iter_rows(values_only=True))
    assert rows == [
        (None, "Places pledged", "Persons submitted", "Persons departed"),
        ("Germany", 1000, 500, 300),
        ("Canada", 1501, 500, 250),
    ]
    # The table itself is still the first sheet, unchanged.
    assert book.active is not None and book.active.title == "gap"


def test_xlsx_chart_of_the_largest_rows_only(client: Client, w: SimpleNamespace) -> None:
    from resettle.needs.views import TOP_BARS

    body = _body(_get(client, "/needs/export/gap.xlsx?year=2024&cut=population"))
    book = load_workbook(io.BytesIO(body))
    assert len(book["gap"]._charts) == 1
    categories = [r[0] for r in book["chart"].iter_rows(min_row=2, values_only=True)]
    assert len(categories) == min(TOP_BARS, 4) == 4
    assert categories[0] == "Afghanistan"  # 3,500 in need


def test_json_gap_export_has_the_chart_specification(client: Client, w: SimpleNamespace) -> None:
    data = json.loads(_body(_get(client, "/needs/export/gap.json?year=2024&cut=asylum")))
    chart = data["chart"]
    assert chart["title"] == TITLE_2024
    assert chart["categories"] == ASYLUM_2024
    assert [(s["label"], s["colour"]) for s in chart["series"]] == [
        ("Persons in need", "#0072BC"),
        ("Places pledged", "#FFC740"),
        ("Persons submitted", "#6CD8FD"),
        ("Persons departed", "#32C189"),
    ]
    assert chart["series"][0]["values"] == [3000, 1500, 1100, 700, 500]
    assert chart["series"][3]["values"] == [0, 50, 300, 0, 200]
    worldwide = json.loads(_body(_get(client, "/needs/export/gap.json?year=2024")))["chart"]
    assert worldwide["categories"] == ["2024"]
    assert [s["values"] for s in worldwide["series"]] == [[6800], [2501], [1000], [550]]
    # The other tables have no chart.
    needs = json.loads(_body(_get(client, "/needs/export/needs.json")))
    assert "chart" not in needs


def test_chart_in_arabic_exports(client: Client, w: SimpleNamespace) -> None:
    client.cookies["django_language"] = "ar"
    data = json.loads(_body(_get(client, "/needs/export/gap.json?year=2024&cut=asylum")))
    page = _get(client, "/needs/gap/?year=2024&cut=asylum").content.decode()
    # The same translated title and labels as the page's chart.
    assert data["chart"]["title"] != TITLE_2024
    assert f'<title id="gap-bars-title">{data["chart"]["title"]}</title>' in page
    assert data["chart"]["series"][0]["label"] != "Persons in need"


@pytest.mark.parametrize(
    ("name", "title", "filename"),
    [
        ("bars", TITLE_2024, "resettle-gap-2024-asylum-bars.svg"),
        ("map", "Persons in need by country of asylum, 2024", "resettle-gap-2024-map.svg"),
        ("states", "Places pledged by resettlement State", "resettle-gap-2024-states.svg"),
    ],
)
def test_chart_downloads_as_a_standalone_svg(
    client: Client, w: SimpleNamespace, name: str, title: str, filename: str
) -> None:
    response = _get(client, f"/needs/gap/chart-{name}.svg?year=2024&cut=asylum")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(body)  # noqa: S314 - our own response, not untrusted input
    assert root.tag == f"{SVG}svg"  # the SVG namespace (xmlns) is declared
    assert root.get("width") and root.get("height") and root.get("viewBox")
    assert root.findtext(f"{SVG}title") == title
    assert root.find(f"{SVG}desc") is not None


def test_chart_download_follows_the_filters(client: Client, w: SimpleNamespace) -> None:
    bars = _get(client, "/needs/gap/chart-bars.svg?year=2024&cut=asylum").content.decode()
    assert "<title>Lebanon: Persons in need 1,100</title>" in bars
    state = _get(client, "/needs/gap/chart-bars.svg?year=2024&cut=state").content.decode()
    assert "<title>Canada: Places pledged 1,501</title>" in state
    assert "Persons in need" not in state
    as_of = _get(client, f"/needs/gap/chart-bars.svg?year=2024&version={w.pgrn1.pk}")
    assert "Persons in need 6,000" in as_of.content.decode()
    # An as-of version the visitor may not see, an unknown chart: 404.
    assert client.get(f"/needs/gap/chart-map.svg?version={w.private.pk}").status_code == 404
    assert client.get("/needs/gap/chart-trend.svg").status_code == 404


def test_gap_page_links_each_chart_download(client: Client, w: SimpleNamespace) -> None:
    html = _get(client, "/needs/gap/?year=2024&cut=asylum").content.decode()
    for name in ("bars", "map", "states"):
        assert (
            f'href="/needs/gap/chart-{name}.svg?year=2024&amp;cut=asylum" download '
            f'data-testid="chart-download-{name}"'
        ) in html


def test_one_specification_draws_the_page_svg() -> None:
    spec = charts.ChartSpec(
        title="T",
        desc="D",
        categories=("a", "b"),
        series=(charts.ChartSeries("need", "#0072BC", (1, 2)),),
    )
    svg = charts.spec_bars(spec, chart_id="x")
    assert '<title id="x-title">T</title>' in svg and "<title>b: need 2</title>" in svg
    assert spec.as_dict()["series"] == [{"label": "need", "colour": "#0072BC", "values": [1, 2]}]
    standalone = charts.standalone(svg)
    root = ET.fromstring(standalone)  # noqa: S314 - our own markup
    assert (root.get("width"), root.get("height")) == ("760", "340")
