"""Shared fixtures of the test suite: a small world of organisations, users, forums.

Every fixture is function-scoped and built with the ORM inside the test's own
transaction (pytest-django's `db`), so each test starts from the same world.

The world:

- Germany (DEU) chairs the consultation: its government body (`state_org`) and
  an NGO (`ngo_org`) co-chair the current cycle.
- `public_forum` (a consultation) is chaired by `state_org`, with UNHCR as its
  secretariat; `ngo_org` and `refugee_org` are ordinary members.
- `members_forum` (a members-only working group) has UNHCR as its secretariat,
  `ngo_org` as co-chair and `state_org` as a member; `refugee_org`, `rsf_org`
  and `other_org` are not in it.
- One user per role (admin, unhcr, state, ngo, refugee, rsf) plus `other`, an
  NGO user of a Canadian organisation that takes part in nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django.utils import timezone

from resettle.accounts.models import ApiToken, User
from resettle.accounts.roles import Role
from resettle.directory.models import Country, Organisation, OrganisationKind, Person
from resettle.forums.models import (
    ConsultationCycle,
    Forum,
    ForumAccess,
    ForumKind,
    Membership,
    MembershipRole,
)

# The roles of the authorization matrix, in the order its table lists them.
ROLES = ("anonymous", "admin", "unhcr", "state", "ngo", "refugee", "rsf", "other")


@pytest.fixture(autouse=True, scope="session")
def _static_files_found_on_demand() -> Iterator[None]:
    """Whitenoise looks static files up per request instead of scanning them all.

    pytest-django gives every test a new Client, whose handler loads the
    middleware again; with the finders on (outside production) whitenoise would
    walk every static file each time, about a tenth of a second per test.
    """
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_mfa_required_by_default() -> Iterator[None]:
    """No role must use a second factor unless a test says so (as under RESETTLE_ENV=test).

    The suite signs staff in without an authenticator app everywhere; a bare
    `pytest`, without RESETTLE_ENV=test, would otherwise run with the
    development default (staff roles). The accounts tests turn it on.
    """
    with override_settings(RESETTLE_MFA_REQUIRED_ROLES=[]):
        yield


# ---- countries ---------------------------------------------------------------
#
# The world is built with few queries (bulk inserts): the authorization matrix
# builds it again for every one of its several hundred cases.


@pytest.fixture
def countries(db: None) -> dict[str, Country]:
    """Germany and Canada (loaded by the countries data migration), by ISO code."""
    return Country.objects.in_bulk(["DEU", "CAN"], field_name="iso3")


@pytest.fixture
def deu(countries: dict[str, Country]) -> Country:
    """Germany."""
    return countries["DEU"]


@pytest.fixture
def can(countries: dict[str, Country]) -> Country:
    """Canada."""
    return countries["CAN"]


# ---- organisations -----------------------------------------------------------


@pytest.fixture
def orgs(countries: dict[str, Country]) -> dict[str, Organisation]:
    """One organisation of each kind the tests need, by fixture name."""
    deu, can = countries["DEU"], countries["CAN"]
    k = OrganisationKind
    rows = {
        # UNHCR runs the secretariat of both forums.
        "unhcr_org": ("UN Refugee Agency", "UNHCR", k.UN, None),
        # Germany's government body for resettlement.
        "state_org": ("Federal Office for Migration and Refugees", "BAMF", k.STATE, deu),
        "ngo_org": ("Caritas Germany", "CG", k.NGO, deu),
        "refugee_org": ("Refugee Voices Germany", "RVG", k.REFUGEE_LED, deu),
        "rsf_org": ("Resettlement Support Facility", "RSF", k.INTERNATIONAL, None),
        # A Canadian NGO that takes part in no forum.
        "other_org": ("Canadian Council for Refugees", "CCR", k.NGO, can),
        # Canada's government body (for co-chairs from two States).
        "can_state_org": ("Immigration, Refugees and Citizenship Canada", "IRCC", k.STATE, can),
    }
    created = Organisation.objects.bulk_create(
        Organisation(name=name, acronym=acronym, kind=kind, country=country)
        for name, acronym, kind, country in rows.values()
    )
    return dict(zip(rows, created, strict=True))


@pytest.fixture
def unhcr_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["unhcr_org"]


@pytest.fixture
def state_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["state_org"]


@pytest.fixture
def ngo_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["ngo_org"]


@pytest.fixture
def refugee_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["refugee_org"]


@pytest.fixture
def rsf_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["rsf_org"]


@pytest.fixture
def other_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["other_org"]


@pytest.fixture
def can_state_org(orgs: dict[str, Organisation]) -> Organisation:
    return orgs["can_state_org"]


# ---- users -------------------------------------------------------------------


def make_user(username: str, role: str, organisation: Organisation | None, **extra: Any) -> User:
    """A user without a usable password (tests sign in with force_login)."""
    return User.objects.create_user(
        username, f"{username}@example.org", None, organisation=organisation, role=role, **extra
    )


@pytest.fixture
def users(orgs: dict[str, Organisation]) -> dict[str, User | None]:
    """One user per role, `other` (an NGO user of an organisation in no forum), and
    None for the anonymous visitor. The administrator has no organisation."""
    rows = {
        "admin": (Role.ADMIN, None),
        "unhcr": (Role.UNHCR, orgs["unhcr_org"]),
        "state": (Role.STATE, orgs["state_org"]),
        "ngo": (Role.NGO, orgs["ngo_org"]),
        "refugee": (Role.REFUGEE, orgs["refugee_org"]),
        "rsf": (Role.RSF, orgs["rsf_org"]),
        "other": (Role.NGO, orgs["other_org"]),
    }
    password = make_password(None)  # unusable
    created = User.objects.bulk_create(
        User(
            username=name,
            email=f"{name}@example.org",
            password=password,
            role=role,
            organisation=org,
        )
        for name, (role, org) in rows.items()
    )
    return {"anonymous": None, **dict(zip(rows, created, strict=True))}


@pytest.fixture
def admin_user(users: dict[str, User]) -> User:
    """A platform administrator (no organisation)."""
    return users["admin"]


@pytest.fixture
def unhcr_user(users: dict[str, User]) -> User:
    return users["unhcr"]


@pytest.fixture
def state_user(users: dict[str, User]) -> User:
    return users["state"]


@pytest.fixture
def ngo_user(users: dict[str, User]) -> User:
    return users["ngo"]


@pytest.fixture
def refugee_user(users: dict[str, User]) -> User:
    return users["refugee"]


@pytest.fixture
def rsf_user(users: dict[str, User]) -> User:
    return users["rsf"]


@pytest.fixture
def other_user(users: dict[str, User]) -> User:
    """An NGO user of an organisation that is in no forum."""
    return users["other"]


# ---- directory records -------------------------------------------------------


@pytest.fixture
def person(ngo_org: Organisation) -> Person:
    """A contact of the German NGO."""
    return Person.objects.create(
        given_name="Anna", family_name="Schmidt", organisation=ngo_org, languages="de, en"
    )


# ---- forums, memberships, cycles --------------------------------------------


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def forums(orgs: dict[str, Organisation], today: datetime.date) -> dict[str, Any]:
    """Both forums and their memberships (see the module docstring)."""
    public, members = Forum.objects.bulk_create(
        [
            Forum(
                name="Consultations on Resettlement and Complementary Pathways",
                acronym="CRCP",
                kind=ForumKind.CONSULTATION,
                access=ForumAccess.PUBLIC,
                established_year=1995,
            ),
            Forum(
                name="Working Group on Resettlement",
                acronym="WGR",
                kind=ForumKind.WORKING_GROUP,
                access=ForumAccess.MEMBERS,
            ),
        ]
    )
    unhcr, state, ngo = orgs["unhcr_org"], orgs["state_org"], orgs["ngo_org"]
    Forum.chairs.through.objects.create(forum=public, organisation=state)
    Forum.secretariat.through.objects.bulk_create(
        Forum.secretariat.through(forum=forum, organisation=unhcr) for forum in (public, members)
    )
    long_ago, lately = today - datetime.timedelta(days=400), today - datetime.timedelta(days=200)
    r = MembershipRole
    memberships = Membership.objects.bulk_create(
        Membership(forum=forum, organisation=org, role=role, start_date=start)
        for forum, org, role, start in (
            (public, state, r.CHAIR, long_ago),
            (public, ngo, r.MEMBER, long_ago),
            (public, orgs["refugee_org"], r.MEMBER, long_ago),
            (members, ngo, r.CO_CHAIR, lately),
            (members, state, r.MEMBER, lately),
        )
    )
    return {
        "public_forum": public,
        "members_forum": members,
        "public_membership": memberships[1],
        "members_membership": memberships[4],
    }


@pytest.fixture
def public_forum(forums: dict[str, Any]) -> Forum:
    """A public consultation chaired by Germany, with UNHCR's secretariat; the German
    NGO and the refugee-led organisation are members."""
    forum: Forum = forums["public_forum"]
    return forum


@pytest.fixture
def members_forum(forums: dict[str, Any]) -> Forum:
    """A members-only working group: NGO co-chair, State member, UNHCR secretariat."""
    forum: Forum = forums["members_forum"]
    return forum


@pytest.fixture
def public_membership(forums: dict[str, Any]) -> Membership:
    """The German NGO's ordinary membership of the public consultation."""
    membership: Membership = forums["public_membership"]
    return membership


@pytest.fixture
def members_membership(forums: dict[str, Any]) -> Membership:
    """The German State's membership of the members-only working group."""
    membership: Membership = forums["members_membership"]
    return membership


@pytest.fixture
def cycle(
    public_forum: Forum,
    deu: Country,
    state_org: Organisation,
    ngo_org: Organisation,
    today: datetime.date,
) -> ConsultationCycle:
    """This year's cycle, co-chaired by Germany's government and a German NGO."""
    return ConsultationCycle.objects.create(
        forum=public_forum,
        start_year=today.year,
        end_year=today.year,
        state=deu,
        government_cochair=state_org,
        ngo_cochair=ngo_org,
        theme="Partnerships",
    )


@pytest.fixture
def world(
    *,
    users: dict[str, User | None],
    countries: dict[str, Country],
    orgs: dict[str, Organisation],
    forums: dict[str, Any],
    person: Person,
    cycle: ConsultationCycle,
    today: datetime.date,
) -> SimpleNamespace:
    """Everything above in one namespace (the authorization matrix builds URLs from it):
    users, deu, can, each organisation, person, both forums and memberships, cycle."""
    return SimpleNamespace(
        users=users,
        deu=countries["DEU"],
        can=countries["CAN"],
        **orgs,
        **forums,
        person=person,
        cycle=cycle,
        today=today,
    )


# ---- clients and tokens ------------------------------------------------------


@pytest.fixture
def login() -> Callable[[Client, User | None], Client]:
    """Sign a test client in as a user (None leaves it anonymous)."""

    def _login(client: Client, user: User | None) -> Client:
        if user is not None:
            client.force_login(user)
        return client

    return _login


def make_token(user: User, name: str = "t") -> str:
    """Create an API token for a user and return the raw token."""
    raw = ApiToken.new_raw_token()
    token = ApiToken(user=user, name=name)
    token.set_raw(raw)
    token.save()
    return raw


@pytest.fixture
def api_token() -> Callable[[User], str]:
    """A function giving a fresh raw API token for a user."""
    return make_token


@pytest.fixture
def bearer() -> Callable[[User | None], dict[str, str]]:
    """Headers authenticating as a user with a fresh bearer token ({} for anonymous)."""

    def _bearer(user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        return {"Authorization": f"Bearer {make_token(user)}"}

    return _bearer
