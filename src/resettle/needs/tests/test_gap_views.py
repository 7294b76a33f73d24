"""The gap pages: filters without JavaScript, charts with titles and data tables, right to left,
versions, comparisons (figures from gap_fixtures)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client

from resettle.accounts.models import User
from resettle.needs.tests.gap_fixtures import make_gap_world


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


def _html(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _testid(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)<', html, re.S)
    assert match, f"no {testid}"
    return match.group(1).strip()


def test_gap_page_headline_indicators_and_roadmap(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2024")
    assert _testid(html, "total-need") == "6,800"
    assert _testid(html, "total-pledged") == "2,501"
    assert _testid(html, "total-submitted") == "1,000"
    assert _testid(html, "total-departed") == "550"
    assert "14.7% emergency or urgent" in html  # 1000 / 6800
    indicators = html[html.index('data-testid="indicators"') :]
    assert "10.0%" in indicators and "251 / 2,501" in indicators  # 251 / 2501 = 10.04%
    assert "20.0%" in indicators and "120 / 600" in indicators
    assert "Target met" in indicators and "Below target" in indicators
    assert "800 departed in 2019–2024" in indicators
    # The private series is not counted for anonymous visitors.
    assert "private-flows" not in html


def test_gap_page_charts_are_accessible_svg_with_data_tables(
    client: Client, w: SimpleNamespace
) -> None:
    html = _html(client, "/needs/gap/?year=2024&cut=asylum")
    for chart_id in ("gap-bars", "gap-map", "gap-states"):
        svg = re.search(rf'<svg[^>]*id="{chart_id}"[^>]*>', html)
        assert svg, chart_id
        assert 'role="img"' in svg.group(0)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg.group(0)
        assert f'<title id="{chart_id}-title">' in html and f'<desc id="{chart_id}-desc">' in html
    assert "<title>Lebanon: Persons in need 1,100</title>" in html  # a bar's tooltip
    assert "<title>Iran (Islamic Republic of): 3,000</title>" in html or "<title>Iran" in html
    assert 'fill="#0072BC"' in html  # UNHCR blue
    for table in ("bar-data", "map-data", "state-data", "gap-table"):
        assert f'data-testid="{table}"' in html
    gap_table = html[html.index('data-testid="gap-table"') :]
    lebanon = gap_table[gap_table.index("Lebanon") :][:600]
    assert "1,100" in lebanon and "300" in lebanon and "27.3%" in lebanon  # 300 / 1100
    # No script is needed: the filter is a GET form with a submit button.
    form = re.search(r"<form method=\"get\" action=\"/needs/gap/\".*?</form>", html, re.S)
    assert form and 'type="submit"' in form.group(0)
    assert 'name="year"' in form.group(0) and 'name="cut"' in form.group(0)


def test_gap_page_most_under_covered(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2024")
    unmet = html[html.index('data-testid="most-unmet"') :]
    unmet = unmet[: unmet.index("</table>")]
    names = re.findall(r"<th scope=\"row\"><a [^>]*>([^<]+)</a>", unmet)
    assert names[0] == "Afghanistan" and "3,300" in unmet
    urgent = html[html.index('data-testid="most-urgent"') :]
    urgent = urgent[: urgent.index("</table>")]
    assert re.findall(r"<th scope=\"row\">([^<]+)</th>", urgent)[0] == "Rohingya"
    assert "20.0%" in urgent


def test_gap_page_state_cut_and_multi_year_pledge(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2025&cut=state")
    table = html[html.index('data-testid="gap-table"') :]
    canada = table[table.index("Canada") :][:300]
    assert "1,500" in canada


def test_gap_page_as_of_a_version(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, f"/needs/gap/?year=2024&version={w.pgrn1.pk}")
    assert _testid(html, "total-need") == "6,000"
    assert _testid(html, "total-departed") == "0"
    assert 'data-testid="as-of"' in html and "pgrn v1" in html
    assert client.get(f"/needs/gap/?version={w.private.pk}").status_code == 404
    assert client.get("/needs/gap/?version=nonsense").status_code == 404


def test_signed_in_users_see_private_versions(client: Client, w: SimpleNamespace) -> None:
    client.force_login(User.objects.create_user("reader", "r@example.org", None, role="ngo"))
    html = _html(client, "/needs/gap/?year=2024")
    assert _testid(html, "total-departed") == "10,550"
    assert 'data-testid="several-series"' in html  # two flow series add up
    one = _html(client, "/needs/gap/?year=2024&flows=flows")
    assert _testid(one, "total-departed") == "550"
    assert _html(client, f"/needs/gap/?version={w.private.pk}")


def test_gap_page_bad_filters_fall_back(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=abc&cut=nonsense&flows=unknown")
    assert 'data-testid="headline"' in html
    assert '<option value="global" selected>' in html


def test_gap_page_without_any_data(client: Client, db: None) -> None:
    html = _html(client, "/needs/gap/")
    assert "No dataset has been imported yet." in html


def test_htmx_request_gets_the_panel_only(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2024&cut=population", **{"HX-Request": "true"})
    assert html.startswith('<div id="gap-main">')
    assert "<html" not in html and "Rohingya" in html
    full = _html(client, "/needs/gap/?year=2024")
    assert 'hx-get="/needs/gap/"' in full and 'hx-target="#gap-results"' in full
    assert 'hx-select="#gap-results"' in full and '<div id="gap-results">' in html


def test_gap_page_in_arabic_mirrors_the_charts(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2024&cut=asylum", **{"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl">' in html
    bars = re.search(r'<svg[^>]*id="gap-bars"[^>]*>', html)
    assert bars and 'direction="rtl"' in bars.group(0)
    assert "لبنان" in html  # Lebanon, from the country's Arabic name
    # Numbers keep their sign on the right side in right-to-left text.
    trends = _html(client, "/needs/gap/trends/", **{"Accept-Language": "ar"})
    assert '<span dir="ltr">+300' in trends


def test_trends_page(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/trends/")
    assert 'id="gap-trend"' in html and "<polyline" in html
    table = html[html.index('data-testid="trend-table"') :]
    assert re.search(r"<th scope=\"row\">2024</th><td class=\"rs-num\">6,800</td>", table)
    assert "+300" in table and "(120.0%)" in table  # departures 250 -> 550
    syria = _html(client, "/needs/gap/trends/?cut=population&key=SYR")
    assert "Trends over the years: Syria" in syria or "Syrian Arab Republic" in syria
    assert "1,200" in syria
    assert "Choose which one" in _html(client, "/needs/gap/trends/?cut=asylum")
    assert "Choose which one" in _html(client, "/needs/gap/trends/?cut=asylum&key=XXX")


def test_version_list_and_detail(client: Client, w: SimpleNamespace) -> None:
    listing = _html(client, "/needs/versions/")
    assert "pgrn v2" in listing and "private-flows" not in listing
    detail = _html(client, f"/needs/versions/{w.pgrn2.pk}/")
    assert "UNHCR PGRN 2024, corrected" in detail and "current" in detail
    totals = detail[detail.index('data-testid="version-totals"') :]
    assert "6,800" in totals and "1,200" in totals
    assert f"?a={w.pgrn1.pk}&amp;b={w.pgrn2.pk}" in detail
    assert f"/needs/export/needs.csv?version={w.pgrn2.pk}" in detail
    assert client.get(f"/needs/versions/{w.private.pk}/").status_code == 404
    assert client.get("/needs/versions/999999/").status_code == 404
    client.force_login(User.objects.create_user("reader", "r@example.org", None, role="ngo"))
    assert client.get(f"/needs/versions/{w.private.pk}/").status_code == 200


def test_version_compare(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, f"/needs/versions/compare/?a={w.pgrn1.pk}&b={w.pgrn2.pk}")
    assert _testid(html, "compare-count").startswith("2 figures changed")
    totals = html[html.index('data-testid="compare-totals"') :]
    assert "6,000" in totals and "8,000" in totals and "+2,000" in totals and "33.3%" in totals
    by_population = _html(
        client, f"/needs/versions/compare/?a={w.pgrn1.pk}&b={w.pgrn2.pk}&by=population"
    )
    table = by_population[by_population.index('data-testid="compare-table"') :]
    assert "Sudan" in table and "+700" in table and "added" in table
    mixed = _html(client, f"/needs/versions/compare/?a={w.pgrn1.pk}&b={w.flows.pk}")
    assert "Only versions of the same kind can be compared." in mixed
    assert "Choose two versions" in _html(client, "/needs/versions/compare/")
    hidden = f"/needs/versions/compare/?a={w.pgrn1.pk}&b={w.private.pk}"
    assert client.get(hidden).status_code == 404


def test_navigation_links_to_the_gap(client: Client, db: None) -> None:
    assert 'href="/needs/gap/"' in _html(client, "/")
