"""Settings from the environment: typed readers, production guards, deploy checks, /healthz."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from resettle.env import EnvError, env_bool, env_int, env_list, env_str, secret_key

ROOT = Path(__file__).resolve().parent.parent
RESETTLE = Path(sys.executable).parent / "resettle"


# ---- the readers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("RESETTLE_FLAG", raw)
    assert env_bool("RESETTLE_FLAG") is expected


def test_env_bool_default_and_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESETTLE_FLAG", raising=False)
    assert env_bool("RESETTLE_FLAG", default=True) is True
    monkeypatch.setenv("RESETTLE_FLAG", "maybe")
    with pytest.raises(EnvError, match=r"RESETTLE_FLAG.*'maybe'"):
        env_bool("RESETTLE_FLAG")


def test_env_int(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESETTLE_N", raising=False)
    assert env_int("RESETTLE_N", 7) == 7
    monkeypatch.setenv("RESETTLE_N", "  ")
    assert env_int("RESETTLE_N", 7) == 7
    monkeypatch.setenv("RESETTLE_N", "42")
    assert env_int("RESETTLE_N", 7, minimum=1) == 42
    monkeypatch.setenv("RESETTLE_N", "forty")
    with pytest.raises(EnvError, match="RESETTLE_N must be a whole number"):
        env_int("RESETTLE_N", 7)
    monkeypatch.setenv("RESETTLE_N", "0")
    with pytest.raises(EnvError, match="RESETTLE_N must be at least 1"):
        env_int("RESETTLE_N", 7, minimum=1)


def test_env_list_and_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RESETTLE_HOSTS", raising=False)
    assert env_list("RESETTLE_HOSTS", ["a"]) == ["a"]
    monkeypatch.setenv("RESETTLE_HOSTS", " example.org, ,www.example.org ")
    assert env_list("RESETTLE_HOSTS", []) == ["example.org", "www.example.org"]
    assert env_str("RESETTLE_HOSTS").startswith(" example")
    assert env_str("RESETTLE_UNSET_VARIABLE", "fallback") == "fallback"


def test_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(EnvError, match="SECRET_KEY must be at least 32"):
        secret_key(tmp_path, production=False)
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(EnvError, match="SECRET_KEY is required"):
        secret_key(tmp_path, production=True)
    generated = secret_key(tmp_path / "var", production=False)
    assert len(generated) >= 50
    assert secret_key(tmp_path / "var", production=False) == generated  # kept, not renewed
    mode = stat.S_IMODE((tmp_path / "var" / "secret_key").stat().st_mode)
    assert mode == 0o600
    given = "k" * 40
    monkeypatch.setenv("SECRET_KEY", given)
    assert secret_key(tmp_path, production=True) == given


# ---- settings in a fresh process -------------------------------------------------------------


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    """A clean environment for a child process: no inherited settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "DEBUG",
            "RESETTLE_ENV",
            "DJANGO_SETTINGS_MODULE",
            "TEST_DATABASE_NAME",
            # Set by the browser tests for Playwright; a deployment never has it.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(RESETTLE_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="resettle.settings")
    env.update(values)
    return env


def _setup_django(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_fails(tmp_path: Path) -> None:
    result = _setup_django(_env(tmp_path, RESETTLE_ENV="production"))
    assert result.returncode != 0
    assert "SECRET_KEY is required when RESETTLE_ENV=production" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"RESETTLE_ENV": "staging"}, "RESETTLE_ENV must be development, production or test"),
        ({"DEBUG": "sometimes"}, "DEBUG must be one of"),
        ({"SESSION_COOKIE_AGE": "a day"}, "SESSION_COOKIE_AGE must be a whole number"),
        ({"DATABASE_URL": "mongodb://x/y"}, "DATABASE_URL"),
        ({"FIELD_ENCRYPTION_KEY": "not-a-key"}, "FIELD_ENCRYPTION_KEY must be Fernet keys"),
        ({"PIPELINE_REAUTH_MINUTES": "soon"}, "PIPELINE_REAUTH_MINUTES must be a whole number"),
    ],
)
def test_bad_settings_stop_the_process_naming_the_variable(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    result = _setup_django(_env(tmp_path, **values))
    assert result.returncode != 0
    assert message in result.stderr


def test_development_starts_without_configuration(tmp_path: Path) -> None:
    result = _setup_django(_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "secret_key").exists()


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(64)[:50]
    env = _env(
        tmp_path,
        RESETTLE_ENV="production",
        SECRET_KEY=key,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    result = subprocess.run(
        [str(RESETTLE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# ---- /healthz -------------------------------------------------------------------------------


def test_healthz_reports_database_and_migrations(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == connection.vendor
    assert body["migrations"] == {"applied": True, "pending": 0}
    assert client.post("/healthz").status_code == 405
