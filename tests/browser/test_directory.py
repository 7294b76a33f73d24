"""Adding an organisation through the pages, with its audit history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser


def test_add_organisation_with_errors_then_saved(page: Page, browser_world: World) -> None:
    from resettle.core.models import AuditAction, AuditEntry
    from resettle.directory.models import Organisation

    log_in(page, "nadia")
    page.locator("#nav-directory").click()  # the Directory menu
    page.locator("nav").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(page.locator("[data-testid=count]")).to_have_text("4 results")
    page.locator("main").get_by_role("link", name="Add", exact=True).click()
    expect(page).to_have_url(re.compile(r"/directory/organisations/add/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add organisation")

    # Submitting the empty form shows the errors next to the fields.
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.locator(".invalid-feedback[data-field=name]")).to_have_text(
        "This field is required."
    )
    expect(page.locator(".invalid-feedback[data-field=kind]")).to_be_visible()
    expect(page.locator(".invalid-feedback[data-field=acronym]")).to_have_count(0)
    screenshot(page, "04-organisation-form-errors")

    page.get_by_label(re.compile(r"^Name\b")).fill("Refugee Welcome Network Leipzig")
    page.get_by_label("Acronym").fill("RWNL")
    page.get_by_label("Kind").select_option(label="Refugee-led organisation")
    page.get_by_label(re.compile(r"^Country\b")).select_option(label="Germany")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/directory/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Refugee Welcome Network Leipzig (RWNL)"
    )
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("dl")).to_contain_text("Refugee-led organisation")
    expect(page.locator("dl").get_by_role("link", name="Germany")).to_be_visible()
    rows = page.locator("[data-testid=history] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(1)).to_have_text("nadia")
    expect(rows.first.locator("td").nth(2)).to_have_text("Created")
    expect(rows.first.locator("td").nth(3)).to_contain_text("Refugee Welcome Network Leipzig")
    screenshot(page, "05-organisation-detail")

    org = Organisation.objects.get(name="Refugee Welcome Network Leipzig")
    assert page.url.endswith(f"/directory/organisations/{org.pk}/")
    assert org.country is not None and org.country.iso3 == "DEU"
    assert org.maintained_by == browser_world.german_ngo  # the creator's organisation keeps it
    entries = AuditEntry.objects.for_object(org)
    assert [(e.action, e.actor) for e in entries] == [(AuditAction.CREATE, browser_world.ngo_user)]
