"""Pages and API of the pipeline: privacy, logging, fresh login for exports, demo."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resettle.accounts import throttle
from resettle.accounts.models import LoginAttempt, LoginStage
from resettle.pipeline import reauth
from resettle.pipeline.models import CaseFile, PersonalDataAccess
from resettle.pipeline.tests.fixtures import NAME, make_pipeline_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(world: SimpleNamespace) -> SimpleNamespace:
    return make_pipeline_world(world)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_case_page_shows_no_names_and_logs_nothing(pw: SimpleNamespace) -> None:
    response = _client(pw.users["rsf"]).get(
        reverse("pipeline:casefile_detail", args=[pw.file_deu.pk])
    )
    assert response.status_code == 200
    assert NAME not in response.content.decode()
    assert "Allowed next stages" in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_showing_personal_data_is_logged(pw: SimpleNamespace) -> None:
    url = reverse("pipeline:personal_data", args=[pw.file_deu.pk])
    response = _client(pw.users["state"]).post(url, {"purpose": "selection"})
    assert response.status_code == 200 and NAME in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.what, log.purpose) == (pw.users["state"], "personal", "selection")


def test_another_state_gets_404_everywhere(pw: SimpleNamespace) -> None:
    client = _client(pw.users["state"])
    for name, method in (
        ("pipeline:casefile_detail", "get"),
        ("pipeline:personal_data", "post"),
        ("pipeline:medical", "post"),
        ("pipeline:export_members", "post"),
    ):
        response = getattr(client, method)(reverse(name, args=[pw.file_can.pk]))
        assert response.status_code == 404, name
    api = client.get(f"/api/v1/pipeline/cases/{pw.file_can.pk}")
    assert api.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_board_counts_by_stage(pw: SimpleNamespace) -> None:
    response = _client(pw.users["rsf"]).get(reverse("pipeline:board"))
    body = response.content.decode()
    assert 'data-testid="count-interviewed">1<' in body
    assert 'data-testid="count-referred">1<' in body
    state = _client(pw.users["state"]).get(reverse("pipeline:board")).content.decode()
    assert "P-CAN-1" not in state and "P-DEU-1" in state


def test_list_filters(pw: SimpleNamespace) -> None:
    client = _client(pw.users["rsf"])
    url = reverse("pipeline:casefile_list")
    body = client.get(url, {"stage": "interviewed"}).content.decode()
    assert "P-DEU-1" in body and "P-CAN-1" not in body
    body = client.get(url, {"nationality": "afg"}).content.decode()
    assert "P-CAN-1" in body and "P-DEU-1" not in body
    CaseFile.objects.filter(pk=pw.file_can.pk).update(stage_since="2020-01-01")
    CaseFile.objects.filter(pk=pw.file_deu.pk).update(stage_since=timezone.localdate())
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert "P-CAN-1" in body and "P-DEU-1" not in body


def test_illegal_move_in_the_page_names_the_stages(pw: SimpleNamespace) -> None:
    url = reverse("pipeline:casefile_move", args=[pw.file_deu.pk])
    response = _client(pw.users["rsf"]).post(url, {"move": "departed"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Interviewed" in body and "Decision: accepted" in body


def test_export_needs_a_fresh_login(pw: SimpleNamespace) -> None:
    user = pw.users["rsf"]
    user.password = make_password("s3cret-pass")
    user.save()
    client = _client(user)
    url = reverse("pipeline:export_members", args=[pw.file_deu.pk])
    fresh = client.post(url)  # just logged in
    assert fresh.status_code == 200 and NAME in fresh.content.decode()
    assert fresh["Content-Type"].startswith("text/csv")
    session = client.session
    session[reauth.SESSION_KEY] = time.time() - 3600
    session.save()
    stale = client.post(url)
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("pipeline:reauth"))
    assert PersonalDataAccess.objects.filter(what="export").count() == 1
    wrong = client.post(reverse("pipeline:reauth"), {"password": "nope", "next": "/"})
    assert wrong.status_code == 400 and "not correct" in wrong.content.decode()
    ok = client.post(reverse("pipeline:reauth"), {"password": "s3cret-pass", "next": "/"})
    assert ok.status_code == 302
    assert client.post(url).status_code == 200
    assert PersonalDataAccess.objects.filter(what="export").count() == 2


def test_confirming_the_password_is_throttled_like_a_login(pw: SimpleNamespace) -> None:
    """A stolen session cannot guess the password to export personal data."""
    user = pw.users["rsf"]
    user.password = make_password("s3cret-pass")
    user.save()
    client = _client(user)
    signed_in_at = client.session[reauth.SESSION_KEY]  # the login counts as confirmed
    page = reverse("pipeline:reauth")
    for _ in range(throttle.USERNAME_LIMIT):
        wrong = client.post(page, {"password": "guess", "next": "/"})
        assert wrong.status_code == 400 and "not correct" in wrong.content.decode()
    failed = LoginAttempt.objects.filter(
        username=throttle.username_key(user.username), stage=LoginStage.CONFIRM
    )
    assert failed.count() == throttle.USERNAME_LIMIT
    # Locked: even the right password is refused now, and the refusal is recorded.
    locked = client.post(page, {"password": "s3cret-pass", "next": "/"})
    assert locked.status_code == 400 and "not correct" not in locked.content.decode()
    assert failed.count() == throttle.USERNAME_LIMIT + 1
    assert client.session[reauth.SESSION_KEY] == signed_in_at


def test_api_members_without_names_and_personal_data_logged(
    pw: SimpleNamespace, bearer: object
) -> None:
    headers = bearer(pw.users["rsf"])  # type: ignore[operator]
    client = Client()
    members = client.get(f"/api/v1/pipeline/cases/{pw.file_deu.pk}/members", headers=headers)
    assert members.status_code == 200 and NAME not in members.content.decode()
    assert [m["adult"] for m in members.json()] == [True, False]
    detail = client.get(f"/api/v1/pipeline/cases/{pw.file_deu.pk}", headers=headers).json()
    assert (detail["adults"], detail["province"], detail["stage"]) == (
        1,
        "Gaziantep",
        "interviewed",
    )
    personal = client.post(
        f"/api/v1/pipeline/cases/{pw.file_deu.pk}/personal-data",
        {"purpose": "check"},
        content_type="application/json",
        headers=headers,
    )
    assert personal.status_code == 200 and personal.json()[0]["name"] == NAME
    assert PersonalDataAccess.objects.get().channel == "api"
    illegal = client.post(
        f"/api/v1/pipeline/cases/{pw.file_deu.pk}/events",
        {"move": "departed"},
        content_type="application/json",
        headers=headers,
    )
    assert illegal.status_code == 422 and "Allowed next stages" in illegal.content.decode()


def test_demo_is_idempotent(world: SimpleNamespace) -> None:
    from resettle.pipeline.demo import load_pipeline_demo

    assert load_pipeline_demo() == 0  # no referred demo cases: nothing to do
    world_cases = make_pipeline_world(world)
    from resettle.cases.models import ResettlementCase

    ResettlementCase.objects.filter(pk=world_cases.case_deu.pk).update(is_illustrative=True)
    new = ResettlementCase.objects.create(
        reference="DEMO-X",
        persons=4,
        nationality="SYR",
        asylum=world_cases.case_deu.asylum,
        category="LPN",
        priority="urgent",
        submitted_on="2025-06-01",
        status="referred",
        referred_state=world.deu,
        is_illustrative=True,
    )
    created = load_pipeline_demo()
    assert created == 1 + 4 + 1  # one file, four members, the session
    assert CaseFile.objects.get(case=new).members.count() == 4
    assert load_pipeline_demo() == 0
