"""Setting up an authenticator app, logging in with its codes or a recovery code,
replacing the recovery codes and turning it off."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from resettle.accounts import otp
from resettle.accounts.models import MfaDevice, RecoveryCode, User, UserSession
from resettle.accounts.services_mfa import do_reset_mfa, verify_code
from resettle.accounts.sessions import MFA_STATE, MFA_VERIFIED
from resettle.core.models import AuditEntry

from .conftest import PASSWORD, code_now, enrol, log_in, wrong_code

pytestmark = pytest.mark.django_db


def _audit(obj: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.for_object(obj).order_by("at", "id"))  # type: ignore[arg-type]


def test_the_enrolment_page_shows_the_key_as_text_and_as_a_qr_code(
    client: Client, member: User
) -> None:
    client.force_login(member)
    page = client.get("/account/mfa/enrol/")
    assert page.status_code == 200
    html = page.content.decode()
    secret = client.session["resettle_mfa_pending_key"]
    assert otp.grouped(secret) in html
    # The QR code is an SVG drawn on the server, inline as a data: address.
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,%3Csvg[^"]+" alt="[^"]+"', html)
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    # Reloading keeps the same key (the app may already have scanned it).
    assert otp.grouped(secret) in client.get("/account/mfa/enrol/").content.decode()
    assert not MfaDevice.objects.exists()


def test_a_wrong_first_code_saves_nothing_and_says_why(client: Client, member: User) -> None:
    client.force_login(member)
    client.get("/account/mfa/enrol/")
    secret = client.session["resettle_mfa_pending_key"]
    response = client.post("/account/mfa/enrol/", {"code": wrong_code(secret)})
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()
    assert not MfaDevice.objects.exists()
    assert not RecoveryCode.objects.exists()


def test_enrolment_gives_ten_recovery_codes_shown_once_and_stored_hashed(
    client: Client, member: User
) -> None:
    client.force_login(member)
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = MfaDevice.objects.get(user=member)
    # The secret is stored encrypted, the codes as hashes only.
    assert secret not in device.secret_sealed
    stored = set(RecoveryCode.objects.filter(user=member).values_list("code_hash", flat=True))
    assert stored == {otp.hash_recovery_code(c) for c in codes}
    # The audit log has the set-up, and neither the secret nor its ciphertext nor a code.
    (entry,) = _audit(device)
    assert entry.action == "create" and entry.actor == member
    dumped = json.dumps([entry.before, entry.after])
    assert secret not in dumped and device.secret_sealed not in dumped
    assert not any(c in dumped for c in codes)
    assert entry.after is not None and entry.after["recovery_codes_left"] == 10
    # The codes are in no later page: the overview only counts them.
    overview = client.get("/account/mfa/").content.decode()
    assert "10 recovery codes left" in overview
    assert not any(c in overview for c in codes)
    # Setting up again is refused while one app is set up.
    again = client.get("/account/mfa/enrol/")
    assert again.status_code == 302 and again["Location"] == "/account/mfa/"


def test_login_becomes_two_steps_password_then_code(client: Client, member: User) -> None:
    client.force_login(member)
    secret, _codes = enrol(client)
    client.logout()

    response = log_in(client, member.username)
    # Password right: the code is asked next, with the destination kept.
    assert response.status_code == 302
    assert response["Location"].startswith("/account/verify/?next=")
    # Until the code is given, nothing else can be reached: pages nor API.
    assert client.get("/dashboard/")["Location"].startswith("/account/verify/")
    assert client.get("/account/").status_code == 302
    api = client.get("/api/v1/people")
    assert api.status_code == 403
    assert "authenticator app" in api.json()["detail"]

    page = client.get("/account/verify/")
    assert page.status_code == 200
    assert "Authentication code" in page.content.decode()
    wrong = client.post("/account/verify/", {"code": wrong_code(secret)})
    assert wrong.status_code == 200
    assert "That code is not valid" in wrong.content.decode()

    key_before = client.session.session_key
    done = client.post("/account/verify/", {"code": code_now(secret, 1), "next": "/meetings/"})
    assert done.status_code == 302 and done["Location"] == "/meetings/"
    assert client.session[MFA_STATE] == MFA_VERIFIED
    # A new session key once the second factor is given, and it is the registered one.
    assert client.session.session_key != key_before
    assert UserSession.objects.filter(user=member, session_key=client.session.session_key).exists()
    assert not UserSession.objects.filter(session_key=key_before).exists()
    assert client.get("/dashboard/").status_code == 200


def test_a_code_cannot_be_used_twice(client: Client, member: User) -> None:
    client.force_login(member)
    secret, _codes = enrol(client)
    code = code_now(secret, 1)
    assert verify_code(member, code) == "totp"
    assert verify_code(member, code) is None
    # Nor a code older than one already used.
    assert verify_code(member, code_now(secret)) is None


def test_a_recovery_code_logs_in_once(client: Client, member: User) -> None:
    client.force_login(member)
    _secret, codes = enrol(client)
    client.logout()

    log_in(client, member.username)
    response = client.post("/account/verify/", {"code": codes[3].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "9 are left" in response.content.decode()
    assert RecoveryCode.objects.filter(user=member, used_at__isnull=False).count() == 1
    # Spending it is on the record.
    device = MfaDevice.objects.get(user=member)
    last = _audit(device)[-1]
    assert last.before is not None and last.after is not None
    assert (last.before["recovery_codes_left"], last.after["recovery_codes_left"]) == (10, 9)
    client.logout()

    log_in(client, member.username)
    again = client.post("/account/verify/", {"code": codes[3]})
    assert again.status_code == 200
    assert "That code is not valid" in again.content.decode()


def test_recovery_codes_are_replaced_only_with_the_password(client: Client, member: User) -> None:
    client.force_login(member)
    _secret, old = enrol(client)

    refused = client.post("/account/mfa/recovery-codes/", {"regen-password": "not-it"})
    assert refused.status_code == 400
    assert "The password is not correct" in refused.content.decode()
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == {
        otp.hash_recovery_code(c) for c in old
    }

    response = client.post("/account/mfa/recovery-codes/", {"regen-password": PASSWORD})
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == {
        otp.hash_recovery_code(c) for c in new
    }
    assert verify_code(member, old[0]) is None
    assert verify_code(member, new[0]) == "recovery"


def test_turning_it_off_needs_the_password(client: Client, member: User) -> None:
    client.force_login(member)
    enrol(client)
    refused = client.post("/account/mfa/disable/", {"disable-password": "not-it"})
    assert refused.status_code == 400
    assert MfaDevice.objects.filter(user=member).exists()

    done = client.post("/account/mfa/disable/", {"disable-password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/account/mfa/"
    assert not MfaDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert _audit_deleted(member)
    client.logout()
    # Logging in asks for the password only again.
    assert log_in(client, member.username)["Location"] == "/dashboard/"


def _audit_deleted(user: User) -> bool:
    return AuditEntry.objects.filter(
        action="delete", actor=user, object_repr=f"TOTP · {user.username}"
    ).exists()


def test_without_an_app_there_is_nothing_to_replace_or_turn_off(
    client: Client, member: User
) -> None:
    client.force_login(member)
    assert client.post("/account/mfa/disable/", {"disable-password": PASSWORD}).status_code == 404
    assert (
        client.post("/account/mfa/recovery-codes/", {"regen-password": PASSWORD}).status_code == 404
    )
    # The code page only makes sense half-way through a login.
    assert client.get("/account/verify/")["Location"] == "/dashboard/"


def test_an_administrator_resets_a_lost_app_which_logs_the_user_out(
    client: Client, member: User, admin_user: User
) -> None:
    client.force_login(member)
    enrol(client)
    assert client.get("/dashboard/").status_code == 200

    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_mfa", "_selected_action": [member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "reset for 1 user" in response.content.decode()
    assert not MfaDevice.objects.filter(user=member).exists()
    assert not RecoveryCode.objects.filter(user=member).exists()
    entry = AuditEntry.objects.get(action="delete", object_repr=f"TOTP · {member.username}")
    assert entry.actor == admin_user
    # The user's session is gone: the next request is anonymous.
    assert client.get("/dashboard/")["Location"].startswith("/login/")
    # Only platform administrators may reset.
    with pytest.raises(PermissionDenied):
        do_reset_mfa(admin_user, actor=member)
