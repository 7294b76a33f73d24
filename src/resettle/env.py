"""Typed readers for settings taken from environment variables.

Each helper fails loudly, naming the variable, when a value cannot be read:
a typo in production configuration must stop the process at start-up rather
than run with a silently different setting.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class EnvError(ValueError):
    """A setting in the environment has a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's text, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean: 1/true/yes/on or 0/false/no/off, case-insensitive."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """An integer, optionally bounded below."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise EnvError(f"{name} must be a whole number; got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise EnvError(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path, *, production: bool) -> str:
    """SECRET_KEY from the environment, else one generated once into var/.

    Production (RESETTLE_ENV=production) must set it explicitly, so that several
    machines behind a load balancer share one key.
    """
    value = os.environ.get("SECRET_KEY", "").strip()
    if value:
        if len(value) < 32:
            raise EnvError("SECRET_KEY must be at least 32 characters long")
        return value
    if production:
        raise EnvError("SECRET_KEY is required when RESETTLE_ENV=production")
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value
