"""Authorization rows of the pscg app (priority situations, under situations/ and
/api/v1/situations/).

The world gets the PSCG forum (members only: UNHCR secretariat, the NGO as
co-chair, the State as an ordinary member) and a situation with a public and a
members-only practice exchange and host-country update (see
resettle/pscg/tests/fixtures.py). Situations and targets are public; members-only
items are 404 for everyone outside the PSCG (the refugee-led organisation, the
RSF, the Canadian NGO, anonymous visitors). Editors: administrators, UNHCR and
the PSCG's co-chair (the NGO); the State, a plain member, gets 403.
"""

from __future__ import annotations

from typing import Any

from authz import (
    EVERYONE,
    MEMBERS_ONLY,
    TODAY,
    Case,
    Listed,
    W,
    api_pk,
    api_write,
    edit_form,
    pk,
    roles,
    signed_in,
)
from resettle.accounts.models import User
from resettle.pscg import forms
from resettle.pscg.tests.fixtures import make_pscg_forum, make_situation


def _setup(w: W) -> None:
    make_pscg_forum(w)
    make_situation(w)


# The lists show the members-only practice and update to the PSCG's members.
PRACTICES = (Listed("public_practice", EVERYONE), Listed("members_practice", MEMBERS_ONLY))
UPDATES = (Listed("public_update", EVERYONE), Listed("members_update", MEMBERS_ONLY))
EDITORS_GET = signed_in(403, admin=200, unhcr=200, ngo=200)
EDITORS_POST = signed_in(403, admin=302, unhcr=302, ngo=302)
# A members-only record: outsiders get 404 before any right is checked.
MEMBERS_EDIT_GET = signed_in(404, admin=200, unhcr=200, ngo=200, state=403)
MEMBERS_EDIT_POST = signed_in(404, admin=302, unhcr=302, ngo=302, state=403)
API_CREATE = api_write(403, admin=201, unhcr=201, ngo=201)
API_CHANGE = api_write(403, admin=200, unhcr=200, ngo=200)
API_DELETE = api_write(403, admin=200, unhcr=200, ngo=200)
API_MEMBERS_CHANGE = api_write(404, admin=200, unhcr=200, ngo=200, state=403)
API_MEMBERS_DELETE = api_write(404, admin=200, unhcr=200, ngo=200, state=403)


def _target(w: W, u: User | None) -> dict[str, Any]:
    return {"situation": w.situation.pk, "year": 2027, "places": 900, "note": "New"}


def _practice(w: W, u: User | None) -> dict[str, Any]:
    return {
        "title": "Medical checks before departure",
        "topic": "medical",
        "situation": w.situation.pk,
        "summary": "Shared practice.",
        "organisations": [w.state_org.pk],
        "date": TODAY,
        "access": "members",
    }


def _update(w: W, u: User | None) -> dict[str, Any]:
    return {
        "situation": w.situation.pk,
        "host_country": w.jor.pk,
        "date": TODAY,
        "legal_status": 3,
        "complementary_pathways": "true",
        "narrative": "Work permits extended.",
        "access": "public",
    }


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    # -- pages: situations (public) --
    "pscg:situation_list": [Case("GET", EVERYONE, setup=_setup)],
    "pscg:situation_detail": [
        Case("GET", EVERYONE, args=pk("situation"), query="?year=2025", setup=_setup)
    ],
    "pscg:host_country": [
        Case("GET", EVERYONE, args=lambda w: [w.situation.pk, "LBN"], setup=_setup),
        Case(
            "GET",
            roles(404),
            args=lambda w: [w.situation.pk, "TUR"],
            setup=_setup,
            label="not a host country",
        ),
    ],
    # -- targets (public; editors only change them) --
    "pscg:target_add": [
        Case("GET", EDITORS_GET, query="?situation={situation.pk}", setup=_setup),
        Case("POST", EDITORS_POST, data=_target, setup=_setup, writes=True),
    ],
    "pscg:target_edit": [
        Case("GET", EDITORS_GET, args=pk("target"), setup=_setup),
        Case(
            "POST",
            EDITORS_POST,
            args=pk("target"),
            data=edit_form(forms.TargetForm, "target", places=1234),
            setup=_setup,
            writes=True,
        ),
    ],
    "pscg:target_delete": [
        Case("GET", EDITORS_GET, args=pk("target"), setup=_setup),
        Case("POST", EDITORS_POST, args=pk("target"), setup=_setup, writes=True),
    ],
    # -- practice exchanges --
    "pscg:practice_list": [
        Case("GET", EVERYONE, query="?topic=dossier", setup=_setup),
        Case("GET", EVERYONE, setup=_setup, lists=PRACTICES, label="scoped"),
    ],
    "pscg:practice_detail": [
        Case("GET", EVERYONE, args=pk("public_practice"), setup=_setup),
        Case("GET", MEMBERS_ONLY, args=pk("members_practice"), setup=_setup, label="members-only"),
    ],
    "pscg:practice_add": [
        Case("GET", EDITORS_GET, setup=_setup),
        Case("POST", EDITORS_POST, data=_practice, setup=_setup, writes=True),
    ],
    "pscg:practice_edit": [
        Case("GET", EDITORS_GET, args=pk("public_practice"), setup=_setup),
        Case(
            "POST",
            EDITORS_POST,
            args=pk("public_practice"),
            data=edit_form(forms.PracticeForm, "public_practice", title="Changed"),
            setup=_setup,
            writes=True,
        ),
        Case(
            "GET",
            MEMBERS_EDIT_GET,
            args=pk("members_practice"),
            setup=_setup,
            label="members-only",
        ),
    ],
    "pscg:practice_delete": [
        Case("GET", MEMBERS_EDIT_GET, args=pk("members_practice"), setup=_setup),
        Case("POST", MEMBERS_EDIT_POST, args=pk("members_practice"), setup=_setup, writes=True),
    ],
    # -- host-country updates --
    "pscg:update_list": [
        Case("GET", EVERYONE, query="?access=public", setup=_setup),
        Case("GET", EVERYONE, setup=_setup, lists=UPDATES, label="scoped"),
    ],
    "pscg:update_detail": [
        Case("GET", EVERYONE, args=pk("public_update"), setup=_setup),
        Case("GET", MEMBERS_ONLY, args=pk("members_update"), setup=_setup, label="members-only"),
    ],
    "pscg:update_add": [
        Case(
            "GET",
            EDITORS_GET,
            query="?situation={situation.pk}&host_country=LBN",
            setup=_setup,
        ),
        Case("POST", EDITORS_POST, data=_update, setup=_setup, writes=True),
    ],
    "pscg:update_edit": [
        Case("GET", MEMBERS_EDIT_GET, args=pk("members_update"), setup=_setup),
        Case(
            "POST",
            EDITORS_POST,
            args=pk("public_update"),
            data=edit_form(forms.UpdateForm, "public_update", narrative="Changed"),
            setup=_setup,
            writes=True,
        ),
    ],
    "pscg:update_delete": [
        Case("GET", EDITORS_GET, args=pk("public_update"), setup=_setup),
        Case("POST", MEMBERS_EDIT_POST, args=pk("members_update"), setup=_setup, writes=True),
    ],
    # -- API: situations --
    ("GET", "/api/v1/situations"): [Case("GET", EVERYONE, setup=_setup)],
    ("GET", "/api/v1/situations/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("situation"), setup=_setup)
    ],
    # -- API: targets --
    ("GET", "/api/v1/situations/targets"): [
        Case("GET", EVERYONE, query="?year=2025", setup=_setup)
    ],
    ("GET", "/api/v1/situations/targets/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("target"), setup=_setup)
    ],
    ("POST", "/api/v1/situations/targets"): [
        Case(
            "POST",
            API_CREATE,
            data=lambda w, u: {"situation_id": w.situation.pk, "year": 2027, "places": 10},
            setup=_setup,
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/situations/targets/{pk}"): [
        Case(
            "PATCH",
            API_CHANGE,
            args=api_pk("target"),
            data=lambda w, u: {"places": 1500},
            setup=_setup,
            writes=True,
        )
    ],
    ("DELETE", "/api/v1/situations/targets/{pk}"): [
        Case("DELETE", API_DELETE, args=api_pk("target"), setup=_setup, writes=True)
    ],
    # -- API: practice exchanges --
    ("GET", "/api/v1/situations/practices"): [
        Case("GET", EVERYONE, query="?topic=dossier", setup=_setup),
        Case("GET", EVERYONE, setup=_setup, lists=PRACTICES, label="scoped"),
    ],
    ("GET", "/api/v1/situations/practices/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("public_practice"), setup=_setup),
        Case(
            "GET",
            MEMBERS_ONLY,
            args=api_pk("members_practice"),
            setup=_setup,
            label="members-only",
        ),
    ],
    ("POST", "/api/v1/situations/practices"): [
        Case(
            "POST",
            API_CREATE,
            data=lambda w, u: {
                "topic": "security",
                "title": "Security screening in writing",
                "summary": "Shared.",
                "organisation_ids": [w.state_org.pk],
            },
            setup=_setup,
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/situations/practices/{pk}"): [
        Case(
            "PATCH",
            API_MEMBERS_CHANGE,
            args=api_pk("members_practice"),
            data=lambda w, u: {"title": "Changed"},
            setup=_setup,
            writes=True,
        )
    ],
    ("DELETE", "/api/v1/situations/practices/{pk}"): [
        Case("DELETE", API_DELETE, args=api_pk("public_practice"), setup=_setup, writes=True)
    ],
    # -- API: host-country updates --
    ("GET", "/api/v1/situations/host-updates"): [
        Case("GET", EVERYONE, query="?host_country=LBN", setup=_setup),
        Case("GET", EVERYONE, setup=_setup, lists=UPDATES, label="scoped"),
    ],
    ("GET", "/api/v1/situations/host-updates/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("public_update"), setup=_setup),
        Case(
            "GET",
            MEMBERS_ONLY,
            args=api_pk("members_update"),
            setup=_setup,
            label="members-only",
        ),
    ],
    ("POST", "/api/v1/situations/host-updates"): [
        Case(
            "POST",
            API_CREATE,
            data=lambda w, u: {
                "situation_id": w.situation.pk,
                "host_country": "JOR",
                "narrative": "New update.",
                "access_to_education": 4,
            },
            setup=_setup,
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/situations/host-updates/{pk}"): [
        Case(
            "PATCH",
            API_CHANGE,
            args=api_pk("public_update"),
            data=lambda w, u: {"non_refoulement": 2},
            setup=_setup,
            writes=True,
        )
    ],
    ("DELETE", "/api/v1/situations/host-updates/{pk}"): [
        Case("DELETE", API_MEMBERS_DELETE, args=api_pk("members_update"), setup=_setup, writes=True)
    ],
}
