"""Authorization rows of the rsf app (pages under rsf/, API under /api/v1/rsf/).

The world gets a small RSF world (resettle/rsf/tests/fixtures.py): three
rooms, four interpreters, a mission of Germany with six cases; "scheduled"
adds a computed schedule, "pending" a recorded no-show. RSF staff, UNHCR
staff and administrators manage missions; the fixture world's State official
is Germany's, so reads the mission (and is refused writes: 403); everyone
else gets 404 for the mission (403 on the manager-only pages, which are
checked before the mission is looked up).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from authz import Case, Listed, W, api_write, edit_form, roles, signed_in
from resettle.accounts.models import User
from resettle.cases.models import ResettlementCase
from resettle.cases.tests.fixtures import SHARE_JSON
from resettle.directory.models import Country
from resettle.rsf import services
from resettle.rsf.forms import MissionForm
from resettle.rsf.models import Interpreter, Mission
from resettle.rsf.tests.fixtures import make_rsf_world

MANAGERS_GET = signed_in(403, admin=200, unhcr=200, rsf=200)
MANAGERS_POST = signed_in(403, admin=302, unhcr=302, rsf=302)
MISSION_GET = signed_in(404, admin=200, unhcr=200, rsf=200, state=200)
API_MISSION_GET = roles(404, admin=200, unhcr=200, rsf=200, state=200)


def _api_write(ok: int) -> dict[str, Any]:
    return api_write(404, admin=ok, unhcr=ok, rsf=ok, state=403)


def world(w: W) -> None:
    make_rsf_world(w, cases=6)
    w.spare_interpreter = Interpreter.objects.create(name="Spare", languages=["Pashto"])
    w.spare_case = ResettlementCase.objects.create(
        reference="T-RSF-SPARE",
        persons=3,
        nationality="AFG",
        asylum=Country.objects.get(iso3="TUR"),
        category="LPN",
        priority="normal",
        submitted_on=datetime.date(2029, 1, 1),
        languages=["ps"],
    )
    w.assignment = w.mission.interpreters.get(interpreter=w.farsi)
    w.caseworker = services.do_add_caseworker(w.mission, "Anna Weber", actor=None)
    w.closure = services.do_close_room(
        w.rooms[2], timezone.localdate() + datetime.timedelta(days=5), "Paint", actor=None
    )


def _two_missions(w: W) -> None:
    """The world, and a mission of Canada (not for Germany's official)."""
    world(w)
    today = timezone.localdate()
    w.mission_can = Mission.objects.create(
        name="Mission of Canada",
        receiving_state=Country.objects.get(iso3="CAN"),
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
    )


# The lists show Germany's mission to its official too, Canada's to the managers only.
MISSIONS = (Listed("mission", MISSION_GET), Listed("mission_can", MANAGERS_GET))


def scheduled(w: W) -> None:
    world(w)
    w.run = services.do_start_schedule(w.mission, actor=None, background=False)
    w.room = w.rooms[0]


def pending(w: W) -> None:
    scheduled(w)
    services.do_mark_no_show(w.mission_case, actor=w.users["rsf"])


def _m(w: W) -> list[Any]:
    return [w.mission.pk]


def _api_m(w: W) -> dict[str, Any]:
    return {"pk": w.mission.pk}


def _mission_data(w: W, u: User | None) -> dict[str, Any]:
    return {
        "name": "New mission",
        "receiving_state": Country.objects.get(iso3="DEU").pk,
        "kind": "selection",
        "mode": "in_person",
        "start_date": "2030-09-01",
        "end_date": "2030-09-05",
        "timezone": "Europe/Istanbul",
        "status": "planned",
        "day_start": "08:30",
        "day_hours": 8,
        "caseworkers": 4,
        "interview_base_minutes": 30,
        "interview_per_adult_minutes": 30,
        "medical_capacity": 10,
    }


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "rsf:mission_list": [
        Case("GET", signed_in(200), setup=world),
        Case("GET", signed_in(200), setup=_two_missions, lists=MISSIONS, label="scoped"),
    ],
    "rsf:mission_add": [
        Case("GET", MANAGERS_GET, setup=world),
        Case("POST", MANAGERS_POST, data=_mission_data, setup=world, writes=True),
    ],
    "rsf:mission_detail": [Case("GET", MISSION_GET, args=_m, setup=scheduled)],
    "rsf:mission_edit": [
        Case("GET", signed_in(404, admin=200, unhcr=200, rsf=200, state=403), args=_m, setup=world),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, rsf=302, state=403),
            args=_m,
            data=edit_form(MissionForm, "mission", notes="Bring the forms"),
            setup=world,
            writes=True,
        ),
    ],
    "rsf:mission_cases": [
        Case("GET", MISSION_GET, args=_m, setup=world),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, rsf=302, state=403),
            args=_m,
            # A case not yet referred to the mission's State: shared with it, then selected.
            data=lambda w, u: {"references": "T-RSF-SPARE", "province": "Hatay", **SHARE_JSON},
            setup=world,
            writes=2,
        ),
    ],
    "rsf:mission_case_edit": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.mission.pk, w.mission_case.pk], setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            args=lambda w: [w.mission.pk, w.mission_case.pk],
            data=lambda w, u: {
                "province": "Adana",
                "language": "Arabic",
                "adults": 1,
                "status": "selected",
            },
            setup=world,
            writes=True,
        ),
    ],
    "rsf:mission_interpreters": [
        Case("GET", MANAGERS_GET, args=_m, setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            args=_m,
            data=lambda w, u: {"interpreter": w.spare_interpreter.pk},
            setup=world,
            writes=True,
        ),
    ],
    "rsf:mission_interpreter_remove": [
        Case(
            "POST",
            MANAGERS_POST,
            args=lambda w: [w.mission.pk, w.assignment.pk],
            setup=world,
            writes=True,
        )
    ],
    "rsf:mission_caseworkers": [
        Case("GET", MANAGERS_GET, args=_m, setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            args=_m,
            data=lambda w, u: {"name": "Jonas Klein"},
            setup=world,
            writes=True,
        ),
    ],
    "rsf:mission_caseworker_remove": [
        Case(
            "POST",
            MANAGERS_POST,
            args=lambda w: [w.mission.pk, w.caseworker.pk],
            setup=world,
            writes=True,
        )
    ],
    "rsf:room_closures": [
        Case("GET", MANAGERS_GET, setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            data=lambda w, u: {
                "room": w.rooms[0].pk,
                "date": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
            },
            setup=world,
            writes=True,
        ),
    ],
    "rsf:room_reopen": [
        Case("POST", MANAGERS_POST, args=lambda w: [w.closure.pk], setup=world, writes=True)
    ],
    "rsf:schedule_start": [Case("POST", MANAGERS_POST, args=_m, setup=world, writes=True)],
    "rsf:timetable": [
        Case("GET", MISSION_GET, args=_m, setup=scheduled),
        Case("GET", MISSION_GET, args=_m, query="?by=interpreter", setup=scheduled, label="by"),
    ],
    "rsf:timetable_pdf": [Case("GET", MISSION_GET, args=_m, setup=scheduled)],
    "rsf:room_ics": [
        Case("GET", MISSION_GET, args=lambda w: [w.mission.pk, w.room.pk], setup=scheduled)
    ],
    "rsf:interpreter_ics": [
        Case("GET", MISSION_GET, args=lambda w: [w.mission.pk, w.arabic.pk], setup=scheduled)
    ],
    "rsf:no_show": [
        Case("GET", MANAGERS_GET, args=_m, setup=scheduled),
        Case(
            "POST",
            MANAGERS_POST,
            args=_m,
            data=lambda w, u: {"case": w.mission_case.pk},
            setup=scheduled,
            writes=2,
        ),
    ],
    "rsf:interpreter_lost": [
        Case("GET", MANAGERS_GET, args=_m, setup=scheduled),
        Case(
            "POST",
            MANAGERS_POST,
            args=_m,
            data=lambda w, u: {
                "interpreter": w.arabic.pk,
                "days": [w.mission.start_date.isoformat()],
            },
            setup=scheduled,
            writes=True,
        ),
    ],
    "rsf:reschedule": [Case("POST", MANAGERS_POST, args=_m, setup=pending, writes=True)],
    "rsf:logistics": [Case("GET", MISSION_GET, args=_m, setup=scheduled)],
    "rsf:run_detail": [Case("GET", MISSION_GET, args=lambda w: [w.run.pk], setup=scheduled)],
    "rsf:run_progress": [
        Case(
            "GET",
            signed_in(404, admin=302, unhcr=302, rsf=302, state=302),
            args=lambda w: [w.run.pk],
            setup=scheduled,
        )
    ],
    "rsf:room_list": [
        Case("GET", MANAGERS_GET, setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            data=lambda w, u: {"name": "R9", "capacity": 6},
            setup=world,
            writes=True,
        ),
    ],
    "rsf:room_edit": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.rooms[1].pk], setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            args=lambda w: [w.rooms[1].pk],
            data=lambda w, u: {"name": "R2", "capacity": 9, "video": "on"},
            setup=world,
            writes=True,
        ),
    ],
    "rsf:interpreter_list": [
        Case("GET", MANAGERS_GET, setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            data=lambda w, u: {"name": "New one", "languages": "Dari, Pashto"},
            setup=world,
            writes=True,
        ),
    ],
    "rsf:interpreter_edit": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.farsi.pk], setup=world),
        Case(
            "POST",
            MANAGERS_POST,
            args=lambda w: [w.farsi.pk],
            data=lambda w, u: {"name": "Farsi team", "languages": "Farsi, Dari"},
            setup=world,
            writes=True,
        ),
    ],
    # -- API --
    ("GET", "/api/v1/rsf/missions"): [Case("GET", roles(200), setup=_two_missions, lists=MISSIONS)],
    ("GET", "/api/v1/rsf/missions/{pk}"): [Case("GET", API_MISSION_GET, args=_api_m, setup=world)],
    ("POST", "/api/v1/rsf/missions/{pk}/schedule"): [
        Case("POST", _api_write(201), args=_api_m, setup=world, writes=True)
    ],
    ("GET", "/api/v1/rsf/runs/{pk}"): [
        Case("GET", API_MISSION_GET, args=lambda w: {"pk": w.run.pk}, setup=scheduled)
    ],
    ("GET", "/api/v1/rsf/missions/{pk}/appointments"): [
        Case("GET", API_MISSION_GET, args=_api_m, setup=scheduled)
    ],
    ("POST", "/api/v1/rsf/missions/{pk}/no-show"): [
        Case(
            "POST",
            _api_write(201),
            args=_api_m,
            data=lambda w, u: {"case": "T-RSF-001"},
            setup=scheduled,
            writes=2,
        )
    ],
    ("POST", "/api/v1/rsf/missions/{pk}/reschedule"): [
        Case("POST", _api_write(201), args=_api_m, setup=pending, writes=True)
    ],
}
