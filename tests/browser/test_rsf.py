"""An RSF staff member schedules a mission, marks a no-show, reschedules, and sees the
timetable updated."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD, World, log_in, screenshot

pytestmark = pytest.mark.browser
ZONE = ZoneInfo("Europe/Istanbul")


def test_schedule_no_show_and_reschedule(page: Page, browser_world: World) -> None:
    from resettle.accounts.models import User
    from resettle.accounts.roles import Role
    from resettle.directory.models import Organisation, OrganisationKind
    from resettle.rsf.models import Appointment, ScheduleRun
    from resettle.rsf.tests.fixtures import make_rsf_world, run_tasks

    w = make_rsf_world(cases=8)
    facility = Organisation.objects.create(
        name="Resettlement Support Facility", acronym="RSF", kind=OrganisationKind.INTERNATIONAL
    )
    User.objects.create_user("rana", password=PASSWORD, role=Role.RSF, organisation=facility)

    log_in(page, "rana")
    # The delegation's two caseworkers, by name; one only on the first day.
    page.goto(f"/rsf/{w.mission.pk}/caseworkers/")
    page.get_by_label("Name").fill("Anna Weber")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("caseworkers")).to_contain_text("Anna Weber")
    page.get_by_label("Name").fill("Jonas Klein")
    page.get_by_label(w.mission.start_date.isoformat()).check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("caseworkers")).to_contain_text(w.mission.start_date.isoformat())
    page.goto(f"/rsf/{w.mission.pk}/")
    expect(page.get_by_test_id("named-caseworkers")).to_have_text("Anna Weber, Jonas Klein")
    expect(page.get_by_test_id("case-count")).to_have_text("8")
    page.get_by_test_id("start-schedule").click()
    expect(page).to_have_url(re.compile(r"/rsf/runs/\d+/$"))
    expect(page.get_by_test_id("run-progress")).to_be_visible()

    run_tasks()  # the task worker's turn; the page polls and shows the results

    expect(page.get_by_test_id("run-summary")).to_be_visible()
    expect(page.get_by_test_id("scheduled")).to_have_text("8")
    screenshot(page, "rsf-01-run")
    page.get_by_test_id("see-timetable").click()
    expect(page.locator("tr[data-case='T-RSF-001']")).to_be_visible()
    first = Appointment.objects.filter(run__mission=w.mission).order_by("start").first()
    assert first is not None and first.caseworker_name in ("Anna Weber", "Jonas Klein")
    expect(page.locator(f"tr[data-case='{first.case}']")).to_contain_text(first.caseworker_name)

    page.goto(f"/rsf/{w.mission.pk}/")
    page.get_by_test_id("no-show-link").click()
    page.get_by_label("Case").select_option(label="T-RSF-001")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("pending-events")).to_contain_text("T-RSF-001")
    page.get_by_test_id("reschedule").click()
    expect(page.get_by_test_id("run-progress")).to_be_visible()

    run_tasks()

    expect(page.get_by_test_id("reschedule-summary")).to_be_visible()
    expect(page.get_by_test_id("moved-count")).to_contain_text("moved")
    screenshot(page, "rsf-02-reschedule")
    second = ScheduleRun.objects.order_by("-pk").first()
    assert second is not None and second.previous_id is not None
    page.get_by_test_id("see-timetable").click()
    page.get_by_role("link", name="Per room").click()
    rebooked = Appointment.objects.filter(run=second, case=w.mission_case).first()
    row = page.locator("tr[data-case='T-RSF-001']")
    if rebooked is None:
        expect(row).to_have_count(0)  # the family was not rebooked: gone from the timetable
    else:
        expect(row).to_contain_text(rebooked.start.astimezone(ZONE).strftime("%H:%M"))
