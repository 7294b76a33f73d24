"""Encryption at rest of the personal fields of the pipeline (Fernet).

The key is `settings.FIELD_ENCRYPTION_KEY` (a Fernet key, or a list of keys:
the first encrypts, all decrypt, so keys can be rotated). Without it, a key is
derived from SECRET_KEY, so a development database stays readable across
restarts; production should set its own key, since changing SECRET_KEY would
otherwise make the stored names unreadable.

Models keep the ciphertext in `*_sealed` columns and expose the clear value
through properties: the audit log's snapshots then hold ciphertext only.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _keys() -> tuple[str, ...]:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", None)
    if configured:
        if isinstance(configured, str | bytes):
            return (configured.decode() if isinstance(configured, bytes) else configured,)
        return tuple(str(k) for k in configured)
    secret = str(settings.SECRET_KEY).encode()
    digest = hashlib.sha256(b"resettle.pipeline.fields:" + secret).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def cipher() -> MultiFernet:
    """The cipher for the current settings (cached per key set)."""
    return _cipher(_keys())


def seal(value: str) -> str:
    """The ciphertext of a text ('' stays '': an empty field reveals nothing)."""
    if not value:
        return ""
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    """The clear text of a sealed value; '' for an empty one.

    A value sealed with a key no longer configured raises ValueError (data
    cannot be read without its key; better loud than shown as empty).
    """
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("field encrypted with an unknown key") from exc


def seal_date(value: datetime.date | None) -> str:
    """A sealed ISO date."""
    return seal(value.isoformat()) if value else ""


def unseal_date(token: str) -> datetime.date | None:
    """The date of a sealed ISO date."""
    text = unseal(token)
    return datetime.date.fromisoformat(text) if text else None
