"""Business rules of the needs app's imports: who may import, and the import itself.

`do_import_dataset` reads, checks and writes a file as the next version of a
series (see `needs.loader`): a file with any problem raises `ImportRefused` (a
ValidationError naming `file`, carrying the row-by-row report) and writes
nothing; the same content as the series' current version writes nothing
either. The check runs outside any transaction (it only reads), the write in
one transaction with its audit entry.

Web uploads are staged first (`do_stage_upload`: the file is kept in the
storage under imports/ and described in the user's session), mapped and
previewed, then imported inline when small or by a background task
(`do_start_import`, `needs.tasks.import_dataset_task`) with a pending version
that shows the progress.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.accounts.roles import Capability
from resettle.core.access import as_user, require
from resettle.core.tasks_reliability import failure_messages
from resettle.needs import importing, loader
from resettle.needs.loader import ImportRefused, LoadResult, Progress
from resettle.needs.models import DatasetKind, DatasetVersion, VersionStatus

# Pledges recorded through the form are services of this app too.
from resettle.needs.pledges import can_record_pledge, do_record_pledge
from resettle.needs.warming import warm_gap_task

__all__ = [
    "ImportJob",
    "ImportRefused",
    "LoadResult",
    "StagedUpload",
    "can_import_dataset",
    "can_record_pledge",
    "default_series",
    "do_import_dataset",
    "do_record_pledge",
    "do_stage_upload",
    "do_start_import",
    "get_import_job_for_user",
    "import_kind",
    "inspect_upload",
    "preview_upload",
]

# The names the command line and the upload form use for each kind.
KIND_NAMES = {
    "needs": DatasetKind.NEEDS,
    "pledges": DatasetKind.PLEDGES,
    "departures": DatasetKind.FLOWS,
    "flows": DatasetKind.FLOWS,
}
DEFAULT_SERIES = {
    DatasetKind.NEEDS: "pgrn",
    DatasetKind.PLEDGES: "pledges",
    DatasetKind.FLOWS: "departures",
}
RDF_SERIES = "rdf-arrivals"
UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = datetime.timedelta(days=1)


def import_kind(name: str) -> str:
    """The DatasetKind of a kind's name (departures = flows); ValidationError otherwise."""
    kind = KIND_NAMES.get(name.strip().lower())
    if kind is None:
        raise ValidationError({"kind": _("Unknown kind of dataset: %(kind)s.") % {"kind": name}})
    return str(kind)


def default_series(kind: str, layout: str | None = None) -> str:
    """The series a file goes to when none is named."""
    if layout == importing.RDF:
        return RDF_SERIES
    return DEFAULT_SERIES[DatasetKind(kind)]


# ---- rules -------------------------------------------------------------------


def can_import_dataset(user: User | None, kind: str | None = None) -> bool:
    """Platform administrators and UNHCR staff import every kind of dataset.

    (State officials importing their own State's pledges is left for later.)
    """
    return user is not None and user.is_active and user.can(Capability.IMPORT_DATA)


def _check_actor(actor: User | None, kind: str) -> None:
    # actor None is the command line or the demo loader, recorded as "system".
    require(actor is None or can_import_dataset(actor, kind), "import")


def _read(source_file: str | Path | bytes) -> tuple[bytes, str]:
    if isinstance(source_file, bytes | bytearray | memoryview):
        return bytes(source_file), ""
    path = Path(source_file)
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise ValidationError(
            {"file": _("The file %(name)s cannot be read.") % {"name": str(path)}}
        ) from exc


# ---- the import ------------------------------------------------------------------


def do_import_dataset(
    kind: str,
    source_file: str | Path | bytes,
    *,
    series: str | None = None,
    source: str = "",
    mapping: Mapping[str, int | str | None] | None = None,
    layout: str | None = None,
    actor: User | None,
    progress: Progress | None = None,
    file_name: str = "",
    is_public: bool = True,
    is_illustrative: bool = False,
    note: str = "",
    pending: DatasetVersion | None = None,
) -> LoadResult:
    """Import a file (a path or its bytes) as the next version of a series.

    `kind` is needs, pledges or departures (flows). `mapping` maps fields to
    columns (index, header or hashtag); unmapped fields are found by header
    name and hashtag. `layout` "rdf" reads the Refugee Data Finder's layout
    (detected from the header when not given). `series` defaults by kind
    (rdf-arrivals for that layout), `source` to the file name.

    Raises PermissionDenied, ImportRefused (a ValidationError naming `file`,
    with `.report`) for a bad file, ValidationError naming `series` or `kind`;
    in each case nothing is written (and a pending version is removed).
    """
    try:
        kind = import_kind(kind)
        _check_actor(actor, kind)
        data, read_name = _read(source_file)
        file_name = file_name or read_name
        result = loader.check_file(
            kind,
            data,
            file_name=file_name,
            mapping=dict(mapping) if mapping else None,
            layout=layout,
            progress=progress,
        )
        if not result.ok:
            raise ImportRefused(result)
        series = (series or "").strip() or default_series(kind, result.layout)
        if len(series) > 100:
            raise ValidationError({"series": _("At most 100 characters.")})
        loaded = loader.write_dataset(
            kind,
            result,
            series=series,
            source=source.strip() or file_name or series,
            actor=actor,
            file_name=file_name,
            is_public=is_public,
            is_illustrative=is_illustrative,
            note=note,
            pending=pending,
            progress=progress,
        )
        if loaded.imported:
            # Enqueued in the import's own transaction: the worker sees the task
            # only once the version is committed.
            warm_gap_task.enqueue(version_id=loaded.version.pk)
        return loaded
    except (PermissionDenied, ValidationError):
        if pending is not None and pending.pk is not None:
            DatasetVersion.objects.filter(pk=pending.pk, status__in=_UNFINISHED).delete()
        raise


_UNFINISHED = (VersionStatus.PENDING, VersionStatus.RUNNING)


# ---- web uploads --------------------------------------------------------------------


@dataclass
class StagedUpload:
    """A file uploaded for import, kept until it is imported (or a day has passed)."""

    id: str
    kind: str
    stored_name: str
    file_name: str
    series: str
    source: str
    note: str
    is_public: bool
    size: int

    def as_dict(self) -> dict[str, Any]:
        """For the session."""
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StagedUpload:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})

    def read(self) -> bytes:
        """The file's bytes."""
        with default_storage.open(self.stored_name, "rb") as fh:
            data: bytes = fh.read()
        return data

    def table(self) -> importing.Table:
        """The file as a table (raises importing.Unreadable)."""
        return importing.read_table(self.read(), self.file_name)

    def discard(self) -> None:
        """Remove the stored file."""
        if default_storage.exists(self.stored_name):
            default_storage.delete(self.stored_name)


def _prune_uploads() -> None:
    """Remove staged files older than a day (uploads never imported)."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - UPLOAD_MAX_AGE
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue


def do_stage_upload(
    kind: str,
    data: bytes,
    *,
    file_name: str,
    series: str = "",
    source: str = "",
    note: str = "",
    is_public: bool = True,
    actor: User,
) -> tuple[StagedUpload, importing.Table]:
    """Keep an uploaded file for mapping and import; refuse one that cannot be read.

    Raises PermissionDenied, or ValidationError naming `file`.
    """
    kind = import_kind(kind)
    require(can_import_dataset(actor, kind), "import")
    max_bytes = int(getattr(settings, "IMPORT_MAX_BYTES", 200 * 1024 * 1024))
    if len(data) > max_bytes:
        raise ValidationError({"file": _("The file is too large.")})
    try:
        table = importing.read_table(data, file_name)
    except importing.Unreadable as exc:
        raise ValidationError(
            {"file": _("The file cannot be read as CSV or XLSX: %(detail)s") % {"detail": exc}}
        ) from exc
    if not table.columns:
        raise ValidationError({"file": _("The file is empty: it has no header row.")})
    _prune_uploads()
    upload_id = uuid.uuid4().hex
    suffix = ".xlsx" if table.source_format == "xlsx" else ".csv"
    stored = default_storage.save(f"{UPLOAD_DIR}/{upload_id}{suffix}", ContentFile(data))
    staged = StagedUpload(
        upload_id,
        kind,
        stored,
        Path(file_name).name[:300],
        series.strip(),
        source.strip(),
        note.strip(),
        is_public,
        len(data),
    )
    return staged, table


def inspect_upload(
    staged: StagedUpload,
) -> tuple[importing.Table, str | None, dict[str, int]]:
    """A staged file's table, its layout (rdf or None) and the mapping guessed from its
    header names and hashtags. Raises importing.Unreadable, OSError."""
    table = staged.table()
    layout = importing.detect_layout(table)
    return table, layout, importing.guess_mapping(staged.kind, table, layout)


def preview_upload(
    staged: StagedUpload,
    table: importing.Table,
    mapping: Mapping[str, int | str | None] | None,
    layout: str | None,
    *,
    limit: int = 20,
) -> tuple[list[importing.PreviewRow], importing.CheckResult]:
    """The first rows of a staged file, checked with a mapping (nothing is written)."""
    lookups = loader.build_lookups()
    return importing.preview(staged.kind, table, lookups, mapping, layout=layout, limit=limit)


def inline_max_rows() -> int:
    """Files with at most this many rows import during the request; larger ones in the
    background."""
    return int(getattr(settings, "IMPORT_INLINE_MAX_ROWS", 20_000))


def do_start_import(
    staged: StagedUpload,
    *,
    mapping: Mapping[str, int | str | None] | None,
    layout: str | None,
    series: str,
    actor: User,
) -> tuple[DatasetVersion, str]:
    """Queue a background import of a staged file; return its pending version and job id.

    The pending version shows the progress (rows checked of rows expected);
    the task turns it into the new version, or removes it when the file is
    refused or unchanged (the job's result says which).
    """
    from resettle.needs.tasks import import_dataset_task  # noqa: PLC0415 - tasks import us

    kind = import_kind(staged.kind)
    require(can_import_dataset(actor, kind), "import")
    if not series or len(series) > 100:
        raise ValidationError({"series": _("Name the series (at most 100 characters).")})
    with transaction.atomic():
        pending = DatasetVersion.objects.create(
            kind=kind,
            series=series,
            number=loader.next_number(series),
            source=(staged.source or staged.file_name)[:300],
            file_name=staged.file_name,
            checksum="",
            status=VersionStatus.PENDING,
            is_public=staged.is_public,
            note=staged.note,
            created_by=actor,
        )
        job = import_dataset_task.enqueue(
            version_id=pending.pk,
            kind=kind,
            stored_name=staged.stored_name,
            file_name=staged.file_name,
            series=series,
            source=staged.source,
            note=staged.note,
            is_public=staged.is_public,
            mapping={k: v for k, v in (mapping or {}).items()},
            layout=layout,
            actor_id=actor.pk,
        )
    return pending, str(job.id)


# ---- background jobs ----------------------------------------------------------------


@dataclass
class ImportJob:
    """Where a background import stands, for its progress page.

    `state`: waiting, checking, writing (while it runs); imported, unchanged,
    refused, failed (once done). `version` is the pending version while it
    runs, then the new (or, unchanged, the current) version.
    """

    id: str
    state: str
    series: str
    file_name: str
    version: DatasetVersion | None = None
    rows_done: int = 0
    row_count: int = 0
    errors: list[importing.RowError] | None = None
    error_count: int = 0
    messages: list[str] | None = None

    @property
    def finished(self) -> bool:
        return self.state in {"imported", "unchanged", "refused", "failed"}

    @property
    def percent(self) -> int:
        if self.finished or self.state == "writing":
            return 100
        if not self.row_count:
            return 0
        return min(100, round(100 * self.rows_done / self.row_count))


def get_import_job_for_user(job_id: str, user: Any) -> ImportJob:
    """A background import started by this user (or any, for an administrator); 404
    for a job that does not exist or is someone else's."""
    from django_tasks import TaskResultStatus  # noqa: PLC0415
    from django_tasks.exceptions import TaskResultDoesNotExist  # noqa: PLC0415

    from resettle.needs.tasks import import_dataset_task  # noqa: PLC0415 - tasks import us

    actor = as_user(user)
    try:
        result = import_dataset_task.get_result(str(job_id))
    except (TaskResultDoesNotExist, ValueError) as exc:
        raise Http404("import") from exc
    kwargs = result.kwargs
    owner = kwargs.get("actor_id")
    if actor is None or not (actor.is_platform_admin or owner == actor.pk):
        raise Http404("import")
    job = ImportJob(str(result.id), "waiting", kwargs["series"], kwargs["file_name"])
    pending = DatasetVersion.objects.filter(pk=kwargs["version_id"]).first()
    if result.status == TaskResultStatus.FAILED:
        job.state = "failed"
        # Given up after its worker stopped on every attempt: say so.
        job.messages = failure_messages(result)
        return job
    if result.status != TaskResultStatus.SUCCESSFUL:
        job.version = pending
        if pending is not None and pending.status == VersionStatus.RUNNING:
            job.rows_done, job.row_count = pending.rows_done, pending.row_count
            done = pending.row_count and pending.rows_done >= pending.row_count
            job.state = "writing" if done else "checking"
        return job
    outcome: dict[str, Any] = result.return_value or {}
    job.state = str(outcome.get("outcome", "failed"))
    if job.state in {"imported", "unchanged"}:
        job.version = DatasetVersion.objects.filter(pk=int(outcome.get("version") or 0)).first()
        job.rows_done = job.row_count = int(outcome.get("rows", 0))
    elif job.state == "refused":
        job.errors = [importing.RowError.from_dict(e) for e in outcome.get("errors", [])]
        job.error_count = int(outcome.get("error_count", len(job.errors)))
    else:
        job.state = "failed"
        job.messages = [str(m) for m in outcome.get("messages", [])]
    return job
