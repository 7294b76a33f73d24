"""The RSF staff member's journey: set up a selection mission, select cases into it (with
the terms of sharing them with the mission's State), compute its schedule, read the
timetable, and move cases along the pipeline board.

In English and Arabic, on a desktop and a phone, over the demo dataset (account "rsf",
of ICMC, which runs the Resettlement Support Facility); every page audited and weighed.
The schedule is a background task: the test runs the task worker's turn while the run's
page polls. docs/guide/rsf.md walks through the same journey.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Journey

pytestmark = pytest.mark.browser

MISSION = "Mission DEU-27"
INTERPRETERS = ("Interpreter A (illustrative)", "Interpreter B (illustrative)")


def _label(journey: Journey, verbose_name: str) -> re.Pattern[str]:
    """A model form field's label in the journey's language, with or without its "*"."""
    from django.utils.text import capfirst

    return re.compile("^" + re.escape(str(capfirst(journey.t(verbose_name)))) + r"\s*\*?$")


def _arabic_cases(exclude: list[str] | None = None) -> list[Any]:
    """Submitted demo cases in Arabic (the language of the mission's interpreters), never
    shared with Germany (the demo's mission of Germany took some)."""
    from resettle.cases.models import CaseStatus, ResettlementCase, ShareRecord

    shared = ShareRecord.objects.filter(state__iso3="DEU").values("case")
    cases = (
        ResettlementCase.objects.exclude(pk__in=shared)
        .filter(
            reference__startswith="DEMO-",
            status=CaseStatus.SUBMITTED,
            interview_possible=True,
            persons__lte=6,
        )
        .exclude(reference__in=exclude or [])
    )
    return [c for c in cases.order_by("reference") if [*(c.languages or []), ""][0] == "ar"]


def _refer_two_cases() -> list[str]:
    """Two families referred to Germany (UNHCR's referral, the allocation run's
    confirmation: set up through the services); the second's case file already opened.
    The demo itself refers no case."""
    from django.db import transaction

    from resettle.cases.services import refer_cases
    from resettle.cases.tests.fixtures import SHARE
    from resettle.directory.models import Country
    from resettle.pipeline import services

    germany = Country.objects.get(iso3="DEU")
    cases = _arabic_cases()[:2]
    with transaction.atomic():
        refer_cases([(c, germany) for c in cases], share=SHARE, actor=None)
    cases[1].refresh_from_db()
    services.do_open_case_file(cases[1], {"province": "Hatay", **SHARE}, actor=None)
    return [c.reference for c in cases]


# The first moves of the pipeline, each a card's next stage.
NEXT = {
    "referred": "accepted_for_mission",
    "accepted_for_mission": "interview_scheduled",
    "interview_scheduled": "interviewed",
}


def _card(page: Page, stage: str, ref: str) -> Locator:
    return page.locator(f'section[data-stage="{stage}"] li[data-case="{ref}"]')


def _advance(page: Page, stage: str, ref: str) -> str:
    """Move the card to its next stage through its form; return that stage."""
    card = _card(page, stage, ref)
    card.scroll_into_view_if_needed()
    move = card.locator("select[name=move]")
    if move.count():
        move.select_option(NEXT[stage])
    card.get_by_test_id("move-submit").click()
    expect(_card(page, NEXT[stage], ref)).to_be_visible()
    return NEXT[stage]


def test_rsf_schedules_a_mission_and_moves_cases(journey: Journey, demo: Any) -> None:
    from resettle.cases.models import ShareRecord
    from resettle.pipeline.models import CaseFile
    from resettle.rsf.demo import MISSION_NAME
    from resettle.rsf.models import Appointment, Mission, MissionCase
    from resettle.rsf.tests.fixtures import run_tasks

    referred = _refer_two_cases()
    others = [c.reference for c in _arabic_cases(exclude=referred)[:2]]
    page = journey.page
    t = journey.t
    journey.log_in("rsf")

    # The missions, from the menu.
    journey.navigate("Operations", "RSF missions")
    expect(page).to_have_url(re.compile(r"/rsf/$"))
    expect(page.locator("main table")).to_contain_text(MISSION_NAME)
    journey.audit("rsf-01-missions")

    # A new selection mission of Germany, five weeks from now, three days long.
    page.locator("main").get_by_role("link", name=t("Add"), exact=True).click()
    form = page.locator("main form")
    start = datetime.date.today() + datetime.timedelta(days=35)
    start -= datetime.timedelta(days=start.weekday())  # a Monday
    form.get_by_label(_label(journey, "name")).fill(MISSION)
    form.get_by_label(_label(journey, "receiving State")).select_option(
        label=_country("DEU", journey.language)
    )
    form.get_by_label(_label(journey, "type")).select_option("selection")
    form.get_by_label(_label(journey, "first day")).fill(start.isoformat())
    form.get_by_label(_label(journey, "last day")).fill(
        (start + datetime.timedelta(days=2)).isoformat()
    )
    journey.audit("rsf-02-new-mission")
    form.get_by_role("button", name=t("Save")).click()
    expect(page.get_by_test_id("mission-name")).to_have_text(MISSION)
    mission = Mission.objects.get(name=MISSION)
    journey.audit("rsf-03-mission")

    # Two interpreters of Arabic, every day of the mission.
    page.locator("main").get_by_role("link", name=t("Interpreters"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/rsf/{mission.pk}/interpreters/$"))
    form = page.locator("main form").last
    for name in INTERPRETERS:
        form.get_by_label(_label(journey, "Interpreter")).select_option(label=name)
        form.get_by_role("button", name=t("Add"), exact=True).click()
        expect(page.locator("main table")).to_contain_text(name)
    journey.audit("rsf-04-interpreters")

    # A family referred to Germany: the facility opens its case file.
    journey.navigate("Operations", "Case pipeline")
    page.locator("main").get_by_role("link", name=t("Case files"), exact=True).click()
    page.locator("main").get_by_role("link", name=t("Open a case file")).click()
    form = page.locator("main form")
    form.get_by_label(_label(journey, "Case")).select_option(label=referred[0])
    form.get_by_label(_label(journey, "Province of residence")).fill("Gaziantep")
    form.get_by_label(_label(journey, "Purpose of sharing with the State")).select_option(
        "resettlement"
    )
    form.get_by_label(_label(journey, "Consent")).select_option("given")
    form.get_by_label(_label(journey, "Consent given on")).fill(
        (datetime.date.today() - datetime.timedelta(days=7)).isoformat()
    )
    journey.audit("rsf-05-open-case-file")
    form.get_by_role("button", name=t("Save")).click()
    expect(page).to_have_url(re.compile(r"/pipeline/cases/\d+/$"))
    expect(page.locator("main")).to_contain_text(t("Case file opened."))
    assert CaseFile.objects.filter(case__reference=referred[0]).exists()

    # The mission's cases: the two referred families, and two not yet referred to
    # Germany, which its delegation may see only on the terms the form asks for.
    journey.navigate("Operations", "RSF missions")
    page.locator("main table").get_by_role("link", name=MISSION).click()
    page.locator("main").get_by_role("link", name=t("Cases"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/rsf/{mission.pk}/cases/$"))
    form = page.locator("main form")
    form.get_by_label(_label(journey, "Case references")).fill("\n".join(referred + others))
    form.get_by_role("button", name=t("Select")).click()
    expect(form.locator(".invalid-feedback[data-field=purpose]")).to_be_visible()
    assert not MissionCase.objects.filter(mission=mission).exists()
    journey.audit("rsf-06-sharing-terms", weigh=False)
    form.get_by_label(_label(journey, "Purpose of sharing with the State")).select_option(
        "selection_mission"
    )
    form.get_by_label(_label(journey, "Consent")).select_option("given")
    form.get_by_label(_label(journey, "Consent given on")).fill(
        (datetime.date.today() - datetime.timedelta(days=7)).isoformat()
    )
    form.get_by_role("button", name=t("Select")).click()
    table = page.get_by_test_id("mission-cases")
    for ref in referred + others:
        expect(table).to_contain_text(ref)
    assert MissionCase.objects.filter(mission=mission).count() == 4
    assert ShareRecord.objects.filter(case__reference__in=others, state__iso3="DEU").count() == 2
    journey.audit("rsf-07-cases")

    # Back to the mission: compute the schedule. The run waits for the task worker.
    page.locator("main nav").get_by_role("link", name=MISSION).click()
    expect(page.get_by_test_id("case-count")).to_have_text("4")
    page.get_by_test_id("start-schedule").click()
    expect(page).to_have_url(re.compile(r"/rsf/runs/\d+/$"))
    expect(page.get_by_test_id("run-progress")).to_be_visible()

    run_tasks()  # the worker's turn; the page polls and shows the results

    expect(page.get_by_test_id("run-summary")).to_be_visible()
    scheduled = Appointment.objects.filter(run__mission=mission).values("case").distinct().count()
    assert scheduled >= 1
    expect(page.get_by_test_id("scheduled")).to_have_text(str(scheduled))
    journey.audit("rsf-08-run")

    # The timetable: each scheduled family, its day, room, interpreter and caseworker.
    page.get_by_test_id("see-timetable").click()
    expect(page).to_have_url(re.compile(rf"/rsf/{mission.pk}/timetable/"))
    first = Appointment.objects.filter(run__mission=mission).order_by("start").first()
    assert first is not None
    expect(page.locator(f"tr[data-case='{first.case}']").first).to_be_visible()
    journey.audit("rsf-09-timetable")

    # The mission's pipeline board: the first family moves on, twice.
    page.locator("main nav").get_by_role("link", name=MISSION).click()
    page.get_by_test_id("pipeline-board-link").click()
    expect(page).to_have_url(re.compile(rf"/pipeline/missions/{mission.pk}/board/$"))
    ref = referred[0]
    stage = _advance(page, "referred", ref)
    expect(page.get_by_test_id("move-notice")).to_contain_text(ref)
    stage = _advance(page, stage, ref)
    assert CaseFile.objects.get(case__reference=ref).stage == stage
    journey.audit("rsf-10-board")
    board_path = page.url.removeprefix(journey.base_url)

    # The case file behind the card: its stages so far.
    _card(page, stage, ref).get_by_test_id("card-link").click()
    expect(page).to_have_url(re.compile(r"/pipeline/cases/\d+/$"))
    expect(page.locator("main")).to_contain_text(ref)
    journey.audit("rsf-11-case-file")

    # Without JavaScript a move is a plain POST, and the board says what was recorded.
    with journey.without_javascript() as plain:
        plain.goto(board_path)
        moved_to = _advance(plain, "referred", referred[1])
        expect(plain.locator("main")).to_contain_text(referred[1])
        assert CaseFile.objects.get(case__reference=referred[1]).stage == moved_to

    journey.check_weights()


def _country(iso3: str, language: str) -> str:
    from resettle.directory.models import Country

    return str(getattr(Country.objects.get(iso3=iso3), f"name_{language}"))
