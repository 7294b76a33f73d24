"""Who may do what: every page and every API operation, for every role.

`MATRIX` below is the one place that says, for each route of the project
(by URL name) and each operation of the API (by method and OpenAPI path), how
to build a concrete request from the fixture world (see conftest.py) and what
each role gets back:

- 200 / 201, or 302 after a successful form POST (a redirect that is not to
  the login page): allowed;
- 403: the role, or the user's organisation, lacks the right;
- 404: the object is not theirs to see (a members-only forum they are not in);
- LOGIN: an anonymous visitor sent to the login page;
- 401: an anonymous API write; 422: a payload id the user may not see.

A route or operation the table does not know fails `test_every_route_is_in_the_matrix`
or `test_every_api_operation_is_in_the_matrix`: add a new page or operation to
the table when you add it to the project.

Every request runs in its own test (one per case and role), so in its own
transaction. A request that is refused must write nothing; an allowed write
must write exactly one audit entry.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROLES, make_token
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import authz
from authz import (
    EVERYONE,
    LOGIN,
    MEMBERS_ONLY,
    THIS_YEAR,
    TODAY,
    Case,
    Expect,
    Listed,
    W,
    api_pk,
    api_write,
    edit_form,
    link,
    own_org,
    pk,
    roles,
    signed_in,
)
from resettle.accounts.models import ApiToken, User
from resettle.api import api
from resettle.core.models import DeniedRequest
from resettle.directory import forms as directory_forms
from resettle.forums import forms as forum_forms


def _attach_terms(w: W) -> None:
    w.members_forum.terms_document.save("tor.txt", ContentFile(b"Terms of reference"))


def _ngo_token(w: W) -> None:
    make_token(w.users["ngo"], name="to revoke")
    w.ngo_token = ApiToken.objects.get(user=w.users["ngo"], name="to revoke")


# Lists show the members-only forum, and its memberships, to those who may see it.
FORUMS_LISTED = (Listed("public_forum", EVERYONE), Listed("members_forum", MEMBERS_ONLY))
MEMBERSHIPS_LISTED = (
    Listed("public_membership", EVERYONE),
    Listed("members_membership", MEMBERS_ONLY),
)


def _members_cycle(w: W) -> None:
    """A cycle of the members-only working group (seen with its forum)."""
    from resettle.forums.models import ConsultationCycle

    w.members_cycle = ConsultationCycle.objects.create(
        forum=w.members_forum,
        start_year=THIS_YEAR,
        end_year=THIS_YEAR,
        state=w.deu,
        government_cochair=w.state_org,
        ngo_cochair=w.ngo_org,
        theme="Working methods",
    )


CYCLES_LISTED = (Listed("cycle", EVERYONE), Listed("members_cycle", MEMBERS_ONLY))
# One's account page lists one's own API tokens, no one else's.
TOKENS_LISTED = (Listed("ngo_token", {"ngo"}, link("accounts:revoke_token")),)

# ---- the table ----------------------------------------------------------------------------

MATRIX: dict[str | tuple[str, str], list[Case]] = {
    # -- core --
    "home": [Case("GET", EVERYONE)],
    "healthz": [Case("GET", EVERYONE)],
    "core:dashboard": [Case("GET", signed_in(200))],
    "login": [Case("GET", EVERYONE)],
    "logout": [Case("POST", roles(302))],
    "set_language": [Case("POST", roles(302), data=lambda w, u: {"language": "fr"})],
    # -- accounts: one's own account page and API tokens --
    "accounts:account": [
        Case("GET", signed_in(200)),
        Case("POST", signed_in(200), data=lambda w, u: {"name": "ci", "days": 30}, writes=True),
        Case("GET", signed_in(200), setup=_ngo_token, lists=TOKENS_LISTED, label="tokens"),
    ],
    "accounts:revoke_token": [
        # Only the token's owner; anyone else's token is a 404.
        Case("POST", signed_in(404, ngo=302), args=pk("ngo_token"), setup=_ngo_token, writes=True),
    ],
    # -- directory: countries --
    "directory:country_list": [Case("GET", EVERYONE)],
    "directory:country_detail": [Case("GET", EVERYONE, args=lambda w: ["DEU"])],
    "directory:state_profile_edit": [
        # Administrators, UNHCR, and officials of that State's own government.
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200), args=lambda w: ["DEU"]),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            args=lambda w: ["DEU"],
            data=lambda w, u: {"programme_stage": "established", "first_resettlement_year": 2015},
            writes=True,
        ),
        Case(
            "GET",
            signed_in(403, admin=200, unhcr=200),
            args=lambda w: ["CAN"],
            label="another State's profile",
        ),
    ],
    # -- directory: organisations (public; edited by their own users) --
    "directory:organisation_list": [Case("GET", EVERYONE, query="?q=caritas&kind=ngo")],
    "directory:organisation_detail": [Case("GET", EVERYONE, args=pk("ngo_org"))],
    "directory:organisation_add": [
        Case("GET", signed_in(200)),
        Case(
            "POST",
            signed_in(302),
            data=lambda w, u: {"name": "Welcome Network", "kind": "network", "country": w.deu.pk},
            writes=True,
        ),
    ],
    "directory:organisation_edit": [
        Case("GET", signed_in(403, admin=200, ngo=200), args=pk("ngo_org")),
        Case(
            "POST",
            signed_in(403, admin=302, ngo=302),
            args=pk("ngo_org"),
            data=edit_form(directory_forms.OrganisationForm, "ngo_org", description="Changed"),
            writes=True,
        ),
    ],
    # -- directory: contacts (signed-in users only) --
    "directory:person_list": [Case("GET", signed_in(200))],
    "directory:person_detail": [Case("GET", signed_in(200), args=pk("person"))],
    "directory:person_add": [
        Case("GET", signed_in(200)),
        Case(
            "POST",
            signed_in(302),
            data=lambda w, u: {
                "given_name": "Omar",
                "family_name": "Haddad",
                "organisation": own_org(w, u).pk,
                "languages": "ar, en",
            },
            writes=True,
        ),
    ],
    "directory:person_edit": [
        Case("GET", signed_in(403, admin=200, ngo=200), args=pk("person")),
        Case(
            "POST",
            signed_in(403, admin=302, ngo=302),
            args=pk("person"),
            data=edit_form(directory_forms.PersonForm, "person", title="Director"),
            writes=True,
        ),
    ],
    # -- forums --
    "forums:forum_list": [
        Case("GET", EVERYONE, query="?kind=consultation"),
        Case("GET", EVERYONE, lists=FORUMS_LISTED, label="scoped"),
    ],
    "forums:forum_detail": [
        Case("GET", EVERYONE, args=pk("public_forum")),
        Case("GET", MEMBERS_ONLY, args=pk("members_forum"), label="members-only"),
    ],
    "forums:forum_terms": [
        Case("GET", MEMBERS_ONLY, args=pk("members_forum"), setup=_attach_terms),
    ],
    "forums:forum_add": [
        Case("GET", signed_in(403, admin=200, unhcr=200)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            data=lambda w, u: {
                "name": "Core Group on Syria",
                "kind": "core_group",
                "access": "public",
                "working_languages": "en, ar",
            },
            writes=True,
        ),
    ],
    "forums:forum_edit": [
        # Chair (the State) and secretariat (UNHCR) run the public consultation.
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200), args=pk("public_forum")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            args=pk("public_forum"),
            data=edit_form(forum_forms.ForumForm, "public_forum", description="Changed"),
            writes=True,
        ),
        # The NGO co-chairs the working group; the State is an ordinary member.
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, ngo=200, state=403),
            args=pk("members_forum"),
            label="members-only",
        ),
    ],
    # -- memberships --
    "forums:membership_list": [
        Case("GET", EVERYONE, query="?role=member", lists=MEMBERSHIPS_LISTED)
    ],
    "forums:membership_detail": [
        Case("GET", EVERYONE, args=pk("public_membership")),
        Case("GET", MEMBERS_ONLY, args=pk("members_membership"), label="members-only"),
    ],
    "forums:membership_add": [
        # Offered to whoever runs at least one forum.
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200, ngo=200)),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, ngo=200, state=403),
            query="?forum={members_forum.pk}",
            label="members-only forum",
        ),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            data=lambda w, u: {
                "forum": w.public_forum.pk,
                "organisation": w.other_org.pk,
                "role": "observer",
                "start_date": TODAY,
            },
            writes=True,
        ),
    ],
    "forums:membership_edit": [
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200), args=pk("public_membership")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            args=pk("public_membership"),
            data=edit_form(forum_forms.MembershipForm, "public_membership", notes="Changed"),
            writes=True,
        ),
        Case(
            "GET",
            signed_in(404, admin=200, unhcr=200, ngo=200, state=403),
            args=pk("members_membership"),
            label="members-only",
        ),
    ],
    # -- consultation cycles --
    "forums:cycle_list": [
        Case("GET", EVERYONE, query="?q=partner"),
        Case("GET", EVERYONE, setup=_members_cycle, lists=CYCLES_LISTED, label="scoped"),
    ],
    "forums:rotation": [Case("GET", EVERYONE)],
    "forums:cycle_detail": [Case("GET", EVERYONE, args=pk("cycle"))],
    "forums:cycle_add": [
        # Planners (admin, UNHCR) and those who run a consultation (its chair).
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            data=lambda w, u: {
                "forum": w.public_forum.pk,
                "start_year": THIS_YEAR + 2,
                "end_year": THIS_YEAR + 2,
                "state": w.deu.pk,
                "government_cochair": w.state_org.pk,
                "ngo_cochair": w.ngo_org.pk,
                "theme": "Community sponsorship",
                "unhcr_support": "on",
            },
            writes=True,
        ),
    ],
    "forums:cycle_edit": [
        # Planners, the consultation's chair, and the cycle's two co-chairs.
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200, ngo=200), args=pk("cycle")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302, ngo=302),
            args=pk("cycle"),
            data=edit_form(forum_forms.CycleForm, "cycle", theme="Changed"),
            writes=True,
        ),
    ],
    # ---- API ----
    ("GET", "/api/v1/countries"): [Case("GET", EVERYONE, query="?unhcr_region=Europe")],
    ("GET", "/api/v1/countries/{iso3}"): [Case("GET", EVERYONE, args=lambda w: {"iso3": "DEU"})],
    ("POST", "/api/v1/countries"): [
        Case(
            "POST",
            api_write(403, admin=201),
            data=lambda w, u: {
                "iso3": "XKX",
                "iso2": "XK",
                "name_en": "Kosovo",
                "name_ar": "كوسوفو",
                "name_fr": "Kosovo",
            },
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/countries/{iso3}"): [
        Case(
            "PATCH",
            api_write(403, admin=200),
            args=lambda w: {"iso3": "DEU"},
            data=lambda w, u: {"unhcr_code": "DEU"},
            writes=True,
        )
    ],
    ("GET", "/api/v1/organisations"): [Case("GET", EVERYONE, query="?country=DEU")],
    ("GET", "/api/v1/organisations/{pk}"): [Case("GET", EVERYONE, args=api_pk("ngo_org"))],
    ("POST", "/api/v1/organisations"): [
        Case(
            "POST",
            api_write(201),
            data=lambda w, u: {"name": "Welcome Network", "kind": "network", "country": "DEU"},
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/organisations/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, ngo=200),
            args=api_pk("ngo_org"),
            data=lambda w, u: {"description": "Changed"},
            writes=True,
        )
    ],
    ("GET", "/api/v1/people"): [Case("GET", api_write(200))],
    ("GET", "/api/v1/people/{pk}"): [Case("GET", api_write(200), args=api_pk("person"))],
    ("POST", "/api/v1/people"): [
        Case(
            "POST",
            api_write(201),
            data=lambda w, u: {
                "given_name": "Omar",
                "family_name": "Haddad",
                "organisation_id": own_org(w, u).pk,
            },
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/people/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, ngo=200),
            args=api_pk("person"),
            data=lambda w, u: {"title": "Director"},
            writes=True,
        )
    ],
    ("GET", "/api/v1/forums"): [
        Case("GET", EVERYONE, query="?access=public"),
        Case("GET", EVERYONE, lists=FORUMS_LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/forums/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("public_forum")),
        Case("GET", MEMBERS_ONLY, args=api_pk("members_forum"), label="members-only"),
    ],
    ("POST", "/api/v1/forums"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201),
            data=lambda w, u: {"name": "Core Group on Syria", "kind": "core_group"},
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/forums/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, unhcr=200, state=200),
            args=api_pk("public_forum"),
            data=lambda w, u: {"description": "Changed"},
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, admin=200, unhcr=200, ngo=200, state=403),
            args=api_pk("members_forum"),
            data=lambda w, u: {"description": "Changed"},
            writes=True,
            label="members-only",
        ),
    ],
    ("GET", "/api/v1/memberships"): [
        Case("GET", EVERYONE, query="?role=member", lists=MEMBERSHIPS_LISTED)
    ],
    ("GET", "/api/v1/memberships/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("public_membership")),
        Case("GET", MEMBERS_ONLY, args=api_pk("members_membership"), label="members-only"),
    ],
    ("POST", "/api/v1/memberships"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            data=lambda w, u: {
                "forum_id": w.public_forum.pk,
                "organisation_id": w.other_org.pk,
                "role": "observer",
                "start_date": TODAY,
            },
            writes=True,
        ),
        # A forum the user may not see is an unknown id in the payload: 422.
        Case(
            "POST",
            api_write(422, admin=201, unhcr=201, ngo=201, state=403),
            data=lambda w, u: {
                "forum_id": w.members_forum.pk,
                "organisation_id": w.other_org.pk,
                "role": "observer",
                "start_date": TODAY,
            },
            writes=True,
            label="members-only forum",
        ),
    ],
    ("PATCH", "/api/v1/memberships/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, unhcr=200, state=200),
            args=api_pk("public_membership"),
            data=lambda w, u: {"notes": "Changed"},
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, admin=200, unhcr=200, ngo=200, state=403),
            args=api_pk("members_membership"),
            data=lambda w, u: {"notes": "Changed"},
            writes=True,
            label="members-only",
        ),
    ],
    ("GET", "/api/v1/cycles"): [
        Case("GET", EVERYONE, query="?state=DEU"),
        Case("GET", EVERYONE, setup=_members_cycle, lists=CYCLES_LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/cycles/{pk}"): [Case("GET", EVERYONE, args=api_pk("cycle"))],
    ("POST", "/api/v1/cycles"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            data=lambda w, u: {
                "forum_id": w.public_forum.pk,
                "start_year": THIS_YEAR + 2,
                "end_year": THIS_YEAR + 2,
                "state": "DEU",
                "government_cochair_id": w.state_org.pk,
                "ngo_cochair_id": w.ngo_org.pk,
            },
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/cycles/{pk}"): [
        Case(
            "PATCH",
            api_write(403, admin=200, unhcr=200, state=200, ngo=200),
            args=api_pk("cycle"),
            data=lambda w, u: {"theme": "Changed"},
            writes=True,
        )
    ],
}

# -- needs: the gap, dataset versions, exports and their API (read-only) --
# Public versions for everyone; the private one for signed-in users, 404 for anonymous visitors.


def _gap_data(w: W) -> None:
    from resettle.needs.tests.gap_fixtures import make_gap_world

    w.gap = make_gap_world()


PRIVATE = roles(200, anonymous=404)
# The lists of versions show the private one to signed-in users only.
VERSIONS = (Listed("gap.pgrn1", EVERYONE), Listed("gap.private", PRIVATE))
MATRIX.update(
    {
        "needs:gap": [
            Case("GET", EVERYONE, query="?year=2024&cut=asylum", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="as of a private version",
            ),
        ],
        "needs:gap_trends": [
            Case("GET", EVERYONE, query="?cut=population&key=SYR", setup=_gap_data)
        ],
        "needs:gap_chart": [
            Case(
                "GET",
                EVERYONE,
                args=lambda w: ["bars"],
                query="?year=2024&cut=asylum",
                setup=_gap_data,
            ),
            Case(
                "GET",
                PRIVATE,
                args=lambda w: ["map"],
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="as of a private version",
            ),
        ],
        "needs:version_list": [Case("GET", EVERYONE, setup=_gap_data, lists=VERSIONS)],
        "needs:version_detail": [
            Case("GET", EVERYONE, args=lambda w: [w.gap.pgrn2.pk], setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                args=lambda w: [w.gap.private.pk],
                setup=_gap_data,
                label="private",
            ),
        ],
        "needs:version_compare": [
            Case("GET", EVERYONE, query="?a={gap.pgrn1.pk}&b={gap.pgrn2.pk}", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?a={gap.flows.pk}&b={gap.private.pk}",
                setup=_gap_data,
                label="private",
            ),
        ],
        "needs:export": [
            Case("GET", EVERYONE, args=lambda w: ["needs", "csv"], setup=_gap_data),
            Case("GET", EVERYONE, args=lambda w: ["gap", "xlsx"], setup=_gap_data, label="gap"),
            Case(
                "GET",
                PRIVATE,
                args=lambda w: ["flows", "hxl"],
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="private version",
            ),
        ],
        ("GET", "/api/v1/dataset-versions"): [
            Case("GET", EVERYONE, setup=_gap_data, lists=VERSIONS)
        ],
        ("GET", "/api/v1/dataset-versions/{pk}"): [
            Case("GET", EVERYONE, args=lambda w: {"pk": w.gap.pgrn1.pk}, setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                args=lambda w: {"pk": w.gap.private.pk},
                setup=_gap_data,
                label="private",
            ),
        ],
        ("GET", "/api/v1/needs"): [Case("GET", EVERYONE, query="?year=2024", setup=_gap_data)],
        ("GET", "/api/v1/pledges"): [Case("GET", EVERYONE, query="?state=DEU", setup=_gap_data)],
        ("GET", "/api/v1/flows"): [
            Case("GET", EVERYONE, query="?year=2024", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="private version",
            ),
        ],
        ("GET", "/api/v1/gap"): [
            Case("GET", EVERYONE, query="?year=2024&cut=state", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="as of a private version",
            ),
        ],
        ("GET", "/api/v1/gap/trends"): [
            Case("GET", EVERYONE, query="?cut=state&key=DEU", setup=_gap_data)
        ],
    }
)

# -- needs: the advocacy brief (page and PDF) follows the gap page's visibility --
MATRIX.update(
    {
        "needs:brief": [
            Case("GET", EVERYONE, query="?year=2024&lang=ar", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?version={gap.private.pk}",
                setup=_gap_data,
                label="as of a private version",
            ),
        ],
        "needs:brief_pdf": [
            Case("GET", EVERYONE, query="?year=2024&lang=en", setup=_gap_data),
            Case(
                "GET",
                PRIVATE,
                query="?version={gap.private.pk}&lang=ar",
                setup=_gap_data,
                label="as of a private version",
            ),
        ],
    }
)

# -- needs: imports (admin and UNHCR); uploads and jobs are the importer's own --


def _upload(w: W, u: User | None) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"year,origin,resettlement_state,departed\n2024,SYR,DEU,10\n"
    return {"kind": "departures", "file": SimpleUploadedFile("flows.csv", csv), "is_public": "on"}


IMPORTERS = signed_in(403, admin=200, unhcr=200)
MATRIX.update(
    {
        "needs:import": [
            Case("GET", IMPORTERS),
            # Staging keeps the file (media folder) and writes no row; the import is later.
            Case("POST", signed_in(403, admin=302, unhcr=302), data=_upload, setup=lambda w: None),
        ],
        "needs:import_map": [
            Case(
                "GET",
                signed_in(403, admin=404, unhcr=404),
                args=lambda w: ["0" * 32],
                label="an upload not in the session",
            )
        ],
        "needs:import_job": [
            Case(
                "GET",
                signed_in(403, admin=404, unhcr=404),
                args=lambda w: ["00000000-0000-4000-8000-000000000000"],
                label="a job that is not the user's",
            )
        ],
    }
)

# -- needs: recorded pledges. The list is public; the form is for administrators, UNHCR,
# and State officials for their own State (the fixture world's official is Germany's) --


def _pledge(state: str) -> Callable[[W, User | None], dict[str, Any]]:
    def build(w: W, u: User | None) -> dict[str, Any]:
        return {
            "state": state,
            "year": THIS_YEAR,
            "persons": 100,
            "emergency_urgent_places": 10,
            "status": "planning",
            "breakdown_1_kind": "nationality",
            "breakdown_1_value": "SYR",
            "breakdown_1_persons": 40,
            "pathway_labour": 5,
        }

    return build


RECORDERS = signed_in(403, admin=200, unhcr=200, state=200)
MATRIX.update(
    {
        "needs:pledge_list": [Case("GET", EVERYONE, query=f"?state=DEU&year={THIS_YEAR}")],
        "needs:pledge_record": [
            Case("GET", RECORDERS),
            Case("GET", RECORDERS, query=f"?state=CAN&year={THIS_YEAR}", label="prefilled"),
            Case(
                "POST",
                signed_in(403, admin=302, unhcr=302, state=302),
                data=_pledge("DEU"),
                writes=True,
                label="own State",
            ),
            Case(
                "POST",
                signed_in(403, admin=302, unhcr=302),
                data=_pledge("CAN"),
                writes=True,
                label="a State not theirs",
            ),
        ],
    }
)

# Rows kept in the modules of tests/authz/ (one per domain) join the table here.
for _module in pkgutil.iter_modules(authz.__path__):
    _part = importlib.import_module(f"authz.{_module.name}")
    _overlap = set(MATRIX) & set(_part.MATRIX)
    assert not _overlap, f"authz.{_module.name} repeats rows: {_overlap}"
    MATRIX.update(_part.MATRIX)

# ---- what the project has ------------------------------------------------------------------

# Route prefixes and names that the matrix leaves to other tests: Django's admin
# (test_admin_is_for_staff_only), static and media files, the API's own docs.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")
SKIPPED_NAMES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns and namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            found.append((prefix + str(p.pattern), name))
    return found


def project_routes() -> list[tuple[str, str | None]]:
    """(route, name) of every URL pattern the matrix must know."""
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(SKIPPED_PREFIXES) and name not in SKIPPED_NAMES
    ]


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _is_api_route(name: str | None) -> bool:
    return bool(name) and str(name).startswith("api:")


def _openapi_path(route: str) -> str:
    """api/v1/forums/<int:pk> -> /api/v1/forums/{pk}"""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


# ---- completeness --------------------------------------------------------------------------


def test_every_route_is_in_the_matrix() -> None:
    """A page without a row in the table fails here, named."""
    missing = [
        f"{name or '(unnamed)'} ({route})"
        for route, name in project_routes()
        if not _is_api_route(name) and name not in MATRIX
    ]
    assert not missing, "routes missing from the authorization matrix: " + ", ".join(missing)


def test_every_api_route_is_an_openapi_operation() -> None:
    """API URL patterns are covered through the OpenAPI schema: none may hide from it."""
    paths = {path for _method, path in api_operations()}
    hidden = [
        f"{name} ({route})"
        for route, name in project_routes()
        if _is_api_route(name) and _openapi_path(route) not in paths
    ]
    assert not hidden, "API routes absent from the OpenAPI schema: " + ", ".join(hidden)


def test_every_api_operation_is_in_the_matrix() -> None:
    """An API operation without a row in the table fails here, named."""
    missing = [f"{m} {p}" for m, p in api_operations() if (m, p) not in MATRIX]
    assert not missing, "API operations missing from the authorization matrix: " + ", ".join(
        missing
    )


def test_the_matrix_has_no_stale_rows() -> None:
    """Every row names a real route or operation, and every case lists every role."""
    names = {name for _route, name in project_routes()}
    operations = set(api_operations())
    stale = [str(key) for key in MATRIX if key not in names and key not in operations]
    assert not stale, "matrix rows for routes or operations that no longer exist: " + ", ".join(
        stale
    )
    for key, cases in MATRIX.items():
        assert cases, f"{key} has no case"
        for case in cases:
            assert set(case.expect) == set(ROLES), f"{key} {case.label}: roles {case.expect}"
            if isinstance(key, tuple):
                assert case.method == key[0], f"{key}: case method {case.method}"
            for listed in case.lists:
                assert case.method == "GET", f"{key} {case.label}: lists on a {case.method}"
                assert listed.shown_to() <= set(ROLES), f"{key} {case.label}: {listed}"


# ---- the checks themselves -----------------------------------------------------------------


def _case_id(key: str | tuple[str, str], case: Case, role: str) -> str:
    where = key if isinstance(key, str) else f"{key[0]} {key[1]}"
    method = "" if isinstance(key, tuple) else f"{case.method} "
    label = f" [{case.label}]" if case.label else ""
    return f"{method}{where}{label} as {role}"


CASES = [
    pytest.param(key, case, role, id=_case_id(key, case, role))
    for key, cases in MATRIX.items()
    for case in cases
    for role in ROLES
]


def _domain_models() -> list[type[models.Model]]:
    """Every model of the project's own apps: a refused request must change none of them.

    Except the log of denied requests, which refusals write by design (checked below).
    """
    return [
        m
        for m in django_apps.get_models()
        if m.__module__.startswith("resettle.") and m is not DeniedRequest
    ]


_DOMAIN_MODELS = _domain_models()


def _row_counts() -> dict[str, int]:
    """Rows in each domain table and the audit log, in one query."""
    counts = ", ".join(
        # Table names come from the models, never from input.
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"  # noqa: S608
        for m in _DOMAIN_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {m.__name__: int(n) for m, n in zip(_DOMAIN_MODELS, row, strict=True)}


def _url(key: str | tuple[str, str], case: Case, w: W) -> str:
    args = case.args(w) if case.args else None
    url = key[1].format(**(args or {})) if isinstance(key, tuple) else reverse(key, args=args)
    return url + case.query.format(**vars(w))


def _api_list_ids(body: Any) -> set[Any]:
    """The ids of an API list's items: a plain list, a page of `items`, search `hits`."""
    items = body
    if isinstance(body, dict):  # a page of `items`, or a search's `hits`
        items = body.get("items", body.get("hits"))
    assert isinstance(items, list), f"not a list: {str(body)[:200]}"
    return {item["id"] if "id" in item else item["item"]["id"] for item in items}


def _page_lists(html: str, marker: str) -> bool:
    """Whether a page holds `marker` (a URL, a title) whole: /x/1/ is not /x/1/edit/."""
    return re.search(re.escape(marker) + r"(?![\w/-])", html) is not None


def _check_listed(lists: tuple[Listed, ...], body: bytes, w: W, role: str, *, is_api: bool) -> None:
    """Each named object is in the list for the roles entitled to it, and only for them."""
    if is_api:
        ids = _api_list_ids(json.loads(body))
    else:
        html = body.decode()
    for listed in lists:
        obj = listed.get(w)
        if is_api:
            found = obj.pk in ids
        else:
            marker = listed.marker(w, obj) if listed.marker else obj.get_absolute_url()
            found = _page_lists(html, marker)
        should = role in listed.shown_to()
        what = "missing from" if should else "leaked into"
        assert found == should, f"{listed.describe()} (pk {obj.pk}) {what} the list for {role}"


@pytest.mark.parametrize(("key", "case", "role"), CASES)
def test_authorization(
    *,
    key: str | tuple[str, str],
    case: Case,
    role: str,
    world: W,
    bearer: Callable[[User | None], dict[str, str]],
    request: pytest.FixtureRequest,
) -> None:
    if case.setup:
        # Files a case creates go to a temporary media folder.
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path")
        case.setup(world)
    user = world.users[role]
    client = Client()
    is_api = isinstance(key, tuple)
    headers: dict[str, str] = {}
    if is_api:
        headers = bearer(user)
    elif user is not None:
        client.force_login(user)
    url = _url(key, case, world)
    payload = case.data(world, user) if case.data else {}
    before = _row_counts()

    if case.method == "GET":
        response = client.get(url, headers=headers)
    elif is_api:
        response = client.generic(
            case.method,
            url,
            json.dumps(payload),
            content_type="application/json",
            headers=headers,
        )
    else:
        response = client.post(url, payload, headers=headers)
    body = b""
    if response.streaming:  # read a file download to the end, which closes it
        body = b"".join(response.streaming_content)

    expected = case.expect[role]
    got: Expect = response.status_code
    location = response.get("Location", "")
    if got == 302 and location.startswith(reverse("login")):
        got = LOGIN
    detail = ""
    if got in (400, 422) and not getattr(response, "streaming", False):
        detail = response.content.decode()[:600]
    assert got == expected, f"{_case_id(key, case, role)}: got {got} {location} {detail}"
    if case.lists and got == 200:
        body = body or response.content
        _check_listed(case.lists, body, world, role, is_api=is_api)

    after = _row_counts()
    # Every 401, 403 and 404 is on the record of denied requests; nothing else is.
    denied = list(DeniedRequest.objects.values_list("path", "status"))
    refused = got in (401, 403, 404)
    assert denied == ([(url.split("?")[0], got)] if refused else []), f"denied: {denied}"
    allowed = expected in (200, 201, 204, 302) and case.method != "GET"
    if case.writes and allowed:
        entries = int(case.writes)
        assert after["AuditEntry"] == before["AuditEntry"] + entries, f"{entries} audit entries"
    elif case.method != "GET" and key not in {"logout", "set_language"}:
        # Only a view that ran and refused the input records anything (see Case).
        extra = case.refusal_records if got in (400, 422) else {}
        recorded = {name: before[name] + extra.get(name, 0) for name in before}
        assert after == recorded, f"a refused {case.method} wrote something"
    elif case.method == "GET":
        assert after == before, "a GET wrote something"


# ---- Django's admin ------------------------------------------------------------------------


def test_admin_is_for_staff_only(world: W) -> None:
    """Django's admin: every non-staff role is sent to the admin's login; staff get in."""
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302, role
        assert response["Location"].startswith("/admin/login/"), role
    staff = User.objects.create_superuser("root", "root@example.org", None)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/forums/forum/").status_code == 200
