"""Authorization rows of the case pipeline (pages under pipeline/, API under /api/v1/pipeline).

The world (src/resettle/pipeline/tests/fixtures.py): `file_deu`, a case file
referred to Germany (the fixture State official's), at stage "interviewed",
with two of its three family members recorded; `file_can`, referred to Canada.
Facility staff (rsf), UNHCR and administrators see every case file; the State
official sees Germany's; NGO, refugee and other users see none (404). Moves:
facility staff and administrators; the referred State its decisions. Family
members: facility staff, UNHCR, administrators. Medical details: medical
staff (not a matrix role) and the referred State only. Showing personal data
is a POST that logs the read (one audit entry for the access log row).

Boards (`make_board_world`): the general board, a mission's board
(`mission_deu`: Germany's, holding P-DEU-1 and P-CAN-1, the latter referred to
Canada; `mission_can`: Canada's) and a State's board. A mission board is seen
by whoever sees the mission (rsf's rule: facility staff, UNHCR, administrators,
the receiving State's officials; 404 otherwise) and shows only the case files
the user sees; a State's board by whoever sees every case file and that State's
officials (404 for another State's official and for roles that see no case
file). A card's move posts to its board: 302 when recorded (two audit entries:
the event and the file), 400 with the service's message when illegal, 403 for
a move the user may not record, 404 for a case not on that board for them.
"""

from __future__ import annotations

from typing import Any

from authz import TODAY, Case, Listed, W, api_write, roles, signed_in
from resettle.accounts.models import User
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.directory.models import Country
from resettle.pipeline.models import CaseFile
from resettle.pipeline.tests.fixtures import SHARE, make_board_world, make_pipeline_world

SEES_DEU = dict(admin=200, unhcr=200, state=200, rsf=200)
STAFF = dict(admin=200, rsf=200)


def _with_new_case(w: W) -> None:
    make_pipeline_world(w)
    c = Country.objects.in_bulk(["TUR", "DEU"], field_name="iso3")
    w.case_new = ResettlementCase.objects.create(
        reference="P-NEW-1",
        persons=2,
        nationality="SYR",
        asylum=c["TUR"],
        category="LPN",
        priority="normal",
        submitted_on="2025-01-10",
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
    )


def _at_exit_permission(w: W) -> None:
    make_pipeline_world(w)
    CaseFile.objects.filter(pk=w.file_deu.pk).update(stage="exit_permission")


def _member(w: W, u: User | None) -> dict[str, Any]:
    return {"name": "Illustrative Person", "sex": "F", "relationship": "spouse", "languages": "ar"}


deu = lambda w: [w.file_deu.pk]  # noqa: E731 - a short table cell
api_deu = lambda w: {"pk": w.file_deu.pk}  # noqa: E731 - a short table cell
setup = make_pipeline_world
board = make_board_world
mission_deu = lambda w: [w.mission_deu.pk]  # noqa: E731 - a short table cell
DEU = lambda w: ["DEU"]  # noqa: E731 - a short table cell
# Lists and boards show Germany's case file to those who see it, Canada's to staff only.
LISTED = (
    Listed("file_deu", {"admin", "unhcr", "state", "rsf"}),
    Listed("file_can", {"admin", "unhcr", "rsf"}),
)
MOVE_ROW = dict(admin=302, rsf=302, state=302, unhcr=403)
ILLEGAL_ROW = dict(admin=400, rsf=400, unhcr=403, state=403)


def _move(move: str, name: str = "file_deu") -> Any:
    return lambda w, u: {"case": getattr(w, name).pk, "move": move}


def _board_moves(args: Any = None) -> list[Case]:
    """A card's move on a board: recorded, and illegal (refused with the message)."""
    return [
        Case(
            "POST",
            signed_in(404, **MOVE_ROW),
            args=args,
            data=_move("accepted"),
            setup=board,
            writes=2,
            label="move",
        ),
        Case(
            "POST",
            signed_in(404, **ILLEGAL_ROW),
            args=args,
            data=_move("departed"),
            setup=board,
            label="illegal move",
        ),
    ]


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "pipeline:board": [
        Case("GET", signed_in(200), query="?state=DEU", setup=setup),
        Case(
            "GET",
            signed_in(200),
            query="?state=DEU&priority=urgent&stage=interviewed",
            setup=board,
            label="filters",
        ),
        Case("GET", signed_in(200), setup=board, lists=LISTED, label="scoped"),
        *_board_moves(),
    ],
    "pipeline:mission_board": [
        Case(
            "GET",
            signed_in(404, **SEES_DEU),
            args=mission_deu,
            query="?priority=urgent&nationality=SYR&province=Gaziantep&stage=interviewed",
            setup=board,
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: [w.mission_can.pk],
            setup=board,
            label="another State's mission",
        ),
        Case(
            "GET",
            signed_in(404, **SEES_DEU),
            args=mission_deu,
            setup=board,
            lists=LISTED,
            label="scoped",
        ),
        *_board_moves(mission_deu),
        Case(
            "POST",
            signed_in(404, admin=302, rsf=302, unhcr=403),
            args=mission_deu,
            data=_move("accepted_for_mission", "file_can"),
            setup=board,
            writes=2,
            label="another State's case on the mission",
        ),
    ],
    "pipeline:state_board": [
        Case("GET", signed_in(404, **SEES_DEU), args=DEU, query="?priority=urgent", setup=board),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: ["CAN"],
            setup=board,
            label="another State",
        ),
        *_board_moves(DEU),
    ],
    "pipeline:casefile_list": [
        Case("GET", signed_in(200), query="?stage=interviewed&overdue=on", setup=setup),
        Case("GET", signed_in(200), setup=setup, lists=LISTED, label="scoped"),
    ],
    "pipeline:casefile_add": [
        Case("GET", signed_in(403, admin=200, unhcr=200, rsf=200)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, rsf=302),
            data=lambda w, u: {"case": w.case_new.pk, "province": "Hatay", **SHARE},
            setup=_with_new_case,
            writes=3,  # the case file, its first event, the sharing record
        ),
    ],
    "pipeline:casefile_detail": [
        Case("GET", signed_in(404, **SEES_DEU), args=deu, setup=setup),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: [w.file_can.pk],
            setup=setup,
            label="referred to another State",
        ),
    ],
    "pipeline:casefile_move": [
        Case(
            "POST",
            signed_in(404, admin=302, state=302, rsf=302, unhcr=403),
            args=deu,
            data=lambda w, u: {"move": "accepted", "date": TODAY},
            setup=setup,
            writes=2,
        ),
        Case(
            "POST",
            signed_in(404, admin=400, rsf=400, unhcr=403, state=403),
            args=deu,
            data=lambda w, u: {"move": "departed"},
            setup=setup,
            label="illegal move",
        ),
    ],
    "pipeline:member_add": [
        Case(
            "GET", signed_in(404, admin=200, unhcr=200, rsf=200, state=403), args=deu, setup=setup
        ),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, rsf=302, state=403),
            args=deu,
            data=_member,
            setup=setup,
            writes=True,
        ),
    ],
    "pipeline:personal_data": [
        Case("POST", signed_in(404, **SEES_DEU), args=deu, setup=setup, writes=True)
    ],
    "pipeline:medical": [
        Case(
            "POST",
            signed_in(404, admin=403, unhcr=403, rsf=403, state=200),
            args=deu,
            setup=setup,
            writes=True,
        )
    ],
    "pipeline:medical_add": [
        Case(
            "GET", signed_in(404, admin=403, unhcr=403, rsf=403, state=403), args=deu, setup=setup
        ),
        Case(
            "POST",
            signed_in(404, admin=403, unhcr=403, rsf=403, state=403),
            args=deu,
            data=lambda w, u: {"outcome": "medical_fit"},
            setup=setup,
        ),
    ],
    "pipeline:export_members": [
        Case("POST", signed_in(404, **SEES_DEU), args=deu, setup=setup, writes=True)
    ],
    "pipeline:travel_add": [
        Case(
            "GET", signed_in(404, admin=200, rsf=200, unhcr=403, state=403), args=deu, setup=setup
        ),
        Case(
            "POST",
            signed_in(404, admin=302, rsf=302, unhcr=403, state=403),
            args=deu,
            data=lambda w, u: {"flight": "TK 1523", "date": TODAY},
            setup=_at_exit_permission,
            writes=3,
        ),
    ],
    "pipeline:reauth": [
        Case("GET", signed_in(200)),
        # A wrong password counts as a failed sign-in (throttled), with its audit entry.
        Case(
            "POST",
            signed_in(400),
            data=lambda w, u: {"password": "wrong"},
            label="wrong",
            refusal_records={"LoginAttempt": 1, "AuditEntry": 1},
        ),
    ],
    "pipeline:indicators": [Case("GET", signed_in(200), query="?state=DEU", setup=setup)],
    "pipeline:departures_import": [
        Case("POST", signed_in(403, admin=302, unhcr=302), setup=setup, label="none departed")
    ],
    "pipeline:session_list": [Case("GET", signed_in(403, **STAFF), setup=setup)],
    "pipeline:session_add": [
        Case("GET", signed_in(403, **STAFF)),
        Case(
            "POST",
            signed_in(403, admin=302, rsf=302),
            data=lambda w, u: {
                "date": TODAY,
                "modules": ["arrival", "health"],
                "language": "ar",
                "facilitator": "Illustrative facilitator",
            },
            writes=True,
        ),
    ],
    "pipeline:session_detail": [
        Case("GET", signed_in(404, **STAFF), args=lambda w: [w.session.pk], setup=setup)
    ],
    "pipeline:session_attendance": [
        Case(
            "POST",
            signed_in(404, admin=302, rsf=302),
            args=lambda w: [w.session.pk],
            data=lambda w, u: {"members": [w.member_deu.pk]},
            setup=setup,
            writes=True,
        )
    ],
    # ---- API ----
    ("GET", "/api/v1/pipeline/stages"): [Case("GET", roles(200))],
    ("GET", "/api/v1/pipeline/cases"): [
        Case("GET", roles(200), query="?state=DEU", setup=setup),
        Case("GET", roles(200), setup=setup, lists=LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/pipeline/cases/{pk}"): [
        Case("GET", roles(404, **SEES_DEU), args=api_deu, setup=setup),
        Case(
            "GET",
            roles(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: {"pk": w.file_can.pk},
            setup=setup,
            label="referred to another State",
        ),
    ],
    ("GET", "/api/v1/pipeline/cases/{pk}/events"): [
        Case("GET", roles(404, **SEES_DEU), args=api_deu, setup=setup)
    ],
    ("POST", "/api/v1/pipeline/cases/{pk}/events"): [
        Case(
            "POST",
            api_write(404, admin=201, state=201, rsf=201, unhcr=403),
            args=api_deu,
            data=lambda w, u: {"move": "pending_security"},
            setup=setup,
            writes=2,
        ),
        Case(
            "POST",
            api_write(404, admin=422, state=403, rsf=422, unhcr=403),
            args=api_deu,
            data=lambda w, u: {"move": "travel_booked"},
            setup=setup,
            label="illegal move",
        ),
    ],
    ("GET", "/api/v1/pipeline/cases/{pk}/members"): [
        Case("GET", roles(404, **SEES_DEU), args=api_deu, setup=setup)
    ],
    ("POST", "/api/v1/pipeline/cases/{pk}/members"): [
        Case(
            "POST",
            api_write(404, admin=201, unhcr=201, rsf=201, state=403),
            args=api_deu,
            data=lambda w, u: {"name": "Illustrative Person", "sex": "M", "relationship": "child"},
            setup=setup,
            writes=True,
        )
    ],
    ("POST", "/api/v1/pipeline/cases/{pk}/personal-data"): [
        Case("POST", api_write(404, **SEES_DEU), args=api_deu, setup=setup, writes=True)
    ],
}
