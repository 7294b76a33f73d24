"""`resettle backup` and `resettle restore`: a database round-trips to identical content.

The source is a real database of the suite's engine (SQLite, or PostgreSQL with
DATABASE_URL), migrated and filled with the demo dataset by the `resettle`
command itself, plus pipeline case files whose personal data is encrypted.
It is backed up once; each round trip restores that archive into a new
database (`resettle migrate`, then `resettle restore`) and compares every table
row by row with the source, through the database drivers themselves, and
the archives' row counts and checksums. With PostgreSQL, the archive also goes
to SQLite and back. Refusals run in-process against the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from cryptography.fernet import Fernet
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction

from resettle.core.backup.tables import backed_up_tables, checksum, tables_with_rows
from resettle.core.models import AuditEntry
from resettle.directory.models import Organisation
from resettle.pipeline.models import FamilyMember

KEY = Fernet.generate_key().decode()
# Tables that are not content: the migration log (compared as a set of names), the
# shared cache (emptied by restore: its figures were computed from the old rows),
# SQLite's sequence counters and the FTS5 index with its shadow tables (rebuilt by
# triggers; a search checks it).
NOT_CONTENT = ("django_migrations", "resettle_cache", "sqlite_sequence")
# Some demo cases referred to a State, so the pipeline demo opens case files for them
# and records their family members (names and dates of birth encrypted).
PIPELINE = """
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.directory.models import Country
from resettle.pipeline.demo import load_pipeline_demo
ids = list(ResettlementCase.objects.filter(is_illustrative=True)
           .order_by("reference").values_list("pk", flat=True)[:6])
ResettlementCase.objects.filter(pk__in=ids).update(
    status=CaseStatus.REFERRED, referred_state=Country.objects.get(iso3="DEU"))
print("pipeline records:", load_pipeline_demo())
"""


def resettle(url: str, var: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the `resettle` command on the database at `url`, with `var` as its var/ folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=url,
        RESETTLE_ENV="test",
        RESETTLE_VAR_DIR=str(var),
        FIELD_ENCRYPTION_KEY=KEY,
    )
    var.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "resettle.cli", *args],
        env=env,
        cwd=var,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if ok:
        assert result.returncode == 0, f"resettle {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


@dataclass
class Engine:
    """Databases of one engine, made for these tests and dropped afterwards."""

    vendor: str
    folder: Path
    admin: dict[str, Any] = field(default_factory=dict)  # PostgreSQL connection parameters
    prefix: str = ""
    made: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.folder / name}.sqlite3"
        user, host = self.admin.get("user") or "", self.admin.get("host") or "localhost"
        password = f":{self.admin['password']}" if self.admin.get("password") else ""
        port = f":{self.admin['port']}" if self.admin.get("port") else ""
        return f"postgres://{user}{password}@{host}{port}/{self.prefix}_{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(**self.admin, dbname="postgres", autocommit=True) as admin:
            admin.execute(sql)

    def migrated(self, name: str) -> str:
        """A new database, migrated by `resettle migrate`."""
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.prefix}_{name}"')
            self.made.append(name)
        resettle(self.url(name), self.folder / f"var-{name}", "migrate", "--no-input", "-v0")
        return self.url(name)

    def copy(self, template: str, name: str) -> str:
        """A new database with the content of `template` (made by `migrated`)."""
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')
            self._admin(
                f'CREATE DATABASE "{self.prefix}_{name}" TEMPLATE "{self.prefix}_{template}"'
            )
            self.made.append(name)
        else:
            for suffix in ("", "-wal", "-shm"):
                source = self.folder / f"{template}.sqlite3{suffix}"
                if source.exists():
                    shutil.copy(source, self.folder / f"{name}.sqlite3{suffix}")
        return self.url(name)

    def drop_all(self) -> None:
        for name in self.made:
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')


def engine_of(vendor: str, folder: Path) -> Engine:
    """Test databases of `vendor`; PostgreSQL's sit on the suite's server."""
    folder.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        return Engine("sqlite", folder)
    settings = connection.settings_dict
    admin = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    test_name = settings["TEST"]["NAME"] or f"test_{settings['NAME']}"
    return Engine("postgresql", folder, admin=admin, prefix=f"{test_name}_bk")


# ---- reading databases and archives behind the platform's back -----------------------


def _open(url: str) -> Any:
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        return sqlite3.connect(config["NAME"])
    import psycopg

    return psycopg.connect(
        dbname=config["NAME"],
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )


def database_content(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (sorted), read with the engine's own driver."""
    with _open(url) as db:
        if isinstance(db, sqlite3.Connection):
            names = [
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
        else:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            names = [r[0] for r in db.execute(query)]
        content = {}
        for name in names:
            if name in NOT_CONTENT or name.startswith("library_fts"):
                continue
            rows = db.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608 - table names
            content[name] = sorted((tuple(r) for r in rows), key=repr)
    return content


def applied(url: str) -> set[tuple[str, str]]:
    with _open(url) as db:
        return {tuple(r) for r in db.execute("SELECT app, name FROM django_migrations")}


def manifest_of(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as zf:
        return dict(json.loads(zf.read("manifest.json")))


def checksums(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {t["table"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}


def media_content(var: Path) -> dict[str, bytes]:
    root = var / "media"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def rewrite(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with each member's content passed through `change`."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out


def scramble_content_types(url: str) -> None:
    """Give the content types and permissions other ids than the source's, as a
    database whose apps were installed in another order would have."""
    with _open(url) as db:
        db.execute("UPDATE auth_permission SET content_type_id = content_type_id + 1000")
        db.execute("UPDATE django_content_type SET id = id + 1000")
        db.execute("UPDATE auth_permission SET id = id + 5000")
        db.commit()


# ---- the source: the demo dataset, backed up once ------------------------------------


@dataclass
class Source:
    engine: Engine
    url: str
    var: Path
    archive: Path


@pytest.fixture(scope="module")
def source(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Source]:
    """A database of the suite's engine with the demo data, and its backup."""
    folder = tmp_path_factory.mktemp("backup")
    with django_db_blocker.unblock():
        engine = engine_of(connection.vendor, folder / connection.vendor)
    try:
        engine.migrated("template")
        url = engine.copy("template", "source")
        var = folder / "var-source"
        resettle(url, var, "demo")
        assert "pipeline records:" in resettle(url, var, "shell", "-c", PIPELINE).stdout
        archive = folder / "source.zip"
        out = resettle(url, var, "backup", str(archive)).stdout
        assert f"to {archive}" in out
        yield Source(engine, url, var, archive)
    finally:
        engine.drop_all()


def round_trip(src: Source, engine: Engine, template: str, name: str, archive: Path) -> Path:
    """Restore `archive` into a new database of `engine`; that database's own backup."""
    url = engine.copy(template, name)
    scramble_content_types(url)
    var = engine.folder / f"var-{name}"
    out = resettle(url, var, "restore", str(archive)).stdout
    assert "row counts and checksums verified" in out
    again = engine.folder / f"{name}.zip"
    resettle(url, var, "backup", str(again))
    assert media_content(var) == media_content(src.var)
    return again


def test_round_trip_restores_identical_content(source: Source) -> None:
    original = manifest_of(source.archive)
    content = database_content(source.url)
    # Every table of the database is in the archive: the project's apps, auth,
    # content types, sessions, the admin log, django-tasks.
    assert set(checksums(original)) == set(content)
    expected = (
        *("accounts_user", "auth_group", "auth_permission", "django_content_type"),
        *("django_session", "django_admin_log", "django_tasks_database_dbtaskresult"),
        *("pipeline_familymember", "core_auditentry", "documents_documentversion"),
    )
    assert set(expected) <= set(content)
    assert original["media"]  # the demo's documents are uploaded files
    assert sum(t["rows"] for t in original["tables"]) > 10_000

    again = round_trip(source, source.engine, "template", "restored", source.archive)

    target = source.engine.url("restored")
    assert database_content(target) == content  # row by row, ids and ciphertext included
    assert applied(target) == applied(source.url)
    assert checksums(manifest_of(again)) == checksums(original)
    assert manifest_of(again)["media"] == original["media"]
    if source.engine.vendor == "sqlite":  # the FTS5 index follows the restored rows
        with _open(source.url) as db:
            word = db.execute("SELECT search_tokens FROM library_librarytext").fetchone()[0]
        query = "SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY rowid"
        term = f'"{word.split()[0]}"'
        with _open(source.url) as a, _open(target) as b:
            found = a.execute(query, [term]).fetchall()
            assert found and b.execute(query, [term]).fetchall() == found


def test_cross_engine_round_trip(source: Source, tmp_path: Path) -> None:
    if source.engine.vendor != "postgresql":
        pytest.skip("needs both engines: runs with DATABASE_URL on PostgreSQL (SQLite is built in)")
    original = manifest_of(source.archive)
    sqlite = engine_of("sqlite", tmp_path / "sqlite")
    sqlite.migrated("template")
    on_sqlite = round_trip(source, sqlite, "template", "from_pg", source.archive)
    assert manifest_of(on_sqlite)["engine"] == "sqlite"
    assert checksums(manifest_of(on_sqlite)) == checksums(original)

    back = round_trip(source, source.engine, "template", "back", on_sqlite)
    assert manifest_of(back)["engine"] == "postgresql"
    assert checksums(manifest_of(back)) == checksums(original)
    assert database_content(source.engine.url("back")) == database_content(source.url)


# ---- in-process: refusals and --force against the test database ---------------------


@pytest.fixture(autouse=True)
def _media_and_key(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FIELD_ENCRYPTION_KEY = [KEY]
    yield
    ContentType.objects.clear_cache()


def everything() -> dict[str, tuple[int, str]]:
    return {t.name: checksum(t, DEFAULT_DB_ALIAS) for t in backed_up_tables()}


def refused(archive: Path, *args: str) -> str:
    with pytest.raises(CommandError) as info:
        call_command("restore", str(archive), *args)
    return str(info.value)


@pytest.mark.django_db
def test_a_freshly_migrated_database_counts_as_empty() -> None:
    # Rows that migrations create are only in the tables SEEDED_BY_MIGRATIONS names.
    assert tables_with_rows(DEFAULT_DB_ALIAS) == {}


@pytest.mark.django_db
def test_refuses_a_database_with_data_without_force(source: Source, world: Any) -> None:
    before = everything()
    message = refused(source.archive)
    assert "the database is not empty" in message and "--force" in message
    assert "directory_organisation" in message
    assert everything() == before


@pytest.mark.django_db
def test_force_replaces_everything_in_one_go(source: Source, world: Any, settings: Any) -> None:
    stray = Organisation.objects.create(name="Not in the backup", kind="ngo")
    (settings.MEDIA_ROOT / "old").mkdir(parents=True)
    (settings.MEDIA_ROOT / "old" / "file.txt").write_text("old upload")

    call_command("restore", str(source.archive), "--force")

    assert everything() == checksums(manifest_of(source.archive))
    assert not Organisation.objects.filter(pk=stray.pk, name=stray.name).exists()
    assert media_content(settings.MEDIA_ROOT.parent) == media_content(source.var)
    aside = list(settings.MEDIA_ROOT.parent.glob("media.before-restore-*"))
    assert [p.name for p in aside[0].rglob("*") if p.is_file()] == ["file.txt"]
    # The sealed columns came back as stored: they open with the same key.
    member = FamilyMember.objects.order_by("pk").first()
    assert member is not None and member.name.endswith("(illustrative)")
    # The audit log is append-only again after the restore emptied it.
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])


@pytest.mark.django_db
def test_encrypted_fields_are_carried_as_ciphertext(source: Source) -> None:
    with zipfile.ZipFile(source.archive) as zf:
        text = zf.read("tables/pipeline_familymember.jsonl").decode()
    assert text.count("\n") >= 10
    assert "(illustrative)" not in text and '"gAAAAA' in text


@pytest.mark.django_db
def test_refuses_another_migration_state(source: Source, tmp_path: Path, world: Any) -> None:
    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = [m for m in manifest["migrations"] if m[0] != "rsf"]
        manifest["migrations"].append(["core", "9999_from_a_later_release"])
        return json.dumps(manifest).encode()

    before = everything()
    message = refused(rewrite(source.archive, tmp_path / "newer.zip", newer), "--force")
    assert "another migration state" in message
    assert "applied in the archive only: core.9999_from_a_later_release" in message
    assert "applied in this database only: rsf.0001" in message
    assert everything() == before


@pytest.mark.django_db
def test_refuses_a_damaged_archive_and_restores_nothing(
    source: Source, tmp_path: Path, world: Any, settings: Any
) -> None:
    def damaged(name: str, data: bytes) -> bytes:
        if name == "tables/directory_organisation.jsonl":
            return data.replace(b"Caritas", b"Karitas", 1)
        return data

    (settings.MEDIA_ROOT).mkdir(parents=True)
    (settings.MEDIA_ROOT / "kept.txt").write_text("kept")
    before = everything()
    message = refused(rewrite(source.archive, tmp_path / "damaged.zip", damaged), "--force")
    assert "the archive is damaged" in message and "directory_organisation" in message
    assert "Nothing was restored" in message
    assert everything() == before
    assert media_content(settings.MEDIA_ROOT.parent) == {"kept.txt": b"kept"}


def _with_table_changed(
    source: Path, out: Path, table: str, edit: Callable[[bytes], bytes]
) -> Path:
    """The archive with one table's file edited and the file's checksum made to match
    (the rows' checksum still describes the database the archive was made from)."""
    import hashlib

    new = edit(zipfile.ZipFile(source).read(f"tables/{table}.jsonl"))

    def change(name: str, data: bytes) -> bytes:
        if name == f"tables/{table}.jsonl":
            return new
        if name == "manifest.json":
            manifest = json.loads(data)
            for entry in manifest["tables"]:
                if entry["table"] == table:
                    entry["file_sha256"] = hashlib.sha256(new).hexdigest()
            return json.dumps(manifest).encode()
        return data

    return rewrite(source, out, change)


@pytest.mark.django_db
def test_rolls_back_when_the_loaded_rows_differ_from_the_archive(
    source: Source, tmp_path: Path, world: Any
) -> None:
    # A time written with another offset than UTC is stored as the same instant in
    # UTC, so it reads back differently: the check after loading catches it.
    def shift(data: bytes) -> bytes:
        line, rest = data.split(b"\n", 1)
        row = json.loads(line)
        changed = [
            v.replace("+00:00", "+02:00") if isinstance(v, str) and v.endswith("+00:00") else v
            for v in row
        ]
        assert changed != row
        return json.dumps(changed, separators=(",", ":")).encode() + b"\n" + rest

    before = everything()
    archive = _with_table_changed(
        source.archive, tmp_path / "shifted.zip", "core_auditentry", shift
    )
    message = refused(archive, "--force")
    assert "after loading, these tables differ from the archive: core_auditentry" in message
    assert "rolled back" in message
    assert everything() == before


@pytest.mark.django_db
def test_rolls_back_when_references_are_broken(source: Source, tmp_path: Path, world: Any) -> None:
    # Drop every user: the rows that refer to them have nothing to point to.
    before = everything()
    archive = _with_table_changed(
        source.archive, tmp_path / "orphans.zip", "accounts_user", lambda data: b""
    )
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    for entry in manifest["tables"]:
        if entry["table"] == "accounts_user":
            entry["rows"] = 0
    archive = rewrite(
        archive,
        tmp_path / "orphans2.zip",
        lambda name, data: json.dumps(manifest).encode() if name == "manifest.json" else data,
    )
    message = refused(archive, "--force")
    assert "references between tables are broken" in message
    assert everything() == before


@pytest.mark.django_db
def test_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip file")
    assert "not a readable backup archive" in refused(junk)
    assert "no such file" in refused(tmp_path / "missing.zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "it is not a Resettle backup" in refused(tmp_path / "other.zip")
