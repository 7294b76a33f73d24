"""The backup archive: a zip file with a manifest, one JSON-lines file per table
and the uploaded files.

Layout::

    manifest.json                 format, versions, migration state, tables, media
    tables/<db_table>.jsonl       one line per row, in primary-key order (tables.py)
    media/<path under MEDIA_ROOT> the uploaded files, as they are

A zip rather than a tar: its index lets restore read the manifest (written last,
once the checksums are known) before anything else, and each member streams.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "resettle-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# zlib level 3: a third of level 6's time on the tables' JSON, for 15% more bytes.
COMPRESSLEVEL = 3


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class TableEntry:
    """One table of the archive: its file, columns, row count and checksums."""

    table: str
    model: str
    columns: list[str]
    file: str
    rows: int
    sha256: str  # of the rows' canonical lines (tables.canonical_line), any engine
    file_sha256: str  # of the file's bytes, to find damage before anything is written


@dataclass(frozen=True)
class MediaEntry:
    """One uploaded file: its path under MEDIA_ROOT, size and checksum."""

    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What an archive holds and the state of the database it was made from."""

    created_at: str
    engine: str
    django: str
    migrations: list[tuple[str, str]]
    tables: list[TableEntry] = field(default_factory=list)
    media: list[MediaEntry] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        """Rows in all tables."""
        return sum(t.rows for t in self.tables)

    def to_json(self) -> bytes:
        """The manifest file's content."""
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, **asdict(self)}
        return json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Read a manifest, refusing one this release cannot restore."""
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError("this is not a Resettle backup (its manifest has no format)")
            if data.get("version") != VERSION:
                raise BackupError(
                    f"this backup has format version {data.get('version')!r}; "
                    f"this release reads version {VERSION}"
                )
            return cls(
                created_at=str(data["created_at"]),
                engine=str(data["engine"]),
                django=str(data["django"]),
                migrations=[(str(a), str(n)) for a, n in data["migrations"]],
                tables=[TableEntry(**t) for t in data["tables"]],
                media=[MediaEntry(**m) for m in data["media"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"the backup's manifest cannot be read: {exc}") from exc


def open_archive(path: Path) -> tuple[zipfile.ZipFile, Manifest]:
    """The archive opened for reading, and its manifest."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    try:
        with archive.open(MANIFEST) as handle:
            manifest = Manifest.from_json(handle.read())
    except KeyError as exc:
        archive.close()
        raise BackupError(f"{path} has no {MANIFEST}: it is not a Resettle backup") from exc
    except (zipfile.BadZipFile, OSError, BackupError) as exc:
        archive.close()
        raise BackupError(f"{path}: {exc}") from exc
    return archive, manifest


def table_lines(archive: zipfile.ZipFile, entry: TableEntry) -> Iterator[bytes]:
    """The lines of a table's file, streamed."""
    try:
        with archive.open(entry.file) as handle:
            yield from handle
    except KeyError as exc:
        raise BackupError(f"the archive has no file {entry.file} for {entry.table}") from exc
    except (zipfile.BadZipFile, OSError) as exc:  # zip's own CRC check, among others
        raise BackupError(
            f"{entry.table}: the archive's file {entry.file} is damaged: {exc}"
        ) from exc


# ---- media ---------------------------------------------------------------------------


def media_files(root: Path) -> list[Path]:
    """Every file under MEDIA_ROOT, sorted (none when it does not exist)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    """Copy a stream in chunks; its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


def write_media(archive: zipfile.ZipFile, root: Path) -> list[MediaEntry]:
    """Add MEDIA_ROOT's files to the archive."""
    entries = []
    for path in media_files(root):
        relative = path.relative_to(root).as_posix()
        try:
            with (
                path.open("rb") as source,
                archive.open(f"media/{relative}", "w", force_zip64=True) as target,
            ):
                size, sha = copy_hashed(source, target)
        except FileNotFoundError:  # deleted while the backup ran: not part of it
            continue
        entries.append(MediaEntry(path=relative, size=size, sha256=sha))
    return entries


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in relative:
        raise BackupError(f"the archive names an unsafe media path: {relative!r}")
    return path


def stage_media(archive: zipfile.ZipFile, entries: list[MediaEntry], staging: Path) -> None:
    """Extract the archive's files into `staging`, checking each one's size and checksum."""
    staging.mkdir(parents=True)
    for entry in entries:
        target = staging / _safe(entry.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(f"media/{entry.path}") as source, target.open("wb") as out:
                size, sha = copy_hashed(source, out)
        except KeyError as exc:
            raise BackupError(f"the archive lacks the uploaded file {entry.path}") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise BackupError(f"the uploaded file {entry.path} is damaged: {exc}") from exc
        if (size, sha) != (entry.size, entry.sha256):
            raise BackupError(
                f"the uploaded file {entry.path} does not match its checksum: "
                "the archive is damaged"
            )


def remove_tree(path: Path) -> None:
    """Delete a staging folder, if there is one."""
    shutil.rmtree(path, ignore_errors=True)
