"""Pages of capacity building: the State page (public stage, radar for those who
may see the assessments), the assessment form, lists, training, GROW; and the API."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.capacity import services
from resettle.capacity.models import Assessment
from resettle.capacity.tests.conftest import assessment_data
from resettle.commitments.models import Commitment, Supporter

pytestmark = pytest.mark.django_db
Login = Callable[[Client, User | None], Client]


@pytest.fixture
def assessed(world: SimpleNamespace) -> SimpleNamespace:
    unhcr = world.users["unhcr"]
    services.do_create_assessment(
        assessment_data(world, 1, 1, 1, 1, 1, 1, 1, 1, assessed_on=datetime.date(2020, 2, 1)),
        actor=unhcr,
    )
    world.assessment = services.do_create_assessment(
        assessment_data(world, 3, 3, 3, 3, 3, 3, 3, 3, summary="Secret summary"), actor=unhcr
    )
    return world


def test_state_page_shows_the_public_stage_to_all_and_the_radar_to_the_state(
    client: Client, login: Login, assessed: SimpleNamespace
) -> None:
    url = reverse("capacity:state_detail", args=["deu"])
    anonymous = client.get(url)
    body = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert 'data-testid="derived-stage"' in body and "Established" in body
    assert 'data-testid="stage-history"' in body and "New" in body
    assert "<svg" not in body and "Secret summary" not in body
    login(client, assessed.users["state"])
    body = client.get(url).content.decode()
    assert body.count('class="series"') == 2  # a polygon per assessment
    assert 'data-testid="radar-data"' in body


def test_state_page_in_arabic_mirrors_the_radar(
    client: Client, login: Login, assessed: SimpleNamespace
) -> None:
    login(client, assessed.users["unhcr"])
    client.cookies["django_language"] = "ar"
    body = client.get(
        reverse("capacity:state_detail", args=["DEU"]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert 'direction="rtl"' in body


def test_unhcr_records_an_assessment_through_the_form(
    client: Client, login: Login, world: SimpleNamespace
) -> None:
    login(client, world.users["unhcr"])
    url = reverse("capacity:assessment_add")
    assert client.get(url + "?country=DEU").status_code == 200
    data = {"country": world.deu.pk, "assessed_on": "2024-02-01", "status": "completed"}
    for dim in ("legal", "processing", "pre_departure", "reception"):
        data[f"score_{dim}"] = "2"
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-field="score_pathways"' in response.content.decode()
    for dim in ("pathways", "sponsorship", "data", "partnerships"):
        data[f"score_{dim}"] = "1"
    data["evidence_legal"] = "Asylum act, art. 23"
    response = client.post(url, data)
    a = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == a.get_absolute_url()
    assert a.derived_stage == "emerging" and a.assessor == world.unhcr_org
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Asylum act, art. 23" in page and 'data-testid="radar"' in page
    edit = client.get(reverse("capacity:assessment_edit", args=[a.pk])).content.decode()
    assert re.search(r'value="2"[^>]* checked', edit)


def test_lists_filters_and_refusals(
    client: Client, login: Login, assessed: SimpleNamespace
) -> None:
    assert client.get(reverse("capacity:assessment_list")).status_code == 302  # to login
    login(client, assessed.users["ngo"])
    page = client.get(reverse("capacity:assessment_list"))
    assert "0 results" in page.content.decode()
    assert client.get(reverse("capacity:assessment_add")).status_code == 403
    login(client, assessed.users["state"])
    page = client.get(
        reverse("capacity:assessment_list") + "?country=DEU&derived_stage=established"
    )
    assert "1 result" in page.content.decode()
    assert client.get(reverse("capacity:state_list")).status_code == 200


def test_gains_page_and_grow_page(client: Client, login: Login, world: SimpleNamespace) -> None:
    donor = Supporter.objects.create(name="Open Doors", kind="foundation")
    c = Commitment.objects.create(
        source="grow", supporter=donor, title="Sponsor fund", amount=1000, currency="USD"
    )
    hidden = Commitment.objects.create(
        source="grow",
        supporter=donor,
        title="Quiet gift",
        amount=5,
        currency="USD",
        is_public=False,
    )
    body = client.get(reverse("capacity:grow")).content.decode()
    assert "Open Doors" in body and c.title in body and hidden.title not in body
    assert "1,000 USD" in body or "1000 USD" in body
    assert client.get(reverse("capacity:gains")).status_code == 302
    login(client, world.users["ngo"])
    assert client.get(reverse("capacity:gains")).status_code == 200
    detail = client.get(c.get_absolute_url()).content.decode()
    assert 'data-testid="supporter"' in detail and "1,000 USD" in detail


def test_api_assessments_visibility_and_create(
    client: Client, bearer: Callable[[User | None], dict[str, str]], assessed: SimpleNamespace
) -> None:
    stages = client.get("/api/v1/capacity/stages").json()
    assert stages == [
        {"country": "DEU", "assessed_on": str(datetime.date(2024, 5, 1)), "stage": "established"}
    ]
    assert client.get("/api/v1/capacity/assessments").json()["count"] == 0
    own = client.get("/api/v1/capacity/assessments", headers=bearer(assessed.users["state"])).json()
    assert own["count"] == 2 and own["items"][0]["scores"]["legal"]["score"] in (1, 3)
    payload = {
        "country": "CAN",
        "assessed_on": "2024-01-10",
        "status": "completed",
        "scores": {d: {"score": 4} for d in ("legal", "processing", "pre_departure", "reception")},
    }
    refused = client.post(
        "/api/v1/capacity/assessments",
        payload,
        content_type="application/json",
        headers=bearer(assessed.users["unhcr"]),
    )
    assert refused.status_code == 422 and "score_pathways" in refused.content.decode()
    payload["scores"].update(
        {d: {"score": 2} for d in ("pathways", "sponsorship", "data", "partnerships")}
    )
    created = client.post(
        "/api/v1/capacity/assessments",
        payload,
        content_type="application/json",
        headers=bearer(assessed.users["unhcr"]),
    )
    assert created.status_code == 201 and created.json()["derived_stage"] == "established"
    ngo = client.post(
        "/api/v1/capacity/assessments",
        {**payload, "assessed_on": "2024-01-11"},
        content_type="application/json",
        headers=bearer(assessed.users["ngo"]),
    )
    assert ngo.status_code == 403
