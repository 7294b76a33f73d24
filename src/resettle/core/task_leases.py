"""The lease a task worker holds on each background task it runs.

A worker takes the lease when it claims a task and renews it from a
heartbeat thread while the task runs; a lease that is not renewed in time
means the worker is gone (see `core.tasks_reliability`, which reads and writes
these rows, and docs/architecture.md, "Background work and failures").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    """A running background task's lease: which worker runs it, and until when it is
    presumed alive (by the database's clock, so that machines' clocks need not agree)."""

    task = models.OneToOneField(
        DBTaskResult,
        verbose_name=_("task"),
        primary_key=True,
        # Pruning old task results removes their leases too.
        on_delete=models.CASCADE,
        related_name="lease",
    )
    worker_id = models.CharField(_("worker"), max_length=64)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    claimed_at = models.DateTimeField(_("claimed at"))
    renewed_at = models.DateTimeField(_("renewed at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} {self.worker_id}@{self.hostname}:{self.pid}"
