"""Business rules of multi-factor authentication: authenticator apps and recovery codes.

A user sets up an authenticator app (TOTP) by confirming it with a first code,
and receives ten one-time recovery codes, shown once. Replacing the codes or
turning the app off needs the password again (wrong passwords count towards
the login throttle). Platform administrators can reset someone's second
factor (a lost phone), which also ends that person's sessions.

Audit entries for `MfaDevice` are written here with `core.audit.record`, from
a view of the device that leaves the secret out.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.accounts import otp, throttle
from resettle.accounts.models import LoginStage, MfaDevice, RecoveryCode, User
from resettle.accounts.roles import Role
from resettle.accounts.sessions import end_user_sessions
from resettle.core.access import require
from resettle.core.audit import record
from resettle.core.models import AuditAction
from resettle.pipeline.crypto import seal, unseal

ISSUER = "Resettle"
LOCKED_MESSAGE = gettext_lazy(
    "Too many failed attempts. Logging in is paused for %(minutes)s minutes; try again later."
)


def locked_message() -> str:
    """What a locked-out visitor is told (the same whether or not the account exists)."""
    return str(LOCKED_MESSAGE) % {"minutes": int(throttle.LOCKOUT.total_seconds() // 60)}


def required_roles() -> frozenset[str]:
    """The roles that must use a second factor (setting RESETTLE_MFA_REQUIRED_ROLES)."""
    return frozenset(getattr(settings, "RESETTLE_MFA_REQUIRED_ROLES", ()))


def mfa_required_for(user: User) -> bool:
    """Whether the user's role requires a second factor (superusers count as administrators)."""
    roles = required_roles()
    return user.role in roles or (user.is_superuser and Role.ADMIN in roles)


def has_mfa(user: User) -> bool:
    """Whether the user has set up an authenticator app."""
    return MfaDevice.objects.filter(user=user).exists()


def unused_codes(user: User) -> int:
    """How many of the user's recovery codes are left."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _view(device: MfaDevice) -> dict[str, Any]:
    """What the audit log keeps of a device: never its secret."""
    return {
        "user": device.user_id,
        "confirmed_at": device.confirmed_at.isoformat(),
        "recovery_codes_left": unused_codes(device.user),
    }


def _issue_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = otp.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=otp.hash_recovery_code(code)) for code in codes]
    )
    return codes


def _active(actor: User | None) -> bool:
    return actor is not None and actor.is_active and actor.pk is not None


def check_password_again(user: User, password: str, ip: str | None) -> None:
    """ValidationError on `password` unless it is the user's; a wrong one counts as a failure.

    Called before any transaction of the caller: the failure must be recorded
    even though the change it guards is refused.
    """
    if throttle.is_locked(user.get_username(), ip):
        throttle.record(user.get_username(), ip, stage=LoginStage.CONFIRM, refused=True)
        raise ValidationError({"password": locked_message()})
    if not password or not user.check_password(password):
        throttle.record(user.get_username(), ip, stage=LoginStage.CONFIRM)
        raise ValidationError({"password": _("The password is not correct.")})


def do_enable_mfa(
    *,
    secret: str,
    code: str,
    actor: User,
    keep_session: str | None = None,
    now: float | None = None,
) -> list[str]:
    """Set up the authenticator app holding `secret`, confirmed by its `code`.

    Returns the ten recovery codes, for the caller to show once. A wrong code
    is a ValidationError on `code`, and nothing is saved. The actor's other
    sessions (but `keep_session`, the one setting it up) are ended: they were
    opened with the password alone.
    """
    require(_active(actor), "mfa")
    if has_mfa(actor):
        raise ValidationError({"code": _("An authenticator app is already set up.")})
    step = otp.match_totp(secret, code, time.time() if now is None else now)
    if step is None:
        raise ValidationError(
            {"code": _("That code is not valid. Enter the 6-digit code your app shows now.")}
        )
    with transaction.atomic():
        device = MfaDevice.objects.create(
            user=actor, secret_sealed=seal(secret), last_step=step, last_used_at=timezone.now()
        )
        codes = _issue_codes(actor)
        record(actor, AuditAction.CREATE, device, None, _view(device))
        end_user_sessions(actor, keep=keep_session)
    return codes


def _device(user: User) -> MfaDevice:
    device = MfaDevice.objects.filter(user=user).select_related("user").first()
    if device is None:
        raise Http404("no authenticator app")
    return device


def do_regenerate_recovery_codes(*, password: str, ip: str | None, actor: User) -> list[str]:
    """Replace the actor's recovery codes (the old ones stop working); return the new ones."""
    require(_active(actor), "mfa")
    device = _device(actor)
    check_password_again(actor, password, ip)
    with transaction.atomic():
        before = _view(device)
        codes = _issue_codes(actor)
        after = _view(device) | {"recovery_codes_issued_at": timezone.now().isoformat()}
        record(actor, AuditAction.UPDATE, device, before, after)
    return codes


def _remove(device: MfaDevice, actor: User) -> None:
    record(actor, AuditAction.DELETE, device, _view(device), None)
    RecoveryCode.objects.filter(user=device.user).delete()
    device.delete()


def do_disable_mfa(*, password: str, ip: str | None, actor: User) -> None:
    """Turn the actor's second factor off (their recovery codes go with it)."""
    require(_active(actor), "mfa")
    device = _device(actor)
    check_password_again(actor, password, ip)
    with transaction.atomic():
        _remove(device, actor)


def can_reset_mfa(actor: User | None) -> bool:
    """Platform administrators reset other people's second factor."""
    return _active(actor) and actor is not None and actor.is_platform_admin


@transaction.atomic
def do_reset_mfa(user: User, *, actor: User) -> bool:
    """Remove a user's authenticator app and recovery codes, and end their sessions.

    For a user who lost their phone: they log in with their password and, if
    their role requires it, set up a new app. Returns whether there was one.
    """
    require(can_reset_mfa(actor), "mfa")
    device = MfaDevice.objects.filter(user=user).select_related("user").first()
    if device is None:
        return False
    _remove(device, actor)
    end_user_sessions(user)
    return True


def verify_code(user: User, code: str, *, now: float | None = None) -> str | None:
    """Check a login code: "totp" or "recovery" for the kind accepted, None if refused.

    A TOTP code is accepted once (its time step is remembered); a recovery
    code is spent. Both are claimed with a conditional UPDATE, so two requests
    racing with the same code cannot both succeed.
    """
    device = MfaDevice.objects.filter(user=user).first()
    if device is None or not code.strip():
        return None
    if otp.looks_like_recovery_code(code):
        return "recovery" if _spend_recovery_code(device, user, code) else None
    step = otp.match_totp(
        unseal(device.secret_sealed),
        code,
        time.time() if now is None else now,
        after_step=device.last_step,
    )
    if step is None:
        return None
    claimed = MfaDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
        last_step=step, last_used_at=timezone.now()
    )
    return "totp" if claimed else None


def _spend_recovery_code(device: MfaDevice, user: User, code: str) -> bool:
    with transaction.atomic():
        before = _view(device)
        spent = RecoveryCode.objects.filter(
            user=user, code_hash=otp.hash_recovery_code(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent:
            record(user, AuditAction.UPDATE, device, before, _view(device))
    return bool(spent)


def enrolment_uri(secret: str, user: User) -> str:
    """The otpauth:// address of a secret for this user (what the QR code holds)."""
    return otp.provisioning_uri(secret, user.get_username(), ISSUER)
