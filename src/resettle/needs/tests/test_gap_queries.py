"""The gap's database side: which versions count, and the GROUP BY queries (see gap_fixtures)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Sum
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from resettle.accounts.models import User
from resettle.needs import gap
from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut
from resettle.needs.models import DatasetVersion, FlowFigure, NeedFigure
from resettle.needs.tests.gap_fixtures import make_gap_world, version


@pytest.fixture
def w(db: None) -> SimpleNamespace:
    return make_gap_world()


@pytest.fixture
def signed_in(db: None) -> User:
    return User.objects.create_user("reader", "reader@example.org", None, role="ngo")


def test_current_sources_for_anonymous_and_signed_in(w: SimpleNamespace, signed_in: User) -> None:
    anonymous = q.sources_for(None)
    assert {v.pk for v in anonymous.versions} == {w.pgrn2.pk, w.pledges.pk, w.flows.pk}
    everyone = q.sources_for(signed_in)
    assert {v.pk for v in everyone.versions} == {
        w.pgrn2.pk,
        w.pledges.pk,
        w.flows.pk,
        w.private.pk,
    }


def test_sources_as_of_a_version_are_what_was_current_then(w: SimpleNamespace) -> None:
    as_of_first = q.sources_for(None, as_of=w.pgrn1)
    assert [v.pk for v in as_of_first.versions] == [w.pgrn1.pk]  # nothing else existed yet
    as_of_flows = q.sources_for(None, as_of=w.flows)
    assert {v.pk for v in as_of_flows.versions} == {w.pgrn1.pk, w.pledges.pk, w.flows.pk}


def test_series_filter_keeps_one_series_of_a_kind(w: SimpleNamespace, signed_in: User) -> None:
    sources = q.sources_for(signed_in, series={"flows": "private-flows"})
    assert sources.ids("flows") == [w.private.pk]
    assert sources.ids("needs") == [w.pgrn2.pk]
    assert q.series_choices(signed_in)["flows"] == ["flows", "private-flows"]
    assert q.series_choices(None)["flows"] == ["flows"]


def test_failed_and_hidden_versions_are_404(w: SimpleNamespace) -> None:
    failed = version("needs", "pgrn", 3, w.now, status="failed")
    with pytest.raises(Http404):
        q.get_version_for_user(failed.pk, None)
    assert q.get_version_for_user(failed.pk, None, done=False) == failed
    with pytest.raises(Http404):
        q.get_version_for_user(w.private.pk, None)
    with pytest.raises(Http404):
        q.get_version_for_user("not-a-number", None)
    # A failed import never becomes the current version.
    assert q.sources_for(None).ids("needs") == [w.pgrn2.pk]


def test_global_gap_2024_hand_checked(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None), 2024)
    t = view.total
    assert (t.need, t.need_urgent) == (6800, 1000)
    assert (t.pledged, t.pledged_emergency_urgent, t.pledged_unallocated) == (2501, 251, 50)
    assert (t.submitted, t.submitted_timed, t.departed, t.departed_within_6_months) == (
        1000,
        600,
        550,
        120,
    )
    eu, six = view.indicators
    assert eu.value == pytest.approx(251 / 2501)
    assert six.value == pytest.approx(0.2) and six.met is False
    assert (view.roadmap.departed, view.roadmap.pledged) == (800, 2501)
    assert [r.key for r in view.rows] == [q.GLOBAL_KEY]


def test_signed_in_users_count_private_versions(w: SimpleNamespace, signed_in: User) -> None:
    view = q.gap_view(q.sources_for(signed_in), 2024)
    assert view.total.departed == 10550


def test_multi_year_pledge_counts_its_share_each_year(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None), 2025, Cut.STATE)
    by_key = {r.key: r.figures for r in view.rows}
    assert by_key["CAN"].pledged == 1500
    assert by_key["CAN"].pledged_emergency_urgent == 150
    assert "DEU" not in by_key
    assert view.total.need == 1200


def test_cuts_2024(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    by_cut = {
        cut: {r.key: r.figures for r in q.gap_view(sources, 2024, cut).rows} for cut in Cut.values
    }
    asylum = by_cut[Cut.ASYLUM]
    assert asylum["LBN"].need == 1100 and asylum["LBN"].pledged == 300
    assert asylum["LBN"].departed == 300 and asylum["IRN"].need == 3000
    population = by_cut[Cut.POPULATION]
    assert population["AFG"].need == 3500 and population["AFG"].need_urgent == 500
    assert population["SYR"].pledged == 400  # earmarked for Syrians
    assert population["ROHINGYA"].departed == 50
    region = by_cut[Cut.REGION]
    assert region["Middle East and North Africa"].need == 1100
    assert region["Middle East and North Africa"].pledged == 500
    assert region["Asia and the Pacific"].need == 3500 + 1500  # Iran, Pakistan, Bangladesh
    state = by_cut[Cut.STATE]
    assert state["DEU"].pledged == 1000 and state["DEU"].departed == 300
    assert state["CAN"].pledged == 1501 and state["CAN"].submitted == 500
    assert all(f.need == 0 for f in state.values())  # needs are not by resettlement State
    # Every cut adds up to the global totals of what it can attribute.
    for cut in (Cut.ASYLUM, Cut.POPULATION, Cut.REGION):
        assert sum(f.need for f in by_cut[cut].values()) == 6800
        assert sum(f.departed for f in by_cut[cut].values()) == 550
    assert sum(f.pledged for f in state.values()) == 2501


def test_under_covered_populations(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None), 2024)
    assert [r.key for r in view.most_unmet] == ["AFG", "ROHINGYA", "SYR", "SDN"]
    assert view.most_unmet[0].figures.unmet_need == 3300
    urgent = [(r.key, round(r.ratios.urgent_share or 0, 3)) for r in view.most_urgent]
    assert urgent == [("ROHINGYA", 0.2), ("SYR", 0.182), ("AFG", 0.143)]


def test_as_of_first_pgrn_shows_first_figures(w: SimpleNamespace) -> None:
    view = q.gap_view(q.sources_for(None, as_of=w.pgrn1), 2024)
    assert view.total.need == 6000 and view.total.pledged == 0 and view.total.departed == 0


def test_trends(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    points = q.trend_for(sources)
    assert [p.year for p in points] == [2023, 2024, 2025]
    assert [p.figures.departed for p in points] == [250, 550, 0]
    assert [p.figures.pledged for p in points] == [0, 2501, 1500]
    change = points[1].changes["departed"]
    assert change is not None and change.diff == 300 and change.pct == pytest.approx(1.2)
    syria = q.trend_for(sources, Cut.POPULATION, "syr")
    assert [(p.year, p.figures.need, p.figures.pledged) for p in syria] == [
        (2023, 0, 0),
        (2024, 1100, 400),
        (2025, 1200, 0),
    ]
    germany = q.trend_for(sources, Cut.STATE, "DEU")
    assert [(p.year, p.figures.pledged, p.figures.departed) for p in germany] == [
        (2023, 0, 250),
        (2024, 1000, 300),
    ]
    assert q.trend_for(sources, Cut.ASYLUM, "XXX") == []


def test_available_years_and_default(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    years = q.available_years(sources)
    assert years == [2025, 2024, 2023]
    assert q.default_year(years, 2024) == 2024
    assert q.default_year(years, 2030) == 2025
    assert q.default_year(years, 2000) == 2025
    assert q.default_year([], 2026) == 2026


def test_compare_versions(w: SimpleNamespace) -> None:
    differences, before, after = q.compare_versions(w.pgrn1, w.pgrn2)
    assert before == {"persons": 6000} and after == {"persons": 8000}
    assert [(d.key, d.before, d.after, d.status) for d in differences] == [
        ((2025, ""), None, 1200, "added"),
        ((2024, ""), 6000, 6800, "changed"),
    ]
    by_population, _b, _a = q.compare_versions(w.pgrn1, w.pgrn2, "population")
    assert [(d.key, d.diff) for d in by_population] == [
        ((2025, "SYR"), 1200),
        ((2024, "SDN"), 700),
        ((2024, "SYR"), 100),
    ]


def test_one_group_by_query_per_table(w: SimpleNamespace) -> None:
    """A gap view reads each table with one GROUP BY for the year, plus the
    Roadmap's GROUP BY year, and the three reference lookups (countries, populations,
    priority situations with their areas)."""
    sources = q.sources_for(None)
    with CaptureQueriesContext(connection) as ctx:
        q.gap_view(sources, 2024, Cut.ASYLUM)
    # The shared cache's own reads and writes (settings.CACHES) are not reads of figures.
    sql = [
        q_["sql"]
        for q_ in ctx.captured_queries
        if "resettle_cache" not in q_["sql"] and "SAVEPOINT" not in q_["sql"]
    ]
    assert len(sql) <= 9, sql
    flows = [s for s in sql if FlowFigure._meta.db_table in s]
    assert len(flows) == 2 and all("GROUP BY" in s for s in flows)
    needs = [s for s in sql if NeedFigure._meta.db_table in s]
    assert len(needs) == 1 and "GROUP BY" in needs[0]


def test_grouped_figures_are_cached_per_set_of_versions(w: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    q.gap_view(sources, 2024)
    with CaptureQueriesContext(connection) as ctx:
        again = q.gap_view(sources, 2024)
    assert not [s for s in ctx.captured_queries if FlowFigure._meta.db_table in s["sql"]]
    assert again.total.departed == 550
    # A new version is a new set of versions: nothing stale.
    newer = version("flows", "flows", 2, w.now)
    FlowFigure.objects.create(
        version=newer,
        year=2024,
        origin=w.populations["SYR"],
        resettlement_state=w.countries["DEU"],
        departed=7,
    )
    assert q.gap_view(q.sources_for(None), 2024).total.departed == 7


def test_flows_query_uses_the_version_year_index(w: SimpleNamespace) -> None:
    """With enough rows, the planner (PostgreSQL's and SQLite's) reads the year's flows
    through the (version, year) index."""
    flows = DatasetVersion.objects.get(pk=w.flows.pk)
    p = w.populations["SYR"]
    c = w.countries
    FlowFigure.objects.bulk_create(
        FlowFigure(
            version=flows,
            year=1990 + i % 30,
            origin=p,
            asylum=c["LBN"],
            resettlement_state=c["DEU"],
            departed=1,
        )
        for i in range(30000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_flowfigure")
    qs = (
        FlowFigure.objects.filter(version_id__in=[flows.pk], year=2024)
        .values("origin_id", "asylum_id", "resettlement_state_id")
        .order_by()
        .annotate(departed=Sum("departed"))
    )
    plan = qs.explain()
    assert "flow_version_year" in plan, plan


def test_figures_add_up() -> None:
    assert gap.add_all([gap.Figures(need=1), gap.Figures(need=2, departed=1)]) == gap.Figures(
        need=3, departed=1
    )
