"""Background work of the needs app: large imports, run by the task worker.

`import_dataset_task` runs `do_import_dataset` on a staged upload, writing its
progress on the pending version (`rows_done` of `row_count`, status running)
as it checks the rows, so the progress page can show a bar. Its result (kept
by django-tasks) says what became of the file: imported (the version's id),
unchanged (the current version's id) or refused (the report).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django_tasks import task

from resettle.accounts.models import User
from resettle.core.tasks_reliability import on_worker_lost
from resettle.needs.loader import CHECKING, ImportRefused, Progress
from resettle.needs.models import DatasetVersion, VersionStatus
from resettle.needs.services import do_import_dataset

# Seconds between two progress writes.
PROGRESS_INTERVAL = 0.5


def _progress_writer(version_id: int) -> Progress:
    """A progress callback that records rows checked on the pending version."""
    last = 0.0

    def progress(phase: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        # Rows written count inside the import's transaction, invisible to others:
        # the page shows "writing" once every row has been checked.
        if phase != CHECKING or (now - last < PROGRESS_INTERVAL and done < total):
            return
        last = now
        DatasetVersion.objects.filter(pk=version_id).update(
            rows_done=done, row_count=max(total, done), status=VersionStatus.RUNNING
        )

    return progress


@task()
def import_dataset_task(
    *,
    version_id: int,
    kind: str,
    stored_name: str,
    file_name: str,
    series: str,
    source: str,
    note: str,
    is_public: bool,
    mapping: dict[str, int | str | None],
    layout: str | None,
    actor_id: int | None,
) -> dict[str, Any]:
    """Import a staged file into its pending version; say what happened.

    Run again after its worker was killed (core.tasks_reliability), it either
    finds its version imported (the killed attempt committed) and says so, or
    imports the file afresh: the killed attempt's transaction left nothing.
    """
    pending = DatasetVersion.objects.filter(pk=version_id).first()
    if pending is not None and pending.status == VersionStatus.DONE:
        _discard(stored_name)
        return _imported(pending, "imported")
    if pending is None or pending.status not in (VersionStatus.PENDING, VersionStatus.RUNNING):
        return {"outcome": "gone"}
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    DatasetVersion.objects.filter(pk=version_id).update(status=VersionStatus.RUNNING)
    try:
        with default_storage.open(stored_name, "rb") as fh:
            data = fh.read()
        result = do_import_dataset(
            kind,
            data,
            series=series,
            source=source,
            mapping=mapping or None,
            layout=layout,
            actor=actor,
            progress=_progress_writer(version_id),
            file_name=file_name,
            is_public=is_public,
            note=note,
            pending=pending,
        )
    except ImportRefused as exc:
        _discard(stored_name)
        return {
            "outcome": "refused",
            "errors": [e.as_dict() for e in exc.report],
            "error_count": exc.error_count,
        }
    except (PermissionDenied, ValidationError, OSError) as exc:
        DatasetVersion.objects.filter(
            pk=version_id, status__in=(VersionStatus.PENDING, VersionStatus.RUNNING)
        ).delete()
        _discard(stored_name)
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return {"outcome": "failed", "messages": [str(m) for m in messages]}
    except Exception:
        DatasetVersion.objects.filter(pk=version_id).update(status=VersionStatus.FAILED)
        _discard(stored_name)
        raise
    # Not in a `finally`: a worker stopped mid-import (SystemExit, KeyboardInterrupt)
    # keeps the file for the task's next attempt.
    _discard(stored_name)
    return _imported(result.version, result.outcome, result.rows)


def _discard(stored_name: str) -> None:
    if default_storage.exists(stored_name):
        default_storage.delete(stored_name)


def _imported(version: DatasetVersion, outcome: str, rows: int | None = None) -> dict[str, Any]:
    return {
        "outcome": outcome,
        "version": version.pk,
        "number": version.number,
        "series": version.series,
        "rows": version.row_count if rows is None else rows,
    }


@on_worker_lost(import_dataset_task)
def _import_lost(kwargs: dict[str, Any], message: str) -> None:
    """Given up after its worker stopped on every attempt: the pending version is
    marked failed (nothing of the file was written) and the staged file removed."""
    DatasetVersion.objects.filter(
        pk=int(kwargs.get("version_id") or 0),
        status__in=(VersionStatus.PENDING, VersionStatus.RUNNING),
    ).update(status=VersionStatus.FAILED, errors=[{"message": message}])
    _discard(str(kwargs.get("stored_name", "")))
