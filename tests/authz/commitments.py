"""Authorization rows of the commitments app: pages and API.

A public commitment of the German NGO (`commitment`) and a non-public one of
the same NGO, made in the members-only working group (`hidden_commitment`):
the latter is seen by the NGO (it committed, and co-chairs the group), UNHCR
(its secretariat, and UNHCR sees every commitment) and administrators; the
State, an ordinary member of the group, does not see it. The exports also get a
public GROW commitment of a supporter that is not listed publicly (`_grow`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from authz import (
    EVERYONE,
    TODAY,
    Case,
    Listed,
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
from resettle.meetings.models import Meeting

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


# Lists (and the JSON export, by title) show the non-public commitment to those who see it.
LISTED = (
    Listed("commitment", EVERYONE),
    Listed("hidden_commitment", COMMITTERS),
)
EXPORTED = tuple(Listed(listed.obj, listed.to, marker=lambda w, c: c.title) for listed in LISTED)


def _hidden_meeting(w: W) -> None:
    """A meeting of the members-only working group."""
    start = timezone.now().replace(microsecond=0)
    w.hidden_meeting = Meeting.objects.create(
        forum=w.members_forum,
        title="WGR",
        kind="wgr",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        format="online",
        online_url="https://example.org/wgr",
    )


def _hidden_supporter(w: W) -> None:
    """A supporter of the German NGO that is not listed publicly."""
    w.ngo_supporter = Supporter.objects.create(
        name="Caritas donors", kind="foundation", organisation=w.ngo_org, is_public=False
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
        Case("GET", EVERYONE, setup=_commitments, lists=LISTED, label="scoped"),
    ],
    "commitments:commitment_export": [
        Case("GET", EVERYONE, setup=_commitments, args=lambda w: ["csv"]),
        Case("GET", EVERYONE, setup=_commitments, args=lambda w: ["xlsx"], label="xlsx"),
        # Every format carries the GROW columns; the donor's name only for those who see it.
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["json"], label="json with GROW"),
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["hxl"], label="hxl with GROW"),
        Case("GET", EVERYONE, setup=_grow, args=lambda w: ["csv"], label="csv with GROW"),
        Case("GET", roles(404), args=lambda w: ["pdf"], label="unknown format"),
        Case(
            "GET",
            EVERYONE,
            setup=_commitments,
            args=lambda w: ["json"],
            lists=EXPORTED,
            label="scoped",
        ),
    ],
    # One's organisation's commitments: the NGO's two, to the NGO's users alone.
    "commitments:my_commitments": [
        Case(
            "GET",
            signed_in(200),
            setup=_commitments,
            lists=(Listed("commitment", {"ngo"}), Listed("hidden_commitment", {"ngo"})),
        )
    ],
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
        Case("GET", EVERYONE, setup=_commitments, lists=LISTED, label="scoped"),
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
        # Ids of a forum, meeting or supporter the user may not see are unknown: 422.
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201, state=201, ngo=201),
            data=lambda w, u: {**_new_api(w, u), "forum_id": w.members_forum.pk},
            writes=True,
            label="a members-only forum",
        ),
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201, state=201, ngo=201),
            setup=_hidden_meeting,
            data=lambda w, u: {**_new_api(w, u), "meeting_id": w.hidden_meeting.pk},
            writes=True,
            label="a members-only meeting",
        ),
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201, ngo=201),
            setup=_hidden_supporter,
            data=lambda w, u: {
                **_new_api(w, u),
                "source": "grow",
                "supporter_id": w.ngo_supporter.pk,
            },
            writes=True,
            label="a supporter not public",
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
