"""One-time passwords: TOTP (RFC 6238, on HOTP of RFC 4226) and recovery codes.

Pure computation, no Django: the services keep the secrets and the used
steps, this module only computes and compares. TOTP here is what every
authenticator app speaks: HMAC-SHA1, 6 digits, 30-second steps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Codes of the step before and after the current one are accepted too: a phone's
# clock a little off, or a code typed as it changes, still works.
WINDOW = 1
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block RFC 4226 recommends

RECOVERY_CODE_COUNT = 10
# 16 characters of base32: 80 random bits, far beyond guessing, so a plain
# SHA-256 of the code is a safe stored form (no slow hash needed).
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: easy to copy
_RECOVERY_LENGTH = 16


def random_secret() -> str:
    """A fresh TOTP secret in base32, without padding (as authenticator apps take it)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """The HOTP value of a counter (RFC 4226 section 5.3, dynamic truncation)."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    """The TOTP time step of a moment (seconds since the epoch)."""
    return int(unix_time // STEP_SECONDS)


def totp(secret: str, unix_time: float, digits: int = DIGITS) -> str:
    """The code an authenticator app shows at a moment for a base32 secret."""
    return hotp(_key(secret), step_at(unix_time), digits)


def match_totp(secret: str, code: str, unix_time: float, *, after_step: int = -1) -> int | None:
    """The time step a code belongs to, or None if it is not valid now.

    Steps up to `after_step` are refused: a code already used (or an older
    one) cannot be replayed. Comparison is in constant time.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    now = step_at(unix_time)
    found: int | None = None
    for step in range(now - WINDOW, now + WINDOW + 1):
        if hmac.compare_digest(hotp(key, step), code) and step > after_step and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four characters, for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# ---- recovery codes --------------------------------------------------------------


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh recovery codes, shown as xxxx-xxxx-xxxx-xxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    return codes


def normalise_recovery_code(text: str) -> str:
    """A recovery code as typed (any case, with or without dashes and spaces), compared form."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def looks_like_recovery_code(text: str) -> bool:
    """Whether typed text has the shape of a recovery code (rather than a TOTP code)."""
    return len(normalise_recovery_code(text)) == _RECOVERY_LENGTH


def hash_recovery_code(text: str) -> str:
    """The stored form of a recovery code: SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_recovery_code(text).encode("ascii", "ignore")).hexdigest()
