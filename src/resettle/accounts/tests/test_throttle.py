"""Login throttling: 5 failures per username or 20 per address in 15 minutes lock out for 15."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from resettle.accounts import throttle
from resettle.accounts.models import LoginAttempt, User
from resettle.core.models import AuditEntry

from .conftest import PASSWORD, enrol, log_in, wrong_code

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed attempts"
MISMATCH = "did not match"


def _fail(client: Client, username: str, times: int, ip: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = log_in(client, username, "not-the-password", REMOTE_ADDR=ip)
        assert response.status_code == 200
        assert MISMATCH in response.content.decode()


def _age(minutes: int) -> None:
    """Move every recorded attempt `minutes` into the past."""
    for attempt in LoginAttempt.objects.all():
        LoginAttempt.objects.filter(pk=attempt.pk).update(
            at=attempt.at - datetime.timedelta(minutes=minutes)
        )


def test_five_failures_lock_the_username_even_against_the_right_password(
    client: Client, member: User
) -> None:
    _fail(client, member.username, 5)
    refused = log_in(client, member.username, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address too: the username is locked, not only the address.
    other = log_in(Client(), member.username, PASSWORD, REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 429
    # Other usernames are not affected.
    assert log_in(Client(), "someone-else", "x", REMOTE_ADDR="198.51.100.1").status_code == 200


def _main(html: str) -> str:
    """The page's main content, without the (random) CSRF token."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return "".join(line for line in main.splitlines() if "csrfmiddlewaretoken" not in line)


def test_an_unknown_username_gets_exactly_the_same_answers(client: Client, member: User) -> None:
    known, unknown = Client(), Client()
    for i in range(6):
        a = log_in(known, member.username, "wrong", REMOTE_ADDR="203.0.113.1")
        b = log_in(unknown, "nobody-by-that-name", "wrong", REMOTE_ADDR="203.0.113.2")
        assert a.status_code == b.status_code == (200 if i < 5 else 429)
        text_a = a.content.decode().replace(member.username, "NAME")
        text_b = b.content.decode().replace("nobody-by-that-name", "NAME")
        assert _main(text_a) == _main(text_b)


def test_the_lockout_lasts_fifteen_minutes_and_retrying_does_not_prolong_it(
    client: Client, member: User
) -> None:
    _fail(client, member.username, 5)
    for _ in range(3):  # refused attempts are recorded, but not counted
        assert log_in(client, member.username, "x").status_code == 429
    assert LoginAttempt.objects.filter(outcome="refused").count() == 3
    _age(14)
    assert log_in(client, member.username, PASSWORD).status_code == 429
    _age(2)
    response = log_in(client, member.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    # A complete login forgets the username's failures.
    assert not LoginAttempt.objects.filter(username=member.username).exists()


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(
    client: Client, member: User
) -> None:
    _fail(client, member.username, 4)
    _age(16)
    _fail(client, member.username, 1)
    assert log_in(client, member.username, PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_lock_it_for_every_username(
    client: Client, member: User
) -> None:
    for i in range(20):
        _fail(client, f"guess-{i}", 1, ip="192.0.2.50")
    assert log_in(client, member.username, PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 429
    # The same user from elsewhere is fine: only that address is locked.
    assert log_in(Client(), member.username, PASSWORD, REMOTE_ADDR="192.0.2.51").status_code == 302


def test_behind_proxies_the_client_address_comes_from_x_forwarded_for(
    client: Client, member: User, settings: object
) -> None:
    settings.RESETTLE_PROXY_COUNT = 1  # type: ignore[attr-defined]
    for i in range(20):
        log_in(
            client,
            f"guess-{i}",
            "x",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"forged-{i}, 192.0.2.60",
        )
    assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {"192.0.2.60"}
    locked = log_in(client, member.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.60")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    assert (
        log_in(client, member.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.61").status_code
        == 302
    )


def test_failed_logins_are_in_the_audit_log_without_the_password(
    client: Client, member: User
) -> None:
    log_in(client, member.username, "Secret-Guess-123", REMOTE_ADDR="203.0.113.9")
    attempt = LoginAttempt.objects.get()
    entry = AuditEntry.objects.for_object(attempt).get()
    assert entry.action == "create"
    assert entry.after is not None
    assert entry.after["username"] == member.username
    assert entry.after["ip"] == "203.0.113.9"
    assert entry.after["outcome"] == "failed" and entry.after["stage"] == "password"
    assert "Secret-Guess-123" not in json.dumps(entry.after)


def test_wrong_codes_count_towards_the_lockout(client: Client, member: User) -> None:
    client.force_login(member)
    secret, _codes = enrol(client)
    client.logout()
    log_in(client, member.username)
    for _ in range(5):
        response = client.post("/account/verify/", {"code": wrong_code(secret)})
        assert "That code is not valid" in response.content.decode()
    assert LoginAttempt.objects.filter(stage="code", outcome="failed").count() == 5
    locked = client.post("/account/verify/", {"code": wrong_code(secret)})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    # And the password step is locked for that username as well.
    assert log_in(Client(), member.username).status_code == 429


def test_djangos_admin_login_is_throttled_too(client: Client, member: User) -> None:
    for _ in range(5):
        client.post("/admin/login/", {"username": member.username, "password": "wrong"})
    assert throttle.is_locked(member.username, "127.0.0.1")
    member.is_staff = True
    member.save()
    client.post("/admin/login/", {"username": member.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_old_attempts_are_pruned(member: User) -> None:
    LoginAttempt.objects.create(
        username="old", ip=None, at=timezone.now() - datetime.timedelta(days=2)
    )
    throttle.record("new", "192.0.2.1")
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["new"]
