"""The audit log (one entry for every write, written in the write's transaction) and
the log of refused requests.

Audit entries are append-only: the model refuses to save an existing entry or
to delete one, its queryset refuses update() and delete(), and database
triggers (migration 0006) refuse UPDATE and DELETE from any client. The one
change the triggers let through is the unlinking of a deleted account
(`actor` set to NULL, nothing else changed), which Django's SET_NULL does;
`actor_repr` keeps the name. See docs/audit.md.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What a write did."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    LOAD = "load", _("Loaded")


class AuditEntryIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


_APPEND_ONLY = "audit entries are append-only: they cannot be changed or deleted"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Lookups of audit entries (which cannot be updated or deleted in bulk either)."""

    def update(self, **kwargs: Any) -> int:
        raise AuditEntryIsAppendOnly(_APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryIsAppendOnly(_APPEND_ONLY)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditEntryIsAppendOnly(_APPEND_ONLY)

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        """The history of one object, newest first."""
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


class AuditEntry(models.Model):
    """Who changed what, when, with the object's fields before and after.

    Append-only (see the module's docstring). Refugees' personal data never
    reaches an entry in clear or encrypted: `snapshot` replaces the ciphertext
    of `*_sealed` fields by a fingerprint, and the pipeline's `__str__` methods
    name cases by reference and members by position.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too, so the entry still names the actor if the account goes.
    actor_repr = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before: models.JSONField[Any, Any] = models.JSONField(_("before"), null=True, blank=True)
    after: models.JSONField[Any, Any] = models.JSONField(_("after"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new entry; an entry read from the database cannot be saved again."""
        if not self._state.adding:
            raise AuditEntryIsAppendOnly(_APPEND_ONLY)
        # Never an UPDATE, even for a new instance given the id of an existing row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryIsAppendOnly(_APPEND_ONLY)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def readable_changes(self) -> list[tuple[str, Any, Any]]:
        """Like changes(), with field labels and related objects named, not numbered.

        A related object deleted since is shown by its id.
        """
        model = self.content_type.model_class()
        if model is None:  # the model has been removed since
            return self.changes()
        fields = {
            getattr(f, "attname", f.name): f
            for f in model._meta.get_fields()
            if getattr(f, "concrete", False) or f.many_to_many
        }
        out: list[tuple[str, Any, Any]] = []
        for key, old, new in self.changes():
            field: Any = fields.get(key)
            if field is None:
                out.append((key, old, new))
            elif field.is_relation and field.related_model is not None:
                out.append(
                    (
                        str(field.verbose_name),
                        _name_related(field.related_model, old),
                        _name_related(field.related_model, new),
                    )
                )
            elif field.choices:
                names = {str(k): str(v) for k, v in field.flatchoices}
                out.append(
                    (
                        str(field.verbose_name),
                        None if old is None else names.get(str(old), old),
                        None if new is None else names.get(str(new), new),
                    )
                )
            else:
                out.append((str(field.verbose_name), _readable(field, old), _readable(field, new)))
        return out


def _readable(field: Any, value: Any) -> Any:
    """A stored value as the page should show it: dates and times as date objects (the
    template formats them for the language), booleans as a translated yes or no."""
    if value is None:
        return None
    if isinstance(field, models.BooleanField) and isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str):
        try:
            if isinstance(field, models.DateTimeField):
                return datetime.datetime.fromisoformat(value)
            if isinstance(field, models.DateField):
                return datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _name_related(model: Any, value: Any) -> Any:
    """The str() of the related object(s) an id (or list of ids) points to."""
    if value is None:
        return None
    ids = value if isinstance(value, list) else [value]
    found = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
    names = [found.get(pk, f"#{pk}") for pk in ids]
    return ", ".join(names) if isinstance(value, list) else names[0]


class Notification(models.Model):
    """An e-mail the platform sent: to whom, about what, and when.

    `key` names the occasion (such as "commitment-overdue:12:2026-11-29") so that
    a reminder sent once is not sent again for the same occasion.
    """

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("occasion"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_occasion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class DeniedRequest(models.Model):
    """Requests refused for access reasons (401, 403, and 404 on a known route).

    One row per client (account, or address for anonymous visitors), method,
    path and status in each hour, counting repeats, so that a crawler cannot
    fill the table: `core/denials.py` also caps the rows a client and all
    clients together may add in an hour. Never the query string or the body.
    """

    window = models.DateTimeField(_("hour"), db_index=True)
    first_at = models.DateTimeField(_("first"), default=timezone.now)
    last_at = models.DateTimeField(_("last"), default=timezone.now)
    client = models.CharField(_("client"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_repr = models.CharField(_("who (as recorded)"), max_length=200)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    reason = models.CharField(_("reason"), max_length=60)
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("denied request")
        verbose_name_plural = _("denied requests")
        ordering = ["-last_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "client", "method", "path", "status"],
                name="denied_request_once_per_hour",
            )
        ]
        indexes = [models.Index(fields=["client", "window"], name="denied_client_idx")]

    def __str__(self) -> str:
        when = f"{self.last_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.user_repr} {self.method} {self.path} {self.status}"


# The lease a task worker holds on a running background task lives in its own
# module (core/tasks_reliability.py uses it); importing it registers the model.
from resettle.core.task_leases import TaskLease  # noqa: E402, F401 - registration, see above
