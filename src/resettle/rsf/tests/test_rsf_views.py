"""Pages, files (PDF, iCalendar) and API of the RSF app."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from resettle.rsf import services
from resettle.rsf.models import Appointment, MissionCaseStatus, RunStatus, ScheduleRun
from resettle.rsf.tests.fixtures import make_rsf_world, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any]) -> Any:
    world = make_rsf_world()
    world.users = users
    return world


@pytest.fixture
def scheduled(w: Any) -> Any:
    w.run = services.do_start_schedule(w.mission, actor=None, background=False)
    return w


def client_for(user: Any) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_pages_for_the_rsf_user(scheduled: Any) -> None:
    w = scheduled
    c = client_for(w.users["rsf"])
    pk = w.mission.pk
    for name, args in [
        ("rsf:mission_list", []),
        ("rsf:mission_detail", [pk]),
        ("rsf:mission_edit", [pk]),
        ("rsf:mission_cases", [pk]),
        ("rsf:mission_interpreters", [pk]),
        ("rsf:logistics", [pk]),
        ("rsf:no_show", [pk]),
        ("rsf:interpreter_lost", [pk]),
        ("rsf:room_list", []),
        ("rsf:interpreter_list", []),
        ("rsf:run_detail", [w.run.pk]),
    ]:
        assert c.get(reverse(name, args=args)).status_code == 200, name
    for by in ("day", "room", "interpreter"):
        page = c.get(reverse("rsf:timetable", args=[pk]), {"by": by}).content.decode()
        assert "T-RSF-001" in page


def test_state_reads_and_others_get_404(scheduled: Any, can_state_org: Any) -> None:
    from resettle.accounts.models import User

    w = scheduled
    url = reverse("rsf:timetable", args=[w.mission.pk])
    assert client_for(w.users["state"]).get(url).status_code == 200
    assert (
        client_for(w.users["state"])
        .post(reverse("rsf:reschedule", args=[w.mission.pk]))
        .status_code
        == 403
    )
    canada = User.objects.create_user(
        "ircc", "i@example.org", None, organisation=can_state_org, role="state"
    )
    for user in (canada, w.users["ngo"], w.users["other"]):
        assert client_for(user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_pdf_and_ics(scheduled: Any) -> None:
    w = scheduled
    c = client_for(w.users["state"])
    pdf = c.get(reverse("rsf:timetable_pdf", args=[w.mission.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Interview timetable" in text and "T-RSF-001" in text
    room = Appointment.objects.filter(run=w.run).first().room  # type: ignore[union-attr]
    response = c.get(reverse("rsf:room_ics", args=[w.mission.pk, room.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == Appointment.objects.filter(run=w.run, room=room).count() > 0
    assert all(e.decoded("dtstart").tzinfo is not None for e in events)
    resp = c.get(reverse("rsf:interpreter_ics", args=[w.mission.pk, w.arabic.pk]))
    assert Calendar.from_ical(resp.content).walk("VEVENT") is not None


def test_start_follow_no_show_and_reschedule_through_pages(w: Any) -> None:
    c = client_for(w.users["rsf"])
    pk = w.mission.pk
    response = c.post(reverse("rsf:schedule_start", args=[pk]))
    run = ScheduleRun.objects.get()
    assert response.url == run.get_absolute_url()  # type: ignore[attr-defined]
    partial = c.get(reverse("rsf:run_progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert 'data-state="queued"' in partial.content.decode()
    run_tasks()
    partial = c.get(reverse("rsf:run_progress", args=[run.pk]), headers={"HX-Request": "true"})
    assert partial["HX-Redirect"] == run.get_absolute_url()
    assert 'data-testid="run-summary"' in c.get(run.get_absolute_url()).content.decode()
    # A no-show form with a bad choice names the field.
    bad = c.post(reverse("rsf:no_show", args=[pk]), {"case": "999999"})
    assert bad.status_code == 400 and 'data-field="case"' in bad.content.decode()
    c.post(reverse("rsf:no_show", args=[pk]), {"case": w.mission_case.pk})
    w.mission_case.refresh_from_db()
    assert w.mission_case.status == MissionCaseStatus.NO_SHOW
    assert 'data-testid="pending-events"' in c.get(w.mission.get_absolute_url()).content.decode()
    response = c.post(reverse("rsf:reschedule", args=[pk]))
    second = ScheduleRun.objects.exclude(pk=run.pk).get()
    run_tasks()
    page = c.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="moved-count"' in page and "T-RSF-001" in page


def test_forms_select_cases_and_rooms(w: Any) -> None:
    c = client_for(w.users["unhcr"])
    pk = w.mission.pk
    bad = c.post(reverse("rsf:mission_cases", args=[pk]), {"references": "NOPE-1"})
    assert bad.status_code == 400 and "NOPE-1" in bad.content.decode()
    again = c.post(reverse("rsf:mission_cases", args=[pk]), {"references": "T-RSF-002"})
    assert again.status_code == 400 and "already in the mission" in again.content.decode()
    assert c.post(reverse("rsf:room_list"), {"name": "R9", "capacity": 4}).status_code == 302
    assert (
        c.post(
            reverse("rsf:interpreter_list"), {"name": "New", "languages": "Pashto, Dari"}
        ).status_code
        == 302
    )
    assert client_for(w.users["state"]).get(reverse("rsf:room_list")).status_code == 403


def test_api(w: Any, bearer: Callable[[Any], dict[str, str]]) -> None:
    c = Client()
    rsf = bearer(w.users["rsf"])
    pk = w.mission.pk
    listed = c.get("/api/v1/rsf/missions", headers=rsf).json()
    assert [m["name"] for m in listed["items"]] == ["Test mission of Germany"]
    assert c.get("/api/v1/rsf/missions", headers=bearer(w.users["ngo"])).json()["count"] == 0
    assert c.get(f"/api/v1/rsf/missions/{pk}", headers=bearer(w.users["ngo"])).status_code == 404
    assert (
        c.post(f"/api/v1/rsf/missions/{pk}/schedule", headers=bearer(w.users["state"])).status_code
        == 403
    )
    started = c.post(f"/api/v1/rsf/missions/{pk}/schedule", headers=rsf)
    assert started.status_code == 201 and started.json()["status"] == "queued"
    run_tasks()
    run = c.get(f"/api/v1/rsf/runs/{started.json()['id']}", headers=rsf).json()
    assert run["status"] == RunStatus.DONE
    appts = c.get(
        f"/api/v1/rsf/missions/{pk}/appointments?limit=100", headers=bearer(w.users["state"])
    ).json()
    assert appts["count"] == 12 and {"case", "room", "start"} <= set(appts["items"][0])
    bad = c.post(
        f"/api/v1/rsf/missions/{pk}/no-show",
        json.dumps({"case": "X"}),
        content_type="application/json",
        headers=rsf,
    )
    assert bad.status_code == 422
    ok = c.post(
        f"/api/v1/rsf/missions/{pk}/no-show",
        json.dumps({"case": "T-RSF-001"}),
        content_type="application/json",
        headers=rsf,
    )
    assert ok.status_code == 201 and ok.json()["kind"] == "no_show"
    again = c.post(f"/api/v1/rsf/missions/{pk}/reschedule", headers=rsf)
    assert again.status_code == 201 and again.json()["previous"] == run["id"]
