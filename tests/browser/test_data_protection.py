"""Data protection in the browser: opening a case file asks the terms of sharing it with the
State (a clear field error first), and an administrator exports then erases a family from the
Django admin, after confirming the password."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import PASSWORD, PageWatch, World, log_in, screenshot
from .test_pipeline import _age_the_login

pytestmark = pytest.mark.browser

NAME = "Illustrative Nour Darwish"


def _family() -> Any:
    """A case referred to Germany (no case file yet), facility staff, a superuser."""
    from django.utils import timezone

    from resettle.accounts.models import User
    from resettle.accounts.roles import Role
    from resettle.cases.models import CaseStatus, ResettlementCase
    from resettle.directory.models import Country, Organisation, OrganisationKind

    c = Country.objects.in_bulk(["TUR", "DEU"], field_name="iso3")
    case = ResettlementCase.objects.create(
        reference="T-DP-001",
        persons=2,
        nationality="SYR",
        asylum=c["TUR"],
        category="LPN",
        priority="urgent",
        submitted_on=timezone.localdate() - datetime.timedelta(days=60),
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
        referred_at=timezone.now() - datetime.timedelta(days=20),
    )
    facility = Organisation.objects.create(
        name="Resettlement Support Facility", acronym="RSF", kind=OrganisationKind.INTERNATIONAL
    )
    User.objects.create_user("rana", password=PASSWORD, role=Role.RSF, organisation=facility)
    User.objects.create_user(
        "dpo", password=PASSWORD, role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    return case


def test_opening_a_case_file_asks_why_and_on_what_ground(
    page: Page, page_watch: PageWatch, browser_world: World
) -> None:
    from resettle.cases.models import ShareRecord

    case = _family()
    log_in(page, "rana")
    page.goto("/pipeline/cases/add/")
    page.get_by_label("Case", exact=True).select_option(str(case.pk))
    page.get_by_label("Province of residence").fill("Hatay")
    page.get_by_label("Purpose of sharing with the State").select_option("resettlement")
    page.get_by_label("Consent", exact=True).select_option("given")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#id_consent_date_error")
    expect(error).to_contain_text("Consent given on: Give the date the family consented.")
    expect(page.get_by_label("Consent given on")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "data-protection-share-error")
    assert not ShareRecord.objects.exists()

    page.get_by_label("Consent given on").fill("2025-11-03")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/pipeline/cases/\d+/$"))
    record = ShareRecord.objects.get()
    assert (record.state.iso3, record.consent_date) == ("DEU", datetime.date(2025, 11, 3))


def test_an_administrator_exports_then_erases_a_family(
    page: Page, context: BrowserContext, page_watch: PageWatch, browser_world: World
) -> None:
    from resettle.cases.tests.fixtures import SHARE
    from resettle.pipeline import services
    from resettle.pipeline.models import FamilyMember, SubjectRequest

    case = _family()
    file = services.do_open_case_file(case, {"province": "Hatay", **SHARE}, actor=None)
    services.do_add_member(
        file,
        {"name": NAME, "sex": "F", "relationship": "principal", "languages": ["ar"]},
        actor=None,
    )
    log_in(page, "dpo")
    _age_the_login(context)

    def run_action(value: str) -> None:
        page.goto("/admin/pipeline/casefile/")
        page.locator(f'input[name="_selected_action"][value="{file.pk}"]').check()
        page.locator('select[name="action"]').select_option(value)
        page.locator('button[name="index"]').click()

    # A stale login is sent to confirm the password first.
    run_action("export_subject")
    page.wait_for_url(re.compile(r"/pipeline/confirm-password/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/admin/pipeline/casefile/"))

    page.locator(f'input[name="_selected_action"][value="{file.pk}"]').check()
    page.locator('select[name="action"]').select_option("export_subject")
    with page.expect_download() as download:
        page.locator('button[name="index"]').click()
    saved = download.value.path()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert download.value.suggested_filename == "subject-T-DP-001.json"
    assert data["family_members"][0]["name"] == NAME

    run_action("erase_subject")
    expect(page.get_by_test_id("erase-subjects")).to_contain_text("T-DP-001")
    page.get_by_label("Reason").fill("Request of the family, 3 November 2025")
    screenshot(page, "data-protection-erase")
    page.get_by_test_id("erase").click()
    expect(page.locator(".messagelist")).to_contain_text("T-DP-001 erased")
    assert FamilyMember.objects.get(case_file=file).name == "[erased #1]"
    assert list(SubjectRequest.objects.order_by("pk").values_list("kind", flat=True)) == [
        "export",
        "erasure",
    ]
