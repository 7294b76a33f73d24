"""Authorization rows of the cases app (pages under cases/, API under /api/v1/cases).

UNHCR staff and administrators see every case; a State official sees only the
cases referred to their State (the fixture world's official is Germany's:
`referred_deu` is theirs, `referred_can` and submitted cases are 404);
facility staff (rsf) read the cases the facility follows, those with a
pipeline case file (`_followed`: `referred_can` gets one), read only; every
other role sees none (an empty list, 404 on a case). Imports: UNHCR staff and
administrators.
"""

from __future__ import annotations

from typing import Any

from authz import EVERYONE, Case, Listed, W, roles, signed_in
from resettle.accounts.models import User
from resettle.allocation.tests.fixtures import make_allocation_world

CASE_CSV = (
    "id,persons,nationality,asylum,priority,submitted,category\n"
    "NEW-1,3,SYR,TUR,urgent,2026-01-15,LPN\n"
)


def _upload(w: W, u: User | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("cases.csv", CASE_CSV.encode())}


SEE_ALL = roles(404, admin=200, unhcr=200)


def _followed(w: W) -> None:
    """The case referred to Canada gets a pipeline case file (the facility follows it)."""
    from resettle.pipeline.services import do_open_case_file
    from resettle.pipeline.tests.fixtures import SHARE

    make_allocation_world(w)
    do_open_case_file(w.referred_can, {"province": "Peshawar", **SHARE}, actor=None)


# The lists show each case to those who may see it (with `_followed`).
LISTED = (
    Listed("referred_deu", {"admin", "unhcr", "state"}),
    Listed("referred_can", {"admin", "unhcr", "rsf"}),
    Listed("case_syr", {"admin", "unhcr"}),
)

MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "cases:case_list": [
        Case("GET", signed_in(200), query="?status=referred", setup=make_allocation_world),
        Case("GET", signed_in(200), setup=_followed, lists=LISTED, label="scoped"),
    ],
    "cases:case_detail": [
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, state=200),
            args=lambda w: [w.referred_deu.pk],
            setup=make_allocation_world,
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200),
            args=lambda w: [w.referred_can.pk],
            setup=make_allocation_world,
            label="referred to another State",
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200),
            args=lambda w: [w.case_syr.pk],
            setup=make_allocation_world,
            label="submitted",
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: [w.referred_can.pk],
            setup=_followed,
            label="followed by the facility",
        ),
    ],
    "cases:case_import": [
        Case("GET", signed_in(403, admin=200, unhcr=200)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            data=_upload,
            setup=lambda w: None,
            writes=True,
        ),
    ],
    ("GET", "/api/v1/cases"): [
        Case("GET", EVERYONE, query="?status=referred", setup=make_allocation_world),
        Case("GET", EVERYONE, setup=_followed, lists=LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/cases/{pk}"): [
        Case(
            "GET",
            roles(404, admin=200, unhcr=200, state=200),
            args=lambda w: {"pk": w.referred_deu.pk},
            setup=make_allocation_world,
        ),
        Case(
            "GET",
            SEE_ALL,
            args=lambda w: {"pk": w.referred_can.pk},
            setup=make_allocation_world,
            label="referred to another State",
        ),
        Case(
            "GET",
            roles(404, admin=200, unhcr=200, rsf=200),
            args=lambda w: {"pk": w.referred_can.pk},
            setup=_followed,
            label="followed by the facility",
        ),
    ],
}
