"""The State official's journey: record the State's pledge, report progress on a
commitment, read the funding commitments, and see the cases referred to the State, and
only those.

In English and Arabic, on a desktop and a phone, over the demo dataset (the "state"
account: an official of Germany's BAMF); every page audited and weighed. On a desktop
the pledge is also recorded with the keyboard alone, focus visible at every stop.
docs/guide/state.md walks through the same journey with its screenshots.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import formats, translation
from playwright.sync_api import Page, expect

from .conftest import Journey

pytestmark = pytest.mark.browser

PROGRESS = "Sixty more places filled: 200 refugees have arrived from Lebanon and Jordan."
# Tab presses allowed to reach a control (the main menu holds some thirty stops).
MAX_TABS = 80

# The focused element shows where it is: an outline or a box shadow (Bootstrap's focus ring).
_FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
}"""
_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el) return {};
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
    return {
        tag: el.tagName.toLowerCase(), id: el.id || '',
        text: (el.innerText || el.value || '').replace(/\\s+/g, ' ').trim(),
        label: label ? label.innerText.replace(/\\s+/g, ' ').replace(/\\*/g, '').trim() : '',
    };
}"""


def _number(value: int | Decimal, language: str, digits: int = 0) -> str:
    """A number as the pages write it in the language (grouped by thousands)."""
    with translation.override(language):
        return formats.number_format(value, digits, use_l10n=True, force_grouping=True)


def _label(text: str) -> re.Pattern[str]:
    """A label's accessible name, with or without the required field's star."""
    return re.compile("^" + re.escape(text) + r"[\s*]*$")


def _refer_demo_cases() -> tuple[list[str], str]:
    """As UNHCR would by confirming an allocation run: refer three demo cases to Germany
    and one to France. (references referred to Germany, the one referred to France)"""
    from resettle.cases.models import ResettlementCase
    from resettle.cases.services import refer_cases
    from resettle.directory.models import Country

    germany, france = Country.objects.get(iso3="DEU"), Country.objects.get(iso3="FRA")
    cases = list(ResettlementCase.objects.filter(status="submitted").order_by("reference")[:4])
    share = {
        "purpose": "resettlement",
        "consent": "given",
        "consent_date": datetime.date.today() - datetime.timedelta(days=7),
    }
    refer_cases([(c, germany) for c in cases[:3]] + [(cases[3], france)], share=share, actor=None)
    return [c.reference for c in cases[:3]], cases[3].reference


def _tab_to(page: Page, *, text: str = "", label: str = "", back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until the focus reaches the control whose text
    or label is the one given; the focus must be visible at every stop."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED)
        seen.append(focused)
        assert page.evaluate(_FOCUS_VISIBLE), f"focus not visible on {focused} ({page.url})"
        if (text and focused.get("text") == text) or (label and focused.get("label") == label):
            return
    raise AssertionError(f"{text or label!r} not reached with {key}: {seen[-10:]}")


def _record_pledge_with_the_keyboard(journey: Journey, year: int, persons: int) -> None:
    """The pledge journey again, keyboard only: menu, form, save; no click."""
    page, t = journey.page, journey.t
    page.goto("/dashboard/")
    page.locator("body").focus()
    # The main menu's drop-down opens with Enter; its items are reached with the arrows.
    _tab_to(page, text=t("Needs and pledges"))
    page.keyboard.press("Enter")
    for _ in range(3):  # The gap, Priority situations, Pledges
        page.keyboard.press("ArrowDown")
    assert page.evaluate(_FOCUSED)["text"] == t("Pledges")
    assert page.evaluate(_FOCUS_VISIBLE), "focus not visible in the drop-down"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/needs/pledges/$"))

    _tab_to(page, text=t("Record a pledge"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/needs/pledges/record/$"))
    # The State is chosen for the official; the year comes next.
    _tab_to(page, label=t("Year"))
    page.keyboard.type(str(year))
    _tab_to(page, label=t("Places pledged"))
    page.keyboard.type(str(persons))
    # One step back and forth: Shift+Tab returns to the year, its value kept.
    _tab_to(page, label=t("Last year (multi-year pledge)"), back=True)
    _tab_to(page, label=t("Places pledged"))
    # The processing modality, chosen with the arrow keys.
    _tab_to(page, label=t("Processing modality"))
    page.keyboard.press("ArrowDown")
    modality = page.locator("#id_modality").input_value()
    assert modality, "the arrow key chose no modality"
    _tab_to(page, text=t("Save"))
    page.keyboard.press("Space")  # a button is pressed with Space (or Enter)

    page.wait_for_url(re.compile(rf"/needs/pledges/\?state=DEU&year={year}$"))
    rows = page.get_by_test_id("pledges").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(1)).to_have_text(str(year))
    expect(rows.first.locator("td").nth(2)).to_have_text(_number(persons, journey.language))
    journey.audit("state-02b-pledge-by-keyboard", weigh=False)


def test_state_official_pledges_reports_and_reads_its_cases(journey: Journey, demo: Any) -> None:
    from resettle.cases.models import ResettlementCase
    from resettle.commitments.models import Commitment
    from resettle.needs.models import Pledge

    page, t, lang = journey.page, journey.t, journey.language
    german, french = _refer_demo_cases()
    journey.log_in("state")
    expect(page.get_by_test_id("whoami")).to_contain_text("BAMF")

    # 1. The pledges, from the main menu; a new pledge for next year.
    journey.navigate("Needs and pledges", "Pledges")
    expect(page).to_have_url(re.compile(r"/needs/pledges/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Pledges"))
    journey.audit("state-01-pledges")
    page.get_by_role("link", name=t("Record a pledge")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Record a pledge"))
    expect(page.get_by_label(t("Resettlement State"))).to_have_value("DEU")
    year = 2027
    page.get_by_label(_label(t("Year"))).fill(str(year))
    page.get_by_label(t("Places pledged")).fill("7500")
    page.get_by_label(t("Places reserved for emergency and urgent cases")).fill("750")
    page.get_by_label(t("Processing modality")).select_option("interview")
    journey.audit("state-02-record-pledge")
    page.get_by_role("button", name=t("Save")).click()
    expect(page).to_have_url(re.compile(rf"/needs/pledges/\?state=DEU&year={year}$"))
    row = page.get_by_test_id("pledges").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text(_number(7500, lang))
    expect(row.locator("td").nth(2)).to_have_text(journey.integer_pattern)
    expect(row.locator("td").nth(3)).to_have_text("750")
    journey.audit("state-03-pledge-recorded", weigh=False)
    assert Pledge.objects.filter(state__iso3="DEU", year=year, persons=7500).exists()

    if not journey.is_phone:
        _record_pledge_with_the_keyboard(journey, year + 1, 8000)
        assert Pledge.objects.filter(state__iso3="DEU", year=year + 1, persons=8000).exists()

    # 2. Progress on the State's commitment: from "My commitments" in the user menu.
    journey.open_menu()
    page.get_by_test_id("whoami").click()
    page.get_by_role("link", name=t("My commitments"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/commitments/mine/$"))
    journey.audit("state-04-my-commitments")
    commitment = Commitment.objects.get(title__startswith="200 resettlement places for Syrian")
    page.get_by_role("link", name=commitment.title).click()
    expect(page).to_have_url(re.compile(rf"/commitments/{commitment.pk}/$"))
    expect(page.get_by_test_id("target-number")).to_contain_text(_number(200, lang))
    form = page.get_by_test_id("update-form")
    form.get_by_label(_label(t("Status"))).select_option("in_progress")
    form.get_by_label(_label(t("Progress"))).fill(PROGRESS)
    form.get_by_label(t("Progress so far (number)")).fill("1200")
    form.scroll_into_view_if_needed()
    journey.audit("state-05-commitment-update")
    form.get_by_role("button", name=t("Add progress update")).click()
    expect(page).to_have_url(re.compile(rf"/commitments/{commitment.pk}/#updates$"))
    expect(page.get_by_role("status")).to_have_text(t("Progress update added."))
    latest = page.get_by_test_id("update").first
    expect(latest).to_contain_text(PROGRESS)
    # The figure grouped the language's way (1,200; 1.200), the date written in full.
    with translation.override(lang):
        so_far = translation.gettext("%(number)s so far") % {"number": _number(1200, lang)}
        today = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    expect(latest).to_contain_text(so_far)
    expect(latest.locator("time")).to_have_text(today)
    # The history's short dates put the day first (no US month-first date).
    when = page.get_by_test_id("history").locator("time").first.inner_text()
    day_first = (
        datetime.date.today().strftime("%d") + r"\u200f?/" + datetime.date.today().strftime("%m")
    )
    assert re.match(day_first, when), when
    journey.audit("state-06-update-added", weigh=False)

    # 3. A funding commitment: amounts grouped the language's way.
    funded = Commitment.objects.filter(amount__isnull=False, is_public=True).order_by("-amount")[0]
    page.goto(funded.get_absolute_url())
    amount = _number(funded.amount, lang)
    expect(page.get_by_test_id("amount")).to_have_text(f"{amount} {funded.currency}")
    journey.audit("state-07-funding-commitment")

    # 4. The cases referred to Germany, and only those.
    journey.navigate("Operations", "Resettlement cases")
    expect(page).to_have_url(re.compile(r"/cases/$"))
    table = page.locator("main table tbody")
    for reference in german:
        expect(table.get_by_role("link", name=reference, exact=True)).to_be_visible()
    expect(table.locator("tr")).to_have_count(len(german))
    expect(table).not_to_contain_text(french)
    journey.audit("state-08-referred-cases")
    table.get_by_role("link", name=german[0], exact=True).click()
    expect(page.get_by_test_id("referred-state")).to_contain_text(_country(lang, "DEU"))
    journey.audit("state-09-case")
    # Another State's case: not found, as if it did not exist.
    other = ResettlementCase.objects.get(reference=french)
    response = page.goto(f"/cases/{other.pk}/")
    assert response is not None and response.status == 404
    journey.audit("state-10-other-state-case", weigh=False)

    # Without JavaScript the cases list still filters, through its GET form.
    with journey.without_javascript() as plain:
        plain.goto("/cases/")
        plain.get_by_label(t("Search")).fill(german[1])
        plain.get_by_role("button", name=t("Filter")).click()
        expect(plain.locator("main table tbody tr")).to_have_count(1)
        expect(plain.locator("main table tbody")).to_contain_text(german[1])

    journey.check_weights()


def _country(language: str, iso3: str) -> str:
    from resettle.directory.models import Country

    return str(getattr(Country.objects.get(iso3=iso3), f"name_{language}"))
