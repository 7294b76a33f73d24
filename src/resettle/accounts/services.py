"""Business rules for user accounts: creating and disabling accounts, and their API tokens."""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import ApiToken, User
from resettle.accounts.roles import Role
from resettle.accounts.sessions import end_user_sessions
from resettle.core.access import require
from resettle.core.audit import save_with_audit
from resettle.directory.models import Organisation, Person


def can_create_user(actor: User | None) -> bool:
    """Platform administrators create accounts; `None` is the operator at the command line."""
    if actor is None:
        return True
    return actor.is_active and actor.is_platform_admin


def valid_roles() -> list[str]:
    """The role codes an account can hold, in their declared order."""
    return [str(value) for value in Role.values]


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None = None,
    email: str = "",
    person: Person | None = None,
    is_superuser: bool = False,
    actor: User | None,
) -> User:
    """Create an account with a role, an organisation and a validated password.

    Every problem is reported at once, as a ValidationError naming its field
    (username, password, role, organisation, email, person). The audit entry
    never holds the password hash: `core.audit.snapshot` drops it.
    """
    require(can_create_user(actor), "user")
    errors: dict[str, list[str]] = {}

    if role not in Role.values:
        errors.setdefault("role", []).append(
            _("“%(role)s” is not a role. Valid roles: %(roles)s.")
            % {"role": role, "roles": ", ".join(valid_roles())}
        )
    # Every account acts for an organisation, except the platform's own administrators.
    if role != Role.ADMIN and organisation is None:
        errors.setdefault("organisation", []).append(
            _("Give the organisation this account acts for.")
        )
    if (
        person is not None
        and organisation is not None
        and person.organisation_id != organisation.pk
    ):
        errors.setdefault("person", []).append(
            _("The contact record must belong to the account's organisation.")
        )

    user = User(
        username=User.normalize_username(username),
        email=BaseUserManager.normalize_email(email),
        role=role,
        organisation=organisation,
        person=person,
        is_superuser=is_superuser,
        # Superusers get the Django admin site too; other roles work in the platform's pages.
        is_staff=is_superuser,
    )

    if not password:
        errors.setdefault("password", []).append(_("Give a password."))
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    user.set_password(password or None)

    try:
        # Fields already found wrong are left out, so each is reported once.
        user.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)

    if errors:
        raise ValidationError(errors)
    return save_with_audit(user, {}, actor=actor)


# ---- API tokens ----------------------------------------------------------------

# Tokens expire: a forgotten one stops working within a year at most.
MAX_TOKEN_DAYS = 366


@transaction.atomic
def do_create_api_token(*, name: str, days: int, actor: User) -> str:
    """Give the actor a new API token valid for `days`; return the raw token.

    Only the token's hash is stored (and audited); the raw value is returned
    once, for the caller to show, and cannot be read back afterwards.
    """
    require(actor is not None and actor.is_active, "token")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("Enter a validity of 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS}}
        )
    raw = ApiToken.new_raw_token()
    token = ApiToken(user=actor)
    token.set_raw(raw)
    save_with_audit(
        token,
        {"name": name, "expires_at": timezone.now() + datetime.timedelta(days=days)},
        actor=actor,
    )
    return raw


def can_revoke_api_token(user: User | None, token: ApiToken) -> bool:
    """Users revoke their own tokens; platform administrators revoke anyone's."""
    if user is None or not user.is_active:
        return False
    return token.user_id == user.pk or user.is_platform_admin


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor: User) -> None:
    """Revoke a token now (revoking a revoked token changes nothing)."""
    require(can_revoke_api_token(actor, token), "token")
    if token.revoked_at is None:
        save_with_audit(token, {"revoked_at": timezone.now()}, actor=actor)


# ---- disabling accounts ----------------------------------------------------------


@transaction.atomic
def do_set_user_active(user: User, *, active: bool, actor: User) -> User:
    """Enable or disable an account; disabling ends all of its sessions at once.

    Platform administrators only, and not on their own account (which would
    lock them out with nobody to undo it). Disabled accounts cannot log in
    nor use their API tokens; re-enabling one brings none of its old sessions
    back, since they were deleted.
    """
    require(can_create_user(actor) and actor is not None, "user")
    if not active and user.pk == actor.pk:
        raise ValidationError({"is_active": _("You cannot disable your own account.")})
    save_with_audit(user, {"is_active": active}, actor=actor)
    if not active:
        end_user_sessions(user)
    return user
