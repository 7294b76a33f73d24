"""User accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.accounts.roles import Capability, Role, role_allows

if TYPE_CHECKING:
    from resettle.directory.models import Organisation


class User(AbstractUser):
    """A person who signs in: belongs to one organisation and holds one role."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.NGO)
    person = models.OneToOneField(
        "directory.Person",
        verbose_name=_("contact record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        help_text=_("The contact record of this user, for forum memberships held in person."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", "English"), ("ar", "العربية"), ("fr", "Français")],
        default="en",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_platform_admin(self) -> bool:
        """Administrators and Django superusers see and edit everything."""
        return self.is_superuser or self.role == Role.ADMIN

    def can(self, capability: Capability) -> bool:
        """Whether this user's role grants a capability."""
        return self.is_active and (self.is_superuser or role_allows(self.role, capability))

    def home_organisation(self) -> Organisation | None:
        """The organisation the user acts for."""
        return self.organisation


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    """Lookups of API tokens."""

    def active(self) -> ApiTokenQuerySet:
        """Tokens that are neither revoked nor expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def authenticate(self, raw: str) -> User | None:
        """The active user a raw token belongs to, or None."""
        token = (
            self.active()
            .select_related("user")
            .filter(key_hash=_hash_token(raw), user__is_active=True)
            .first()
        )
        return token.user if token else None


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_token() -> str:
        """A fresh random token (shown to the user once, never stored)."""
        return "rst_" + secrets.token_urlsafe(32)

    def set_raw(self, raw: str) -> None:
        """Store the hash and display prefix of a raw token."""
        self.key_hash = _hash_token(raw)
        self.prefix = raw[:8]


# ---- multi-factor authentication -------------------------------------------------


class MfaDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): their second factor at login.

    The shared secret is stored encrypted (Fernet, the key of the pipeline's
    personal data); it never reaches the audit log, whose entries for this
    model are written by `services_mfa` with the secret left out. A row exists
    only once the user has confirmed the app with a first code.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mfa_device")
    secret_sealed = models.TextField(editable=False)
    confirmed_at = models.DateTimeField(_("set up"), default=timezone.now)
    # The time step of the last accepted code: a code is never accepted twice.
    last_step = models.BigIntegerField(default=-1, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP · {self.user.get_username()}"


class RecoveryCode(models.Model):
    """A one-time recovery code, for logging in without the authenticator app.

    Ten are issued at once and shown to the user once; only their SHA-256 is
    kept. A used code keeps its row (with `used_at`) until the set is replaced.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code #{self.pk} · {self.user_id}"


# ---- login throttling and sessions -----------------------------------------------


class LoginOutcome(models.TextChoices):
    """What became of a login attempt that did not succeed."""

    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused (too many failures)")


class LoginStage(models.TextChoices):
    """Which secret the attempt got wrong."""

    PASSWORD = "password", _("Password")
    CODE = "code", _("Authentication code")
    CONFIRM = "confirm", _("Password confirmation")


class LoginAttempt(models.Model):
    """A failed or refused login: the throttle counts these (see accounts/throttle.py).

    Kept in the database so that every web process and machine counts the
    same attempts. Holds the username as typed (whether or not an account has
    it) and the client's address, never the password. Rows older than a day
    are pruned; the audit log keeps its own entry for each.
    """

    username = models.CharField(_("username tried"), max_length=150)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=LoginOutcome.choices, default=LoginOutcome.FAILED
    )
    stage = models.CharField(
        _("stage"), max_length=8, choices=LoginStage.choices, default=LoginStage.PASSWORD
    )

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [
            models.Index(fields=["username", "at"], name="login_attempt_user_idx"),
            models.Index(fields=["ip", "at"], name="login_attempt_ip_idx"),
            models.Index(fields=["at"], name="login_attempt_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} login for “{self.username}” from {self.ip or '?'}"


class UserSession(models.Model):
    """Which session belongs to which user, written at login.

    Ending a user's sessions (account disabled, MFA reset) then costs one
    indexed lookup, instead of decoding every row of the session table to
    find the user's id in it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "created_at"], name="user_session_user_idx")]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
