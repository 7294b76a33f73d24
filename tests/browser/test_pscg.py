"""Priority situations: UNHCR sets a target for a situation and records a
members-only host-country update; an anonymous visitor sees the target but
not the update."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser


def test_target_and_host_country_update(page: Page, browser_world: World) -> None:
    from resettle.directory.models import Country
    from resettle.needs.models import PrioritySituation, SituationArea
    from resettle.pscg.models import HostCountryUpdate, SituationTarget

    situation = PrioritySituation.objects.create(
        name="Central Mediterranean route", description="Refugees along the route."
    )
    SituationArea.objects.create(situation=situation, asylum=Country.objects.get(iso3="LBY"))
    SituationArea.objects.create(situation=situation, asylum=Country.objects.get(iso3="NER"))

    log_in(page, "ulrich")
    page.goto("/situations/")
    page.get_by_role("link", name="Central Mediterranean route").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Central Mediterranean route")
    expect(page.get_by_test_id("hosts")).to_contain_text("Libya")

    page.get_by_role("link", name="Set a target").click()
    expect(page.get_by_label("Priority situation")).to_have_value(str(situation.pk))
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Target places").fill("4000")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/situations/{situation.pk}/\?year=2026$"))
    expect(page.get_by_test_id("objective1-years")).to_contain_text("4,000")
    assert SituationTarget.objects.get(situation=situation, year=2026).places == 4000

    page.get_by_role("link", name="Niger").click()
    page.get_by_role("link", name="Record an update").click()
    expect(page.get_by_label("Host country")).to_have_value(str(Country.objects.get(iso3="NER").pk))
    page.get_by_label("Access to work").fill("6")
    page.get_by_label("Update").fill("Evacuations from Libya resumed.")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".invalid-feedback[data-field=access_to_work]")
    expect(error).to_be_visible()
    page.get_by_label("Access to work").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Niger")
    update = HostCountryUpdate.objects.get(situation=situation)
    assert update.access_to_work == 3 and update.access == "members"
    screenshot(page, "pscg-host-update")

    page.goto(f"/situations/{situation.pk}/hosts/NER/")
    expect(page.get_by_test_id("indicators")).to_contain_text("3 of 5")

    page.context.clear_cookies()
    page.goto(f"/situations/{situation.pk}/hosts/NER/")
    expect(page.get_by_test_id("no-updates")).to_be_visible()
    page.goto(f"/situations/{situation.pk}/")
    expect(page.get_by_test_id("targets")).to_contain_text("4000")
