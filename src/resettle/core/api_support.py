"""What every app's API router shares: authentication, errors, id lookups."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth

from resettle.accounts.models import ApiToken, User
from resettle.accounts.services_mfa import has_mfa, mfa_required_for
from resettle.core.access import as_user

M = TypeVar("M", bound=models.Model)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rst_…` with a token from the user's account page or CLI."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.objects.authenticate(token)
        if user is not None and mfa_required_for(user) and not has_mfa(user):
            # A token made before the role required a second factor (or before an
            # administrator reset the user's app) must not get round the requirement.
            raise HttpError(
                403,
                _(
                    "Your role requires multi-factor authentication. Set up an "
                    "authenticator app on your account page before using API tokens."
                ),
            )
        if user is not None:
            request.user = user
        return user


def anonymous(request: HttpRequest) -> str:
    """Lets a read through without credentials; visible_to() then shows public rows only."""
    return "anonymous"


class CsrfSessionAuth(SessionAuth):
    """Django's session, with Django's CSRF check whenever the session signs the user in.

    Ninja's SessionAuth checks CSRF before it looks at the session, so an
    anonymous write (or one with a bad bearer token) got 403 "CSRF check
    Failed" instead of 401. Without a signed-in session there is no ambient
    credential to forge, so there is nothing for CSRF to protect.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = CsrfSessionAuth(csrf=True)
token_auth = TokenAuth()
# Reads: a token, a session or nobody. Writes: a token or a session.
READ_AUTH: list[Any] = [token_auth, session_auth, anonymous]
WRITE_AUTH: list[Any] = [token_auth, session_auth]


# The largest limit or offset of a list: far more rows than any table holds.
MAX_ROWS = 2**31 - 1


class BoundedPagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination, with a limit and offset the databases can take.

    Ninja bounds them below only: `?offset=10**30` or `?limit=10**30` reached the
    query, and SQLite (64-bit) and PostgreSQL (bigint) failed on it with a server
    error. No list holds two thousand million rows, so larger values are refused (422).
    """

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(
            LimitOffsetPagination.Input.model_fields["limit"].default, ge=1, le=MAX_ROWS
        )
        offset: int = Field(0, ge=0, le=MAX_ROWS)


def api_user(request: HttpRequest) -> User | None:
    """The user behind an API request, or None for an anonymous read."""
    return as_user(getattr(request, "user", None))


def api_actor(request: HttpRequest) -> User:
    """The user behind a write (WRITE_AUTH guarantees one)."""
    user = api_user(request)
    if user is None:  # pragma: no cover - WRITE_AUTH refuses anonymous requests first
        raise PermissionError("authentication required")
    return user


def resolve(
    model: type[M], user: User | None, field: str, pk: Any, *, lookup: str = "pk"
) -> M | None:
    """The related object named by an id in the payload, if the user may see it.

    An unknown id and an id the user may not see get the same 422, naming the field.
    """
    if pk is None:
        return None
    manager: Any = model._default_manager
    obj: M | None = manager.visible_to(user).filter(**{lookup: pk}).first()
    if obj is None:
        raise ValidationError({field: [f"No {model._meta.verbose_name} with {lookup} {pk!r}."]})
    return obj


def resolve_many(model: type[M], user: User | None, field: str, pks: list[Any]) -> list[M]:
    """Several related objects by id (see resolve)."""
    manager: Any = model._default_manager
    found = {obj.pk: obj for obj in manager.visible_to(user).filter(pk__in=pks)}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise ValidationError({field: [f"No {model._meta.verbose_name} with id {missing}."]})
    return [found[pk] for pk in pks]
