"""A small pipeline world for the tests and the authorization matrix.

Case files are opened with `SHARE`, the terms of sharing them with the
referred State (re-exported from the cases tests).

`make_pipeline_world(w)` adds to the conftest world:

- `case_deu` (3 Syrians in Türkiye referred to Germany, submitted 200 days
  ago) with its case file `file_deu` (Gaziantep, stage interviewed), two family
  members (`member_deu`: "Amal Haddad", born 1985-04-02, medical needs
  "insulin-dependent diabetes"; a child), and an assessment-free history;
- `case_can` (2 Afghans in Türkiye referred to Canada) with `file_can`
  (stage referred) and one member;
- `medic`: an RSF user on the medical staff list;
- `session`: a cultural orientation session.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from resettle.accounts.models import User
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.cases.tests.fixtures import SHARE
from resettle.directory.models import Country
from resettle.pipeline import services, stages
from resettle.pipeline.models import MedicalStaff, OrientationSession

NAME = "Amal Haddad"
BORN = datetime.date(1985, 4, 2)
MEDICAL = "insulin-dependent diabetes"


def make_pipeline_world(w: SimpleNamespace) -> SimpleNamespace:
    """Case files of Germany and Canada (see the module docstring)."""
    today = timezone.localdate()
    c = Country.objects.in_bulk(["TUR", "DEU", "CAN"], field_name="iso3")
    w.case_deu = ResettlementCase.objects.create(
        reference="P-DEU-1",
        persons=3,
        nationality="SYR",
        asylum=c["TUR"],
        category="LPN",
        priority="urgent",
        submitted_on=today - datetime.timedelta(days=200),
        languages=["ar"],
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
        referred_at=timezone.now() - datetime.timedelta(days=100),
    )
    w.case_can = ResettlementCase.objects.create(
        reference="P-CAN-1",
        persons=2,
        nationality="AFG",
        asylum=c["TUR"],
        category="SNM",
        priority="normal",
        submitted_on=today - datetime.timedelta(days=90),
        languages=["fa"],
        status=CaseStatus.REFERRED,
        referred_state=c["CAN"],
        referred_at=timezone.now() - datetime.timedelta(days=30),
    )
    start = today - datetime.timedelta(days=100)
    w.file_deu = services.do_open_case_file(
        w.case_deu, {"province": "Gaziantep", "date": start, **SHARE}, actor=None
    )
    for i, move in enumerate(
        (stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED), 1
    ):
        services.do_move_case(
            w.file_deu, move, date=start + datetime.timedelta(days=10 * i), actor=None
        )
    w.file_deu.refresh_from_db()
    w.member_deu = services.do_add_member(
        w.file_deu,
        {
            "name": NAME,
            "date_of_birth": BORN,
            "sex": "F",
            "relationship": "principal",
            "languages": ["ar", "tr"],
            "medical_needs": MEDICAL,
        },
        actor=None,
    )
    w.child_deu = services.do_add_member(
        w.file_deu,
        {
            "name": "Yusuf Haddad",
            "date_of_birth": today - datetime.timedelta(days=365 * 8),
            "sex": "M",
            "relationship": "child",
            "languages": ["ar"],
            "interview_required": False,
        },
        actor=None,
    )
    w.file_can = services.do_open_case_file(
        w.case_can,
        {"province": "Konya", "date": today - datetime.timedelta(days=20), **SHARE},
        actor=None,
    )
    w.member_can = services.do_add_member(
        w.file_can,
        {"name": "Farid Rahimi", "sex": "M", "relationship": "principal", "languages": ["fa"]},
        actor=None,
    )
    w.medic = User.objects.create_user(
        "medic", "medic@example.org", None, role="rsf", organisation=w.rsf_org
    )
    MedicalStaff.objects.create(user=w.medic)
    w.session = OrientationSession.objects.create(
        date=today, modules=["arrival", "housing"], language="ar", facilitator="Ayşe Demir"
    )
    return w


def make_board_world(w: SimpleNamespace) -> SimpleNamespace:
    """The pipeline world, a departed German case and two missions, for the boards.

    - `case_deu2` / `file_deu2`: 5 Iraqis in Hatay referred to Germany,
      submitted 400 days ago, departed 120 days after submission (one no-show
      on the way);
    - `mission_deu`: Germany's mission with P-DEU-1, P-DEU-2 and P-CAN-1 (the
      latter selected before UNHCR referred it to Canada);
    - `mission_can`: Canada's mission with P-CAN-1.
    """
    from resettle.rsf.models import Mission, MissionCase

    make_pipeline_world(w)
    today = timezone.localdate()
    c = Country.objects.in_bulk(["TUR", "DEU", "CAN"], field_name="iso3")
    submitted = today - datetime.timedelta(days=400)
    w.case_deu2 = ResettlementCase.objects.create(
        reference="P-DEU-2",
        persons=5,
        nationality="IRQ",
        asylum=c["TUR"],
        category="LPN",
        priority="normal",
        submitted_on=submitted,
        languages=["ar"],
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
        referred_at=timezone.now() - datetime.timedelta(days=390),
    )
    w.file_deu2 = services.do_open_case_file(
        w.case_deu2,
        {"province": "Hatay", "date": submitted + datetime.timedelta(days=10), **SHARE},
        actor=None,
    )
    route = (
        stages.ACCEPTED_FOR_MISSION,
        stages.INTERVIEW_SCHEDULED,
        stages.NO_SHOW,
        stages.INTERVIEW_SCHEDULED,
        stages.INTERVIEWED,
        stages.ACCEPTED,
        stages.MEDICAL_FIT,
        stages.ORIENTATION_COMPLETED,
        stages.EXIT_PERMISSION,
        stages.TRAVEL_BOOKED,
        stages.DEPARTED,
    )
    for i, move in enumerate(route, 2):
        services.do_move_case(
            w.file_deu2, move, date=submitted + datetime.timedelta(days=10 * i), actor=None
        )
    w.file_deu2.refresh_from_db()
    w.mission_deu = Mission.objects.create(
        name="Board mission of Germany",
        receiving_state=c["DEU"],
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
    )
    w.mission_can = Mission.objects.create(
        name="Board mission of Canada",
        receiving_state=c["CAN"],
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
    )
    MissionCase.objects.bulk_create(
        [
            MissionCase(mission=w.mission_deu, case=w.case_deu, province="Gaziantep"),
            MissionCase(mission=w.mission_deu, case=w.case_deu2, province="Hatay"),
            MissionCase(mission=w.mission_deu, case=w.case_can, province="Konya"),
            MissionCase(mission=w.mission_can, case=w.case_can, province="Konya"),
        ]
    )
    return w
