"""Allocation pages: run list, start, progress, results, charts, exports, explanation,
scenario form, comparison, confirmation, pledge line forms."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from resettle.allocation.models import AllocationRun, PledgeLine, RunStatus
from resettle.allocation.tests.fixtures import (
    THIS_YEAR,
    make_allocation_world,
    make_run,
    make_scenario,
)
from resettle.allocation.tests.test_alloc_services import run_tasks
from resettle.cases.models import CaseStatus
from resettle.cases.tests.fixtures import SHARE

pytestmark = pytest.mark.django_db


@pytest.fixture
def unhcr(world: SimpleNamespace) -> Client:
    client = Client()
    client.force_login(world.users["unhcr"])
    return client


def test_start_a_run_follow_its_progress_and_read_the_results(
    world: SimpleNamespace, unhcr: Client
) -> None:
    make_allocation_world(world)
    response = unhcr.post(reverse("allocation:run_start"), {"year": THIS_YEAR, "name": "May"})
    run = AllocationRun.objects.get(name="May")
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()

    page = unhcr.get(run.get_absolute_url())
    assert b'data-testid="run-progress"' in page.content and b'hx-get="' in page.content
    partial = unhcr.get(
        reverse("allocation:run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200 and "HX-Redirect" not in partial
    assert b'data-state="queued"' in partial.content

    run_tasks()

    partial = unhcr.get(
        reverse("allocation:run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    )
    assert partial["HX-Redirect"] == run.get_absolute_url()
    page = unhcr.get(run.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="run-summary"' in html
    assert "Proven optimal" in html or "Within" in html
    assert 'id="placed-by-state"' in html and 'id="unplaced-by-reason"' in html
    assert "Places taken by higher-priority cases" in html
    assert 'data-priority="emergency">4<' in html  # the Syrian family of four
    assert "Target met" in html or "Below target" in html
    assert 'data-testid="confirm"' in html  # UNHCR may confirm


def test_a_year_without_lines_is_refused_on_the_form(world: SimpleNamespace, unhcr: Client) -> None:
    make_allocation_world(world)
    response = unhcr.post(reverse("allocation:run_start"), {"year": 1999})
    assert response.status_code == 400
    assert b'id="id_year_error"' in response.content
    assert not AllocationRun.objects.exists()


def test_the_administrator_sees_no_confirm_button(world: SimpleNamespace) -> None:
    run = make_run(world)
    client = Client()
    client.force_login(world.users["admin"])
    assert b'data-testid="confirm"' not in client.get(run.get_absolute_url()).content


def test_confirming_on_the_page_refers_the_cases(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    url = reverse("allocation:run_confirm", args=[run.pk])
    refused = unhcr.post(url, {"purpose": "resettlement", "consent": "given"}, follow=True)
    assert "Consent given on: Give the date the family consented." in refused.content.decode()
    response = unhcr.post(url, SHARE, follow=True)
    assert b'data-testid="confirmed"' in response.content
    world.case_syr.refresh_from_db()
    assert world.case_syr.status == CaseStatus.REFERRED
    # A second confirmation is refused with a message, not an error page.
    again = unhcr.post(url, SHARE, follow=True)
    assert b"confirmed already" in again.content


def test_unplaced_cases_by_reason(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    url = reverse("allocation:run_unplaced", args=[run.pk])
    html = unhcr.get(url).content.decode()
    assert "T-SOM-1" in html and "T-SYR-2" in html and "T-AFG-1" not in html
    html = unhcr.get(url + "?reason=no_eligible_line").content.decode()
    assert "T-SOM-1" in html and "T-SYR-2" not in html


def test_exports_csv_and_xlsx(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    response = unhcr.get(reverse("allocation:run_export", args=[run.pk, "assignments", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "case,persons,priority,nationality,asylum,line,state,reason"
    assert f"T-SYR-1,4,emergency,SYR,TUR,L{world.line_deu.pk},DEU,placed" in lines
    assert "T-SOM-1,2,normal,SOM,KEN,,,no_eligible_line" in lines
    response = unhcr.get(reverse("allocation:run_export", args=[run.pk, "lines", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("line", "state", "label", "capacity", "used")
    assert (f"L{world.line_deu.pk}", "DEU", "Syrians", 6, 4) == rows[1][:5] or (
        f"L{world.line_deu.pk}",
        "DEU",
        "Syrians",
        6,
        4,
    ) == rows[2][:5]
    assert (
        unhcr.get(reverse("allocation:run_export", args=[run.pk, "other", "csv"])).status_code
        == 404
    )


def test_the_explanation_in_three_languages(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    html = unhcr.get(
        reverse("allocation:explanation", args=[run.pk, world.case_som.pk])
    ).content.decode()
    assert "Not placed: no pledge line takes this case." in html
    assert "it does not take this nationality" in html
    for code in ("en", "ar", "fr"):
        assert f'data-testid="explanation-{code}"' in html
    html = unhcr.get(
        reverse("allocation:explanation", args=[run.pk, world.case_syr.pk])
    ).content.decode()
    assert "Placed with Germany (Syrians)." in html
    html = unhcr.get(
        reverse("allocation:explanation", args=[run.pk, world.case_syr_big.pk])
    ).content.decode()
    assert "went to other cases" in html
    # A case the run did not consider: 404.
    missing = reverse("allocation:explanation", args=[run.pk, world.referred_deu.pk])
    assert unhcr.get(missing).status_code == 404


def test_scenario_form_and_comparison(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    url = reverse("allocation:scenario_add", args=[run.pk])
    assert unhcr.get(url).status_code == 200
    missing = unhcr.post(url, {"kind": "set_capacity", "line": f"L{world.line_deu.pk}"})
    assert missing.status_code == 400 and b'id="id_capacity_error"' in missing.content
    response = unhcr.post(
        url,
        {"kind": "set_capacity", "line": f"L{world.line_deu.pk}", "capacity": 11, "name": "Big"},
    )
    scenario = AllocationRun.objects.get(name="Big")
    assert response["Location"] == scenario.get_absolute_url()
    assert scenario.status == RunStatus.QUEUED and scenario.parent == run
    run_tasks()
    html = unhcr.get(reverse("allocation:run_compare", args=[scenario.pk])).content.decode()
    assert 'data-testid="by-priority"' in html and 'data-testid="by-state"' in html
    assert "1 case is placed differently." in html and "T-SYR-2" in html
    assert "+5" in html  # five more urgent persons placed


def test_comparison_needs_a_base(world: SimpleNamespace, unhcr: Client) -> None:
    run = make_run(world)
    assert unhcr.get(reverse("allocation:run_compare", args=[run.pk])).status_code == 404
    scenario = make_scenario(world)
    url = reverse("allocation:run_compare", args=[run.pk]) + f"?base={scenario.pk}"
    assert unhcr.get(url).status_code == 200


def test_pledge_line_form_records_criteria(world: SimpleNamespace, unhcr: Client) -> None:
    make_allocation_world(world)
    response = unhcr.post(
        reverse("allocation:line_add"),
        {
            "year": THIS_YEAR,
            "state": world.deu.pk,
            "label": "Women at risk",
            "capacity": 40,
            "reserved_urgent": 4,
            "nationalities": "syr, AFG",
            "situations": ["Test situation"],
            "categories": ["WGR"],
            "priorities": ["emergency", "urgent"],
            "modality": "dossier",
            "preferences": "language, ar, 2\nflag, woman_at_risk, 3",
        },
    )
    line = PledgeLine.objects.get(label="Women at risk")
    assert response["Location"] == line.get_absolute_url()
    assert line.nationalities == ["SYR", "AFG"] and line.asylums is None
    assert line.situations == ["Test situation"] and line.categories == ["WGR"]
    assert line.preferences[1] == {"attribute": "flag", "value": "woman_at_risk", "weight": 3.0}
    bad = unhcr.post(
        reverse("allocation:line_edit", args=[line.pk]),
        {
            "year": THIS_YEAR,
            "state": world.deu.pk,
            "capacity": 5,
            "reserved_urgent": 9,
            "priorities": ["normal"],
            "modality": "dossier",
            "preferences": "language ar",
        },
    )
    assert bad.status_code == 400
    assert b'id="id_preferences_error"' in bad.content
    edit = unhcr.get(reverse("allocation:line_edit", args=[line.pk])).content.decode()
    assert 'value="SYR, AFG"' in edit


def test_a_state_official_reads_only_their_lines(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    client = Client()
    client.force_login(world.users["state"])
    html = client.get(reverse("allocation:line_list")).content.decode()
    assert "Syrians" in html and "Afghans" not in html
    assert (
        client.get(reverse("allocation:line_detail", args=[world.line_can.pk])).status_code == 404
    )
    assert client.get(reverse("allocation:run_list")).status_code == 403


LINES_CSV = (
    "id,state,capacity,nationalities,situations,priorities,modality,reserved_urgent,preferences\n"
    "DEU-1,DEU,30,SYR;AFG,,emergency;urgent,dossier,3,language:ar=2\n"
    "CAN-1,CAN,20,,Test situation,,,,\n"
)


def test_importing_pledge_lines(world: SimpleNamespace, unhcr: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_allocation_world(world)
    url = reverse("allocation:line_import")
    bad = unhcr.post(
        url,
        {"year": 2030, "file": SimpleUploadedFile("l.csv", (LINES_CSV + "X,XXX,5\n").encode())},
    )
    assert bad.status_code == 422 and b'data-testid="import-problems"' in bad.content
    assert not PledgeLine.objects.filter(year=2030).exists()
    good = unhcr.post(url, {"year": 2030, "file": SimpleUploadedFile("l.csv", LINES_CSV.encode())})
    assert good.status_code == 302
    deu = PledgeLine.objects.get(year=2030, label="DEU-1")
    assert (deu.state.iso3, deu.capacity, deu.reserved_urgent, deu.modality) == (
        "DEU",
        30,
        3,
        "dossier",
    )
    assert deu.nationalities == ["AFG", "SYR"] and deu.priorities == ["emergency", "urgent"]
    assert deu.preferences == [{"attribute": "language", "value": "ar", "weight": 2.0}]
    can = PledgeLine.objects.get(year=2030, label="CAN-1")
    assert can.situations == ["Test situation"] and can.nationalities is None
    assert can.priorities == ["emergency", "urgent", "normal"]


def test_progress_is_written_on_the_run(world: SimpleNamespace) -> None:
    from resettle.allocation.services import _progress_writer

    make_allocation_world(world)
    run = AllocationRun.objects.create(year=THIS_YEAR, name="p")
    write = _progress_writer(run.pk)
    write(0.5)
    run.refresh_from_db()
    assert run.progress == 45  # the engine's half of its 90%
    write(1.0)
    run.refresh_from_db()
    assert run.progress == 90
