"""The engine's CSV files (every refusal reason) and `resettle allocate` (no database)."""

from __future__ import annotations

import csv
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from resettle.allocation.engine import cli
from resettle.allocation.engine.files import (
    FileFormatError,
    InputError,
    load_instance,
    read_cases,
    read_lines,
)
from resettle.allocation.engine.model import Modality, Preference, Priority

SAMPLES = Path(__file__).resolve().parents[1] / "engine" / "samples"
CASE_HEADER = "id,persons,nationality,asylum,priority,submitted"
LINE_HEADER = "id,state,capacity"


def problems_of(reader, text: str) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(FileFormatError) as caught:
        reader(text)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_cases_read_with_every_column() -> None:
    text = (
        "id,persons,nationality,asylum,priority,submitted,situation,category,"
        "secondary_category,flags,languages,link,interview_possible\n"
        "C1,4,SYR,LBN,Emergency,2026-01-02,syria,LPN,MED,serious_medical;woman_at_risk,"
        "ar;fr,L1,no\n"
        "C2,1,AFG,IRN,normal,2025-12-31,,,,,,,\n"
    )
    first, second = read_cases(text)
    assert first.persons == 4 and first.priority == Priority.EMERGENCY
    assert first.submitted_day == datetime.date(2026, 1, 2).toordinal()
    assert first.flags == {"serious_medical", "woman_at_risk"}
    assert first.languages == {"ar", "fr"} and first.link == "L1"
    assert first.interview_possible is False and first.secondary_category == "MED"
    assert second.interview_possible is True and second.flags == frozenset()


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("C1,0,SYR,LBN,normal,2026-01-02", "persons", "from 1 to 15"),
        ("C1,16,SYR,LBN,normal,2026-01-02", "persons", "from 1 to 15"),
        ("C1,four,SYR,LBN,normal,2026-01-02", "persons", "not a whole number"),
        ("C1,2,,LBN,normal,2026-01-02", "nationality", "required"),
        ("C1,2,SYR,,normal,2026-01-02", "asylum", "required"),
        (",2,SYR,LBN,normal,2026-01-02", "id", "required"),
        ("C1,2,SYR,LBN,high,2026-01-02", "priority", "emergency, urgent or normal"),
        ("C1,2,SYR,LBN,normal,02/01/2026", "submitted", "YYYY-MM-DD"),
        ("C1,2,SYR,LBN,normal,2026-02-30", "submitted", "YYYY-MM-DD"),
        ("C1,2,SYR,LBN,normal,2026-01-02,extra", "", "fields"),
    ],
)
def test_case_refusals(row: str, column: str, fragment: str) -> None:
    (problem,) = problems_of(read_cases, f"{CASE_HEADER}\n{row}\n")
    assert problem[0] == 1 and problem[1] == column and fragment in problem[2]


def test_case_flag_interview_and_duplicate_refusals() -> None:
    text = (
        f"{CASE_HEADER},flags,interview_possible\n"
        "C1,2,SYR,LBN,normal,2026-01-02,sick,yes\n"
        "C2,2,SYR,LBN,normal,2026-01-02,,maybe\n"
        "C2,2,SYR,LBN,normal,2026-01-02,,\n"
    )
    got = problems_of(read_cases, text)
    assert got[0][:2] == (1, "flags") and "unknown flag 'sick'" in got[0][2]
    assert got[1][:2] == (2, "interview_possible") and "yes or no" in got[1][2]
    assert got[2][:2] == (3, "id") and "already given on row 2" in got[2][2]


def test_header_refusals() -> None:
    assert problems_of(read_cases, "") == [(None, "", "the file is empty: no header row")]
    got = problems_of(read_cases, "id,persons,persons,colour\n")
    assert (None, "persons", "column given twice") in got
    assert any(p[1] == "colour" and "unknown column" in p[2] for p in got)
    for name in ("nationality", "asylum", "priority", "submitted"):
        assert (None, name, "required column missing") in got
    assert (None, "capacity", "required column missing") in problems_of(read_lines, "id,state\n")


def test_every_problem_is_collected() -> None:
    text = f"{CASE_HEADER}\nC1,0,SYR,LBN,high,2026-01-02\nC2,2,SYR,LBN,normal,nope\n"
    got = problems_of(read_cases, text)
    assert [(p[0], p[1]) for p in got] == [(1, "persons"), (1, "priority"), (2, "submitted")]
    with pytest.raises(FileFormatError) as caught:
        read_cases(text)
    assert "row 2, column submitted" in str(caught.value)


def test_lines_read_with_every_column() -> None:
    text = (
        "id,state,capacity,nationalities,asylums,situations,categories,priorities,modality,"
        "max_serious_medical_cases,max_family_size,reserved_urgent,preferences\n"
        "L1,DEU,100,SYR;AFG,,syria,LPN,emergency;urgent,dossier,0,8,10,"
        "language:ar=3;flag:serious_medical=-2.5\n"
        "L2,FRA,5,,,,,,,,,,\n"
    )
    first, second = read_lines(text)
    assert first.nationalities == {"SYR", "AFG"} and first.asylums is None
    assert first.priorities == {Priority.EMERGENCY, Priority.URGENT}
    assert first.modality == Modality.DOSSIER and first.max_serious_medical_cases == 0
    assert first.max_family_size == 8 and first.reserved_urgent == 10
    assert first.preferences == (
        Preference("language", "ar", 3.0),
        Preference("flag", "serious_medical", -2.5),
    )
    assert second.priorities == frozenset(Priority) and second.modality == Modality.INTERVIEW
    assert second.max_serious_medical_cases is None and second.reserved_urgent == 0


@pytest.mark.parametrize(
    ("extra_header", "row", "column", "fragment"),
    [
        ("", "L1,DEU,-1", "capacity", "at least 0"),
        ("", "L1,,5", "state", "required"),
        (",priorities", "L1,DEU,5,asap", "priorities", "emergency, urgent or normal"),
        (",modality", "L1,DEU,5,video", "modality", "dossier or interview"),
        (",max_family_size", "L1,DEU,5,0", "max_family_size", "at least 1"),
        (",max_serious_medical_cases", "L1,DEU,5,x", "max_serious_medical_cases", "whole"),
        (",reserved_urgent", "L1,DEU,5,6", "reserved_urgent", "more than the capacity"),
        (",reserved_urgent,priorities", "L1,DEU,5,2,normal", "reserved_urgent", "takes neither"),
        (",preferences", "L1,DEU,5,language=3", "preferences", "attribute:value=weight"),
        (",preferences", "L1,DEU,5,colour:red=3", "preferences", "unknown attribute"),
        (",preferences", "L1,DEU,5,language:fr=lots", "preferences", "not a number"),
        (",preferences", "L1,DEU,5,language:fr=inf", "preferences", "finite"),
    ],
)
def test_line_refusals(extra_header: str, row: str, column: str, fragment: str) -> None:
    (problem,) = problems_of(read_lines, f"{LINE_HEADER}{extra_header}\n{row}\n")
    assert problem[0] == 1 and problem[1] == column and fragment in problem[2]


def test_load_instance_names_files(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    lines = tmp_path / "pledges.csv"
    cases.write_text(f"{CASE_HEADER}\nC1,0,SYR,LBN,normal,2026-01-02\n", encoding="utf-8")
    lines.write_bytes(b"id,state,capacity\n\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        load_instance(cases, lines, datetime.date(2026, 6, 30))
    assert caught.value.messages[0].startswith("cases.csv: row 1, column persons")
    assert caught.value.messages[1].endswith("not UTF-8 text")
    with pytest.raises(InputError) as caught:
        load_instance(tmp_path / "missing.csv", lines, datetime.date(2026, 6, 30))
    assert "cannot be read" in caught.value.messages[0]


def test_cli_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.csv"
    code = cli.main(
        [
            "allocate",
            "--cases", str(SAMPLES / "cases.csv"),
            "--pledges", str(SAMPLES / "pledges.csv"),
            "--out", str(out),
            "--today", "2026-06-30",
        ]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    for word in ("objective:", "bound:", "gap:", "persons placed, emergency: 8 of 8"):
        assert word in printed
    with out.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["case_id", "state", "line", "reason", "explanation"]
    assert len(rows) == 25
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["C001"][3] == "placed" and by_id["C001"][1] and by_id["C001"][2]
    assert by_id["C006"][3] == by_id["C007"][3]
    assert all(r[4] for r in rows[1:])


def test_cli_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cases.csv"
    bad.write_text(f"{CASE_HEADER}\nC1,2,SYR,LBN,later,2026-01-02\n", encoding="utf-8")
    args = ["--cases", str(bad), "--pledges", str(SAMPLES / "pledges.csv")]
    assert cli.main([*args, "--out", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err
    assert "cases.csv: row 1, column priority" in err
    assert not (tmp_path / "r.csv").exists()
    assert cli.main(args) == 2  # --out missing
    assert "--out" in capsys.readouterr().err
    assert cli.main([*args, "--out", "x.csv", "--today", "30/06/2026"]) == 2


def test_cli_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    run = subprocess.run(
        [
            sys.executable, "-m", "resettle.allocation.engine.cli",
            "--cases", str(SAMPLES / "cases.csv"),
            "--pledges", str(SAMPLES / "pledges.csv"),
            "--out", str(out),
            "--today", "2026-06-30",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(cli.__file__).parents[3])},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("cases placed: 14 of 24")
    assert "gap:" in run.stdout and "Running HiGHS" not in run.stdout
    assert out.exists()
