"""Named caseworkers and room closures: what the scheduler may use, and the pages to set them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resettle.cases.tests.fixtures import SHARE
from resettle.core.models import AuditEntry
from resettle.directory.models import Country
from resettle.rsf import runs, services
from resettle.rsf.models import Appointment, Mission, MissionCaseworker, RoomClosure
from resettle.rsf.scheduler.check import violations
from resettle.rsf.tests.fixtures import make_rsf_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(users: dict[str, Any]) -> Any:
    world = make_rsf_world()
    world.users = users
    return world


def _day(w: Any, n: int) -> datetime.date:
    return w.mission.start_date + datetime.timedelta(days=n)


def test_named_caseworkers_set_the_days_capacity_and_name_appointments(w: Any) -> None:
    rsf = w.users["rsf"]
    services.do_add_caseworker(w.mission, "  Anna  Weber ", actor=rsf)
    services.do_add_caseworker(w.mission, "Jonas Klein", [_day(w, 0), _day(w, 2)], actor=rsf)
    model = runs.mission_model(w.mission)
    assert [d.caseworkers for d in model.days] == [2, 1, 2]
    assert runs.caseworkers_by_day(w.mission) == [
        ["Anna Weber", "Jonas Klein"],
        ["Anna Weber"],
        ["Anna Weber", "Jonas Klein"],
    ]
    run = services.do_start_schedule(w.mission, actor=rsf, background=False)
    rows = list(Appointment.objects.filter(run=run))
    assert rows
    assert {a.caseworker_name for a in rows} <= {"Anna Weber", "Jonas Klein"}
    assert not [a for a in rows if a.day == _day(w, 1) and a.caseworker_name != "Anna Weber"]
    # Never two interviews of one caseworker at once.
    for a in rows:
        for b in rows:
            if a.pk < b.pk and a.caseworker_name == b.caseworker_name and a.day == b.day:
                assert a.end <= b.start or b.end <= a.start
    assert violations(runs.mission_model(w.mission), runs.previous_schedule(run)) == []
    assert AuditEntry.objects.filter(content_type__model="missioncaseworker").exists()


def test_caseworker_input_is_checked(w: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_add_caseworker(w.mission, "   ", actor=w.users["rsf"])
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_add_caseworker(
            w.mission, "X", [datetime.date(2001, 1, 1)], actor=w.users["rsf"]
        )
    assert "not a day of the mission" in exc.value.message_dict["days"][0]
    with pytest.raises(PermissionDenied):
        services.do_add_caseworker(w.mission, "X", actor=w.users["state"])
    assert not MissionCaseworker.objects.exists()
    # Naming someone again changes their days, not a second row.
    services.do_add_caseworker(w.mission, "X", [_day(w, 1)], actor=w.users["rsf"])
    services.do_add_caseworker(w.mission, "X", actor=w.users["rsf"])
    assert MissionCaseworker.objects.get().days == []


def test_closed_rooms_and_rooms_of_other_missions_are_not_used(w: Any) -> None:
    rsf = w.users["rsf"]
    services.do_close_room(w.rooms[0], _day(w, 0), "Maintenance", actor=rsf)
    with pytest.raises(ValidationError) as exc:
        services.do_close_room(w.rooms[0], _day(w, 0), actor=rsf)
    assert "already closed" in exc.value.message_dict["date"][0]
    # Another mission on the same days takes R2 on the second day.
    other = Mission.objects.create(
        name="Other mission",
        receiving_state=Country.objects.get(iso3="DEU"),
        start_date=_day(w, 1),
        end_date=_day(w, 1),
        caseworkers=1,
    )
    services.do_assign_interpreter(other, w.arabic, actor=None)
    services.do_select_case(other, w.cases[-1].case, {"province": "Hatay", **SHARE}, actor=None)
    run_other = services.do_start_schedule(other, actor=rsf, background=False)
    used = {(a.room.name, a.day) for a in Appointment.objects.filter(run=run_other)}
    assert used, "the other mission scheduled its case"
    model = runs.mission_model(w.mission)
    closed = {r.id: r.closed for r in model.rooms}
    assert 0 in closed["R1"]
    for room, day in used:
        assert (day - w.mission.start_date).days in closed[room]
    run = services.do_start_schedule(w.mission, actor=rsf, background=False)
    mine = {(a.room.name, a.day) for a in Appointment.objects.filter(run=run)}
    assert ("R1", _day(w, 0)) not in mine
    assert not mine & used
    # Reopening gives the room back.
    services.do_reopen_room(RoomClosure.objects.get(), actor=rsf)
    assert 0 not in {r.id: r.closed for r in runs.mission_model(w.mission).rooms}["R1"]


def test_pages_for_caseworkers_and_closures(w: Any, client: Client) -> None:
    client.force_login(w.users["rsf"])
    url = reverse("rsf:mission_caseworkers", args=[w.mission.pk])
    bad = client.post(url, {"name": "Lea", "days": ["2001-01-01"]})
    assert bad.status_code == 400
    resp = client.post(url, {"name": "Lea Braun", "days": [_day(w, 1).isoformat()]})
    assert resp.status_code == 302
    page = client.get(url).content.decode()
    assert "Lea Braun" in page and _day(w, 1).isoformat() in page
    detail = client.get(reverse("rsf:mission_detail", args=[w.mission.pk])).content.decode()
    assert "Lea Braun" in detail
    row = MissionCaseworker.objects.get()
    client.post(reverse("rsf:mission_caseworker_remove", args=[w.mission.pk, row.pk]))
    assert not MissionCaseworker.objects.exists()

    closures = reverse("rsf:room_closures")
    day = timezone.localdate() + datetime.timedelta(days=3)
    resp = client.post(
        closures, {"room": w.rooms[1].pk, "date": day.isoformat(), "reason": "Paint"}
    )
    assert resp.status_code == 302
    again = client.post(closures, {"room": w.rooms[1].pk, "date": day.isoformat()})
    assert again.status_code == 400 and "already closed" in again.content.decode()
    assert "Paint" in client.get(closures).content.decode()
    closure = RoomClosure.objects.get()
    client.post(reverse("rsf:room_reopen", args=[closure.pk]))
    assert not RoomClosure.objects.exists()
    client.force_login(w.users["state"])
    assert client.get(closures).status_code == 403


def test_a_schedule_run_given_up_is_marked_failed(settings: Any, w: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from resettle.core import tasks_reliability as reliability
    from resettle.core.task_leases import TaskLease
    from resettle.rsf.models import RunStatus
    from resettle.rsf.tasks import run_schedule_task

    settings.TASK_MAX_ATTEMPTS = 1
    run = services.do_start_schedule(w.mission, actor=w.users["rsf"])
    row = DBTaskResult.objects.get(task_path=run_schedule_task.module_path)
    row.claim("w1")
    reliability.take_lease(row.pk, "w1", len(row.worker_ids))
    past = timezone.now() - datetime.timedelta(seconds=5)
    TaskLease.objects.filter(task_id=row.pk).update(expires_at=past)

    assert reliability.reap().failed == [str(row.pk)]
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at is not None
    assert "stopped" in run.error
    assert not Appointment.objects.filter(run=run).exists()
