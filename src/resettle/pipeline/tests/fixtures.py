"""A small pipeline world for the tests and the authorization matrix.

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
        w.case_deu, {"province": "Gaziantep", "date": start}, actor=None
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
        w.case_can, {"province": "Konya", "date": today - datetime.timedelta(days=20)}, actor=None
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
        date=today, modules=["arrival", "housing"], language="ar", facilitator="Illustrative"
    )
    return w
