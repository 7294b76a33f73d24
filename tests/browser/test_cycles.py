"""Planning a consultation cycle: the NGO co-chair must come from the chairing State."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

THEME = "Complementary pathways for refugee families"


def test_cycle_rejects_ngo_cochair_from_another_state(page: Page, browser_world: World) -> None:
    from resettle.forums.models import ConsultationCycle

    log_in(page, "ulrich")
    page.goto(f"/forums/{browser_world.consultation.pk}/")
    page.get_by_role("link", name="Plan a cycle").click()
    expect(page).to_have_url(re.compile(r"/forums/cycles/add/\?forum=\d+$"))
    expect(page.get_by_label("Consultation")).to_have_value(str(browser_world.consultation.pk))

    page.get_by_label("First year").fill("2031")
    page.get_by_label("Last year").fill("2032")
    page.get_by_label("Chairing State").select_option(label="Germany")
    page.get_by_label("Government co-chair").select_option(str(browser_world.german_ministry.pk))
    page.get_by_label("NGO co-chair").select_option(str(browser_world.french_ngo.pk))
    page.get_by_label("Theme").fill(THEME)
    page.get_by_role("button", name="Save").click()

    error = page.locator(".invalid-feedback[data-field=ngo_cochair]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Germany")
    expect(error).to_contain_text("France")
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    # What was typed and chosen is kept.
    expect(page.get_by_label("Theme")).to_have_value(THEME)
    expect(page.get_by_label("First year")).to_have_value("2031")
    expect(page.get_by_label("Last year")).to_have_value("2032")
    expect(page.get_by_label("Government co-chair")).to_have_value(
        str(browser_world.german_ministry.pk)
    )
    expect(page.get_by_label("NGO co-chair")).to_have_value(str(browser_world.french_ngo.pk))
    screenshot(page, "06-cycle-form-error")
    assert not ConsultationCycle.objects.exists()

    page.get_by_label("NGO co-chair").select_option(str(browser_world.german_ngo.pk))
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/forums/cycles/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CRCP 2031-32")
    expect(page.get_by_role("status")).to_have_text("Saved.")
    details = page.locator("dl")
    expect(details).to_contain_text("Germany")
    expect(details).to_contain_text("Federal Ministry of the Interior (BMI)")
    expect(details).to_contain_text("Caritas Germany (DCV)")
    expect(details).to_contain_text(THEME)
    expect(page.locator("[data-testid=history] tbody tr")).to_have_count(1)
    screenshot(page, "07-cycle-detail")

    cycle = ConsultationCycle.objects.get()
    assert (cycle.state.iso3, cycle.government_cochair, cycle.ngo_cochair) == (
        "DEU",
        browser_world.german_ministry,
        browser_world.german_ngo,
    )
    assert (cycle.start_year, cycle.end_year, cycle.theme) == (2031, 2032, THEME)
