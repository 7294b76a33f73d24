"""Authorization rows of multi-factor authentication (under account/).

Every page is about the signed-in user's own second factor: anonymous visitors
go to the login page and every role gets the same answers. The code page
(`accounts:verify`) only serves a login half-way done, so a session that is
not half-way is sent back to the dashboard (302). Enrolment POSTs from a
client that never loaded the page have no key being set up and are sent back
to it.

Replacing recovery codes and turning the app off need an app: in the world
only the NGO user has one (setup), so the others get 404. The matrix signs its
users in without a code (force_login), so the NGO user's session is still
waiting for its second factor and is sent to the code page (302), writing
nothing; the accounts tests (src/resettle/accounts/tests/test_mfa.py) make
these changes after a real two-step login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from authz import Case, W, signed_in
from resettle.accounts import otp
from resettle.accounts.models import MfaDevice, RecoveryCode
from resettle.pipeline.crypto import seal

PASSWORD = "Matrix-pass-2031!"


def _ngo_device(w: W) -> None:
    """An authenticator app and recovery codes for the NGO user, who has a password."""
    user = w.users["ngo"]
    user.password = make_password(PASSWORD)
    user.save(update_fields=["password"])
    MfaDevice.objects.create(user=user, secret_sealed=seal(otp.random_secret()))
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=otp.hash_recovery_code(code))
        for code in otp.new_recovery_codes()
    )


MATRIX = {
    "accounts:verify": [
        Case("GET", signed_in(302)),
        Case("POST", signed_in(302), data=lambda w, u: {"code": "123456"}),
    ],
    "accounts:mfa": [
        Case("GET", signed_in(200)),
        Case("GET", signed_in(200, ngo=302), setup=_ngo_device, label="code still due"),
    ],
    "accounts:mfa_enrol": [
        Case("GET", signed_in(200)),
        Case("GET", signed_in(200, ngo=302), setup=_ngo_device, label="code still due"),
        Case("POST", signed_in(302), data=lambda w, u: {"code": "123456"}),
    ],
    "accounts:mfa_regenerate": [
        Case(
            "POST",
            signed_in(404, ngo=302),
            setup=_ngo_device,
            data=lambda w, u: {"regen-password": PASSWORD},
        ),
    ],
    "accounts:mfa_disable": [
        Case(
            "POST",
            signed_in(404, ngo=302),
            setup=_ngo_device,
            data=lambda w, u: {"disable-password": PASSWORD},
        ),
    ],
}
