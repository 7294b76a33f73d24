"""Pages: the records section (htmx and plain posts), the action point list, export, detail."""

from __future__ import annotations

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from resettle.meetings import panels
from resettle.records import services
from resettle.records.models import ActionPoint, Decision, Minutes, meeting_date

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(user: object) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_panel_is_registered_and_renders(rec: SimpleNamespace, rf: object) -> None:
    w = rec
    services.do_record_decision(w.first, {"text": "Adopted the plan"}, actor=w.users["state"])
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = w.users["state"]
    html = "".join(panels.render_panels(request, w.first))
    assert 'id="records-panel"' in html
    assert "Adopted the plan" in html
    assert 'data-testid="decision-form"' in html


def test_visitors_see_records_without_forms(rec: SimpleNamespace) -> None:
    w = rec
    services.do_record_decision(w.first, {"text": "Public decision"}, actor=w.users["state"])
    response = _client(None).get(reverse("records:meeting_records", args=[w.first.pk]))
    assert response.status_code == 200
    assert b"Public decision" in response.content
    assert b"decision-form" not in response.content
    hidden = _client(None).get(reverse("records:meeting_records", args=[w.wgr_meeting.pk]))
    assert hidden.status_code == 404


def test_htmx_decision_returns_the_panel(rec: SimpleNamespace) -> None:
    w = rec
    client = _client(w.users["state"])
    url = reverse("records:decision_add", args=[w.first.pk])
    response = client.post(url, {"text": "First decision", "next": "/"}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="records-panel"')
    assert "First decision" in body and "<html" not in body
    assert Decision.objects.get().number == 1
    # An error comes back in the fragment, naming the field, and writes nothing.
    bad = client.post(url, {"text": "", "next": "/"}, headers=HTMX)
    assert bad.status_code == 200
    assert 'data-field="text"' in bad.content.decode()
    assert Decision.objects.count() == 1


def test_plain_post_redirects_back(rec: SimpleNamespace) -> None:
    w = rec
    client = _client(w.users["state"])
    back = reverse("records:meeting_records", args=[w.first.pk])
    response = client.post(
        reverse("records:action_point_add", args=[w.first.pk]),
        {"text": "Report back", "owner": w.ngo_org.pk, "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert ActionPoint.objects.get().owner == w.ngo_org
    # An unsafe next falls back to the records page.
    response = client.post(
        reverse("records:decision_add", args=[w.first.pk]),
        {"text": "D", "next": "https://evil.example.org/"},
    )
    assert response["Location"] == back


def test_plain_post_errors_show_the_form(rec: SimpleNamespace) -> None:
    w = rec
    before = (meeting_date(w.first) - datetime.timedelta(days=2)).isoformat()
    response = _client(w.users["state"]).post(
        reverse("records:action_point_add", args=[w.first.pk]),
        {"text": "Too early", "due_date": before},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="owner"' in body and 'data-field="due_date"' in body
    assert "Choose the organisation that owns this action point." in body
    assert not ActionPoint.objects.exists()


def test_minutes_form(rec: SimpleNamespace) -> None:
    w = rec
    client = _client(w.users["unhcr"])
    url = reverse("records:minutes_save", args=[w.first.pk])
    client.post(url, {"language": "en", "text": "Draft", "session": w.session.pk}, headers=HTMX)
    response = client.post(
        url, {"language": "en", "text": "Final", "session": w.session.pk}, headers=HTMX
    )
    assert "Final" in response.content.decode()
    assert Minutes.objects.get().text == "Final"


def test_non_organisers_cannot_post(rec: SimpleNamespace) -> None:
    w = rec
    url = reverse("records:decision_add", args=[w.first.pk])
    assert _client(w.users["ngo"]).post(url, {"text": "x"}).status_code == 403
    assert _client(None).post(url, {"text": "x"}).status_code == 302
    assert not Decision.objects.exists()


def test_status_update_from_the_next_meeting(rec: SimpleNamespace) -> None:
    w = rec
    ap = services.do_add_action_point(
        w.first, {"text": "Carry me", "owner": w.ngo_org}, actor=w.users["state"]
    )
    client = _client(w.users["unhcr"])
    page = client.get(reverse("records:meeting_records", args=[w.second.pk])).content.decode()
    assert "Carry me" in page and "Done at this meeting" in page
    response = client.post(
        reverse("records:action_point_status", args=[ap.pk]),
        {"status": "done", "at_meeting": w.second.pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    ap.refresh_from_db()
    assert (ap.status, ap.closed_at_meeting) == ("done", w.second)
    assert 'data-status="done"' in response.content.decode()


def test_owner_reports_status_on_the_detail_page(rec: SimpleNamespace) -> None:
    w = rec
    ap = services.do_add_action_point(
        w.first, {"text": "Owner's task", "owner": w.ngo_org}, actor=w.users["state"]
    )
    client = _client(w.users["ngo"])
    detail = reverse("records:action_point_detail", args=[ap.pk])
    assert "Report the status" in client.get(detail).content.decode()
    response = client.post(
        reverse("records:action_point_status", args=[ap.pk]),
        {"status": "in_progress", "note": "Drafting", "next": detail},
    )
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Drafting" in page and "In progress" in page
    # Someone else's organisation may not.
    other = _client(w.users["refugee"]).post(
        reverse("records:action_point_status", args=[ap.pk]), {"status": "done"}
    )
    assert other.status_code == 403


def test_list_filters_and_mine(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    due = meeting_date(w.first) + datetime.timedelta(days=10)
    services.do_add_action_point(
        w.first, {"text": "NGO overdue", "owner": w.ngo_org, "due_date": due}, actor=state
    )
    later = services.do_add_action_point(
        w.first, {"text": "State later", "owner": w.state_org}, actor=state
    )
    services.do_update_action_point(later, {"status": "done"}, actor=state)
    services.do_add_action_point(
        w.wgr_meeting, {"text": "Hidden WGR", "owner": w.ngo_org}, actor=w.users["unhcr"]
    )
    url = reverse("records:action_point_list")
    anon = _client(None).get(url).content.decode()
    assert "NGO overdue" in anon and "State later" in anon and "Hidden WGR" not in anon
    ngo = _client(w.users["ngo"])
    mine = ngo.get(url, {"mine": "on"}).content.decode()
    assert "NGO overdue" in mine and "Hidden WGR" in mine and "State later" not in mine
    overdue = ngo.get(url, {"overdue": "on"}).content.decode()
    assert "NGO overdue" in overdue and "State later" not in overdue
    done = ngo.get(url, {"status": "done", "forum": w.public_forum.pk}).content.decode()
    assert "State later" in done and "NGO overdue" not in done
    still = ngo.get(url, {"status": "still_open", "owner": w.ngo_org.pk}).content.decode()
    assert "NGO overdue" in still and "State later" not in still


def test_export_escapes_formula_cells(rec: SimpleNamespace) -> None:
    w = rec
    for text in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "Plain"):
        services.do_add_action_point(
            w.first, {"text": text, "owner": w.ngo_org}, actor=w.users["state"]
        )
    response = _client(None).get(reverse("records:action_point_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    texts = sorted(r["action"] for r in rows)
    assert texts == sorted(["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "Plain"])
    assert {r["owner"] for r in rows} == {str(w.ngo_org)}


def test_edit_pages(rec: SimpleNamespace) -> None:
    w = rec
    state = _client(w.users["state"])
    d = services.do_record_decision(w.first, {"text": "Old"}, actor=w.users["state"])
    url = reverse("records:decision_edit", args=[d.pk])
    assert state.get(url).status_code == 200
    response = state.post(url, {"text": "New", "decided_at": "2030-01-01"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.text == "New" and d.number == 1
    assert _client(w.users["ngo"]).get(url).status_code == 403
    ap = services.do_add_action_point(
        w.first, {"text": "Do", "owner": w.ngo_org}, actor=w.users["state"]
    )
    edit = reverse("records:action_point_edit", args=[ap.pk])
    response = state.post(edit, {"text": "Do more", "owner": w.state_org.pk})
    assert response.status_code == 302
    ap.refresh_from_db()
    assert (ap.text, ap.owner) == ("Do more", w.state_org)
    assert _client(w.users["ngo"]).get(edit).status_code == 403
    delete = reverse("records:decision_delete", args=[d.pk])
    assert _client(w.users["ngo"]).post(delete).status_code == 403
    assert state.post(delete, headers=HTMX).status_code == 200
    assert not Decision.objects.exists()
