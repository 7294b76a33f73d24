"""The audit log: one entry for every write, written in the write's transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What a write did."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    LOAD = "load", _("Loaded")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Lookups of audit entries."""

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        """The history of one object, newest first."""
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")


class AuditEntry(models.Model):
    """Who changed what, when, with the object's fields before and after."""

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
                out.append((str(field.verbose_name), old, new))
        return out


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
