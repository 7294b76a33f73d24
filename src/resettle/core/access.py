"""Shared helpers for object access: 404 for absent and not-yours alike."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from resettle.accounts.models import User
from resettle.accounts.roles import Capability

M = TypeVar("M", bound=models.Model)


def as_user(user: Any) -> User | None:
    """The signed-in User, or None for an anonymous visitor."""
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def get_visible(model: type[M], user: Any, **lookup: Any) -> M:
    """One object the user may see, or Http404 (the same whether absent or hidden)."""
    manager: Any = model._default_manager
    try:
        obj: M = manager.visible_to(as_user(user)).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(str(model._meta.verbose_name)) from exc
    return obj


def require_capability(actor: User | None, capability: Capability) -> User:
    """The actor, if their role grants the capability; PermissionDenied otherwise."""
    if actor is None or not actor.can(capability):
        raise PermissionDenied(capability.label)
    return actor


def require(allowed: bool, reason: str = "") -> None:
    """PermissionDenied unless allowed."""
    if not allowed:
        raise PermissionDenied(reason)
