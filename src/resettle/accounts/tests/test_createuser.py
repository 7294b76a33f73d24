"""Creating accounts (the `createuser` command, `do_create_user`) and their API tokens."""

from __future__ import annotations

import io
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from resettle.accounts.models import ApiToken, User
from resettle.accounts.roles import Role
from resettle.accounts.services import (
    do_create_api_token,
    do_create_user,
    do_revoke_api_token,
)
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country, Organisation, OrganisationKind, Person

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Quota-planning-2031!"


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    """A cheap password hasher: what is tested here is not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bamf() -> Organisation:
    """Germany's government body for resettlement."""
    return Organisation.objects.create(
        name="Federal Office for Migration and Refugees",
        acronym="BAMF",
        kind=OrganisationKind.STATE,
        country=Country.objects.get(iso3="DEU"),
    )


def run(*args: str) -> str:
    """Run createuser; its standard output."""
    out = StringIO()
    call_command("createuser", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# ---- the command: happy paths -------------------------------------------------------


def test_creates_an_audited_user_with_role_and_organisation(bamf: Organisation) -> None:
    out = run(
        "k.vogel",
        "--role",
        "state",
        "--organisation",
        bamf.name,
        "--email",
        "k.vogel@example.org",
        "--password",
        GOOD_PASSWORD,
    )

    user = User.objects.get(username="k.vogel")
    assert (user.role, user.organisation, user.email) == (Role.STATE, bamf, "k.vogel@example.org")
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_superuser and not user.is_staff
    assert "Created user 'k.vogel'" in out
    (entry,) = AuditEntry.objects.for_object(user)
    assert entry.action == AuditAction.CREATE
    assert entry.actor_repr == "system"
    assert "password" not in entry.after
    assert user.password not in str(entry.after)


def test_organisation_by_id_or_acronym_in_any_case(bamf: Organisation) -> None:
    run("by-id", "--role", "state", "--organisation", str(bamf.pk), "--password", GOOD_PASSWORD)
    run("by-acronym", "--role", "STATE", "--organisation", "bamf", "--password", GOOD_PASSWORD)

    assert User.objects.get(username="by-id").organisation == bamf
    assert User.objects.get(username="by-acronym").organisation == bamf


def test_superuser_admin_needs_no_organisation() -> None:
    run("root", "--role", "admin", "--superuser", "--password", GOOD_PASSWORD)

    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff and user.is_platform_admin
    assert user.organisation is None


# ---- the command: errors name the option ---------------------------------------------


def test_unknown_role_lists_the_valid_ones(bamf: Organisation) -> None:
    with pytest.raises(CommandError) as error:
        run("x", "--role", "minister", "--organisation", "BAMF", "--password", GOOD_PASSWORD)

    message = str(error.value)
    assert "--role" in message and "minister" in message
    for role in Role.values:
        assert role in message
    assert not User.objects.exists()


def test_unknown_organisation_says_so() -> None:
    with pytest.raises(CommandError, match=r"--organisation: unknown organisation 'Nowhere'"):
        run("x", "--role", "ngo", "--organisation", "Nowhere", "--password", GOOD_PASSWORD)
    with pytest.raises(CommandError, match=r"--organisation: no organisation has the id 9999"):
        run("x", "--role", "ngo", "--organisation", "9999", "--password", GOOD_PASSWORD)
    assert not User.objects.exists()


def test_ambiguous_organisation_lists_the_candidates() -> None:
    for iso3 in ("CZE", "EST"):
        Organisation.objects.create(
            name="Ministry of the Interior",
            kind=OrganisationKind.STATE,
            country=Country.objects.get(iso3=iso3),
        )

    with pytest.raises(CommandError) as error:
        run(
            "x",
            "--role",
            "state",
            "--organisation",
            "Ministry of the Interior",
            "--password",
            GOOD_PASSWORD,
        )

    message = str(error.value)
    assert "--organisation" in message and "CZE" in message and "EST" in message


def test_missing_organisation_for_a_non_admin_role() -> None:
    with pytest.raises(CommandError, match="--organisation"):
        run("x", "--role", "ngo", "--password", GOOD_PASSWORD)
    assert not User.objects.exists()


def test_weak_password_is_refused(bamf: Organisation) -> None:
    with pytest.raises(CommandError, match="--password") as error:
        run("x", "--role", "state", "--organisation", "BAMF", "--password", "12345")

    assert "too short" in str(error.value)
    assert not User.objects.exists()


def test_taken_username_is_refused(bamf: Organisation) -> None:
    run("k.vogel", "--role", "state", "--organisation", "BAMF", "--password", GOOD_PASSWORD)

    with pytest.raises(CommandError, match="USERNAME"):
        run("k.vogel", "--role", "state", "--organisation", "BAMF", "--password", GOOD_PASSWORD)
    assert User.objects.count() == 1


def test_bad_email_is_refused(bamf: Organisation) -> None:
    with pytest.raises(CommandError, match="--email"):
        run(
            "x",
            "--role",
            "state",
            "--organisation",
            "BAMF",
            "--email",
            "not-an-address",
            "--password",
            GOOD_PASSWORD,
        )


def test_no_password_without_a_terminal_is_an_error(
    bamf: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pipe, as in a script: nobody to ask for the password.
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))

    with pytest.raises(CommandError, match=r"--password: no password given.*not a terminal"):
        run("x", "--role", "state", "--organisation", "BAMF")
    assert not User.objects.exists()


def test_role_is_required() -> None:
    with pytest.raises(CommandError, match="--role"):
        run("x", "--password", GOOD_PASSWORD)


# ---- the service ----------------------------------------------------------------------


def test_service_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ValidationError) as error:
        do_create_user(username="", password="123", role="nope", actor=None)

    assert set(error.value.message_dict) == {"username", "password", "role", "organisation"}


def test_only_administrators_create_accounts(bamf: Organisation) -> None:
    official = do_create_user(
        username="official", password=GOOD_PASSWORD, role="state", organisation=bamf, actor=None
    )
    admin = do_create_user(username="boss", password=GOOD_PASSWORD, role="admin", actor=None)

    with pytest.raises(PermissionDenied):
        do_create_user(
            username="other",
            password=GOOD_PASSWORD,
            role="state",
            organisation=bamf,
            actor=official,
        )
    created = do_create_user(
        username="other", password=GOOD_PASSWORD, role="state", organisation=bamf, actor=admin
    )
    (entry,) = AuditEntry.objects.for_object(created)
    assert entry.actor == admin


def test_contact_record_must_belong_to_the_organisation(bamf: Organisation) -> None:
    elsewhere = Organisation.objects.create(name="Accem", kind=OrganisationKind.NGO)
    person = Person.objects.create(given_name="Ana", family_name="Gil", organisation=elsewhere)

    with pytest.raises(ValidationError) as error:
        do_create_user(
            username="ana",
            password=GOOD_PASSWORD,
            role="ngo",
            organisation=bamf,
            person=person,
            actor=None,
        )
    assert set(error.value.message_dict) == {"person"}

    user = do_create_user(
        username="ana",
        password=GOOD_PASSWORD,
        role="ngo",
        organisation=elsewhere,
        person=person,
        actor=None,
    )
    assert user.person == person


# ---- API tokens -----------------------------------------------------------------------


def test_api_token_is_returned_once_and_only_its_hash_is_kept(bamf: Organisation) -> None:
    user = do_create_user(
        username="official", password=GOOD_PASSWORD, role="state", organisation=bamf, actor=None
    )

    raw = do_create_api_token(name="scripts", days=30, actor=user)

    token = ApiToken.objects.get(user=user)
    assert ApiToken.objects.authenticate(raw) == user
    assert raw not in str(token.__dict__)
    (entry,) = AuditEntry.objects.for_object(token)
    assert raw not in str(entry.after)
    with pytest.raises(ValidationError) as error:
        do_create_api_token(name="forever", days=5000, actor=user)
    assert set(error.value.message_dict) == {"days"}


def test_api_token_is_revoked_by_its_owner_only(bamf: Organisation) -> None:
    owner = do_create_user(
        username="owner", password=GOOD_PASSWORD, role="state", organisation=bamf, actor=None
    )
    other = do_create_user(
        username="other", password=GOOD_PASSWORD, role="state", organisation=bamf, actor=None
    )
    raw = do_create_api_token(name="scripts", days=30, actor=owner)
    token = ApiToken.objects.get(user=owner)

    with pytest.raises(PermissionDenied):
        do_revoke_api_token(token, actor=other)
    do_revoke_api_token(token, actor=owner)

    assert ApiToken.objects.authenticate(raw) is None
