"""The boards: per mission and per State, filters, moves (plain and htmx), privacy."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.pipeline import stages
from resettle.pipeline.models import CaseFile, StageEvent
from resettle.pipeline.tests.fixtures import NAME, make_board_world

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bw(world: SimpleNamespace) -> SimpleNamespace:
    return make_board_world(world)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _mission_url(w: SimpleNamespace, name: str = "mission_deu") -> str:
    return reverse("pipeline:mission_board", args=[getattr(w, name).pk])


def _count(body: str, stage: str) -> int:
    found = re.search(rf'data-testid="count-{stage}">(\d+)<', body)
    assert found is not None, stage
    return int(found.group(1))


def _column(body: str, stage: str) -> str:
    """The HTML of one column (up to the next column)."""
    start = body.index(f'data-stage="{stage}"')
    end = body.find("<section", start)
    return body[start : end if end != -1 else len(body)]


def test_mission_board_columns_cards_and_indicators(bw: SimpleNamespace) -> None:
    response = _client(bw.users["rsf"]).get(_mission_url(bw))
    assert response.status_code == 200
    body = response.content.decode()
    assert _count(body, "interviewed") == 1
    assert _count(body, "referred") == 1
    assert _count(body, "departed") == 1
    assert _count(body, "accepted") == 0
    assert "P-DEU-1" in _column(body, "interviewed")
    assert "P-CAN-1" in _column(body, "referred")
    assert "P-DEU-2" in _column(body, "departed")
    # A card: reference, family size, priority, days since submission; never a name.
    card = _column(body, "interviewed")
    assert "3 persons" in card and "Urgent" in card and "200 days since submission" in card
    assert NAME not in body and "Haddad" not in body
    # Indicators of the board's three cases.
    assert re.search(r'data-testid="ind-cases">3<', body)
    assert re.search(r'data-testid="ind-share">50%', body)  # 1 of the 2 closed windows
    assert re.search(r'data-testid="ind-acceptance">100%', body)
    assert re.search(r'data-testid="ind-no-shows">1<', body)
    assert "Global Compact target 25%" in body
    # Facility staff may move the interviewed case to a decision, not hold it from here.
    assert 'value="accepted"' in card and 'value="on_hold"' not in card
    # The departed case has no next stage: no form on its card.
    assert 'data-testid="move-form"' not in _column(body, "departed")


def test_a_state_official_sees_only_their_states_cases_on_a_mission_board(
    bw: SimpleNamespace,
) -> None:
    client = _client(bw.users["state"])  # Germany's official
    body = client.get(_mission_url(bw)).content.decode()
    assert "P-DEU-1" in body and "P-DEU-2" in body
    assert "P-CAN-1" not in body and "Afghan" not in body
    assert _count(body, "referred") == 0  # Canada's case is not counted either
    assert re.search(r'data-testid="ind-cases">2<', body)
    # The State records its decisions only.
    card = _column(body, "interviewed")
    assert 'value="accepted"' in card and 'value="pending_security"' in card
    assert client.get(_mission_url(bw, "mission_can")).status_code == 404
    for role in ("ngo", "refugee", "other"):
        assert _client(bw.users[role]).get(_mission_url(bw)).status_code == 404, role


def test_state_board_scope_and_404s(bw: SimpleNamespace) -> None:
    url = lambda iso3: reverse("pipeline:state_board", args=[iso3])  # noqa: E731 - short
    body = _client(bw.users["rsf"]).get(url("DEU")).content.decode()
    assert "P-DEU-1" in body and "P-DEU-2" in body and "P-CAN-1" not in body
    body = _client(bw.users["rsf"]).get(url("can")).content.decode()
    assert "P-CAN-1" in body and "P-DEU-1" not in body
    state = _client(bw.users["state"])
    assert state.get(url("DEU")).status_code == 200
    assert state.get(url("CAN")).status_code == 404
    assert state.get(url("XXX")).status_code == 404
    assert _client(bw.users["ngo"]).get(url("DEU")).status_code == 404
    assert _client(bw.users["unhcr"]).get(url("CAN")).status_code == 200
    anonymous = Client().get(url("DEU"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_filters_are_get_parameters(bw: SimpleNamespace) -> None:
    client = _client(bw.users["rsf"])
    url = _mission_url(bw)
    body = client.get(url, {"priority": "urgent"}).content.decode()
    assert "P-DEU-1" in body and "P-DEU-2" not in body and "P-CAN-1" not in body
    assert re.search(r'data-testid="ind-cases">1<', body)
    body = client.get(url, {"province": "Hatay"}).content.decode()
    assert "P-DEU-2" in body and "P-DEU-1" not in body
    body = client.get(url, {"nationality": "AFG"}).content.decode()
    assert "P-CAN-1" in body and "P-DEU-1" not in body
    # A stage shows that column alone.
    body = client.get(url, {"stage": "interviewed"}).content.decode()
    assert 'data-stage="interviewed"' in body and 'data-stage="referred"' not in body
    # The choices come from the board's own cases; anything else is named and left out.
    bad = client.get(url, {"nationality": "SOM", "priority": "urgent"})
    body = bad.content.decode()
    assert "Nationality: Select a valid choice" in body
    assert "P-DEU-1" in body and "P-CAN-1" not in body  # the valid filter still applies
    # The general board picks a State too.
    body = client.get(reverse("pipeline:board"), {"state": "CAN"}).content.decode()
    assert "P-CAN-1" in body and "P-DEU-1" not in body


def test_a_plain_post_moves_the_case_and_comes_back_to_the_filtered_board(
    bw: SimpleNamespace,
) -> None:
    client = _client(bw.users["rsf"])
    url = _mission_url(bw) + "?priority=urgent"
    response = client.post(url, {"case": bw.file_deu.pk, "move": stages.ACCEPTED})
    assert response.status_code == 302 and response["Location"] == url
    assert CaseFile.objects.get(pk=bw.file_deu.pk).stage == stages.ACCEPTED
    event = StageEvent.objects.filter(case_file=bw.file_deu).last()
    assert event is not None and (event.stage, event.by) == (stages.ACCEPTED, bw.users["rsf"])
    body = client.get(url).content.decode()
    assert "Case P-DEU-1 moved to “Decision: accepted”." in body
    assert "P-DEU-1" in _column(body, "accepted")


def test_an_illegal_move_is_refused_with_the_services_message(bw: SimpleNamespace) -> None:
    client = _client(bw.users["rsf"])
    events = StageEvent.objects.count()
    response = client.post(_mission_url(bw), {"case": bw.file_deu.pk, "move": stages.DEPARTED})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Case P-DEU-1 is at stage “Interviewed” and cannot move to “Departed”." in body
    assert "Allowed next stages: Decision: accepted" in body
    assert CaseFile.objects.get(pk=bw.file_deu.pk).stage == stages.INTERVIEWED
    assert StageEvent.objects.count() == events
    # Bad input names the field.
    response = client.post(_mission_url(bw), {"case": "x", "move": "nowhere"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Case: Enter a whole number." in body and "Next stage: Select a valid choice" in body


def test_htmx_gets_the_board_fragment(bw: SimpleNamespace) -> None:
    client = _client(bw.users["rsf"])
    url = _mission_url(bw)
    response = client.post(url, {"case": bw.file_can.pk, "move": "accepted_for_mission"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.startswith('<div id="pipeline-board"')
    assert 'data-testid="move-notice"' in body
    assert _count(body, "referred") == 0 and _count(body, "accepted_for_mission") == 1
    # Refused: still 200 (htmx swaps successful answers only), with the message.
    response = client.post(url, {"case": bw.file_can.pk, "move": "accepted_for_mission"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="move-error"' in body
    assert "is at stage “Accepted for a mission” and cannot move to" in body


def test_moves_outside_the_board_or_the_users_rights(bw: SimpleNamespace) -> None:
    # A case that is not on this board: 404, even for facility staff.
    rsf = _client(bw.users["rsf"])
    response = rsf.post(
        _mission_url(bw, "mission_can"), {"case": bw.file_deu.pk, "move": "accepted"}
    )
    assert response.status_code == 404
    # Germany's official cannot reach Canada's case through Germany's mission.
    state = _client(bw.users["state"])
    response = state.post(
        _mission_url(bw), {"case": bw.file_can.pk, "move": "accepted_for_mission"}
    )
    assert response.status_code == 404
    # ...nor move their own case beyond their decisions.
    response = state.post(_mission_url(bw), {"case": bw.file_deu.pk, "move": "on_hold"})
    assert response.status_code == 403
    # UNHCR sees the board without move forms, and may not move.
    unhcr = _client(bw.users["unhcr"])
    assert 'data-testid="move-form"' not in unhcr.get(_mission_url(bw)).content.decode()
    response = unhcr.post(_mission_url(bw), {"case": bw.file_deu.pk, "move": "accepted"})
    assert response.status_code == 403
    assert CaseFile.objects.get(pk=bw.file_deu.pk).stage == stages.INTERVIEWED
    assert CaseFile.objects.get(pk=bw.file_can.pk).stage == stages.REFERRED
    # The State records its decision from the board.
    response = state.post(
        reverse("pipeline:state_board", args=["DEU"]),
        {"case": bw.file_deu.pk, "move": "pending_security"},
    )
    assert response.status_code == 302
    assert CaseFile.objects.get(pk=bw.file_deu.pk).stage == stages.PENDING_SECURITY


def test_the_boards_are_linked(bw: SimpleNamespace) -> None:
    rsf = _client(bw.users["rsf"])
    mission_page = rsf.get(reverse("rsf:mission_detail", args=[bw.mission_deu.pk]))
    assert _mission_url(bw) in mission_page.content.decode()
    listing = rsf.get(reverse("pipeline:casefile_list")).content.decode()
    assert reverse("pipeline:state_board", args=["DEU"]) in listing
    assert reverse("pipeline:state_board", args=["CAN"]) in listing
    state_listing = _client(bw.users["state"]).get(reverse("pipeline:casefile_list"))
    assert reverse("pipeline:state_board", args=["CAN"]) not in state_listing.content.decode()
    detail = rsf.get(reverse("pipeline:casefile_detail", args=[bw.file_deu.pk])).content.decode()
    assert bw.case_deu.get_absolute_url() in detail  # the resettlement case it comes from
    assert _mission_url(bw) in detail
    assert reverse("pipeline:state_board", args=["DEU"]) in detail
