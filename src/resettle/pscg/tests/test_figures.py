"""Objective 1 from hand-built pledges in the database (pscg/figures.py), and the
situation's needs from the gap."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut
from resettle.pscg import figures
from resettle.pscg.models import SituationTarget
from resettle.pscg.tests.fixtures import make_pledges, make_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> SimpleNamespace:
    w = SimpleNamespace()
    make_situation(w)
    w.versions = make_pledges(w)
    SituationTarget.objects.create(situation=w.situation, year=2026, places=500)
    return w


def test_objective1_by_state_and_year(pw: SimpleNamespace) -> None:
    result = figures.objective1_for_user(pw.situation, None)
    # DEU 2025: 300 (the "Other" earmark does not count); DEU 2026: 200 from its own series.
    # CAN 2025: 151 of the 301 spread over 2025-2026; CAN 2026 replaced by a later
    # version that earmarks nothing for the situation: 0.
    by_state = {country.iso3: years for country, years in result.states}
    assert by_state == {"DEU": {2025: 300, 2026: 200}, "CAN": {2025: 151}}
    assert [(y.year, y.target, y.pledged) for y in result.years] == [
        (2025, 1000, 451),
        (2026, 500, 200),
    ]
    assert result.for_year(2025).progress == pytest.approx(0.451)
    assert result.for_year(2026).remaining == 300
    assert result.for_year(2030).target is None


def test_objective1_agrees_with_the_gap(pw: SimpleNamespace) -> None:
    sources = q.sources_for(None)
    result = figures.objective1(pw.situation, sources)
    for year in (2025, 2026):
        view = q.gap_view(sources, year, Cut.SITUATION)
        row = next(r for r in view.rows if r.key == pw.situation.name)
        assert row.figures.pledged == result.for_year(year).pledged


def test_with_one_version_everything_counts(pw: SimpleNamespace) -> None:
    sources = q.Sources((pw.versions.base,))
    result = figures.objective1(pw.situation, sources)
    by_state = {country.iso3: years for country, years in result.states}
    assert by_state == {"DEU": {2025: 300}, "CAN": {2025: 151, 2026: 150}}


def test_private_versions_count_for_signed_in_users_only(pw: SimpleNamespace, users: dict) -> None:
    pw.versions.deu_own.is_public = False
    pw.versions.deu_own.save()
    anonymous = figures.objective1_for_user(pw.situation, None)
    signed_in = figures.objective1_for_user(pw.situation, users["refugee"])
    assert anonymous.for_year(2026).pledged == 0
    assert signed_in.for_year(2026).pledged == 200


def test_situation_needs_row(pw: SimpleNamespace) -> None:
    needs = figures.situation_needs(pw.situation, None, 2025)
    assert needs.year == 2025
    assert needs.row is not None
    assert needs.row.figures.pledged == 451
    assert 2026 in needs.years
