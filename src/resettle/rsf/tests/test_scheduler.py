"""The interview scheduler (pure, no database): valid schedules, rescheduling, CLI, bench."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from resettle.rsf.scheduler import bench, cli
from resettle.rsf.scheduler.check import violations
from resettle.rsf.scheduler.files import mission_from_json, mission_to_json, read_json
from resettle.rsf.scheduler.generator import generate
from resettle.rsf.scheduler.greedy import greedy
from resettle.rsf.scheduler.model import (
    Availability,
    Case,
    Day,
    Interpreter,
    InterpreterLost,
    Mission,
    NoShow,
    Priority,
    Room,
    Schedule,
)
from resettle.rsf.scheduler.reschedule import apply_events, reschedule
from resettle.rsf.scheduler.solve import schedule

SAMPLE = Path(__file__).resolve().parents[1] / "scheduler" / "samples" / "mission.json"


@pytest.fixture(scope="module")
def mission() -> Mission:
    return generate(cases=160, seed=5, days=4, rooms=4, video_rooms=2, interpreters=10, languages=6)


@pytest.fixture(scope="module")
def solved(mission: Mission) -> Schedule:
    return schedule(mission, time_limit=3)


def test_schedule_keeps_every_hard_constraint(mission: Mission, solved: Schedule) -> None:
    assert violations(mission, solved) == []
    assert solved.appointments, "capacity binds but something is scheduled"
    assert solved.unscheduled, "the generated mission has more demand than capacity"
    cases = {c.id: c for c in mission.cases}
    rooms = {r.id: r for r in mission.rooms}
    interpreters = {i.id: i for i in mission.interpreters}
    for a in solved.appointments:
        case = cases[a.case_id]
        assert case.language in interpreters[a.interpreter or ""].languages
        assert rooms[a.room].video or not case.remote
        assert rooms[a.room].capacity >= case.persons
        if case.medical:
            assert a.medical_day is not None and a.medical_day > a.day
    for key in ("room", "interpreter", "case_id"):
        seen: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for a in solved.appointments:
            for s, e in seen.setdefault((a.day, getattr(a, key)), []):
                assert a.end <= s or e <= a.start, f"{key} double-booked"
            seen[(a.day, getattr(a, key))].append((a.start, a.end))
    assert solved.objective <= solved.bound + 1e-6
    assert 0 <= solved.gap <= 0.05


def test_timetables_cover_every_appointment(solved: Schedule) -> None:
    n = len(solved.appointments)
    assert sum(len(v) for v in solved.by_day().values()) == n
    assert sum(len(v) for v in solved.by_room().values()) == n
    assert sum(len(v) for v in solved.by_interpreter().values()) == n
    medical = sum(1 for a in solved.appointments if a.medical_day is not None)
    assert sum(len(v) for v in solved.medical_by_day().values()) == medical


def test_emergency_and_urgent_come_first(mission: Mission, solved: Schedule) -> None:
    booked = set(solved.by_case())
    # Every emergency or urgent case the greedy baseline (which takes them
    # first) can place, the scheduler places too.
    first = {a.case_id for a in greedy(mission).appointments}
    for case in mission.cases:
        if case.priority < Priority.NORMAL and case.id in first:
            assert case.id in booked, case.id


def test_greedy_is_valid_and_not_better(mission: Mission, solved: Schedule) -> None:
    base = greedy(mission)
    assert violations(mission, base) == []
    assert base.objective <= solved.objective
    assert solved.trips <= base.trips


def test_deterministic(mission: Mission, solved: Schedule) -> None:
    again = schedule(mission, time_limit=3)
    assert again.appointments == solved.appointments
    assert again.objective == solved.objective


def test_checker_reports_each_broken_rule(mission: Mission, solved: Schedule) -> None:
    a, b = solved.appointments[0], solved.appointments[1]
    cases = {c.id: c for c in mission.cases}
    other_lang = next(
        i.id for i in mission.interpreters if cases[a.case_id].language not in i.languages
    )
    broken = [
        dataclasses.replace(b, day=a.day, room=a.room, start=a.start),  # room double-booked
        dataclasses.replace(a, interpreter=other_lang),
    ]
    bad = dataclasses.replace(solved, appointments=(*broken, *solved.appointments[2:]))
    found = " | ".join(violations(mission, bad))
    assert "room" in found and "double-booked" in found
    assert "does not speak" in found
    medical = next(x for x in solved.appointments if x.medical_day is not None)
    rest = tuple(x for x in solved.appointments if x is not medical)
    early = dataclasses.replace(
        solved, appointments=(*rest, dataclasses.replace(medical, medical_day=medical.day))
    )
    assert any("not after interview" in v for v in violations(mission, early))
    remote = next(x for x in solved.appointments if cases[x.case_id].remote)
    plain = next(r.id for r in mission.rooms if not r.video)
    rest = tuple(x for x in solved.appointments if x is not remote)
    novideo = dataclasses.replace(
        solved, appointments=(*rest, dataclasses.replace(remote, room=plain))
    )
    assert any("without video" in v for v in violations(mission, novideo))


def test_interpreter_windows_and_whole_family_block() -> None:
    day = Day(index=0, date=dt.date(2026, 3, 2), slots=8, caseworkers=2)
    day2 = Day(index=1, date=dt.date(2026, 3, 3), slots=8, caseworkers=2, medical_capacity=1)
    m = Mission(
        id="tiny",
        days=(day, day2),
        rooms=(Room("A", video=False, capacity=6), Room("B", video=True, capacity=12)),
        interpreters=(
            Interpreter("ar-morning", frozenset({"Arabic"}), (Availability(0, 0, 4),)),
            Interpreter("fa", frozenset({"Farsi", "Dari"})),
        ),
        cases=(
            Case("big", persons=10, adults=3, language="Farsi", priority=Priority.URGENT),
            Case("ar", persons=3, adults=1, language="Arabic", remote=True, medical=True),
            Case("ar2", persons=2, adults=1, language="Arabic"),
        ),
        slot_minutes=15,
    )
    s = schedule(m, time_limit=2)
    assert violations(m, s) == []
    got = s.by_case()
    assert got["big"].room == "B" and got["big"].length == 8  # 30 + 3 x 30 minutes
    assert got["ar"].room == "B" and got["ar"].medical_day == 1
    assert got["ar"].day == 0 and got["ar"].end <= 4  # the interpreter's morning
    assert "ar2" in s.unscheduled  # Arabic is only interpreted on day 0's morning


def test_reschedule_no_show_and_lost_interpreter(mission: Mission, solved: Schedule) -> None:
    by_interp = solved.by_interpreter()
    lost_id = max(by_interp, key=lambda i: sum(1 for a in by_interp[i] if a.day == 2))
    no_show = solved.by_day()[1][0]
    events = [NoShow(no_show.case_id, 1), InterpreterLost(lost_id, (2,))]
    result = reschedule(mission, solved, events, today=1, time_limit=3)
    changed_mission = apply_events(mission, events)
    assert violations(changed_mission, result) == []
    displaced = sum(1 for a in solved.appointments if a.interpreter == lost_id and a.day == 2)
    assert displaced > 0
    # Only the displaced interviews change (each needs another interpreter).
    assert result.moved <= displaced
    assert all(a.interpreter != lost_id for a in result.appointments if a.day == 2)
    new = result.by_case()
    for a in solved.appointments:
        if a.day < 1 and a.case_id != no_show.case_id:
            assert new[a.case_id] == a, "past days stay as they were"
    rebooked = new.get(no_show.case_id)
    assert rebooked is None or rebooked.day > 1


def test_json_round_trip_and_errors(mission: Mission) -> None:
    assert mission_from_json(json.loads(json.dumps(mission_to_json(mission)))) == mission
    data = read_json(SAMPLE)
    data["cases"][2]["priority"] = "very"
    with pytest.raises(ValueError, match=r"\$\.cases\[2\]\.priority"):
        mission_from_json(data)
    data = read_json(SAMPLE)
    data["interpreters"][0]["available"] = [{"day": 99}]
    with pytest.raises(ValueError, match=r"\$\.interpreters\[0\]\.available\[0\]\.day"):
        mission_from_json(data)


def test_cli_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "schedule.json"
    ics = tmp_path / "ics"
    assert cli.main([str(SAMPLE), "--out", str(out), "--ics", str(ics), "--time-limit", "3"]) == 0
    printed = capsys.readouterr().out
    assert "objective" in printed and "bound" in printed and "gap" in printed
    written = json.loads(out.read_text(encoding="utf-8"))
    mission = mission_from_json(read_json(SAMPLE))
    assert written["appointments"] and written["objective"] > 0
    assert {"case", "day", "date", "room", "from", "to", "interpreter"} <= set(
        written["appointments"][0]
    )
    files = sorted(p.name for p in ics.iterdir())
    assert any(f.startswith("room-") for f in files)
    assert any(f.startswith("interpreter-") for f in files)
    assert b"BEGIN:VEVENT" in (ics / files[0]).read_bytes()
    # Rescheduling from the written schedule.
    events = tmp_path / "events.json"
    first = written["appointments"][0]
    events.write_text(json.dumps([{"type": "no_show", "case": first["case"], "day": 0}]))
    code = cli.main([str(SAMPLE), "--previous", str(out), "--events", str(events), "--today", "1"])
    assert code == 0
    assert "changed or dropped: 0" in capsys.readouterr().out
    assert len(mission.cases) == len(read_json(SAMPLE)["cases"])


def test_cli_bad_input_names_the_json_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = read_json(SAMPLE)
    data["cases"][3]["persons"] = 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert cli.main([str(bad)]) == 2
    assert "$.cases[3].persons" in capsys.readouterr().err
    notjson = tmp_path / "broken.json"
    notjson.write_text("{", encoding="utf-8")
    assert cli.main([str(notjson)]) == 2
    assert "not JSON" in capsys.readouterr().err


def test_bench_entry_writes_records(tmp_path: Path) -> None:
    code = bench.main(["--cases", "80", "--out", str(tmp_path)])
    records = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))
    assert [r["method"] for r in records] == ["scheduler", "greedy", "greedy_priority"]
    for r in records:
        assert {"method", "cases", "seconds", "peak_mb", "objective", "bound", "gap"} <= set(r)
        assert r["cases"] == 80 and r["peak_mb"] > 0 and r["violations"] == 0
        assert r["objective"] <= r["bound"] + 1e-6
    assert code in (0, 1)
    # The registry's convention: run(options, log) returns what the command writes.
    result = bench.run({"records": 40, "seed": 1})
    assert result.get("verdict") in ("pass", "fail")
    assert json.loads(json.dumps(result))[0]["cases"] == 40


def test_closed_rooms_are_left_free(mission: Mission, solved: Schedule) -> None:
    # Close the room most used on day 1 that day: the new schedule leaves it
    # free there, the checker flags the old one, and the bound does not rise.
    used = [a.room for a in solved.appointments if a.day == 1]
    busiest = max(set(used), key=used.count)
    rooms = tuple(
        dataclasses.replace(r, closed=frozenset({1})) if r.id == busiest else r
        for r in mission.rooms
    )
    closed = dataclasses.replace(mission, rooms=rooms)
    assert any("is closed on day 1" in v for v in violations(closed, solved))
    again = schedule(closed, time_limit=3)
    assert violations(closed, again) == []
    assert not [a for a in again.appointments if a.room == busiest and a.day == 1]
    assert [a for a in again.appointments if a.room == busiest and a.day != 1]
    assert again.bound <= solved.bound + 1e-6
    base = greedy(closed, order="referral")
    assert violations(closed, base) == []
    # Rescheduling after the closure moves the interviews out of the room.
    moved = reschedule(closed, solved, [], today=0, time_limit=3)
    assert violations(closed, moved) == []
    assert not [a for a in moved.appointments if a.room == busiest and a.day == 1]


def test_closed_days_in_json(mission: Mission) -> None:
    rooms = (dataclasses.replace(mission.rooms[0], closed=frozenset({0, 2})), *mission.rooms[1:])
    closed = dataclasses.replace(mission, rooms=rooms)
    data = mission_to_json(closed)
    assert data["rooms"][0]["closed_days"] == [0, 2]
    assert mission_from_json(json.loads(json.dumps(data))) == closed
    data["rooms"][0]["closed_days"] = [len(mission.days)]
    with pytest.raises(ValueError, match=r"\$\.rooms\[0\]\.closed_days\[0\]"):
        mission_from_json(data)


def test_baselines_follow_their_order(mission: Mission, solved: Schedule) -> None:
    referral = greedy(mission, order="referral")
    by_priority = greedy(mission, order="priority")
    assert referral.method == "greedy" and by_priority.method == "greedy_priority"
    for base in (referral, by_priority):
        assert violations(mission, base) == []
        assert base.objective <= solved.objective
    # Referral order books the first cases that fit, whatever their priority:
    # the first case of the mission that can be placed at all is booked.
    first = next(c.id for c in mission.cases if c.id in solved.by_case())
    assert first in referral.by_case()
    assert by_priority.objective >= referral.objective
    with pytest.raises(ValueError, match="order"):
        greedy(mission, order="random")
