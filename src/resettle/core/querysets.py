"""Querysets shared by the apps' models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from resettle.accounts.models import User

M = TypeVar("M", bound=models.Model)


class PublicQuerySet(models.QuerySet[M]):
    """Public reference data (countries, organisations, populations...): every visitor,
    signed in or not, sees every row."""

    def visible_to(self, user: User | None) -> Self:
        """Every row, for every visitor."""
        return self.all()
