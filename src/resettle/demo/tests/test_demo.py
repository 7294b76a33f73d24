"""The demo dataset: idempotent, audited, one working login per role, true to the brief."""

from __future__ import annotations

import ast
import datetime
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.models import AuditAction, AuditEntry
from resettle.demo import data
from resettle.demo.services import DemoReport, demo_logins, do_load_demo
from resettle.directory.models import Country, Organisation, Person, StateProfile
from resettle.forums.models import ConsultationCycle, Forum, ForumKind, Membership
from resettle.needs.models import Population, PrioritySituation, SituationArea

pytestmark = pytest.mark.django_db

# The apps of the forums' work, whose demo records are created through audited services.
WORK_APPS = (
    "meetings",
    "registrations",
    "documents",
    "records",
    "governance",
    "commitments",
    "pscg",
    "capacity",
    "cases",
    "allocation",
    "library",
    "pipeline",
    "rsf",
)
# Computed content written in bulk with the record that is audited: an allocation
# run's inputs and assignments, a schedule's appointments and logistics, and the
# library's search text.
COMPUTED = {
    ("allocation", "RunInput"),
    ("allocation", "RunAssignment"),
    ("rsf", "Appointment"),
    ("rsf", "TransportTrip"),
    ("rsf", "Accommodation"),
    ("library", "LibraryText"),
}
MODELS = (
    *(
        model
        for label in WORK_APPS
        for model in django_apps.get_app_config(label).get_models()
        if (model._meta.app_label, model.__name__) not in COMPUTED
    ),
    StateProfile,
    Organisation,
    Person,
    Forum,
    ConsultationCycle,
    Membership,
    User,
    PrioritySituation,
    SituationArea,
)

# The published co-chairs (domain brief, section 4): start year -> (end year,
# State, government co-chair, NGO co-chair).
PUBLISHED_CYCLES = {
    2018: (2018, "DEU", "Federal Office for Migration and Refugees", "Caritas Germany"),
    2019: (
        2020,
        "CAN",
        "Immigration, Refugees and Citizenship Canada",
        "Canadian Council for Refugees",
    ),
    2020: (2021, "CHE", "State Secretariat for Migration", "Swiss Refugee Council"),
    2021: (
        2022,
        "USA",
        "Bureau of Population, Refugees, and Migration, U.S. Department of State",
        "Refugee Council USA",
    ),
    2022: (
        2023,
        "IRL",
        "Department of Children, Equality, Disability, Integration and Youth – "
        "Irish Refugee Protection Programme",
        "Nasc",
    ),
    2023: (2024, "AUS", "Department of Home Affairs", "Refugee Council of Australia"),
    2024: (2025, "ESP", "Ministry of Inclusion, Social Security and Migration", "Accem"),
}


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    """A cheap password hasher: the demo creates six accounts."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="class")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoReport]:
    """The demo loaded once for a class of tests, rolled back after its last test.

    Loading takes a second or two; each test still runs in its own savepoint
    inside this transaction, so what one test changes the next does not see.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield do_load_demo()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    """Rows of every model the demo writes, and of the audit log."""
    result = {model.__name__: model.objects.count() for model in MODELS}
    result["AuditEntry"] = AuditEntry.objects.count()
    return result


def crcp() -> Forum:
    """The consultations (formerly the ATCR)."""
    return Forum.objects.get(acronym="CRCP")


# ---- on an empty database ---------------------------------------------------------


def test_loading_twice_changes_nothing() -> None:
    first = do_load_demo()
    after_first = counts()
    second = do_load_demo()

    assert first.total > 0
    assert second.total == 0
    assert counts() == after_first


def test_a_missing_country_fails_clearly_and_writes_nothing() -> None:
    # The NOR population refers to the country; remove it first, as a database
    # that never loaded it would lack both.
    Population.objects.filter(code="NOR").delete()
    Country.objects.filter(iso3="NOR").delete()

    with pytest.raises(CommandError, match=r"NOR.*resettle migrate"):
        call_command("demo", stdout=StringIO())

    assert all(count == 0 for count in counts().values())


def test_demo_command_prints_what_it_created_and_the_logins() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()

    assert "Created:" in text
    assert f"{len(data.STATES)} resettlement State profiles" in text
    logins = demo_logins()
    assert len(logins) == len(Role)
    for username, role, organisation in logins:
        assert f"{username} / {data.DEMO_PASSWORD} — {role} — {organisation}" in text

    again = StringIO()
    call_command("demo", stdout=again)
    assert "nothing to create" in again.getvalue()


def test_demo_once_skips_loading_when_the_users_exist() -> None:
    call_command("demo", "--once", stdout=StringIO())
    # A record the full load would recreate, gone: --once must not bring it back.
    Membership.objects.filter(forum__acronym="RSF").delete()
    before = counts()

    out = StringIO()
    call_command("demo", "--once", stdout=out)

    assert counts() == before
    assert "already loaded" in out.getvalue()
    assert f"admin / {data.DEMO_PASSWORD}" in out.getvalue()


def test_demo_command_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("demo", stdout=StringIO())
    assert User.objects.count() == 0


# ---- on the loaded demo (one load per class, each test in its own savepoint) ------


@pytest.mark.usefixtures("loaded")
class TestLoadedDemo:
    """Checks of the dataset as loaded."""

    def test_counts_match_the_dataset(self, loaded: DemoReport) -> None:
        assert loaded.state_profiles == len(data.STATES) >= 35
        assert loaded.forums == len(data.FORUMS)
        assert loaded.cycles == len(data.CYCLES)
        assert loaded.memberships == len(data.MEMBERSHIPS)
        assert loaded.people == len(data.PEOPLE)
        assert loaded.users == len(data.USERS) == len(Role)
        assert loaded.organisations == Organisation.objects.count()

    def test_a_second_load_creates_nothing_and_audits_nothing(self) -> None:
        before = counts()

        assert do_load_demo().total == 0
        assert counts() == before

    def test_every_created_row_has_one_system_audit_entry(self) -> None:
        entries = AuditEntry.objects.filter(action=AuditAction.CREATE)
        assert entries.count() == sum(model.objects.count() for model in MODELS)
        assert set(entries.values_list("actor_repr", flat=True)) == {"system"}
        for user in User.objects.all():
            (entry,) = AuditEntry.objects.for_object(user)
            assert "password" not in entry.after
            assert user.password not in str(entry.after)

    def test_existing_records_are_left_as_they_are(self) -> None:
        org = Organisation.objects.get(acronym="BAMF")
        org.description = "Edited by a user."
        org.save()
        user = User.objects.get(username="ngo")
        user.email = "edited@example.org"
        user.set_password("changed-by-its-owner-2026")
        user.save()
        forum = crcp()
        forum.chairs.clear()
        before = counts()

        do_load_demo()

        assert Organisation.objects.get(pk=org.pk).description == "Edited by a user."
        user.refresh_from_db()
        assert user.email == "edited@example.org"
        assert user.check_password("changed-by-its-owner-2026")
        assert not forum.chairs.exists()
        assert counts() == before

    def test_only_administrators_load_it_as_an_actor(self) -> None:
        with pytest.raises(PermissionDenied):
            do_load_demo(actor=User.objects.get(username="ngo"))
        assert do_load_demo(actor=User.objects.get(username="admin")).total == 0

    # -- demo users --

    def test_every_role_has_a_demo_user_who_can_log_in(self) -> None:
        demo_names = [spec.username for spec in data.USERS]
        for role in Role:
            user = User.objects.get(role=role, username__in=demo_names)
            assert user.is_active
            assert Client().login(username=user.username, password=data.DEMO_PASSWORD), role

    def test_demo_users_are_tied_to_the_right_records(self) -> None:
        users = {user.username: user for user in User.objects.select_related("organisation")}

        admin = users["admin"]
        assert admin.is_superuser and admin.is_staff and admin.is_platform_admin
        assert users["unhcr"].organisation.acronym == "UNHCR"

        state = users["state"]
        assert state.organisation.kind == "state"
        assert StateProfile.objects.filter(country=state.organisation.country).exists()

        ngo = users["ngo"].organisation
        assert ConsultationCycle.objects.filter(ngo_cochair=ngo).exists()
        assert crcp().chairs.filter(pk=ngo.pk).exists()

        refugee = users["refugee"]
        assert refugee.organisation.kind == "refugee_led"
        assert refugee.person is not None and refugee.person.is_refugee_representative
        assert refugee.person.organisation == refugee.organisation
        rag = Forum.objects.get(acronym="RAG")
        assert rag.memberships.current().filter(person=refugee.person).exists()

        rsf = users["rsf"].organisation
        assert rsf.acronym == "ICMC"
        assert Forum.objects.get(acronym="RSF").secretariat.filter(pk=rsf.pk).exists()

    def test_demo_logins_list_one_line_per_role(self) -> None:
        logins = demo_logins()

        assert [username for username, _, _ in logins] == [u.username for u in data.USERS]
        bamf = "Federal Office for Migration and Refugees (BAMF)"
        assert ("state", "State official", bamf) in logins

    # -- the CRCP and its cycles --

    def test_crcp_cycles_have_the_published_cochairs_and_are_valid(self) -> None:
        forum = crcp()
        assert forum.name == "Consultations on Resettlement and Complementary Pathways"
        assert forum.kind == ForumKind.CONSULTATION
        assert "ATCR" in forum.description and "2024" in forum.description

        cycles = {c.start_year: c for c in ConsultationCycle.objects.filter(forum=forum)}
        for start, (end, iso3, government, ngo) in PUBLISHED_CYCLES.items():
            cycle = cycles[start]
            assert (cycle.end_year, cycle.state.iso3) == (end, iso3)
            assert cycle.government_cochair.name == government
            assert cycle.ngo_cochair.name == ngo
            assert cycle.government_cochair.country == cycle.state == cycle.ngo_cochair.country
        for cycle in cycles.values():
            cycle.full_clean()

        assert cycles[2018].label == "2018"
        assert cycles[2024].label == "2024-25"
        planned = [c for c in cycles.values() if c.start_year not in PUBLISHED_CYCLES]
        assert [c.start_year for c in planned] == [2027]
        assert "Illustrative demo entry, not a published decision." in planned[0].notes

    def test_forums_of_the_brief_are_there(self) -> None:
        by_acronym = {f.acronym: f for f in Forum.objects.exclude(acronym="")}

        assert by_acronym["WGR"].parent == by_acronym["CRCP"]
        assert by_acronym["RAG"].parent == by_acronym["CRCP"]
        assert by_acronym["PSCG"].access == "members"
        pscg_secretariat = by_acronym["PSCG"].secretariat.values_list("acronym", flat=True)
        assert list(pscg_secretariat) == ["UNHCR"]
        crisp = by_acronym["CRISP"]
        assert set(crisp.secretariat.values_list("acronym", flat=True)) == {"UNHCR", "IOM"}
        assert crisp.established_year == 2020
        steering = Forum.objects.get(kind=ForumKind.STEERING_COMMITTEE)
        assert (steering.established_year, steering.mandate_years) == (2021, 2)
        network = Forum.objects.get(name="EUAA Resettlement and Humanitarian Admission Network")
        assert network.established_year == 2020
        assert network.children.get().kind == ForumKind.THEMATIC_WORKING_GROUP
        for forum in Forum.objects.all():
            forum.full_clean()

    # -- memberships --

    def test_some_mandates_end_within_sixty_days(self) -> None:
        assert Membership.objects.ending_within(60).count() >= 2

    def test_steering_committee_has_past_and_current_members(self) -> None:
        steering = Forum.objects.get(kind=ForumKind.STEERING_COMMITTEE).memberships

        past = steering.past()
        assert past.exists()
        assert set(past.values_list("start_date", "end_date")) == {
            (datetime.date(2021, 1, 1), datetime.date(2022, 12, 31))
        }
        assert steering.current().exists()

    def test_rag_members_are_refugee_representatives(self) -> None:
        rag = Forum.objects.get(acronym="RAG")

        assert rag.memberships.current().count() >= 2
        for membership in rag.memberships.all():
            assert membership.person is not None
            assert membership.person.is_refugee_representative

    def test_all_memberships_are_valid(self) -> None:
        today = timezone.localdate()

        for membership in Membership.objects.all():
            membership.full_clean()
            assert membership.start_date <= today


# ---- the data module --------------------------------------------------------------


def test_data_module_is_plain_python() -> None:
    tree = ast.parse(Path(data.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not any(name.split(".")[0] in {"django", "resettle"} for name in imported)


def test_states_are_distinct_iso_codes_with_a_government_body() -> None:
    codes = [state.iso3 for state in data.STATES]

    assert len(codes) == len(set(codes))
    assert Country.objects.filter(iso3__in=codes).count() == len(codes)
    assert all(state.government.kind == "state" for state in data.STATES)
    assert all(state.government.country == state.iso3 for state in data.STATES)
    assert all(ngo.country == state.iso3 for state in data.STATES for ngo in state.ngos)
    assert {state.stage for state in data.STATES} == {"new", "emerging", "established"}


def test_the_shared_load_was_rolled_back() -> None:
    # Runs after TestLoadedDemo in file order: its class-wide load must not leak.
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()
