"""The pure one-time-password module against the RFCs' own test vectors."""

from __future__ import annotations

import base64
import re

import pytest

from resettle.accounts import otp

# RFC 4226 appendix D: the secret "12345678901234567890", counters 0 to 9.
RFC4226 = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]
RFC_KEY = b"12345678901234567890"
RFC_SECRET = base64.b32encode(RFC_KEY).decode()


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226)))
def test_hotp_matches_rfc_4226(counter: int, expected: str) -> None:
    assert otp.hotp(RFC_KEY, counter) == expected


# RFC 6238 appendix B, SHA-1 column (8 digits).
@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238(unix_time: int, expected: str) -> None:
    assert otp.totp(RFC_SECRET, unix_time, digits=8) == expected


def test_a_code_is_accepted_one_step_either_side_and_not_further() -> None:
    secret = otp.random_secret()
    now = 1_800_000_000.0
    step = otp.step_at(now)
    for offset in (-1, 0, 1):
        assert otp.match_totp(secret, otp.totp(secret, now + 30 * offset), now) == step + offset
    for offset in (-3, -2, 2, 3):
        assert otp.match_totp(secret, otp.totp(secret, now + 30 * offset), now) is None


def test_a_used_step_is_refused_and_typing_slips_are_forgiven() -> None:
    secret = otp.random_secret()
    now = 1_800_000_000.0
    code = otp.totp(secret, now)
    step = otp.step_at(now)
    assert otp.match_totp(secret, code, now, after_step=step) is None
    assert otp.match_totp(secret, code, now, after_step=step - 1) == step
    assert otp.match_totp(secret, f" {code[:3]} {code[3:]} ", now) == step
    assert otp.match_totp(secret, "12345", now) is None
    assert otp.match_totp(secret, "abcdef", now) is None


def test_secrets_are_160_bits_of_base32_and_differ() -> None:
    secrets = {otp.random_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)
        assert len(base64.b32decode(secret)) == 20
    assert otp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
    # A grouped or lower-case secret computes the same codes.
    secret = secrets.pop()
    assert otp.totp(otp.grouped(secret).lower(), 1e9) == otp.totp(secret, 1e9)


def test_the_provisioning_address_holds_what_apps_need() -> None:
    uri = otp.provisioning_uri("JBSWY3DPEHPK3PXP", "nadia keller", "Resettle")
    assert uri.startswith("otpauth://totp/Resettle:nadia%20keller?")
    for part in ("secret=JBSWY3DPEHPK3PXP", "issuer=Resettle", "digits=6", "period=30"):
        assert part in uri


def test_recovery_codes_are_ten_distinct_80_bit_codes_compared_loosely() -> None:
    codes = otp.new_recovery_codes()
    assert len(codes) == otp.RECOVERY_CODE_COUNT == 10
    assert len(set(codes)) == 10
    for code in codes:
        assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", code)
        assert otp.looks_like_recovery_code(code)
    code = codes[0]
    assert otp.hash_recovery_code(code.upper().replace("-", " ")) == otp.hash_recovery_code(code)
    assert otp.hash_recovery_code(code) != otp.hash_recovery_code(codes[1])
    assert len(otp.hash_recovery_code(code)) == 64 and code not in otp.hash_recovery_code(code)
    assert not otp.looks_like_recovery_code("123456")
