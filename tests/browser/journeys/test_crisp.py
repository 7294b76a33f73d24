"""The CRISP coordinator's journey: record a State's capacity assessment and a training
delivery, then search the knowledge library and open what it finds.

CRISP (the Sustainable Resettlement and Complementary Pathways Initiative) is run by
UNHCR and IOM: the demo's UNHCR officer ("unhcr") may assess States and record
trainings (capacity/access.py). The officer assesses Mexico (the stage is derived from
the scores), records a delivery of the first CRISP module for Mexico's officials with
its pre- and post-test means, and searches the library in the page's language (an
Arabic query in Arabic, an English one in English).

In English and Arabic, on a desktop and a phone; every page audited and weighed.
docs/guide/crisp.md walks through the same journey with its screenshots.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils.text import capfirst
from playwright.sync_api import expect

from .conftest import Journey

pytestmark = pytest.mark.browser

STATE = "MEX"
# Legal, processing, pre-departure, reception (core), pathways, sponsorship, data,
# partnerships: mean 2 and core minimum 2, "Emerging" by the stage rule.
SCORES = {
    "legal": 3,
    "processing": 2,
    "pre_departure": 2,
    "reception": 3,
    "pathways": 1,
    "sponsorship": 2,
    "data": 1,
    "partnerships": 2,
}
EVIDENCE = "Resettlement programme decree, 2025"
MODULE = "CRISP-01"
# The library search of each language, and the item it opens (library/demo.py).
SEARCHES = {
    "en": ("remote interviewing", "Remote interviewing: keeping selection missions going"),
    "ar": ("المقابلات عن بعد", "المقابلات عن بعد: دروس مستفادة"),
    "fr": ("parrainage communautaire", "Le parrainage communautaire : premiers pas"),
}


def _label(text: str) -> re.Pattern[str]:
    """A field's label, with the mark of a required field or without."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def _country_name(iso3: str, language: str) -> str:
    from resettle.directory.models import Country

    return str(getattr(Country.objects.get(iso3=iso3), f"name_{language}"))


def test_crisp_assesses_trains_and_searches(journey: Journey, demo: Any) -> None:
    from resettle.capacity.models import Assessment, TrainingDelivery

    page = journey.page
    t = journey.t
    mexico = _country_name(STATE, journey.language)

    journey.log_in("unhcr")

    # 1. The States and their programme stages, from the Knowledge menu.
    journey.navigate("Knowledge", "States and programme stages")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("States and their programme stage"))
    journey.audit("crisp-01-states")
    page.get_by_test_id("states").get_by_role("link", name=mexico, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/capacity/states/{STATE}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(mexico)
    journey.audit("crisp-02-state", charts=True)

    # 2. A new assessment: a score, evidence and note per dimension.
    page.get_by_role("link", name=t("Record an assessment")).click()
    expect(page).to_have_url(re.compile(rf"/capacity/assessments/add/\?country={STATE}$"))
    page.get_by_label(t("Assessment date")).fill("2026-10-15")
    page.get_by_label(_label(t("Status"))).select_option("completed")
    for dimension, score in SCORES.items():
        group = page.locator(f"fieldset[data-dimension={dimension}]").get_by_test_id("score")
        group.locator(f"input[type=radio][value='{score}']").check()
    page.locator("fieldset[data-dimension=legal]").get_by_role("textbox").first.fill(EVIDENCE)
    page.locator("fieldset[data-dimension=legal]").scroll_into_view_if_needed()
    journey.audit("crisp-03-assessment-form")
    page.get_by_role("button", name=t("Save")).click()

    expect(page).to_have_url(re.compile(r"/capacity/assessments/\d+/$"))
    expect(page.get_by_role("status")).to_have_text(t("Saved."))
    expect(page.get_by_test_id("scores")).to_contain_text(EVIDENCE)
    journey.audit("crisp-04-assessment")
    assessment = Assessment.objects.filter(country__iso3=STATE).latest("pk")
    assert assessment.score_map() == SCORES and assessment.derived_stage == "emerging"

    # The State's page now derives its stage from the new assessment.
    page.get_by_role("link", name=mexico, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/capacity/states/{STATE}/$"))
    expect(page.get_by_test_id("derived-stage")).to_contain_text(t("Emerging"))

    # 3. A training delivery of the first CRISP module, for Mexico's officials.
    journey.navigate("Knowledge", "CRISP training package")
    journey.audit("crisp-05-training")
    page.locator("main").get_by_role("link", name=re.compile(MODULE)).first.click()
    expect(page).to_have_url(re.compile(r"/capacity/training/\d+/$"))
    page.get_by_role("link", name=t("Record a delivery")).click()
    expect(page).to_have_url(re.compile(r"/capacity/training/deliveries/add/"))
    page.get_by_label(_label(capfirst(t("date")))).fill("2026-11-10")
    page.get_by_label(_label(capfirst(t("place")))).fill("Mexico City")
    page.get_by_label(_label(capfirst(t("for the State")))).select_option(label=mexico)
    page.get_by_label(_label(capfirst(t("number of participants")))).fill("18")
    page.get_by_label(_label(capfirst(t("mean pre-test score")))).fill("52")
    page.get_by_label(_label(capfirst(t("mean post-test score")))).fill("78.5")
    journey.audit("crisp-06-delivery-form")
    page.get_by_role("button", name=t("Save")).click()

    expect(page).to_have_url(re.compile(r"/capacity/training/deliveries/\d+/$"))
    expect(page.get_by_role("status")).to_have_text(t("Saved."))
    expect(page.locator("main")).to_contain_text("Mexico City")
    journey.audit("crisp-07-delivery")
    delivery = TrainingDelivery.objects.latest("pk")
    assert (delivery.country.iso3, delivery.participant_count) == (STATE, 18)
    assert (float(delivery.pre_test_mean or 0), float(delivery.post_test_mean or 0)) == (52, 78.5)

    # 4. The library, searched in the page's language; a result opened.
    query, title = SEARCHES[journey.language]
    journey.navigate("Knowledge", "Knowledge library")
    expect(page).to_have_url(re.compile(r"/library/$"))
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    results = page.get_by_test_id("results")
    expect(results.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()
    journey.audit("crisp-08-library-search")

    # Without JavaScript the search is a plain GET form.
    with journey.without_javascript() as plain:
        plain.goto("/library/")
        plain.get_by_role("searchbox").fill(query)
        plain.get_by_role("button", name=t("Search"), exact=True).click()
        expect(plain.get_by_test_id("results").get_by_role("link", name=title)).to_be_visible()

    results.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(r"/library/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    journey.audit("crisp-09-library-item")

    journey.check_weights()
