"""`resettle check --deploy` is clean with the production environment of the README.

The settings are not copied by hand: settings.py is run again with the
production environment (RESETTLE_ENV=production, SECRET_KEY, ALLOWED_HOSTS),
and the settings the deployment checks read are taken from it.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

import resettle.settings

PRODUCTION_ENV = {
    "RESETTLE_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-" + "k7Qz" * 12,
    "ALLOWED_HOSTS": "resettle.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://resettle.example.org",
}
# What `check --deploy` reads, by name or prefix.
CHECKED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MIDDLEWARE", "X_FRAME_OPTIONS")
CHECKED_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "SILENCED_SYSTEM_CHECKS")


def _settings_under(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp: Path
) -> dict[str, Any]:
    # The browser tests' conftest allows async-unsafe calls (Playwright): never in production.
    unset = ("DEBUG", "RESETTLE_HTTPS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")
    for name in (*unset, "DJANGO_ALLOW_ASYNC_UNSAFE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RESETTLE_VAR_DIR", str(tmp))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("production_settings", resettle.settings.__file__)
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {
        name: getattr(module, name)
        for name in dir(module)
        if name in CHECKED or name.startswith(CHECKED_PREFIXES)
    }
    # Settings the production module leaves at Django's default, reset from the test's.
    values.setdefault("SILENCED_SYSTEM_CHECKS", [])
    return values


def _deploy_check() -> str:
    out = io.StringIO()
    call_command("check", "--deploy", fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_check_deploy_is_clean_in_production(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = _settings_under(PRODUCTION_ENV, monkeypatch, tmp_path)
    assert values["DEBUG"] is False and values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    with override_settings(**values):
        assert "no issues" in _deploy_check()


@pytest.mark.django_db
def test_check_deploy_fails_without_https_or_with_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check is a real one: the same production settings, weakened, fail it."""
    plain = _settings_under({**PRODUCTION_ENV, "RESETTLE_HTTPS": "0"}, monkeypatch, tmp_path)
    with override_settings(**plain), pytest.raises(SystemCheckError, match=r"W004|W008|W012"):
        _deploy_check()
    debug = _settings_under({**PRODUCTION_ENV, "DEBUG": "1"}, monkeypatch, tmp_path)
    with override_settings(**debug), pytest.raises(SystemCheckError, match="W018"):
        _deploy_check()
