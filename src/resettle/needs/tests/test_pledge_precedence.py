"""Pledges of several series: a State pledging for a year in more than one counts once,
with the pledges of the latest version (gap_fixtures' world, plus the figures below).

On top of gap_fixtures ("pledges" v1, 2024-02-01: DEU 2024 1,000 places, 100
emergency/urgent, 50 unallocated, earmarked SYR 400, LBN 300, MENA 500; CAN
2024-2025 3,001 places, 301 emergency/urgent):

"pledges-DEU" v1 (2024-05-01), Germany's own recorded series:
  DEU 2024-2025: 1,201 places, 121 emergency/urgent, earmarked SYR 201
                 (multi-year: 601 + 600 places, 61 + 60, SYR 101 + 100)
  DEU 2024 top-up: 100 places, 10 emergency/urgent, earmarked AFG 40
  -> DEU 2024: 601 + 100 = 701 places (not 1,000 + 701), 71 emergency/urgent,
     0 unallocated, earmarks SYR 101 and AFG 40 (pledges v1's SYR 400, LBN 300 and
     MENA 500 no longer count); DEU 2025: 600, SYR 100
  2024: pledged 701 + 1,501 (CAN) = 2,202, emergency/urgent 71 + 151 = 222,
        unallocated 0; 2025: 600 + 1,500 = 2,100

"pledges" v2 (2024-07-01), newer than Germany's series:
  DEU 2024: 1,500 places, 150 emergency/urgent, earmarked SYR 300
  CAN 2024-2025: 4,001 places (2,001 + 2,000)
  -> current: DEU 2024 1,500 (v2 wins), DEU 2025 600 (only Germany's series
     pledges for 2025: the multi-year pledge's second year); CAN 2,001 and 2,000;
     2024: 3,501, 2025: 2,600; SYR 2024 300, SYR 2025 100, AFG 2024 0
  -> as of pledges-DEU v1: pledges v1 and pledges-DEU v1, Germany's (older than
     v2) wins again: the figures of the first block.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut
from resettle.needs.models import Pledge
from resettle.needs.tests.gap_fixtures import (
    add_newer_pledges_import,
    add_state_pledges_series,
    make_gap_world,
)


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    world = make_gap_world()
    world.deu_series = add_state_pledges_series(world)
    return world


def _pledged(view: q.GapView) -> dict[str, int]:
    return {r.key: r.figures.pledged for r in view.rows if r.figures.pledged}


def test_a_state_in_two_series_counts_once_with_the_latest_version(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    assert sources.ids("pledges") == [w.pledges.pk, w.deu_series.pk]
    view = q.gap_view(sources, 2024, Cut.STATE)
    t = view.total
    assert (t.pledged, t.pledged_emergency_urgent, t.pledged_unallocated) == (2202, 222, 0)
    assert _pledged(view) == {"DEU": 701, "CAN": 1501}
    assert q.gap_view(sources, 2025, Cut.STATE).total.pledged == 2100
    assert _pledged(q.gap_view(sources, 2025, Cut.STATE)) == {"DEU": 600, "CAN": 1500}


def test_earmarks_follow_the_winning_version(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    assert _pledged(q.gap_view(sources, 2024, Cut.POPULATION)) == {"SYR": 101, "AFG": 40}
    # Only the losing version earmarked places for Lebanon and the region: none count.
    assert _pledged(q.gap_view(sources, 2024, Cut.ASYLUM)) == {}
    assert _pledged(q.gap_view(sources, 2024, Cut.REGION)) == {}
    assert _pledged(q.gap_view(sources, 2025, Cut.POPULATION)) == {"SYR": 100}


def test_trends_and_roadmap_count_the_latest_version(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    assert [(p.year, p.figures.pledged) for p in q.trend_for(sources)] == [
        (2023, 0),
        (2024, 2202),
        (2025, 2100),
    ]
    germany = q.trend_for(sources, Cut.STATE, "DEU")
    assert [(p.year, p.figures.pledged) for p in germany] == [(2023, 0), (2024, 701), (2025, 600)]
    # An earmark filter does not change which version wins: pledges v1's places for
    # Lebanon lose to Germany's own series although it earmarks none for Lebanon.
    lebanon = q.trend_for(sources, Cut.ASYLUM, "LBN")
    assert [(p.year, p.figures.pledged) for p in lebanon] == [(2023, 0), (2024, 0), (2025, 0)]
    syria = q.trend_for(sources, Cut.POPULATION, "SYR")
    assert [(p.year, p.figures.pledged) for p in syria] == [(2023, 0), (2024, 101), (2025, 100)]
    assert q.roadmap_progress(sources, 2025).pledged == 2202 + 2100


def test_a_newer_import_wins_back_and_as_of_the_older_version_it_loses(
    w: SimpleNamespace,
) -> None:
    v2 = add_newer_pledges_import(w)
    sources = q.sources_for(None)
    assert sources.ids("pledges") == [v2.pk, w.deu_series.pk]
    state_2024 = q.gap_view(sources, 2024, Cut.STATE)
    assert _pledged(state_2024) == {"DEU": 1500, "CAN": 2001}
    assert state_2024.total.pledged_emergency_urgent == 150
    # 2025: only Germany's series pledges for Germany (its multi-year pledge's second year).
    assert _pledged(q.gap_view(sources, 2025, Cut.STATE)) == {"DEU": 600, "CAN": 2000}
    assert _pledged(q.gap_view(sources, 2024, Cut.POPULATION)) == {"SYR": 300}
    assert _pledged(q.gap_view(sources, 2025, Cut.POPULATION)) == {"SYR": 100}
    assert q.roadmap_progress(sources, 2025).pledged == 3501 + 2600

    as_of = q.sources_for(None, as_of=w.deu_series)
    assert as_of.ids("pledges") == [w.pledges.pk, w.deu_series.pk]
    assert _pledged(q.gap_view(as_of, 2024, Cut.STATE)) == {"DEU": 701, "CAN": 1501}
    assert _pledged(q.gap_view(as_of, 2024, Cut.POPULATION)) == {"SYR": 101, "AFG": 40}
    assert q.gap_view(as_of, 2024).total.pledged == 2202


def test_one_series_chosen_counts_all_its_pledges(w: SimpleNamespace) -> None:
    only_import = q.sources_for(None, series={"pledges": "pledges"})
    assert _pledged(q.gap_view(only_import, 2024, Cut.STATE)) == {"DEU": 1000, "CAN": 1501}
    only_germany = q.sources_for(None, series={"pledges": "pledges-DEU"})
    assert _pledged(q.gap_view(only_germany, 2024, Cut.STATE)) == {"DEU": 701}


def _pledge_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [
        s["sql"]
        for s in ctx.captured_queries
        if Pledge._meta.db_table in s["sql"] and "resettle_cache" not in s["sql"]
    ]


def test_deciding_the_winners_costs_no_query_without_a_filter(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    with CaptureQueriesContext(connection) as ctx:
        q.gap_view(sources, 2024, Cut.ASYLUM)
    # The year's pledges (which also decide the winners), its earmarks, the Roadmap's.
    assert len(_pledge_queries(ctx)) == 3, _pledge_queries(ctx)
    with CaptureQueriesContext(connection) as ctx:
        q.trend_for(sources, Cut.POPULATION, "SYR")
    # A population's trend reads no whole pledges (only earmarks count), but the winners
    # still take one small query of their own, on every pledge of the years.
    sql = _pledge_queries(ctx)
    assert len(sql) == 2 and "DISTINCT" in sql[0] and "breakdown" not in sql[0], sql


def test_pages_say_pledges_count_once(client: Client, w: SimpleNamespace) -> None:
    html = client.get("/needs/gap/?year=2024").content.decode()
    assert (
        "Pledges: a State pledging in several series "
        '(<bdi dir="ltr">pledges, pledges-DEU</bdi>) counts once per '
        "year, with the figures of the latest version." in html
    )
    assert 'data-testid="total-pledged">2,202<' in html
    assert "Pledges: the figures of several series are added together" not in html
    brief = client.get("/needs/brief/?year=2024&lang=en").content.decode()
    assert "counts once per year, with the figures of the latest version" in brief
