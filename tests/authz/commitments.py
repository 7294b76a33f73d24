"""Authorization rows of the commitments app: pages and API.

A public commitment of the German NGO (`commitment`) and a non-public one of
the same NGO, made in the members-only working group (`hidden_commitment`):
the latter is seen by the NGO (it committed, and co-chairs the group), UNHCR
(its secretariat, and UNHCR sees every commitment) and administrators; the
State, an ordinary member of the group, does not see it. The exports also get a
public GROW commitment of a supporter that is not listed publicly (`_grow`).
"""

from __future__ import annotations

from typing import Any

from authz import (
    EVERYONE,
    TODAY,
    Case,
    W,
    api_pk,
    api_write,
    edit_form,
    own_org,
    pk,
    roles,
    signed_in,
)
from resettle.accounts.models import User
from resettle.commitments.forms import CommitmentForm
from resettle.commitments.models import Commitment, Supporter

COMMITTERS = {"admin": 200, "unhcr": 200, "ngo": 200}


def _commitments(w: W) -> None:
    w.commitment = Commitment.objects.create(
        title="Welcome 100 refugees", source="consultation", forum=w.public_forum
    )
    w.commitment.organisations.set([w.ngo_org])
    w.hidden_commitment = Commitment.objects.create(
        title="Internal review", source="other", forum=w.members_forum, is_public=False
    )
    w.hidden_commitment.organisations.set([w.ngo_org])


def _grow(w: W) -> None:
    _commitments(w)
    donor = Supporter.objects.create(name="A private donor", kind="individual", is_public=False)
    w.grow_commitment = Commitment.objects.create(
        title="Language classes", source="grow", supporter=donor, amount=2000, currency="USD"
    )


def _new(w: W, u: User | None) -> dict[str, Any]:
    return {
        "source": "grf",
        "title": "Mentoring programme",
        "organisations": [own_org(w, u).pk],
        "status": "planning",
        "is_public": "on",
    }


def _new_api(w: W, u: User | None) -> dict[str, Any]:
    return {"source": "grf", "title": "Mentoring programme", "organisation_ids": [own_org(w, u).pk]}


def _update(w: W, u: User | None) -> dict[str, Any]:
    return {"status": "in_progress", "progress": "Half-way.", "date": TODAY}


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "commitments:commitment_list": [
        Case("GET", EVERYONE, setup=_commitments, query="?source=consultation&overdue=on"),
    ],
    "commitments:commitment_export": [
        Case("GET", EVERYONE, setup=_commitments, args=lambda w: ["csv"]),
        Case("GET", EVERYONE, setup=_commitments, args=lambda w: ["xlsx"], label="xlsx"),
        # Every format carries the GROW columns; the donor's name only for those who see it.
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["json"], label="json with GROW"),
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["hxl"], label="hxl with GROW"),
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["csv"], label="csv with GROW"),
        Case("GET", roles(404), args=lambda w: ["pdf"], label="unknown format"),
    ],
    "commitments:my_commitments": [Case("GET", signed_in(200), setup=_commitments)],
    "commitments:commitment_add": [
        Case("GET", signed_in(200)),
        Case("POST", signed_in(302), data=_new, writes=True),
    ],
    "commitments:commitment_detail": [
        Case("GET", EVERYONE, setup=_commitments, args=pk("commitment")),
        Case(
            "GET",
            roles(404, **COMMITTERS),
            setup=_commitments,
            args=pk("hidden_commitment"),
            label="not public",
        ),
    ],
    "commitments:commitment_edit": [
        Case("GET", signed_in(403, **COMMITTERS), setup=_commitments, args=pk("commitment")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, ngo=302),
            setup=_commitments,
            args=pk("commitment"),
            data=edit_form(CommitmentForm, "commitment", target="200 places"),
            writes=True,
        ),
        Case(
            "GET",
            signed_in(404, **COMMITTERS),
            setup=_commitments,
            args=pk("hidden_commitment"),
            label="not public",
        ),
    ],
    "commitments:update_add": [
        Case("GET", signed_in(403, **COMMITTERS), setup=_commitments, args=pk("commitment")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, ngo=302),
            setup=_commitments,
            args=pk("commitment"),
            data=_update,
            writes=2,  # the update, and the commitment's new status and date
        ),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, ngo=302),
            setup=_commitments,
            args=pk("hidden_commitment"),
            data=_update,
            writes=2,
            label="not public",
        ),
    ],
    # ---- API ----
    ("GET", "/api/v1/commitments"): [
        Case("GET", EVERYONE, setup=_commitments, query="?status=planning&overdue=false"),
    ],
    ("GET", "/api/v1/commitments/{pk}"): [
        Case("GET", EVERYONE, setup=_commitments, args=api_pk("commitment")),
        Case(
            "GET",
            roles(404, **COMMITTERS),
            setup=_commitments,
            args=api_pk("hidden_commitment"),
            label="not public",
        ),
    ],
    ("POST", "/api/v1/commitments"): [
        Case("POST", api_write(201), data=_new_api, writes=True),
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201),
            data=lambda w, u: {
                "source": "grf",
                "title": "Someone else's",
                "organisation_ids": [w.can_state_org.pk],
            },
            writes=True,
            label="another organisation",
        ),
    ],
    ("PATCH", "/api/v1/commitments/{pk}"): [
        Case(
            "PATCH",
            api_write(403, **COMMITTERS),
            setup=_commitments,
            args=api_pk("commitment"),
            data=lambda w, u: {"target": "200 places"},
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, **COMMITTERS),
            setup=_commitments,
            args=api_pk("hidden_commitment"),
            data=lambda w, u: {"target": "200 places"},
            writes=True,
            label="not public",
        ),
    ],
    ("POST", "/api/v1/commitments/{pk}/updates"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, ngo=201),
            setup=_commitments,
            args=api_pk("commitment"),
            data=_update,
            writes=2,
        ),
    ],
}
