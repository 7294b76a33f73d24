"""A small hand-built allocation world for the tests and the authorization matrix.

`make_allocation_world(w)` adds to the conftest world (Germany and Canada):

- a priority situation "Test situation";
- submitted cases:
  - `case_syr`: 4 Syrians in Türkiye, emergency, in the situation;
  - `case_syr_big`: 5 Syrians in Lebanon, urgent (no room left after case_syr);
  - `case_afg`: 3 Afghans in Pakistan, normal;
  - `case_som`: 2 Somalis in Kenya, normal (no line takes Somalis);
- `referred_deu` (referred to Germany) and `referred_can` (referred to Canada);
- pledge lines of THIS_YEAR: `line_deu` (Germany, 6 places, Syrians only, 1
  reserved for emergency and urgent) and `line_can` (Canada, 3 places, Afghans
  only).

So a run places case_syr with Germany and case_afg with Canada; case_syr_big
finds Germany's line taken; case_som has no eligible line.

`make_run(w)` runs the engine at once (no worker) as `w.run`.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from resettle.allocation import services
from resettle.allocation.models import AllocationRun, PledgeLine
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.directory.models import Country
from resettle.needs.models import PrioritySituation

THIS_YEAR = timezone.localdate().year
SITUATION = "Test situation"


def _case(reference: str, **fields: Any) -> ResettlementCase:
    defaults: dict[str, Any] = {
        "persons": 2,
        "category": "LPN",
        "priority": "normal",
        "submitted_on": timezone.localdate() - datetime.timedelta(days=100),
        "languages": ["ar"],
    }
    return ResettlementCase.objects.create(reference=reference, **{**defaults, **fields})


def make_allocation_world(w: SimpleNamespace) -> SimpleNamespace:
    """Cases and pledge lines (see the module docstring)."""
    c = Country.objects.in_bulk(["TUR", "LBN", "PAK", "KEN", "DEU", "CAN"], field_name="iso3")
    w.situation_obj = PrioritySituation.objects.create(name=SITUATION)
    w.case_syr = _case(
        "T-SYR-1",
        persons=4,
        nationality="SYR",
        asylum=c["TUR"],
        priority="emergency",
        situation=w.situation_obj,
        serious_medical=True,
    )
    w.case_syr_big = _case(
        "T-SYR-2", persons=5, nationality="SYR", asylum=c["LBN"], priority="urgent"
    )
    w.case_afg = _case("T-AFG-1", persons=3, nationality="AFG", asylum=c["PAK"], languages=["fa"])
    w.case_som = _case("T-SOM-1", persons=2, nationality="SOM", asylum=c["KEN"])
    w.referred_deu = _case(
        "T-REF-DEU",
        nationality="SYR",
        asylum=c["TUR"],
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
        referred_at=timezone.now(),
    )
    w.referred_can = _case(
        "T-REF-CAN",
        nationality="AFG",
        asylum=c["PAK"],
        status=CaseStatus.REFERRED,
        referred_state=c["CAN"],
        referred_at=timezone.now(),
    )
    everything = ["emergency", "urgent", "normal"]
    w.line_deu = PledgeLine.objects.create(
        year=THIS_YEAR,
        state=c["DEU"],
        label="Syrians",
        capacity=6,
        reserved_urgent=1,
        nationalities=["SYR"],
        priorities=everything,
        max_serious_medical=2,
    )
    w.line_can = PledgeLine.objects.create(
        year=THIS_YEAR,
        state=c["CAN"],
        label="Afghans",
        capacity=3,
        nationalities=["AFG"],
        priorities=everything,
        modality="dossier",
    )
    return w


def make_run(w: SimpleNamespace) -> AllocationRun:
    """The world, and a finished run over it as w.run."""
    if not hasattr(w, "line_deu"):
        make_allocation_world(w)
    w.run = services.do_start_run(THIS_YEAR, name="Test run", actor=None, background=False)
    return w.run


def make_scenario(w: SimpleNamespace) -> AllocationRun:
    """A finished run and a finished scenario of it giving Germany's line 11 places
    (room for case_syr_big too), as w.scenario."""
    run = make_run(w)
    w.scenario = services.do_create_scenario(
        run,
        [{"kind": "set_capacity", "line": f"L{w.line_deu.pk}", "capacity": 11}],
        name="More places in Germany",
        actor=None,
        background=False,
    )
    return w.scenario
