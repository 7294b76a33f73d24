"""Registering for a meeting in Arabic, right to left, and finding the registration again."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from .conftest import World, log_in, screenshot

pytestmark = pytest.mark.browser

NEEDS = "ترجمة فورية إلى العربية"  # "simultaneous interpretation into Arabic"


def test_register_for_a_meeting_in_arabic(page: Page, browser_world: World) -> None:
    from resettle.meetings.models import Meeting
    from resettle.registrations.models import Registration, RegistrationStatus

    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    meeting = Meeting.objects.create(
        forum=browser_world.consultation,
        title="CRCP consultation (test)",
        kind="consultation",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        time_zone="Europe/Zurich",
        format="in_person",
        venue="Palais des Nations, Geneva",
        working_languages="en, ar, fr",
        registration_open=True,
        capacity=50,
        requires_approval=True,
    )
    with translation.override("ar"):
        pending = str(RegistrationStatus.PENDING.label)

    log_in(page, "nadia")
    page.locator("#language-form").get_by_role("button", name="العربية").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")

    page.goto(f"/meetings/{meeting.pk}/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    panel = page.locator("[data-testid=registration-panel]")
    expect(panel).to_be_visible()
    panel.locator(f"a[href='/registrations/meeting/{meeting.pk}/register/']").click()

    expect(page).to_have_url(re.compile(rf"/registrations/meeting/{meeting.pk}/register/$"))
    expect(html).to_have_attribute("dir", "rtl")
    form = page.locator("[data-testid=register-form]")
    # Prefilled from the account.
    expect(form.locator("input[name=name]")).to_have_value("Nadia Keller")
    expect(form.locator("select[name=stakeholder_group]")).to_have_value("ngo")
    form.locator("input[name=email]").fill("nadia@example.org")
    form.locator("input[name=languages][value=ar]").check()
    form.locator("textarea[name=accessibility_needs]").fill(NEEDS)
    screenshot(page, "registrations-01-form-ar")
    form.locator("button[type=submit]").click()

    # Back on the meeting page: the section shows the registration's status.
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(html).to_have_attribute("dir", "rtl")
    own = page.locator("[data-testid=own-registration]")
    expect(own).to_contain_text(pending)
    screenshot(page, "registrations-02-meeting-ar")

    page.goto("/registrations/mine/")
    expect(html).to_have_attribute("dir", "rtl")
    row = page.locator("[data-testid=my-registrations] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(meeting.title)
    expect(row.locator("[data-testid=status]")).to_have_text(pending)
    screenshot(page, "registrations-03-mine-ar")

    registration = Registration.objects.get()
    assert registration.user == browser_world.ngo_user
    assert (registration.status, registration.email) == ("pending", "nadia@example.org")
    assert registration.accessibility_needs == NEEDS
    assert "ar" in registration.languages.split(", ")
