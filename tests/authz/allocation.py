"""Authorization rows of the allocation app (pages under allocation/, API under
/api/v1/allocation/).

The world gets the hand-built allocation world (resettle/allocation/tests/
fixtures.py): cases, Germany's and Canada's pledge lines, and for the run
pages a finished run (and a scenario of it). Runs are UNHCR's proposals:
UNHCR staff and administrators only (403 on pages, 404 in the API for the
rest). Pledge lines: UNHCR and administrators edit them; a State official
reads their own State's lines (the fixture world's official is Germany's),
and is refused the edit (403). Only UNHCR staff confirm a run: the
administrator gets 403 too.
"""

from __future__ import annotations

from typing import Any

from authz import THIS_YEAR, Case, Listed, W, api_write, roles, signed_in
from resettle.accounts.models import User
from resettle.allocation.tests.fixtures import make_allocation_world, make_run, make_scenario
from resettle.cases.tests.fixtures import SHARE, SHARE_JSON

MANAGERS_GET = signed_in(403, admin=200, unhcr=200)
MANAGERS_POST = signed_in(403, admin=302, unhcr=302)
# Germany's line: its official may read it, not change it; others do not see it.
LINE_GET = signed_in(404, admin=200, unhcr=200, state=200)
LINE_EDIT_GET = signed_in(404, admin=200, unhcr=200, state=403)
LINE_EDIT_POST = signed_in(404, admin=302, unhcr=302, state=403)
API_LINE_CHANGE = api_write(404, admin=200, unhcr=200, state=403)
API_RUN = roles(404, admin=200, unhcr=200)
# The lists show Germany's line to its official, Canada's (and runs) to managers only.
LINES = (Listed("line_deu", LINE_GET), Listed("line_can", {"admin", "unhcr"}))
RUNS = (Listed("run", API_RUN),)


def _run_args(w: W) -> list[Any]:
    return [w.run.pk]


def _line(w: W, u: User | None) -> dict[str, Any]:
    return {
        "year": THIS_YEAR,
        "state": w.deu.pk,
        "label": "Women at risk",
        "capacity": 40,
        "reserved_urgent": 4,
        "nationalities": "SYR, AFG",
        "categories": ["WGR"],
        "priorities": ["emergency", "urgent", "normal"],
        "modality": "interview",
        "preferences": "language, ar, 2",
    }


def _line_edit(w: W, u: User | None) -> dict[str, Any]:
    return {**_line(w, u), "label": "Syrians (changed)", "capacity": 12}


def _set_capacity(w: W, u: User | None) -> dict[str, Any]:
    return {"kind": "set_capacity", "line": f"L{w.line_deu.pk}", "capacity": 11}


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    # -- runs --
    "allocation:run_list": [Case("GET", MANAGERS_GET, setup=make_run)],
    "allocation:run_start": [
        Case("GET", MANAGERS_GET, setup=make_allocation_world),
        Case(
            "POST",
            MANAGERS_POST,
            data=lambda w, u: {"year": THIS_YEAR, "name": "Spring run"},
            setup=make_allocation_world,
            writes=True,
        ),
    ],
    "allocation:run_detail": [
        Case("GET", MANAGERS_GET, args=_run_args, setup=make_run),
        Case(
            "GET",
            MANAGERS_GET,
            args=lambda w: [w.scenario.pk],
            setup=make_scenario,
            label="scenario",
        ),
    ],
    "allocation:run_progress": [
        # Outside htmx, the progress URL leads to the run page.
        Case("GET", signed_in(403, admin=302, unhcr=302), args=_run_args, setup=make_run)
    ],
    "allocation:run_confirm": [
        # Only UNHCR staff: the run, each of its two placed cases and their sharing
        # records (purpose and consent, cases/sharing.py) get an entry.
        Case(
            "POST",
            signed_in(403, unhcr=302),
            args=_run_args,
            data=lambda w, u: SHARE,
            setup=make_run,
            writes=5,
        )
    ],
    "allocation:scenario_add": [
        Case("GET", MANAGERS_GET, args=_run_args, setup=make_run),
        Case(
            "POST",
            MANAGERS_POST,
            args=_run_args,
            data=lambda w, u: {**_set_capacity(w, u), "name": "Bigger German line"},
            setup=make_run,
            writes=True,
        ),
    ],
    "allocation:run_compare": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.scenario.pk], setup=make_scenario)
    ],
    "allocation:run_unplaced": [
        Case("GET", MANAGERS_GET, args=_run_args, query="?reason=capacity_taken", setup=make_run)
    ],
    "allocation:run_export": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.run.pk, "assignments", "csv"], setup=make_run),
        Case(
            "GET",
            MANAGERS_GET,
            args=lambda w: [w.run.pk, "lines", "xlsx"],
            setup=make_run,
            label="lines as XLSX",
        ),
    ],
    "allocation:explanation": [
        Case("GET", MANAGERS_GET, args=lambda w: [w.run.pk, w.case_som.pk], setup=make_run)
    ],
    # -- pledge lines --
    "allocation:line_list": [
        Case("GET", signed_in(200), query="?year=2026", setup=make_allocation_world, lists=LINES)
    ],
    "allocation:line_detail": [
        Case("GET", LINE_GET, args=lambda w: [w.line_deu.pk], setup=make_allocation_world),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200),
            args=lambda w: [w.line_can.pk],
            setup=make_allocation_world,
            label="another State's line",
        ),
    ],
    "allocation:line_add": [
        Case("GET", MANAGERS_GET, setup=make_allocation_world),
        Case("POST", MANAGERS_POST, data=_line, setup=make_allocation_world, writes=True),
    ],
    "allocation:line_edit": [
        Case("GET", LINE_EDIT_GET, args=lambda w: [w.line_deu.pk], setup=make_allocation_world),
        Case(
            "POST",
            LINE_EDIT_POST,
            args=lambda w: [w.line_deu.pk],
            data=_line_edit,
            setup=make_allocation_world,
            writes=True,
        ),
    ],
    "allocation:line_delete": [
        Case("GET", LINE_EDIT_GET, args=lambda w: [w.line_deu.pk], setup=make_allocation_world),
        Case(
            "POST",
            LINE_EDIT_POST,
            args=lambda w: [w.line_deu.pk],
            setup=make_allocation_world,
            writes=True,
        ),
    ],
    "allocation:line_import": [Case("GET", MANAGERS_GET)],
    # ---- API ----
    ("GET", "/api/v1/allocation/lines"): [
        Case("GET", roles(200), query="?year=2026", setup=make_allocation_world, lists=LINES)
    ],
    ("GET", "/api/v1/allocation/lines/{pk}"): [
        Case(
            "GET",
            roles(404, admin=200, unhcr=200, state=200),
            args=lambda w: {"pk": w.line_deu.pk},
            setup=make_allocation_world,
        )
    ],
    ("POST", "/api/v1/allocation/lines"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201),
            data=lambda w, u: {
                "year": THIS_YEAR,
                "state": "DEU",
                "capacity": 25,
                "nationalities": ["SYR"],
                "preferences": [{"attribute": "language", "value": "ar", "weight": 2}],
            },
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/allocation/lines/{pk}"): [
        Case(
            "PATCH",
            API_LINE_CHANGE,
            args=lambda w: {"pk": w.line_deu.pk},
            data=lambda w, u: {"capacity": 9},
            setup=make_allocation_world,
            writes=True,
        )
    ],
    ("DELETE", "/api/v1/allocation/lines/{pk}"): [
        Case(
            "DELETE",
            api_write(404, admin=204, unhcr=204, state=403),
            args=lambda w: {"pk": w.line_deu.pk},
            setup=make_allocation_world,
            writes=True,
        )
    ],
    ("GET", "/api/v1/allocation/runs"): [Case("GET", roles(200), setup=make_run, lists=RUNS)],
    ("GET", "/api/v1/allocation/runs/{pk}"): [
        Case("GET", API_RUN, args=lambda w: {"pk": w.run.pk}, setup=make_run)
    ],
    ("POST", "/api/v1/allocation/runs"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201),
            data=lambda w, u: {"year": THIS_YEAR},
            setup=make_allocation_world,
            writes=True,
        )
    ],
    ("POST", "/api/v1/allocation/runs/{pk}/scenarios"): [
        Case(
            "POST",
            api_write(404, admin=201, unhcr=201),
            args=lambda w: {"pk": w.run.pk},
            data=lambda w, u: {"changes": [_set_capacity(w, u)]},
            setup=make_run,
            writes=True,
        )
    ],
    ("POST", "/api/v1/allocation/runs/{pk}/confirm"): [
        Case(
            "POST",
            api_write(404, admin=403, unhcr=200),
            args=lambda w: {"pk": w.run.pk},
            data=lambda w, u: SHARE_JSON,
            setup=make_run,
            writes=5,
        )
    ],
    ("GET", "/api/v1/allocation/runs/{pk}/assignments"): [
        Case(
            "GET", API_RUN, args=lambda w: {"pk": w.run.pk}, query="?reason=placed", setup=make_run
        )
    ],
    ("GET", "/api/v1/allocation/runs/{pk}/cases/{case}"): [
        Case(
            "GET",
            API_RUN,
            args=lambda w: {"pk": w.run.pk, "case": w.case_syr.pk},
            setup=make_run,
        )
    ],
}
