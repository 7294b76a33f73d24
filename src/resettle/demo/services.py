"""Loading the demo dataset of `resettle.demo.data` into the database.

`do_load_demo` is idempotent: each record is looked up by its natural key and
created only when missing; a record that exists is left exactly as it is, so
edits made through the platform survive a second load. Every row it creates
goes through `core.audit.save_with_audit` and so has its audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from resettle.accounts.models import User
from resettle.accounts.services import do_create_user
from resettle.allocation.demo import load_allocation_demo
from resettle.capacity.demo import load_capacity_demo
from resettle.cases.demo import load_cases_demo
from resettle.commitments.demo import load_commitments_demo
from resettle.core.access import require
from resettle.core.audit import save_with_audit
from resettle.demo import data
from resettle.directory.models import Country, Organisation, Person, StateProfile
from resettle.documents.demo import load_documents_demo
from resettle.forums.models import ConsultationCycle, Forum, Membership
from resettle.governance.demo import load_governance_demo
from resettle.library.demo import load_library_demo
from resettle.meetings.demo import load_meetings_demo
from resettle.needs.demo import load_needs_demo
from resettle.needs.demo_situations import load_demo_situations
from resettle.pipeline.demo import load_pipeline_demo
from resettle.pscg.demo import load_pscg_demo
from resettle.records.demo import load_records_demo
from resettle.registrations.demo import load_registrations_demo
from resettle.rsf.demo import load_rsf_demo


class DemoDataError(ImproperlyConfigured):
    """The demo dataset cannot be loaded into this database as it stands."""


@dataclass
class DemoReport:
    """How many rows of each kind a load created (zero everywhere on a second load)."""

    state_profiles: int = 0
    organisations: int = 0
    people: int = 0
    forums: int = 0
    cycles: int = 0
    memberships: int = 0
    users: int = 0
    datasets: int = 0
    meetings: int = 0
    registrations: int = 0
    documents: int = 0
    records: int = 0
    governance: int = 0
    commitments: int = 0
    situations: int = 0
    capacity: int = 0
    cases: int = 0
    allocation: int = 0
    library: int = 0
    pipeline: int = 0
    rsf: int = 0

    @property
    def total(self) -> int:
        """All rows created."""
        return sum(self.counts().values())

    def counts(self) -> dict[str, int]:
        """Created rows by kind, in loading order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def demo_usernames() -> list[str]:
    """The usernames of the demo accounts, one per role."""
    return [spec.username for spec in data.USERS]


def demo_users_exist() -> bool:
    """Whether every demo account is already in the database."""
    names = demo_usernames()
    return User.objects.filter(username__in=names).count() == len(names)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, organisation) of each demo account in the database.

    Read from the database rather than the data module, so the listing shows
    the accounts as they are now.
    """
    users = {
        user.username: user
        for user in User.objects.filter(username__in=demo_usernames()).select_related(
            "organisation"
        )
    }
    logins = []
    for spec in data.USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        org = str(user.organisation) if user.organisation else "no organisation"
        logins.append((user.username, str(user.get_role_display()), org))
    return logins


class _Loader:
    """One load: the rows found or created so far, by their keys in the data module."""

    def __init__(self, actor: User | None, today: datetime.date) -> None:
        self.actor = actor
        self.today = today
        self.report = DemoReport()
        self.countries: dict[str, Country] = {}
        self.orgs: dict[str, Organisation] = {}
        self.forums: dict[str, Forum] = {}
        self.people: dict[str, Person] = {}

    # -- countries and State profiles ---------------------------------------------

    def load_countries(self) -> None:
        """Fetch every country the dataset names; fail if any is missing."""
        wanted = {state.iso3 for state in data.STATES}
        wanted |= {org.country for org in data.INTERNATIONAL if org.country}
        wanted |= {cycle.state for cycle in data.CYCLES}
        self.countries = {c.iso3: c for c in Country.objects.filter(iso3__in=wanted)}
        missing = sorted(wanted - set(self.countries))
        if missing:
            # Countries come from a migration; without them the database is not ready.
            raise DemoDataError(
                "Countries missing from the database: "
                + ", ".join(missing)
                + ". Run `resettle migrate` first."
            )

    def state_profile(self, spec: data.StateSpec) -> None:
        """Create a State's resettlement profile unless it has one."""
        country = self.countries[spec.iso3]
        if StateProfile.objects.filter(country=country).exists():
            return
        save_with_audit(
            StateProfile(),
            {
                "country": country,
                "programme_stage": spec.stage,
                "first_resettlement_year": spec.first_year,
                "notes": spec.notes,
            },
            actor=self.actor,
        )
        self.report.state_profiles += 1

    # -- organisations and people --------------------------------------------------

    def organisation(self, spec: data.OrgSpec) -> Organisation:
        """Find an organisation by name and country, or create it."""
        country = self.countries[spec.country] if spec.country else None
        found = Organisation.objects.filter(name=spec.name, country=country).first()
        if found is None:
            found = save_with_audit(
                Organisation(),
                {
                    "name": spec.name,
                    "acronym": spec.acronym,
                    "kind": spec.kind,
                    "country": country,
                    "website": spec.website,
                    "description": spec.description,
                    "parent": self.orgs[spec.parent] if spec.parent else None,
                    "maintained_by": self.orgs[spec.maintained_by] if spec.maintained_by else None,
                },
                actor=self.actor,
            )
            self.report.organisations += 1
        self.orgs[spec.key] = found
        return found

    def person(self, spec: data.PersonSpec) -> Person:
        """Find a contact by name and organisation, or create it."""
        org = self.orgs[spec.organisation]
        found = Person.objects.filter(
            given_name=spec.given_name, family_name=spec.family_name, organisation=org
        ).first()
        if found is None:
            found = save_with_audit(
                Person(),
                {
                    "given_name": spec.given_name,
                    "family_name": spec.family_name,
                    "organisation": org,
                    "title": spec.title,
                    "email": spec.email,
                    "languages": spec.languages,
                    "is_refugee_representative": spec.is_refugee_representative,
                },
                actor=self.actor,
            )
            self.report.people += 1
        self.people[spec.key] = found
        return found

    # -- forums, cycles, memberships ----------------------------------------------

    def forum(self, spec: data.ForumSpec) -> Forum:
        """Find a forum by name, or create it with its chairs and secretariat."""
        found = Forum.objects.filter(name=spec.name).first()
        if found is None:
            found = save_with_audit(
                Forum(),
                {
                    "name": spec.name,
                    "acronym": spec.acronym,
                    "kind": spec.kind,
                    "parent": self.forums[spec.parent] if spec.parent else None,
                    "established_year": spec.established_year,
                    "mandate_years": spec.mandate_years,
                    "access": spec.access,
                    "working_languages": spec.working_languages,
                    "description": spec.description,
                },
                actor=self.actor,
                m2m={
                    "chairs": [self.orgs[key] for key in spec.chairs],
                    "secretariat": [self.orgs[key] for key in spec.secretariat],
                },
            )
            self.report.forums += 1
        self.forums[spec.key] = found
        return found

    def cycle(self, spec: data.CycleSpec) -> None:
        """Create a CRCP cycle unless one starts that year."""
        forum = self.forums[data.CYCLE_FORUM]
        if ConsultationCycle.objects.filter(forum=forum, start_year=spec.start_year).exists():
            return
        save_with_audit(
            ConsultationCycle(),
            {
                "forum": forum,
                "start_year": spec.start_year,
                "end_year": spec.end_year,
                "state": self.countries[spec.state],
                "government_cochair": self.orgs[spec.government],
                "ngo_cochair": self.orgs[spec.ngo],
                "notes": spec.notes,
            },
            actor=self.actor,
        )
        self.report.cycles += 1

    def membership(self, spec: data.MembershipSpec) -> None:
        """Create a membership unless the same seat with the same start exists."""
        forum = self.forums[spec.forum]
        org = self.orgs[spec.organisation] if spec.organisation else None
        person = self.people[spec.person] if spec.person else None
        exists = Membership.objects.filter(
            forum=forum,
            organisation=org,
            person=person,
            role=spec.role,
            start_date=spec.start,
        ).exists()
        if exists:
            return
        end = spec.end
        if spec.ends_in_days is not None:
            end = self.today + datetime.timedelta(days=spec.ends_in_days)
        save_with_audit(
            Membership(),
            {
                "forum": forum,
                "organisation": org,
                "person": person,
                "role": spec.role,
                "start_date": spec.start,
                "end_date": end,
                "notes": spec.notes,
            },
            actor=self.actor,
        )
        self.report.memberships += 1

    # -- users --------------------------------------------------------------------

    def user(self, spec: data.UserSpec) -> None:
        """Create a demo account unless the username is taken."""
        if User.objects.filter(username=spec.username).exists():
            return
        do_create_user(
            username=spec.username,
            password=data.DEMO_PASSWORD,
            role=spec.role,
            organisation=self.orgs[spec.organisation] if spec.organisation else None,
            person=self.people[spec.person] if spec.person else None,
            is_superuser=spec.is_superuser,
            actor=self.actor,
        )
        self.report.users += 1


@transaction.atomic
def do_load_demo(*, actor: User | None = None) -> DemoReport:
    """Load the demo dataset, creating only what is missing; say what was created.

    `actor` None records the rows as written by "system" (the command line);
    a signed-in actor must be a platform administrator. Raises DemoDataError
    when the countries have not been loaded, ValidationError if a record of
    the dataset breaks a model rule; either way nothing is written.
    """
    require(actor is None or (actor.is_active and actor.is_platform_admin), "demo")
    loader = _Loader(actor, timezone.localdate())
    loader.load_countries()
    for state in data.STATES:
        loader.state_profile(state)
        loader.organisation(state.government)
        for ngo in state.ngos:
            loader.organisation(ngo)
    for org in data.INTERNATIONAL:
        loader.organisation(org)
    for person in data.PEOPLE:
        loader.person(person)
    for forum in data.FORUMS:
        loader.forum(forum)
    for cycle in data.CYCLES:
        loader.cycle(cycle)
    for membership in data.MEMBERSHIPS:
        loader.membership(membership)
    for user in data.USERS:
        loader.user(user)
    # Needs, pledges and departures: each series imported unless unchanged.
    loader.report.datasets = load_needs_demo(actor)
    load_demo_situations(actor)  # priority situations (PSCG), reference data of the gap
    loader.report.cases = load_cases_demo()
    loader.report.allocation = load_allocation_demo()
    # The work of the forums, each app building on the ones before it.
    report = loader.report
    report.meetings = load_meetings_demo()
    report.registrations = load_registrations_demo()
    report.documents = load_documents_demo()
    report.records = load_records_demo()
    report.governance = load_governance_demo()
    report.commitments = load_commitments_demo()
    report.situations = load_pscg_demo()
    report.capacity = load_capacity_demo()
    report.library = load_library_demo()
    # The facility's operations, on the cases the allocation run proposed.
    report.pipeline = load_pipeline_demo()
    report.rsf = load_rsf_demo()
    return report
