"""Imports into the database: versions, checksums, all-or-nothing, UNHCR codes, tasks, demo.

Against the real database of the run (SQLite, or PostgreSQL with COPY).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from resettle.accounts.models import User
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country
from resettle.needs import demo, services
from resettle.needs.loader import ImportRefused
from resettle.needs.models import (
    DatasetVersion,
    FlowFigure,
    NeedFigure,
    Pledge,
    Population,
    VersionStatus,
)

pytestmark = pytest.mark.django_db

FLOWS = (
    "year,origin,asylum,resettlement_state,category,priority,submitted,departed\n"
    "2024,SYR,TUR,DEU,LPN,urgent,120,80\n"
    "2024,AFG,PAK,CAN,,,300,250\n"
    "2023,ROHINGYA,BGD,USA,MED,normal,,40\n"
)


def counts() -> dict[str, int]:
    """Rows of the tables an import writes."""
    return {
        "flows": FlowFigure.objects.count(),
        "needs": NeedFigure.objects.count(),
        "pledges": Pledge.objects.count(),
        "versions": DatasetVersion.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def run_tasks() -> None:
    """Run the queued background tasks, as `resettle worker` would."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.ready():
        result.claim("test")
        worker.run_task(result)


# ---- the basics -------------------------------------------------------------------


def test_import_writes_a_version_its_rows_and_one_audit_entry() -> None:
    before = counts()

    result = services.do_import_dataset(
        "departures", FLOWS.encode(), series="demo-flows", source="hand-made", actor=None
    )

    version = result.version
    assert result.outcome == "imported"
    assert (version.series, version.number, version.kind) == ("demo-flows", 1, "flows")
    assert version.status == VersionStatus.DONE
    assert version.row_count == version.rows_done == 3
    assert len(version.checksum) == 64
    assert counts()["flows"] == before["flows"] + 3
    (entry,) = AuditEntry.objects.for_object(version)
    assert entry.action == AuditAction.LOAD
    assert entry.actor_repr == "system"
    assert entry.after["rows"] == 3 and entry.after["series"] == "demo-flows"
    syria = FlowFigure.objects.get(version=version, origin__code="SYR")
    assert (syria.asylum.iso3, syria.resettlement_state.iso3) == ("TUR", "DEU")
    assert (syria.category, syria.priority, syria.submitted, syria.departed) == (
        "LPN",
        "urgent",
        120,
        80,
    )
    assert syria.departed_within_6_months is None
    rohingya = FlowFigure.objects.get(version=version, origin__code="ROHINGYA")
    assert rohingya.submitted is None and rohingya.origin.country is None


def test_reimporting_the_same_content_changes_nothing() -> None:
    services.do_import_dataset("departures", FLOWS.encode(), series="s", actor=None)
    before = counts()
    # The same rows, reordered and spelled differently.
    lines = FLOWS.strip().split("\n")
    shuffled = "\n".join([lines[0], lines[3], lines[1].lower().replace("lpn", "LPN"), lines[2]])

    again = services.do_import_dataset("departures", FLOWS.encode(), series="s", actor=None)
    respelled = services.do_import_dataset("departures", shuffled.encode(), series="s", actor=None)

    assert again.outcome == respelled.outcome == "unchanged"
    assert again.version.number == 1
    assert counts() == before


def test_a_corrected_file_becomes_the_next_version_and_current() -> None:
    first = services.do_import_dataset("departures", FLOWS.encode(), series="s", actor=None)
    corrected = FLOWS.replace("300,250", "300,260")

    second = services.do_import_dataset("departures", corrected.encode(), series="s", actor=None)

    assert second.outcome == "imported"
    assert second.version.number == 2
    assert list(DatasetVersion.objects.filter(series="s").current()) == [second.version]
    current = FlowFigure.objects.filter(version__in=DatasetVersion.objects.current())
    assert current.get(origin__code="AFG").departed == 260
    # The earlier version keeps its figures: what was presented stays as it was.
    assert FlowFigure.objects.get(version=first.version, origin__code="AFG").departed == 250
    # Going back to the first content is a change too.
    third = services.do_import_dataset("departures", FLOWS.encode(), series="s", actor=None)
    assert third.version.number == 3


@pytest.mark.parametrize(
    ("bad_line", "code", "column"),
    [
        ("2024,XYZ,TUR,DEU,,,1,1", "unknown_population", "origin"),
        ("2024,SYR,TUR,ZZZ,,,1,1", "unknown_country", "resettlement_state"),
        ("2024,SYR,TUR,DEU,,,-1,1", "negative", "submitted"),
        ("2024,SYR,TUR,DEU,LPN,urgent,5,5", "duplicate", "year"),
        ("1800,SYR,TUR,DEU,,,1,1", "year_range", "year"),
        ("2024,SYR,TUR,DEU,,,1,lots", "not_a_number", "departed"),
    ],
)
def test_a_bad_file_is_refused_whole_and_writes_nothing(
    bad_line: str, code: str, column: str
) -> None:
    services.do_import_dataset("departures", FLOWS.encode(), series="s", actor=None)
    before = counts()
    bad = FLOWS + bad_line + "\n"

    with pytest.raises(ImportRefused) as refused:
        services.do_import_dataset("departures", bad.encode(), series="s", actor=None)

    (error,) = refused.value.report
    assert (error.row, error.line, error.column, error.code) == (4, 5, column, code)
    assert "file" in refused.value.message_dict
    assert counts() == before


def test_a_file_without_a_required_column_is_refused() -> None:
    with pytest.raises(ImportRefused) as refused:
        services.do_import_dataset(
            "departures", b"year,origin,departed\n2024,SYR,3\n", series="s", actor=None
        )
    assert [(e.code, e.column) for e in refused.value.report] == [
        ("missing_column", "resettlement_state")
    ]
    assert counts()["versions"] == 0


def test_a_series_holds_one_kind() -> None:
    services.do_import_dataset("departures", FLOWS.encode(), series="mixed", actor=None)
    before = counts()

    with pytest.raises(ValidationError) as refused:
        services.do_import_dataset(
            "needs", b"year,population,persons\n2026,SYR,5\n", series="mixed", actor=None
        )
    assert "series" in refused.value.message_dict
    assert counts() == before


def test_default_series_by_kind() -> None:
    needs = services.do_import_dataset(
        "needs", b"year,population,persons\n2026,SYR,5\n", actor=None
    )
    assert needs.version.series == "pgrn"
    assert needs.version.source == "pgrn"


# ---- who may import ------------------------------------------------------------------


def test_only_administrators_and_unhcr_import(users: dict[str, User | None]) -> None:
    for role in ("state", "ngo", "refugee", "rsf", "other"):
        with pytest.raises(PermissionDenied):
            services.do_import_dataset("departures", FLOWS.encode(), series=role, actor=users[role])
    assert counts()["versions"] == 0
    unhcr = services.do_import_dataset(
        "departures", FLOWS.encode(), series="unhcr", actor=users["unhcr"]
    )
    assert unhcr.version.created_by == users["unhcr"]
    (entry,) = AuditEntry.objects.for_object(unhcr.version)
    assert entry.actor == users["unhcr"]
    assert services.do_import_dataset(
        "departures", FLOWS.encode(), series="admin", actor=users["admin"]
    ).imported


# ---- needs, pledges, XLSX --------------------------------------------------------------


def test_needs_with_groups_and_breakdowns() -> None:
    text = (
        "year,population,asylum,category,priority,persons\n"
        "2026,ROHINGYA,BGD,WGR,emergency,1000\n"
        "2026,AFG,IRN,,,348900\n"
    )
    version = services.do_import_dataset("needs", text.encode(), actor=None).version

    rows = {n.population.code: n for n in NeedFigure.objects.filter(version=version)}
    assert rows["ROHINGYA"].category == "WGR" and rows["ROHINGYA"].priority == "emergency"
    assert rows["AFG"].asylum.iso3 == "IRN" and rows["AFG"].persons == 348_900


def test_pledges_take_defaults_and_the_versions_illustrative_mark() -> None:
    text = (
        "state,year,end_year,persons,emergency_urgent_places,modality,status\n"
        "DEU,2025,2027,6500,650,Interview,in_progress\n"
        "CAN,2025,,25000,,dossier,\n"
    )
    version = services.do_import_dataset(
        "pledges", text.encode(), actor=None, is_illustrative=True
    ).version

    rows = {p.state.iso3: p for p in Pledge.objects.filter(version=version)}
    assert version.is_illustrative
    assert (rows["DEU"].end_year, rows["DEU"].modality, rows["DEU"].status) == (
        2027,
        "interview",
        "in_progress",
    )
    assert (rows["CAN"].emergency_urgent_places, rows["CAN"].unallocated_places) == (0, 0)
    assert rows["CAN"].status == "planning" and rows["CAN"].end_year is None
    assert all(p.is_illustrative for p in rows.values())
    for pledge in rows.values():
        pledge.full_clean()


def test_xlsx_through_the_service() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["year", "population", "persons"])
    sheet.append([2026, "SYR", 442400])
    buffer = io.BytesIO()
    book.save(buffer)

    result = services.do_import_dataset("needs", buffer.getvalue(), actor=None)

    assert NeedFigure.objects.get(version=result.version).persons == 442_400


# ---- the Refugee Data Finder -------------------------------------------------------------


def test_the_refugee_data_finder_extract_imports_whole() -> None:
    with demo.RDF_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    result = services.do_import_dataset("departures", demo.RDF_FILE, actor=None)

    version = result.version
    assert version.series == "rdf-arrivals"
    assert result.rows == len(rows) > 9_000
    flows = FlowFigure.objects.filter(version=version)
    assert flows.count() == len(rows)
    total = flows.aggregate(n=Sum("departed"))["n"]
    assert total == sum(int(r["resettlement"]) for r in rows)
    # UNHCR's non-ISO origins become the named groups.
    groups = set(flows.filter(origin__country__isnull=True).values_list("origin__code", flat=True))
    assert groups == {"TIBETAN", "STATELESS", "UNKNOWN"}
    # Austria (UNHCR AUS, ISO AUT) is Austria: as origin and as resettlement country.
    austria_out = sum(int(r["resettlement"]) for r in rows if r["coo"] == "AUS")
    assert flows.filter(origin__code="AUT").aggregate(n=Sum("departed"))["n"] == austria_out
    to_austria = sum(int(r["resettlement"]) for r in rows if r["coa"] == "AUS")
    to_australia = sum(int(r["resettlement"]) for r in rows if r["coa"] == "AUL")
    assert (
        flows.filter(resettlement_state__iso3="AUT").aggregate(n=Sum("departed"))["n"] == to_austria
    )
    assert (
        flows.filter(resettlement_state__iso3="AUS").aggregate(n=Sum("departed"))["n"]
        == to_australia
    )
    assert to_australia > 100 * to_austria


def test_unhcr_code_aus_alone_is_austria_not_australia() -> None:
    header = (
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,returned_refugees,resettlement,"
        "naturalisation,returned_idps\n"
    )
    # No ISO columns filled: only UNHCR's own codes (AUS = Austria, AUL = Australia).
    text = header + "2000,Syria,SYR,,Austria,AUS,,,10,,\n2000,Syria,SYR,,Australia,AUL,,,20,,\n"

    version = services.do_import_dataset("departures", text.encode(), actor=None).version

    by_state = dict(
        FlowFigure.objects.filter(version=version).values_list(
            "resettlement_state__iso3", "departed"
        )
    )
    assert by_state == {"AUT": 10, "AUS": 20}
    assert Country.objects.get(iso3="AUT").unhcr_code == "AUS"


# ---- background imports -------------------------------------------------------------


def _stage(user: User, text: str, **kwargs: Any) -> services.StagedUpload:
    staged, _table = services.do_stage_upload(
        "departures", text.encode(), file_name="flows.csv", actor=user, **kwargs
    )
    return staged


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.usefixtures("media")
def test_a_background_import_shows_progress_then_becomes_the_version(
    unhcr_user: User,
) -> None:
    staged = _stage(unhcr_user, FLOWS)
    pending, job_id = services.do_start_import(
        staged, mapping=None, layout=None, series="bg", actor=unhcr_user
    )

    assert pending.status == VersionStatus.PENDING
    job = services.get_import_job_for_user(job_id, unhcr_user)
    assert (job.state, job.finished, job.version) == ("waiting", False, pending)

    run_tasks()

    job = services.get_import_job_for_user(job_id, unhcr_user)
    assert job.state == "imported" and job.finished
    pending.refresh_from_db()
    assert job.version == pending
    assert (pending.status, pending.number, pending.row_count) == (VersionStatus.DONE, 1, 3)
    assert FlowFigure.objects.filter(version=pending).count() == 3
    assert AuditEntry.objects.for_object(pending).get().action == AuditAction.LOAD
    imported = DBTaskResult.objects.get(task_path__endswith="import_dataset_task")
    assert imported.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.usefixtures("media")
def test_a_refused_background_import_leaves_only_its_report(unhcr_user: User) -> None:
    before = counts()
    staged = _stage(unhcr_user, FLOWS + "2024,SYR,TUR,DEU,,,-1,1\n")
    _pending, job_id = services.do_start_import(
        staged, mapping=None, layout=None, series="bg", actor=unhcr_user
    )

    run_tasks()

    job = services.get_import_job_for_user(job_id, unhcr_user)
    assert job.state == "refused"
    assert job.errors is not None
    assert [(e.row, e.column, e.code) for e in job.errors] == [(4, "submitted", "negative")]
    assert counts() == before


@pytest.mark.usefixtures("media")
def test_an_unchanged_background_import_removes_its_pending_version(unhcr_user: User) -> None:
    services.do_import_dataset("departures", FLOWS.encode(), series="bg", actor=None)
    before = counts()
    staged = _stage(unhcr_user, FLOWS)
    _pending, job_id = services.do_start_import(
        staged, mapping=None, layout=None, series="bg", actor=unhcr_user
    )

    run_tasks()

    job = services.get_import_job_for_user(job_id, unhcr_user)
    assert job.state == "unchanged"
    assert job.version is not None and job.version.number == 1
    assert counts() == before


@pytest.mark.usefixtures("media")
def test_jobs_are_their_importers_own(users: dict[str, User]) -> None:
    staged = _stage(users["unhcr"], FLOWS)
    _pending, job_id = services.do_start_import(
        staged, mapping=None, layout=None, series="bg", actor=users["unhcr"]
    )
    from django.http import Http404

    for role in ("ngo", "state", "anonymous"):
        with pytest.raises(Http404):
            services.get_import_job_for_user(job_id, users[role])
    assert services.get_import_job_for_user(job_id, users["admin"]).state == "waiting"
    with pytest.raises(Http404):
        services.get_import_job_for_user("not-a-uuid", users["unhcr"])


# ---- demo --------------------------------------------------------------------------------


def _sums(version: DatasetVersion, field: str, by: str) -> dict[Any, int]:
    model: Callable[..., Any] = {
        "needs": NeedFigure.objects.filter,
        "flows": FlowFigure.objects.filter,
    }[version.kind]
    return {
        key: total for key, total in model(version=version).values_list(by).annotate(n=Sum(field))
    }


def test_demo_figures_load_once_and_match_the_brief() -> None:
    assert demo.load_needs_demo(None) == 4
    before = counts()
    assert demo.load_needs_demo(None) == 0
    assert counts() == before

    current = {v.series: v for v in DatasetVersion.objects.current()}
    assert set(current) == {"rdf-arrivals", "pgrn", "unhcr-departures", "pledges"}
    assert not current["rdf-arrivals"].is_illustrative
    assert all(current[s].is_illustrative for s in ("pgrn", "unhcr-departures", "pledges"))

    pgrn = current["pgrn"]
    assert _sums(pgrn, "persons", "year") == demo.PGRN_TOTALS
    needs_2026 = NeedFigure.objects.filter(version=pgrn, year=2026)
    by_population = dict(
        needs_2026.values_list("population__code").annotate(n=Sum("persons")).order_by("-n")[:6]
    )
    assert by_population == demo.PGRN_2026_POPULATIONS
    by_host = dict(
        needs_2026.values_list("asylum__iso3").annotate(n=Sum("persons")).order_by("-n")[:5]
    )
    assert by_host == demo.PGRN_2026_HOSTS

    departures = current["unhcr-departures"]
    assert _sums(departures, "departed", "year") == demo.DEPARTURES
    submitted = FlowFigure.objects.filter(version=departures, year=2023).aggregate(
        n=Sum("submitted")
    )["n"]
    assert submitted == demo.SUBMITTED[2023]

    pledges = Pledge.objects.filter(version=current["pledges"])
    assert pledges.count() == len(demo.pledge_rows())
    assert all(p.is_illustrative for p in pledges)
    assert Population.objects.filter(code="ROHINGYA").exists()


def test_split_keeps_the_total() -> None:
    assert demo.split(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert sum(demo.split(96_311, {"x": 3.3, "y": 1.7, "z": 5}).values()) == 96_311
