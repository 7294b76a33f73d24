"""Fixtures of the sign-in tests: users with real passwords, logging in through the pages."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from resettle.accounts import otp
from resettle.accounts.models import User
from resettle.accounts.roles import STAFF_ROLES
from resettle.accounts.views_mfa import PENDING_KEY

PASSWORD = "Quota-planning-2031!"


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    """A cheap password hasher: what is tested here is not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mfa_for_staff(settings: Any) -> None:
    """Multi-factor authentication required of the staff roles, as outside the tests."""
    settings.RESETTLE_MFA_REQUIRED_ROLES = list(STAFF_ROLES)


def with_password(user: User) -> User:
    """The user, given the tests' password."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def staff(unhcr_user: User) -> User:
    """A UNHCR staff member (a staff role) who logs in with PASSWORD."""
    return with_password(unhcr_user)


@pytest.fixture
def member(ngo_user: User) -> User:
    """An NGO user (not a staff role) who logs in with PASSWORD."""
    return with_password(ngo_user)


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Post the login form; the response (not followed)."""
    return client.post("/login/", {"username": username, "password": password}, **extra)


def code_now(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or a few steps on: a step is used once)."""
    return otp.totp(secret, time.time() + 30 * steps_ahead)


def wrong_code(secret: str) -> str:
    """A 6-digit code the app does not show now, nor a step before or after."""
    valid = {code_now(secret, steps) for steps in (-2, -1, 0, 1, 2)}
    return next(
        c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid
    )


def enrol(client: Client) -> tuple[str, list[str]]:
    """Set up an authenticator app through the pages; (secret, recovery codes)."""
    page = client.get("/account/mfa/enrol/")
    assert page.status_code == 200
    secret = client.session[PENDING_KEY]
    response = client.post("/account/mfa/enrol/", {"code": code_now(secret)})
    assert response.status_code == 200, response.content.decode()[:500]
    codes: list[str] = response.context["codes"]
    return secret, codes
