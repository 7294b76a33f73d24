"""The advocacy brief (page in English and Arabic, and its PDF) reached from the gap page,
and the pledge form a State official records their State's pledge with."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, World, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def gap_world(countries: None, live_server: Any) -> SimpleNamespace:
    """The hand-checked figures of the gap's tests (populations reloaded if flushed)."""
    from resettle.directory.models import Country
    from resettle.needs.models import Population
    from resettle.needs.tests.gap_fixtures import make_gap_world

    for code, iso3 in (("SYR", "SYR"), ("AFG", "AFG"), ("SDN", "SDN"), ("ROHINGYA", None)):
        country = Country.objects.get(iso3=iso3) if iso3 else None
        Population.objects.get_or_create(
            code=code,
            defaults={
                "country": country,
                "name_en": country.name_en if country else "Rohingya",
                "name_ar": country.name_ar if country else "الروهينغا",
                "name_fr": country.name_fr if country else "Rohingya",
            },
        )
    return make_gap_world()


@pytest.fixture
def state_official(browser_world: World) -> Any:
    """An official of Germany's Federal Ministry of the Interior (a State body)."""
    from resettle.accounts.models import User
    from resettle.accounts.roles import Role

    return User.objects.create_user(
        "stefan",
        password=PASSWORD,
        first_name="Stefan",
        last_name="Brandt",
        role=Role.STATE,
        organisation=browser_world.german_ministry,
    )


def test_advocacy_brief_from_the_gap_page(page: Page, gap_world: SimpleNamespace) -> None:
    page.goto("/needs/gap/?year=2024")
    expect(page.get_by_test_id("total-need")).to_have_text("6,800")
    pdf_href = page.get_by_role("link", name="Advocacy brief (PDF)").get_attribute("href")
    assert pdf_href and "year=2024" in pdf_href

    page.get_by_role("link", name="Advocacy brief", exact=True).click()
    expect(page).to_have_url(re.compile(r"/needs/brief/\?.*year=2024"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Resettlement needs and pledges: advocacy brief, 2024"
    )
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_test_id("brief-need")).to_have_text("6,800")
    expect(page.get_by_test_id("brief-pledged")).to_have_text("2,501")
    expect(page.get_by_test_id("brief-submitted")).to_have_text("1,000")
    expect(page.get_by_test_id("brief-departed")).to_have_text("550")
    expect(page.get_by_test_id("brief-states")).to_contain_text("Germany")
    screenshot(page, "30-brief-en")

    # The language switch in the brief's toolbar.
    page.locator('nav.toolbar a[lang="ar"]').click()
    expect(page).to_have_url(re.compile(r"lang=ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_test_id("brief-states")).to_contain_text("ألمانيا")
    expect(page.get_by_test_id("brief-top-populations")).to_contain_text("أفغانستان")
    screenshot(page, "31-brief-ar-rtl")

    # The PDF the gap page links to.
    response = page.request.get(pdf_href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_state_official_records_a_pledge(page: Page, state_official: Any) -> None:
    from resettle.needs.models import Pledge

    log_in(page, "stefan")
    page.goto("/needs/pledges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pledges")
    page.get_by_role("link", name="Record a pledge").click()
    expect(page).to_have_url(re.compile(r"/needs/pledges/record/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a pledge")
    # The official's own State is chosen for them.
    expect(page.get_by_label("Resettlement State")).to_have_value("DEU")

    page.get_by_label(re.compile(r"^Year")).fill("2026")
    page.get_by_label("Places reserved for emergency and urgent cases").fill("500")
    page.get_by_label("Processing modality").select_option("interview")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save").click()

    # Refused: the places pledged are required; what was typed is kept.
    error = page.locator("#id_persons_error")
    expect(error).to_have_text("This field is required.")
    expect(page.get_by_label("Places pledged")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Resettlement State")).to_have_value("DEU")
    expect(page.get_by_label(re.compile(r"^Year"))).to_have_value("2026")
    expect(page.get_by_label("Places reserved for emergency and urgent cases")).to_have_value("500")
    expect(page.get_by_label("Processing modality")).to_have_value("interview")
    expect(page.get_by_label("Status")).to_have_value("in_progress")
    assert not Pledge.objects.exists()
    screenshot(page, "32-pledge-form-error")

    page.get_by_label("Places pledged").fill("5000")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/needs/pledges/\?state=DEU&year=2026$"))
    expect(page.get_by_role("status").filter(has_text="The pledge is recorded")).to_be_visible()
    rows = page.get_by_test_id("pledges").locator("tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.locator("td").nth(0)).to_have_text("Germany")
    expect(row.locator("td").nth(1)).to_have_text("2026")
    expect(row.locator("td").nth(2)).to_have_text("5,000")
    expect(row.locator("td").nth(3)).to_have_text("500")
    expect(row.get_by_role("link", name="Change")).to_be_visible()
    screenshot(page, "33-pledge-recorded")

    pledge = Pledge.objects.get(state__iso3="DEU")
    assert (pledge.year, pledge.persons, pledge.emergency_urgent_places) == (2026, 5000, 500)
    assert pledge.modality == "interview" and pledge.status == "in_progress"
