"""Sessions: idle and absolute limits, the user-to-session registry, disabling accounts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from resettle.accounts import sessions
from resettle.accounts.models import User, UserSession
from resettle.accounts.services import do_set_user_active
from resettle.core.models import AuditEntry

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.django_db


def _shift(client: Client, **seconds_back: float) -> None:
    """Move the session's clocks into the past (login=..., seen=...)."""
    session = client.session
    if "login" in seconds_back:
        session[sessions.LOGIN_AT] -= seconds_back["login"]
    if "seen" in seconds_back:
        session[sessions.SEEN_AT] -= seconds_back["seen"]
    session.save()


def test_a_login_starts_the_clocks_and_registers_the_session(client: Client, member: User) -> None:
    log_in(client, member.username)
    session = client.session
    assert isinstance(session[sessions.LOGIN_AT], float)
    assert session[sessions.SEEN_AT] == session[sessions.LOGIN_AT]
    assert session[sessions.MFA_STATE] == sessions.MFA_NONE
    row = UserSession.objects.get()
    assert (row.user, row.session_key) == (member, session.session_key)
    client.post("/logout/")
    assert not UserSession.objects.exists()


def test_thirty_idle_minutes_end_the_session(client: Client, member: User) -> None:
    log_in(client, member.username)
    _shift(client, seen=29 * 60)
    assert client.get("/dashboard/").status_code == 200
    # That request counted as activity.
    _shift(client, seen=29 * 60)
    assert client.get("/dashboard/").status_code == 200
    _shift(client, seen=31 * 60)
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "Your session has ended" in response.content.decode()
    assert not UserSession.objects.exists()


def test_activity_is_written_at_most_once_a_minute(client: Client, member: User) -> None:
    log_in(client, member.username)
    seen = client.session[sessions.SEEN_AT]
    client.get("/dashboard/")
    assert client.session[sessions.SEEN_AT] == seen
    _shift(client, seen=61)
    client.get("/dashboard/")
    assert client.session[sessions.SEEN_AT] > seen - 61


def test_twelve_hours_end_the_session_however_active(client: Client, member: User) -> None:
    log_in(client, member.username)
    _shift(client, login=11 * 3600 + 3000)
    assert client.get("/dashboard/").status_code == 200
    _shift(client, login=700)
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_the_limits_come_from_the_settings(client: Client, member: User, settings: object) -> None:
    settings.RESETTLE_SESSION_IDLE_MINUTES = 5  # type: ignore[attr-defined]
    log_in(client, member.username)
    _shift(client, seen=6 * 60)
    assert client.get("/dashboard/")["Location"].startswith("/login/")
    settings.RESETTLE_SESSION_MAX_HOURS = 1  # type: ignore[attr-defined]
    log_in(client, member.username)
    _shift(client, login=3601)
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_a_session_from_before_the_limits_must_log_in_again(client: Client, member: User) -> None:
    log_in(client, member.username)
    session = client.session
    del session[sessions.LOGIN_AT]
    session.save()
    assert client.get("/dashboard/")["Location"].startswith("/login/")


def test_disabling_an_account_ends_all_its_sessions_at_once(member: User, admin_user: User) -> None:
    laptop, phone, bystander = Client(), Client(), Client()
    log_in(laptop, member.username)
    log_in(phone, member.username)
    admin_client = Client()
    admin_client.force_login(admin_user)
    assert Session.objects.count() == 3
    keys = {laptop.session.session_key, phone.session.session_key}

    do_set_user_active(member, active=False, actor=admin_user)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=member).exists()
    assert Session.objects.filter(session_key=admin_client.session.session_key).exists()
    entry = AuditEntry.objects.for_object(member).get()
    assert entry.before is not None and entry.after is not None
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)
    for client in (laptop, phone):
        assert client.get("/dashboard/")["Location"].startswith("/login/")
    # Enabled again, the account gets none of its old sessions back.
    do_set_user_active(member, active=True, actor=admin_user)
    assert laptop.get("/dashboard/")["Location"].startswith("/login/")
    assert log_in(bystander, member.username)["Location"] == "/dashboard/"


def test_only_administrators_disable_and_not_themselves(member: User, admin_user: User) -> None:
    with pytest.raises(PermissionDenied):
        do_set_user_active(admin_user, active=False, actor=member)
    with pytest.raises(ValidationError) as exc:
        do_set_user_active(admin_user, active=False, actor=admin_user)
    assert "is_active" in exc.value.message_dict
    assert User.objects.get(pk=admin_user.pk).is_active


def test_disabling_in_djangos_admin_ends_the_sessions(member: User, admin_user: User) -> None:
    user_client = Client()
    log_in(user_client, member.username)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(f"/admin/accounts/user/{member.pk}/change/")
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if name in {"password", "is_active"} or value is None or value is False:
            continue  # unticking "active" is the change made here
        if value is True:
            data[name] = "on"
        elif isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date(), local.time()
        else:
            data[name] = value
    response = admin.post(f"/admin/accounts/user/{member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(pk=member.pk).is_active
    assert not UserSession.objects.filter(user=member).exists()
    assert user_client.get("/dashboard/")["Location"].startswith("/login/")


def test_the_admin_action_disables_and_ends_sessions(member: User, admin_user: User) -> None:
    user_client = Client()
    log_in(user_client, member.username)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "disable_accounts", "_selected_action": [member.pk, admin_user.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 account disabled" in text and "cannot disable your own account" in text
    assert not User.objects.get(pk=member.pk).is_active
    assert User.objects.get(pk=admin_user.pk).is_active
    assert user_client.get("/dashboard/")["Location"].startswith("/login/")


def test_a_new_session_key_is_followed_by_the_registry(client: Client, member: User) -> None:
    log_in(client, member.username)
    session = client.session
    old = session.session_key
    session.cycle_key()  # what a password change does (update_session_auth_hash)
    session.save()
    client.cookies["sessionid"] = str(session.session_key)
    assert client.get("/dashboard/").status_code == 200
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [session.session_key]
    assert session.session_key != old


def test_forced_logins_of_the_test_suite_are_registered_too(client: Client, member: User) -> None:
    client.force_login(member)
    assert UserSession.objects.filter(user=member).count() == 1
    assert client.get("/dashboard/").status_code == 200
    assert PASSWORD  # the tests' password is unused here: force_login needs none
