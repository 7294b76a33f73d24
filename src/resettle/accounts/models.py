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
