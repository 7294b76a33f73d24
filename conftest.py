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


# ---- countries ---------------------------------------------------------------


@pytest.fixture
def deu(db: None) -> Country:
    """Germany (loaded by the countries data migration)."""
    return Country.objects.get(iso3="DEU")


@pytest.fixture
def can(db: None) -> Country:
    """Canada."""
    return Country.objects.get(iso3="CAN")


# ---- organisations -----------------------------------------------------------


def _org(name: str, kind: str, country: Country | None, acronym: str = "") -> Organisation:
    return Organisation.objects.create(name=name, acronym=acronym, kind=kind, country=country)


@pytest.fixture
def unhcr_org(db: None) -> Organisation:
    """UNHCR, which runs the secretariat of both forums."""
    return _org("UN Refugee Agency", OrganisationKind.UN, None, "UNHCR")


@pytest.fixture
def state_org(deu: Country) -> Organisation:
    """Germany's government body for resettlement."""
    return _org("Federal Office for Migration and Refugees", OrganisationKind.STATE, deu, "BAMF")


@pytest.fixture
def ngo_org(deu: Country) -> Organisation:
    """A German NGO."""
    return _org("Caritas Germany", OrganisationKind.NGO, deu, "CG")


@pytest.fixture
def refugee_org(deu: Country) -> Organisation:
    """A refugee-led organisation in Germany."""
    return _org("Refugee Voices Germany", OrganisationKind.REFUGEE_LED, deu, "RVG")


@pytest.fixture
def rsf_org(db: None) -> Organisation:
    """The Resettlement Support Facility."""
    return _org("Resettlement Support Facility", OrganisationKind.INTERNATIONAL, None, "RSF")


@pytest.fixture
def other_org(can: Country) -> Organisation:
    """A Canadian NGO that takes part in no forum."""
    return _org("Canadian Council for Refugees", OrganisationKind.NGO, can, "CCR")


@pytest.fixture
def can_state_org(can: Country) -> Organisation:
    """Canada's government body (for co-chairs from two States)."""
    return _org(
        "Immigration, Refugees and Citizenship Canada", OrganisationKind.STATE, can, "IRCC"
    )


# ---- users -------------------------------------------------------------------


def make_user(username: str, role: str, organisation: Organisation | None, **extra: Any) -> User:
    """A user without a usable password (tests sign in with force_login)."""
    return User.objects.create_user(
        username, f"{username}@example.org", None, organisation=organisation, role=role, **extra
    )


@pytest.fixture
def admin_user(db: None) -> User:
    """A platform administrator (no organisation)."""
    return make_user("admin", Role.ADMIN, None)


@pytest.fixture
def unhcr_user(unhcr_org: Organisation) -> User:
    return make_user("unhcr", Role.UNHCR, unhcr_org)


@pytest.fixture
def state_user(state_org: Organisation) -> User:
    return make_user("state", Role.STATE, state_org)


@pytest.fixture
def ngo_user(ngo_org: Organisation) -> User:
    return make_user("ngo", Role.NGO, ngo_org)


@pytest.fixture
def refugee_user(refugee_org: Organisation) -> User:
    return make_user("refugee", Role.REFUGEE, refugee_org)


@pytest.fixture
def rsf_user(rsf_org: Organisation) -> User:
    return make_user("rsf", Role.RSF, rsf_org)


@pytest.fixture
def other_user(other_org: Organisation) -> User:
    """An NGO user of an organisation that is in no forum."""
    return make_user("other", Role.NGO, other_org)


@pytest.fixture
def users(
    admin_user: User,
    unhcr_user: User,
    state_user: User,
    ngo_user: User,
    refugee_user: User,
    rsf_user: User,
    other_user: User,
) -> dict[str, User | None]:
    """Every role of the matrix, with None for the anonymous visitor."""
    return {
        "anonymous": None,
        "admin": admin_user,
        "unhcr": unhcr_user,
        "state": state_user,
        "ngo": ngo_user,
        "refugee": refugee_user,
        "rsf": rsf_user,
        "other": other_user,
    }


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
def public_forum(
    state_org: Organisation, unhcr_org: Organisation, ngo_org: Organisation,
    refugee_org: Organisation, today: datetime.date,
) -> Forum:
    """A public consultation chaired by Germany, with UNHCR's secretariat."""
    forum = Forum.objects.create(
        name="Consultations on Resettlement and Complementary Pathways",
        acronym="CRCP",
        kind=ForumKind.CONSULTATION,
        access=ForumAccess.PUBLIC,
        established_year=1995,
    )
    forum.chairs.set([state_org])
    forum.secretariat.set([unhcr_org])
    start = today - datetime.timedelta(days=400)
    for org, role in (
        (state_org, MembershipRole.CHAIR),
        (ngo_org, MembershipRole.MEMBER),
        (refugee_org, MembershipRole.MEMBER),
    ):
        Membership.objects.create(forum=forum, organisation=org, role=role, start_date=start)
    return forum


@pytest.fixture
def members_forum(
    unhcr_org: Organisation, ngo_org: Organisation, state_org: Organisation, today: datetime.date
) -> Forum:
    """A members-only working group: NGO co-chair, State member, UNHCR secretariat."""
    forum = Forum.objects.create(
        name="Working Group on Resettlement",
        acronym="WGR",
        kind=ForumKind.WORKING_GROUP,
        access=ForumAccess.MEMBERS,
    )
    forum.secretariat.set([unhcr_org])
    start = today - datetime.timedelta(days=200)
    Membership.objects.create(
        forum=forum, organisation=ngo_org, role=MembershipRole.CO_CHAIR, start_date=start
    )
    Membership.objects.create(
        forum=forum, organisation=state_org, role=MembershipRole.MEMBER, start_date=start
    )
    return forum


@pytest.fixture
def public_membership(public_forum: Forum, ngo_org: Organisation) -> Membership:
    """The German NGO's ordinary membership of the public consultation."""
    return Membership.objects.get(forum=public_forum, organisation=ngo_org)


@pytest.fixture
def members_membership(members_forum: Forum, state_org: Organisation) -> Membership:
    """The German State's membership of the members-only working group."""
    return Membership.objects.get(forum=members_forum, organisation=state_org)


@pytest.fixture
def cycle(
    public_forum: Forum, deu: Country, state_org: Organisation, ngo_org: Organisation,
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
    users: dict[str, User | None],
    deu: Country,
    can: Country,
    unhcr_org: Organisation,
    state_org: Organisation,
    ngo_org: Organisation,
    refugee_org: Organisation,
    rsf_org: Organisation,
    other_org: Organisation,
    can_state_org: Organisation,
    person: Person,
    public_forum: Forum,
    members_forum: Forum,
    public_membership: Membership,
    members_membership: Membership,
    cycle: ConsultationCycle,
    today: datetime.date,
) -> SimpleNamespace:
    """Everything above in one namespace (the authorization matrix builds URLs from it)."""
    return SimpleNamespace(**{k: v for k, v in locals().items()})


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
