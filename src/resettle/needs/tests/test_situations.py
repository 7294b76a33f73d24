"""The priority-situation cut of the gap (figures from gap_fixtures, situations below).

Situations and areas (population in country of asylum; * for any):
  Syrian refugees in the region      SYR in LBN, SYR in JOR
  Afghan refugees in Iran and Pakistan  AFG in IRN, AFG in PAK, AFG in * (overlaps its own areas)
  Central Mediterranean route        * in TCD
  Rohingya refugees                  ROHINGYA in *
  Levant                             * in LBN (overlaps the Syrian situation)
  Somali refugees in Kenya           SOM in KEN (no figures: not shown)
Earmarks (breakdown kind "situation"):
  DEU 2024 pledge: "syrian refugees in the region" 250 (matched whatever the case),
                   "Unknown situation" 10 (no such situation: shown under its own name)
  CAN 2024-2025 pledge: "Afghan refugees in Iran and Pakistan" 601 (301 in 2024, 300 in 2025)

2024, anonymous visitor (current pgrn v2, flows v1):
  Syrian     need 1100 (200 urgent), pledged 250, submitted 500, departed 300
  Afghan     need 3500 (500 urgent), pledged 301, submitted 400, departed 200 (each figure once)
  Central Mediterranean  need 700 (SDN in TCD)
  Rohingya   need 1500 (300 urgent), submitted 100, departed 50
  Levant     need 1100 (200 urgent), submitted 500, departed 300 (the same as Syrian)
  Unknown situation      pledged 10
Signed-in users also count the private flows: Afghan departed 200 + 10000.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from resettle.accounts.models import User
from resettle.directory.models import Country
from resettle.needs import gap
from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut
from resettle.needs.models import (
    PledgeBreakdown,
    Population,
    PrioritySituation,
    SituationArea,
)
from resettle.needs.tests.gap_fixtures import make_gap_world

SYRIA = "Syrian refugees in the region"
AFGHAN = "Afghan refugees in Iran and Pakistan"
CENTRAL_MED = "Central Mediterranean route"
ROHINGYA = "Rohingya refugees"
LEVANT = "Levant"
SOMALI = "Somali refugees in Kenya"


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    world = make_gap_world()
    c, p = world.countries, world.populations
    som = Population.objects.get(code="SOM")
    areas: dict[str, list[tuple[Population | None, str]]] = {
        SYRIA: [(p["SYR"], "LBN"), (p["SYR"], "JOR")],
        AFGHAN: [(p["AFG"], "IRN"), (p["AFG"], "PAK"), (p["AFG"], "")],
        CENTRAL_MED: [(None, "TCD")],
        ROHINGYA: [(p["ROHINGYA"], "")],
        LEVANT: [(None, "LBN")],
        SOMALI: [(som, "KEN")],
    }
    more = Country.objects.in_bulk(["JOR", "KEN"], field_name="iso3")
    countries = {**c, **more}
    world.situations = {}
    for name, covers in areas.items():
        situation = PrioritySituation.objects.create(
            name=name, name_fr=f"{name} (fr)" if name == SYRIA else ""
        )
        world.situations[name] = situation
        for population, iso3 in covers:
            SituationArea.objects.create(
                situation=situation,
                population=population,
                asylum=countries[iso3] if iso3 else None,
            )
    PledgeBreakdown.objects.bulk_create(
        [
            PledgeBreakdown(
                pledge=world.deu_pledge, kind="situation", value=SYRIA.lower(), persons=250
            ),
            PledgeBreakdown(
                pledge=world.deu_pledge, kind="situation", value="Unknown situation", persons=10
            ),
            PledgeBreakdown(pledge=world.can_pledge, kind="situation", value=AFGHAN, persons=601),
        ]
    )
    for each in caches.all():  # the shared cache and the per-process one
        each.clear()
    return world


@pytest.fixture
def signed_in(db: None) -> User:
    return User.objects.create_user("reader", "reader@example.org", None, role="ngo")


def _figures(rows: list[gap.GapRow]) -> dict[str, tuple[int, int, int, int, int]]:
    return {
        r.key: (
            r.figures.need,
            r.figures.need_urgent,
            r.figures.pledged,
            r.figures.submitted,
            r.figures.departed,
        )
        for r in rows
    }


EXPECTED_2024 = {
    SYRIA: (1100, 200, 250, 500, 300),
    AFGHAN: (3500, 500, 301, 400, 200),
    CENTRAL_MED: (700, 0, 0, 0, 0),
    ROHINGYA: (1500, 300, 0, 100, 50),
    LEVANT: (1100, 200, 0, 500, 300),
    "Unknown situation": (0, 0, 10, 0, 0),
}


def test_situation_cut_2024_hand_checked(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None), 2024, Cut.SITUATION)
    assert _figures(view.rows) == EXPECTED_2024
    # Rows largest need first; the world's total is not the sum of overlapping situations.
    assert [r.key for r in view.rows][:2] == [AFGHAN, ROHINGYA]
    assert view.total.need == 6800
    labels = {r.key: r.label for r in view.rows}
    assert labels[SYRIA] == SYRIA and labels["Unknown situation"] == "Unknown situation"


def test_situation_cut_counts_private_flows_for_signed_in_users(
    w: SimpleNamespace, signed_in: User
) -> None:
    view = q.gap_view(q.sources_for(signed_in), 2024, Cut.SITUATION)
    assert _figures(view.rows)[AFGHAN] == (3500, 500, 301, 400, 10200)


def test_multi_year_earmark_for_a_situation_2025(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None), 2025, Cut.SITUATION)
    figures = _figures(view.rows)
    assert figures[AFGHAN] == (0, 0, 300, 0, 0)
    assert figures[SYRIA] == (1200, 0, 0, 0, 0)  # pgrn v2: SYR in LBN 1200 in 2025
    assert figures[LEVANT] == (1200, 0, 0, 0, 0)


def test_situation_labels_follow_the_language(w: SimpleNamespace) -> None:
    with translation.override("fr"):
        labels = q.Lookups.load().labels(Cut.SITUATION)
    assert labels[SYRIA] == f"{SYRIA} (fr)"
    assert labels[AFGHAN] == AFGHAN  # no French name: the English one


def test_situation_trends(w: SimpleNamespace) -> None:
    points = q.trend_for(q.sources_for(None), Cut.SITUATION, SYRIA.upper())
    by_year = {
        p.year: (p.figures.need, p.figures.pledged, p.figures.submitted, p.figures.departed)
        for p in points
    }
    assert by_year == {
        2023: (0, 0, 300, 250),
        2024: (1100, 250, 500, 300),
        2025: (1200, 0, 0, 0),
    }
    afghan = {
        p.year: (p.figures.need, p.figures.pledged, p.figures.departed)
        for p in q.trend_for(q.sources_for(None), Cut.SITUATION, AFGHAN)
    }
    # AFG in IRN and PAK match two areas of the situation each, and count once.
    assert afghan == {2024: (3500, 301, 200), 2025: (0, 300, 0)}
    assert q.trend_for(q.sources_for(None), Cut.SITUATION, "No such situation") == []


def test_editing_situation_areas_is_not_hidden_by_the_cache(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    assert _figures(q.gap_view(sources, 2024, Cut.SITUATION).rows)[CENTRAL_MED][0] == 700
    SituationArea.objects.create(
        situation=w.situations[CENTRAL_MED], asylum=w.countries["BGD"], population=None
    )
    assert _figures(q.gap_view(sources, 2024, Cut.SITUATION).rows)[CENTRAL_MED][0] == 2200
    area = SituationArea.objects.get(situation=w.situations[CENTRAL_MED], asylum__iso3="BGD")
    area.asylum = w.countries["PAK"]
    area.save()
    assert _figures(q.gap_view(sources, 2024, Cut.SITUATION).rows)[CENTRAL_MED][0] == 1200
    # The other cuts are untouched.
    assert q.gap_view(sources, 2024, Cut.GLOBAL).total.need == 6800


def test_an_area_names_a_population_or_a_country(w: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        SituationArea(situation=w.situations[LEVANT]).full_clean()
    with pytest.raises(ValidationError):
        SituationArea(situation=w.situations[LEVANT], asylum=w.countries["LBN"]).full_clean()
    assert PrioritySituation.objects.visible_to(None).count() == 6


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_gap_page_situation_cut(client: Client, w: SimpleNamespace) -> None:
    html = _html(client, "/needs/gap/?year=2024&cut=situation")
    assert '<option value="situation" selected>Priority situation</option>' in html
    table = html[html.index('data-testid="gap-table"') :]
    table = table[: table.index("</table>")]
    for name in (SYRIA, AFGHAN, CENTRAL_MED, ROHINGYA, LEVANT, "Unknown situation"):
        assert name in table
    assert SOMALI not in table
    assert "cut=situation&amp;key=Afghan%20refugees%20in%20Iran%20and%20Pakistan" in table
    assert "3,500" in table and "301" in table and "10" in table
    assert 'data-testid="situation-note"' in html


def test_gap_trends_page_for_a_situation(client: Client, w: SimpleNamespace) -> None:
    html = _html(
        client, "/needs/gap/trends/?" + urlencode({"cut": "situation", "key": AFGHAN.lower()})
    )
    table = html[html.index('data-testid="trend-table"') :]
    assert "3,500" in table and "301" in table
    assert "Pledged places here are those earmarked for it." in html


def test_api_gap_situation_cut(client: Client, w: SimpleNamespace) -> None:
    response = client.get("/api/v1/gap?year=2024&cut=situation")
    assert response.status_code == 200, response.content[:300]
    data: Any = response.json()
    assert data["cut"] == "situation"
    rows = {
        r["key"]: (
            r["figures"]["need"],
            r["figures"]["need_urgent"],
            r["figures"]["pledged"],
            r["figures"]["submitted"],
            r["figures"]["departed"],
        )
        for r in data["rows"]
    }
    assert rows == EXPECTED_2024
    trend = client.get("/api/v1/gap/trends", {"cut": "situation", "key": AFGHAN}).json()
    assert [(p["year"], p["figures"]["pledged"]) for p in trend["points"]] == [
        (2024, 301),
        (2025, 300),
    ]


def test_gap_export_situation_cut(client: Client, w: SimpleNamespace) -> None:
    response = client.get("/needs/export/gap.csv?year=2024&cut=situation")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert f"2024,situation,{AFGHAN},{AFGHAN},3500,500,301,400,200" in body
    hxl = b"".join(
        client.get("/needs/export/gap.hxl?year=2024&cut=situation").streaming_content  # type: ignore[attr-defined]
    ).decode()
    assert "#crisis+name" in hxl.splitlines()[1]
