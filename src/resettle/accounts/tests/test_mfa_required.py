"""Multi-factor authentication required of staff roles (RESETTLE_MFA_REQUIRED_ROLES)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_token
from django.test import Client

from resettle.accounts.models import MfaDevice, User, UserSession
from resettle.accounts.roles import STAFF_ROLES
from resettle.accounts.services_mfa import mfa_required_for
from resettle.core.models import DeniedRequest
from resettle.meetings.models import Meeting

from .conftest import PASSWORD, code_now, enrol, log_in, with_password

pytestmark = pytest.mark.django_db

ENROL = "/account/mfa/enrol/"


@pytest.mark.usefixtures("mfa_for_staff")
def test_staff_without_an_app_are_sent_to_set_one_up_and_reach_nothing_else(
    client: Client, staff: User
) -> None:
    response = log_in(client, staff.username)
    assert response.status_code == 302
    # The dashboard (where the login leads) sends them on to the set-up page.
    assert client.get(response["Location"])["Location"] == ENROL
    for path in ("/dashboard/", "/account/", "/account/mfa/", "/meetings/", "/directory/people/"):
        refused = client.get(path)
        assert refused.status_code == 302 and refused["Location"] == ENROL, path
    # Writes are refused too, before any view runs: nothing is created.
    before = Meeting.objects.count()
    assert client.post("/account/", {"name": "script", "days": 30})["Location"] == ENROL
    assert client.post("/meetings/add/", {"title": "x"})["Location"] == ENROL
    assert Meeting.objects.count() == before
    assert not staff.api_tokens.exists()
    # htmx requests are told to load the page instead of swapping it into a fragment.
    htmx = client.get("/meetings/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == ENROL
    # The API answers 403 with what to do.
    api = client.get("/api/v1/people")
    assert api.status_code == 403
    assert "requires multi-factor authentication" in api.json()["detail"]
    api_write = client.post("/api/v1/people", {}, content_type="application/json")
    assert api_write.status_code == 403
    # Even public pages wait; the set-up page and logging out remain.
    assert client.get(ENROL).status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/login/")


@pytest.mark.usefixtures("mfa_for_staff")
def test_once_enrolled_the_staff_member_goes_everywhere_and_logs_in_with_a_code(
    client: Client, staff: User
) -> None:
    log_in(client, staff.username)
    secret, _codes = enrol(client)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/v1/people").status_code == 200
    client.logout()

    assert log_in(client, staff.username)["Location"].startswith("/account/verify/")
    assert client.get("/dashboard/")["Location"].startswith("/account/verify/")
    client.post("/account/verify/", {"code": code_now(secret, 1)})
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.usefixtures("mfa_for_staff")
def test_api_tokens_wait_for_the_second_factor_too(client: Client, staff: User) -> None:
    """A token made before the role required a second factor does not get round it."""
    token = make_token(staff, name="old script")
    bearer = {"Authorization": f"Bearer {token}"}
    for method, path in (("get", "/api/v1/people"), ("post", "/api/v1/people")):
        refused = getattr(Client(), method)(
            path, {}, content_type="application/json", headers=bearer
        )
        assert refused.status_code == 403, path
        assert "before using API tokens" in refused.json()["detail"]
    assert DeniedRequest.objects.filter(path="/api/v1/people", status=403).exists()
    log_in(client, staff.username)
    enrol(client)
    assert Client().get("/api/v1/people", headers=bearer).status_code == 200


@pytest.mark.usefixtures("mfa_for_staff")
def test_turning_it_off_sends_staff_straight_back_to_set_up_a_new_app(
    client: Client, staff: User
) -> None:
    log_in(client, staff.username)
    enrol(client)
    response = client.post("/account/mfa/disable/", {"disable-password": PASSWORD})
    assert response["Location"] == ENROL
    assert client.get("/dashboard/")["Location"] == ENROL


@pytest.mark.usefixtures("mfa_for_staff")
def test_enrolling_ends_the_sessions_opened_with_the_password_alone(staff: User) -> None:
    laptop, phone = Client(), Client()
    log_in(laptop, staff.username)
    log_in(phone, staff.username)
    assert UserSession.objects.filter(user=staff).count() == 2
    enrol(laptop)
    assert list(UserSession.objects.filter(user=staff).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]
    assert phone.get("/dashboard/")["Location"].startswith("/login/")
    assert laptop.get("/dashboard/").status_code == 200


@pytest.mark.usefixtures("mfa_for_staff")
def test_other_roles_may_choose_and_superusers_count_as_administrators(
    client: Client, users: dict[str, User | None]
) -> None:
    required = {role for role, user in users.items() if user and mfa_required_for(user)}
    assert required == set(STAFF_ROLES) == {"admin", "unhcr", "rsf"}
    ngo = with_password(users["ngo"])  # type: ignore[arg-type]
    assert log_in(client, ngo.username)["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/account/mfa/").status_code == 200
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD, role="ngo")
    assert mfa_required_for(root)


def test_the_requirement_follows_the_setting(client: Client, staff: User, settings: object) -> None:
    # Off (the tests' default): staff pass without an app, a session counts as verified.
    log_in(client, staff.username)
    assert client.get("/dashboard/").status_code == 200
    # Turned on for the role mid-session: the next request goes to the set-up page.
    settings.RESETTLE_MFA_REQUIRED_ROLES = ["unhcr"]  # type: ignore[attr-defined]
    assert client.get("/dashboard/")["Location"] == ENROL
    assert not MfaDevice.objects.exists()


def _setting_in(env: dict[str, str], tmp_path: Path) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='resettle.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(','.join(settings.RESETTLE_MFA_REQUIRED_ROLES))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RESETTLE_", "DATABASE"))}
    base.update(RESETTLE_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", code], env=base, capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return result.stdout.strip()
    return result.stderr.strip().splitlines()[-1]


def test_the_default_is_the_staff_roles_outside_the_tests(tmp_path: Path) -> None:
    assert _setting_in({"RESETTLE_ENV": "development"}, tmp_path) == "admin,unhcr,rsf"
    assert _setting_in({"RESETTLE_ENV": "test"}, tmp_path) == ""
    assert (
        _setting_in(
            {"RESETTLE_ENV": "development", "RESETTLE_MFA_REQUIRED_ROLES": "admin,state"},
            tmp_path,
        )
        == "admin,state"
    )
    bad = _setting_in(
        {"RESETTLE_ENV": "development", "RESETTLE_MFA_REQUIRED_ROLES": "admin,boss"}, tmp_path
    )
    assert "RESETTLE_MFA_REQUIRED_ROLES" in bad and "boss" in bad
