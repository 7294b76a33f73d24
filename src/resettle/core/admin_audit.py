"""Audit for Django admin writes, which do not pass through the services."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from resettle.accounts.models import User
from resettle.core.audit import record, snapshot
from resettle.core.models import AuditAction

M = TypeVar("M", bound=models.Model)


class AuditedAdmin(admin.ModelAdmin[M], Generic[M]):
    """A ModelAdmin whose saves and deletes write audit entries in their transaction.

    Administrators may change anything, so no business rule is re-checked here;
    what matters is that the change is on the record like every other write.
    """

    def _actor(self, request: HttpRequest) -> User | None:
        return request.user if isinstance(request.user, User) else None

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        # Read the stored version: the form has already written the new values
        # onto `obj`.
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        request._audit_before = snapshot(stored) if stored is not None else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[M], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Many-to-many fields are saved here, so the "after" picture is taken last.
        obj = form.instance
        before = getattr(request, "_audit_before", None)
        after = snapshot(obj)
        if not change:
            record(self._actor(request), AuditAction.CREATE, obj, None, after)
        elif before != after:
            record(self._actor(request), AuditAction.UPDATE, obj, before, after)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        with transaction.atomic():
            record(self._actor(request), AuditAction.DELETE, obj, snapshot(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[M]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record(self._actor(request), AuditAction.DELETE, obj, snapshot(obj), None)
            super().delete_queryset(request, queryset)
