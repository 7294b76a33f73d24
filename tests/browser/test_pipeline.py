"""RSF staff work a mission's pipeline board: moves (one refused), personal data, and
another State's official kept out; in English and in Arabic (right to left)."""

from __future__ import annotations

import datetime
import re
import time
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import PASSWORD, PageWatch, World, log_in, make_context, screenshot, watch_page

pytestmark = pytest.mark.browser

MEMBER = "Illustrative Amal Haddad"
REF = "T-RSF-001"


def _world() -> Any:
    """A mission of Germany with three followed cases, RSF staff, a Canadian official."""
    from django.utils import timezone

    from resettle.accounts.models import User
    from resettle.accounts.roles import Role
    from resettle.cases.models import ResettlementCase
    from resettle.directory.models import Country, Organisation, OrganisationKind
    from resettle.pipeline import services
    from resettle.pipeline.tests.fixtures import SHARE
    from resettle.rsf.tests.fixtures import make_rsf_world

    w = make_rsf_world(cases=3)
    today = timezone.localdate()
    cases = [mc.case for mc in w.cases]
    ResettlementCase.objects.filter(pk__in=[c.pk for c in cases]).update(
        submitted_on=today - datetime.timedelta(days=45)
    )
    w.files = [
        services.do_open_case_file(
            case,
            {"province": "Hatay", "date": today - datetime.timedelta(days=30), **SHARE},
            actor=None,
        )
        for case in cases
    ]
    services.do_add_member(
        w.files[0],
        {"name": MEMBER, "sex": "F", "relationship": "principal", "languages": ["ar"]},
        actor=None,
    )
    facility = Organisation.objects.create(
        name="Resettlement Support Facility", acronym="RSF", kind=OrganisationKind.INTERNATIONAL
    )
    User.objects.create_user("rana", password=PASSWORD, role=Role.RSF, organisation=facility)
    ircc = Organisation.objects.create(
        name="Immigration, Refugees and Citizenship Canada",
        acronym="IRCC",
        kind=OrganisationKind.STATE,
        country=Country.objects.get(iso3="CAN"),
    )
    User.objects.create_user("claire", password=PASSWORD, role=Role.STATE, organisation=ircc)
    return w


def _card(page: Page, stage: str) -> Any:
    return page.locator(f'section[data-stage="{stage}"] li[data-case="{REF}"]')


def _move(page: Page, stage: str, move: str | None = None) -> None:
    card = _card(page, stage)
    if move is not None:
        card.locator("select[name=move]").select_option(move)
    card.get_by_test_id("move-submit").click()


def _age_the_login(context: BrowserContext) -> None:
    """Make the session's last password proof older than the re-authentication window."""
    from django.conf import settings

    from resettle.pipeline import reauth

    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[reauth.SESSION_KEY] = time.time() - (reauth.minutes() + 1) * 60
    store.save()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_mission_board_moves_personal_data_and_another_state(
    *,
    page: Page,
    context: BrowserContext,
    browser: Browser,
    live_server: Any,
    page_watch: PageWatch,
    browser_world: World,
    language: str,
) -> None:
    from resettle.pipeline.models import CaseFile, PersonalDataAccess

    w = _world()
    direction = "rtl" if language == "ar" else "ltr"
    html = page.locator("html")

    log_in(page, "rana")
    if language == "ar":
        page.locator("#language-form").get_by_role("button", name="العربية").click()
        expect(html).to_have_attribute("lang", "ar")

    # The mission page links to its board.
    page.goto(f"/rsf/{w.mission.pk}/")
    expect(html).to_have_attribute("dir", direction)
    page.get_by_test_id("pipeline-board-link").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/missions/{w.mission.pk}/board/$"))
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_test_id("count-referred")).to_have_text("3")
    expect(page.get_by_test_id("ind-cases")).to_have_text("3")
    expect(_card(page, "referred").get_by_test_id("days-since-submission")).to_contain_text("45")
    expect(page.get_by_test_id("board")).not_to_contain_text(MEMBER)

    # Three moves through the board (htmx swaps the board in place).
    _move(page, "referred")
    expect(_card(page, "accepted_for_mission")).to_be_visible()
    expect(page.get_by_test_id("move-notice")).to_contain_text(REF)
    expect(page.get_by_test_id("count-referred")).to_have_text("2")
    _move(page, "accepted_for_mission")
    expect(_card(page, "interview_scheduled")).to_be_visible()
    _move(page, "interview_scheduled", "interviewed")
    expect(_card(page, "interviewed")).to_be_visible()
    expect(page.get_by_test_id("count-interviewed")).to_have_text("1")
    screenshot(page, f"pipeline-01-board-{language}")

    # A colleague's tab records the decision; this tab's board is now stale, and
    # its move is refused with the service's message naming the stages.
    other = context.new_page()
    watch_page(other, page_watch)
    other.goto(f"/pipeline/missions/{w.mission.pk}/board/")
    _move(other, "interviewed", "accepted")
    expect(_card(other, "accepted")).to_be_visible()
    other.close()
    _move(page, "interviewed", "pending_security")
    error = page.get_by_test_id("move-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(REF)
    if language == "en":
        expect(error).to_contain_text(
            f"Case {REF} is at stage “Decision: accepted” and cannot move to "
            "“Decision: pending security check”."
        )
    expect(_card(page, "accepted")).to_be_visible()  # the refreshed board
    assert CaseFile.objects.get(pk=w.files[0].pk).stage == "accepted"
    screenshot(page, f"pipeline-02-refused-{language}")

    # The case file, then its personal data (a logged POST; no names before).
    _card(page, "accepted").get_by_test_id("card-link").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/cases/{w.files[0].pk}/$"))
    expect(page.locator("main")).not_to_contain_text(MEMBER)
    page.locator("form[action$='/personal/'] button[type=submit]").click()
    expect(page.get_by_test_id("members")).to_contain_text(MEMBER)
    expect(html).to_have_attribute("dir", direction)
    assert PersonalDataAccess.objects.filter(case_file=w.files[0], what="personal").count() == 1
    screenshot(page, f"pipeline-03-personal-{language}")

    # Exporting needs a recent password: an old login goes to confirm it first.
    page.go_back()
    _age_the_login(context)
    page.locator("form[action$='/export/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pipeline/confirm-password/"))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/cases/{w.files[0].pk}/$"))
    with page.expect_download() as download:
        page.locator("form[action$='/export/'] button[type=submit]").click()
    csv_path = download.value.path()
    assert MEMBER in Path(csv_path).read_text(encoding="utf-8")

    # Canada's official: 404 on Germany's case file and on Germany's mission board.
    case_url = f"/pipeline/cases/{w.files[0].pk}/"
    other_context = make_context(browser, live_server.url)
    try:
        claire = other_context.new_page()
        watch_page(claire, page_watch)
        log_in(claire, "claire")
        if language == "ar":
            claire.locator("#language-form").get_by_role("button", name="العربية").click()
            expect(claire.locator("html")).to_have_attribute("dir", "rtl")
        response = claire.goto(case_url)
        assert response is not None and response.status == 404
        response = claire.goto(f"/pipeline/missions/{w.mission.pk}/board/")
        assert response is not None and response.status == 404
        response = claire.goto("/pipeline/states/DEU/board/")
        assert response is not None and response.status == 404
    finally:
        other_context.close()


def test_the_board_works_without_javascript(
    browser: Browser, live_server: Any, browser_world: World
) -> None:
    """Filters are a GET form and a move is a plain POST: no script needed."""
    from resettle.pipeline import services
    from resettle.pipeline.models import CaseFile

    w = _world()
    context = make_context(browser, live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "rana")
        page.goto(f"/pipeline/missions/{w.mission.pk}/board/")
        filters = page.get_by_test_id("board-filters")
        filters.locator("select[name=priority]").select_option("urgent")
        filters.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"\?.*priority=urgent"))
        expect(page.get_by_test_id("count-referred")).to_have_text("1")  # T-RSF-001 only
        _move(page, "referred")
        # The redirect keeps the filters and says what was recorded.
        expect(page).to_have_url(re.compile(r"/board/\?.*priority=urgent"))
        expect(page.locator("main")).to_contain_text(
            f"Case {REF} moved to “Accepted for a mission”."
        )
        expect(_card(page, "accepted_for_mission")).to_be_visible()
        # A stale form (the case moved meanwhile) is refused on the page, with the reason.
        services.do_move_case(w.files[0], "interview_scheduled", actor=None)
        _move(page, "accepted_for_mission")
        expect(page.locator("main")).to_contain_text(
            f"Case {REF} is at stage “Interview scheduled” and cannot move to "
            "“Interview scheduled”."
        )
        assert CaseFile.objects.get(pk=w.files[0].pk).stage == "interview_scheduled"
    finally:
        context.close()
