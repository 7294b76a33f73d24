"""`resettle import needs|pledges|departures FILE`: progress, report, exit status."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from resettle.accounts.models import User
from resettle.needs import demo
from resettle.needs.models import DatasetVersion, FlowFigure, NeedFigure, Pledge
from resettle.needs.tests.test_loader import FLOWS, counts

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def flows_file(tmp_path: Path) -> Path:
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS, encoding="utf-8")
    return path


def test_import_prints_progress_then_what_it_did(flows_file: Path) -> None:
    out, err = run("departures", str(flows_file), "--series", "cli", "--source", "test")

    assert out.strip() == "Imported 3 rows as cli version 1."
    assert "checking  [" in err and "100% 3/3" in err and "writing   [" in err
    version = DatasetVersion.objects.get(series="cli")
    assert (version.source, version.file_name, version.is_public) == ("test", "flows.csv", True)

    again, _err = run("departures", str(flows_file), "--series", "cli", "--no-progress")
    assert again.startswith("Unchanged: the file holds the same figures as cli version 1")
    assert _err == ""


def test_a_bad_file_prints_the_report_and_exits_with_status_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "year,population,asylum,persons\n2026,SYR,TUR,5\n2026,XYZ,TUR,-3\n2026,SYR,TUR,6\n",
        encoding="utf-8",
    )
    before = counts()

    with pytest.raises(CommandError) as refused:
        run("needs", str(path), "--no-progress")

    assert refused.value.returncode == 1
    assert "nothing was written" in str(refused.value)
    assert counts() == before


def test_the_report_names_row_line_column_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "year,population,asylum,persons\n2026,SYR,TUR,5\n2026,XYZ,TUR,-3\n2026,SYR,TUR,6\n",
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import", "needs", str(path), "--no-progress", stdout=StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0] == "The file was refused: 3 problems."
    assert lines[1:] == [
        "  Row 2 (line 3), column population: Unknown country or population code: XYZ.",
        "  Row 2 (line 3), column persons: Negative number: -3.",
        "  Row 3 (line 4), column year: Duplicate key (year, population, asylum, category, "
        "priority): the same as row 1.",
    ]


def test_the_refugee_data_finder_layout_and_a_hand_mapping(tmp_path: Path) -> None:
    out, _err = run("departures", str(demo.RDF_FILE), "--layout", "rdf", "--no-progress")
    assert "as rdf-arrivals version 1" in out
    assert FlowFigure.objects.filter(version__series="rdf-arrivals").count() > 9_000

    path = tmp_path / "needs.csv"
    path.write_text("an,qui,combien\n2026,SYR,442400\n", encoding="utf-8")
    run(
        "needs",
        str(path),
        "--map",
        "year=an",
        "--map",
        "population=qui",
        "--map",
        "persons=2",
        "--illustrative",
        "--private",
        "--no-progress",
    )
    need = NeedFigure.objects.get(version__series="pgrn")
    assert need.persons == 442_400
    assert need.version.is_illustrative and not need.version.is_public


def test_pledges_from_the_command(tmp_path: Path) -> None:
    path = tmp_path / "pledges.csv"
    path.write_text("state,year,persons\nDEU,2026,6500\n", encoding="utf-8")

    run("pledges", str(path), "--no-progress")

    assert Pledge.objects.get().state.iso3 == "DEU"


def test_user_and_arguments_are_checked(
    flows_file: Path, users: dict[str, User | None], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="may not import"):
        run("departures", str(flows_file), "--user", "ngo", "--no-progress")
    with pytest.raises(CommandError, match="No user"):
        run("departures", str(flows_file), "--user", "nobody")
    with pytest.raises(CommandError, match="FIELD=COLUMN"):
        run("departures", str(flows_file), "--map", "departed")
    with pytest.raises(CommandError, match="cannot be read"):
        run("departures", str(tmp_path / "missing.csv"))
    out, _err = run("departures", str(flows_file), "--user", "unhcr", "--no-progress")
    assert "Imported" in out
    assert DatasetVersion.objects.get().created_by == users["unhcr"]
