"""The PSCG demo: loads after the base demo, marks everything illustrative, and a
second load creates nothing."""

from __future__ import annotations

import pytest

from resettle.demo.services import do_load_demo
from resettle.needs.models import PrioritySituation
from resettle.pscg.demo import load_pscg_demo
from resettle.pscg.models import HostCountryUpdate, PracticeExchange, SituationTarget

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_illustrative() -> None:
    created = do_load_demo().situations  # the base demo loads the PSCG's records too
    situations = PrioritySituation.objects.count()
    assert created == SituationTarget.objects.count() + PracticeExchange.objects.count() + (
        HostCountryUpdate.objects.count()
    )
    assert SituationTarget.objects.count() == 3 * situations
    assert set(SituationTarget.objects.values_list("year", flat=True)) == {2025, 2026, 2027}
    assert PracticeExchange.objects.filter(topic="remote_interview").exists()
    assert PracticeExchange.objects.filter(topic="dossier").exists()
    assert HostCountryUpdate.objects.filter(host_country__iso3="PAK").exists()
    assert HostCountryUpdate.objects.filter(host_country__iso3="BGD").exists()
    for model in (SituationTarget, PracticeExchange, HostCountryUpdate):
        assert not model.objects.filter(is_illustrative=False).exists()
    assert load_pscg_demo() == 0


def test_demo_skips_absent_situations() -> None:
    assert load_pscg_demo() == 0
