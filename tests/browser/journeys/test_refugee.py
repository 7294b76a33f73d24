"""The refugee representative's journey: register for an upcoming consultation, give the
advice of the Refugee Advisory Group (RAG), and read the answer it received.

In English and Arabic, on a desktop and a phone, over the demo dataset (account
"refugee", of the Network for Refugee Voices, a member of the RAG); every page audited
and weighed. The answer is given through the UI by UNHCR (the consultation's
secretariat) in a second browser. The registration is also completed with the
keyboard alone. docs/guide/refugee.md walks through the same journey.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import PageWatch, watch_page
from .conftest import LANGUAGES, Journey, new_journey_context

pytestmark = pytest.mark.browser

MEETING = "CRCP 2027"
NEEDS = "Step-free access"
SUBJECT = "Childcare during the consultation"
ADVICE = "Offer childcare so that refugee parents can take part in every session."
ANSWER = "Childcare will be offered at the venue on both days."


def _upcoming_consultation() -> Any:
    """The next consultation, its registration open (the demo's 2026 one has passed)."""
    from django.utils import timezone

    from resettle.forums.models import Forum
    from resettle.meetings.models import Meeting

    starts = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=40)
    return Meeting.objects.create(
        forum=Forum.objects.get(acronym="CRCP"),
        title=MEETING,
        kind="consultation",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        time_zone="Europe/Zurich",
        format="hybrid",
        venue="Palais des Nations, Geneva",
        online_url="https://example.org/crcp-2027",
        working_languages="en, ar, fr",
        registration_open=True,
        capacity=600,
        requires_approval=True,
    )


def _field(journey: Journey, verbose_name: str) -> str:
    """A model form field's label: its verbose name, capitalised, in the journey's language."""
    from django.utils.text import capfirst

    return str(capfirst(journey.t(verbose_name)))


def _status_label(status: str, language: str) -> str:
    from django.utils import translation

    from resettle.registrations.models import RegistrationStatus

    with translation.override(language):
        return str(RegistrationStatus(status).label)


def _answer_as_unhcr(journey: Journey, advice_url: str, page_watch: PageWatch) -> None:
    """UNHCR, the consultation's secretariat, answers the advice in its own browser."""
    context = new_journey_context(journey.browser, journey.base_url, "en", "desktop")
    try:
        page = context.new_page()
        watch_page(page, page_watch)
        other = Journey(journey.browser, journey.base_url, "en", "desktop", context, page)
        other.log_in("unhcr")
        page.goto(advice_url)
        page.get_by_role("link", name="Answer", exact=True).click()
        page.get_by_label(re.compile(r"^Answer\s*\*?$")).fill(ANSWER)  # "Answer *": required
        page.get_by_label("Answered on").fill(datetime.date.today().isoformat())
        page.get_by_label("Status").select_option("answered")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("answer")).to_contain_text(ANSWER)
    finally:
        context.close()


def test_refugee_registers_advises_and_reads_the_answer(
    journey: Journey, demo: Any, page_watch: PageWatch
) -> None:
    from resettle.governance.models import RagAdvice
    from resettle.registrations.models import Registration

    meeting = _upcoming_consultation()
    page = journey.page
    t = journey.t
    journey.log_in("refugee")
    journey.audit("refugee-01-dashboard")

    # The upcoming meetings, from the menu.
    journey.navigate("Meetings")
    page.get_by_label(t("When"), exact=True).select_option("upcoming")
    page.get_by_role("button", name=t("Filter")).click()
    expect(page).to_have_url(re.compile(r"when=upcoming"))
    expect(page.locator("main table")).to_contain_text(MEETING)
    journey.audit("refugee-02-meetings")

    # The consultation's page: registration is open.
    page.locator("main table").get_by_role("link", name=MEETING).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    panel = page.get_by_test_id("registration-panel")
    expect(panel).to_be_visible()
    journey.audit("refugee-03-meeting")
    panel.get_by_role("link", name=t("Register"), exact=True).click()

    # The form, filled in from the account; the representative adds what they need.
    expect(page).to_have_url(re.compile(rf"/registrations/meeting/{meeting.pk}/register/$"))
    form = page.get_by_test_id("register-form")
    expect(form.locator("select[name=stakeholder_group]")).to_have_value("refugee")
    email = form.get_by_label(t("E-mail"))
    if not email.input_value():
        email.fill("refugee@example.org")
    form.locator("input[name=languages][value=ar]").check()
    form.get_by_label(t("Accessibility needs")).fill(NEEDS)
    journey.audit("refugee-04-register")
    form.get_by_role("button", name=t("Register")).click()

    # Back on the meeting page: the registration awaits the organisers' approval.
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    pending = _status_label("pending", journey.language)
    expect(page.get_by_test_id("own-registration")).to_contain_text(pending)
    registration = Registration.objects.get(meeting=meeting)
    assert registration.user is not None and registration.user.username == "refugee"
    assert registration.accessibility_needs == NEEDS
    assert "ar" in registration.languages.split(", ")

    # My registrations, from the account menu.
    journey.open_menu()
    page.get_by_test_id("whoami").click()
    page.locator("#nav").get_by_role("link", name=t("My registrations"), exact=True).click()
    rows = page.locator("[data-testid=my-registrations] tbody tr").filter(has_text=MEETING)
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("status")).to_have_text(pending)
    journey.audit("refugee-05-my-registrations")

    # The RAG's advice log, from the menu; the representative gives new advice.
    journey.navigate("Governance", "RAG advice")
    expect(page).to_have_url(re.compile(r"/governance/rag-advice/$"))
    journey.audit("refugee-06-advice-log")
    page.locator("main").get_by_role("link", name=t("Add"), exact=True).click()
    form = page.locator("main form")
    expect(form.get_by_label(_field(journey, "advisory group"))).not_to_have_value("")
    form.get_by_label(_field(journey, "addressed to")).fill("the co-chairs")
    form.get_by_label(_field(journey, "subject")).fill(SUBJECT)
    # "Advice" alone: its label reads "Advice *" (required).
    advice_label = re.compile("^" + re.escape(_field(journey, "advice")) + r"\s*\*?$")
    form.get_by_label(advice_label).fill(ADVICE)
    given_on = form.get_by_label(_field(journey, "given on"))
    if not given_on.input_value():
        given_on.fill(datetime.date.today().isoformat())
    journey.audit("refugee-07-give-advice")
    form.get_by_role("button", name=t("Save")).click()

    expect(page).to_have_url(re.compile(r"/governance/rag-advice/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_test_id("answer")).to_contain_text(t("Not answered yet."))
    advice = RagAdvice.objects.get(subject=SUBJECT)
    assert advice.source.acronym == "RAG" and advice.status == "open"
    journey.audit("refugee-08-advice")
    advice_url = page.url

    # UNHCR answers; the representative reads the answer on the same page.
    _answer_as_unhcr(journey, advice_url, page_watch)
    page.reload()
    expect(page.get_by_test_id("answer")).to_contain_text(ANSWER)
    expect(page.get_by_test_id("status")).to_have_text(t("Answered"))
    journey.audit("refugee-09-answer")

    # Without JavaScript the advice log still filters, through its GET form.
    with journey.without_javascript() as plain:
        plain.goto("/governance/rag-advice/")
        plain.get_by_label(t("Status"), exact=True).select_option("answered")
        plain.get_by_role("button", name=t("Filter")).click()
        expect(plain).to_have_url(re.compile(r"status=answered"))
        expect(plain.locator("main table")).to_contain_text(SUBJECT)

    journey.check_weights()


# ---- the registration with the keyboard alone ----------------------------------

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el) return false;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return outline || shadow;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el) return '';
  return [el.tagName.toLowerCase(), el.getAttribute('name') || '', el.getAttribute('value') || '',
          (el.innerText || '').trim(), el.getAttribute('href') || ''].join('|');
}"""


def _tab_to(page: Page, matches: Any, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches; each stop shows where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused.startswith("body|"):
            continue  # the focus left the page (to the browser's own controls) and comes back
        assert page.evaluate(FOCUS_VISIBLE), f"no visible focus indicator on {focused[:200]}"
        if matches(focused.split("|")):
            return
    raise AssertionError(f"never reached the element with {limit} tabs")


@pytest.mark.parametrize("language", LANGUAGES)
def test_refugee_registers_with_the_keyboard_alone(
    browser: Browser, live_server: Any, demo: Any, language: str, page_watch: PageWatch
) -> None:
    from resettle.demo.data import DEMO_PASSWORD
    from resettle.registrations.models import Registration

    meeting = _upcoming_consultation()
    context = new_journey_context(browser, live_server.url, language, "desktop")
    try:
        page = context.new_page()
        watch_page(page, page_watch)
        journey = Journey(browser, live_server.url, language, "desktop", context, page)
        t = journey.t

        # Log in: the username field, the password field, Enter.
        page.goto("/login/")
        _tab_to(page, lambda f: f[0] == "input" and f[1] == "username")
        page.keyboard.type("refugee")
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/dashboard/$"))

        # The main menu's Meetings link, then the meeting in the list.
        _tab_to(page, lambda f: f[0] == "a" and f[4] == "/meetings/")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/meetings/$"))
        # The filter "When": arrow keys choose Upcoming, Enter submits the form.
        _tab_to(page, lambda f: f[0] == "select" and f[1] == "when")
        page.keyboard.press("ArrowDown")
        expect(page.locator("select[name=when]")).to_have_value("upcoming")
        _tab_to(page, lambda f: f[0] == "button" and f[3] == t("Filter"))
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"when=upcoming"))
        _tab_to(page, lambda f: f[0] == "a" and f[4] == f"/meetings/{meeting.pk}/")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))

        # The Register link of the registration panel.
        register_url = f"/registrations/meeting/{meeting.pk}/register/"
        _tab_to(page, lambda f: f[0] == "a" and f[4] == register_url)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"{register_url}$"))

        # The form: e-mail if empty, Arabic ticked with Space, needs typed, then Register.
        _tab_to(page, lambda f: f[0] == "input" and f[1] == "email")
        if not page.locator("input[name=email]").input_value():
            page.keyboard.type("refugee@example.org")
        _tab_to(page, lambda f: f[0] == "input" and f[1] == "languages" and f[2] == "ar")
        if not page.locator("input[name=languages][value=ar]").is_checked():
            page.keyboard.press("Space")
        expect(page.locator("input[name=languages][value=ar]")).to_be_checked()
        _tab_to(page, lambda f: f[0] == "textarea" and f[1] == "accessibility_needs")
        page.keyboard.type(NEEDS)
        # Shift+Tab goes back to the last language and Tab returns: the order holds.
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(FOCUSED).split("|")[1] == "languages"
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED).split("|")[1] == "accessibility_needs"
        _tab_to(page, lambda f: f[0] == "button" and f[3] == t("Register"))
        page.keyboard.press("Enter")

        expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
        expect(page.get_by_test_id("own-registration")).to_contain_text(
            _status_label("pending", language)
        )
        registration = Registration.objects.get(meeting=meeting)
        assert registration.user is not None and registration.user.username == "refugee"
        assert registration.accessibility_needs == NEEDS
        assert "ar" in registration.languages.split(", ")
        page_watch.check()
    finally:
        context.close()
