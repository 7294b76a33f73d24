"""What-if scenarios of the engine (no database): changes to an instance, and the diff."""

from __future__ import annotations

import pytest

from resettle.allocation.engine.check import violations
from resettle.allocation.engine.model import Case, Instance, Modality, PledgeLine, Priority
from resettle.allocation.engine.scenario import (
    add_capacity,
    diff,
    drop_restriction,
    set_capacity,
)
from resettle.allocation.engine.solve import solve

TODAY = 739_500


def base() -> Instance:
    lines = (
        PledgeLine("DEU-1", "DEU", 4, nationalities=frozenset({"SYR"})),
        PledgeLine("FRA-1", "FRA", 3, situations=frozenset({"drc"}), max_family_size=3),
    )
    cases = (
        Case("s1", 4, "SYR", "LBN", Priority.URGENT, 739_000, situation="syria"),
        Case("s2", 2, "SYR", "LBN", Priority.NORMAL, 738_000, situation="syria"),
        Case("a1", 3, "AFG", "IRN", Priority.NORMAL, 737_000, situation="afghanistan"),
        Case("d1", 3, "COD", "UGA", Priority.NORMAL, 738_500, situation="drc"),
        Case("d2", 5, "COD", "UGA", Priority.EMERGENCY, 739_400, situation="drc"),
    )
    return Instance(cases, lines, TODAY)


def test_add_capacity_on_a_new_line_for_a_situation() -> None:
    before = base()
    after = add_capacity(before, situation="afghanistan", persons=500, state="CAN")
    assert before.lines == after.lines[:2]
    new = after.lines[-1]
    assert (new.id, new.state, new.capacity, new.situations) == (
        "scenario-1", "CAN", 500, frozenset({"afghanistan"})
    )  # fmt: skip
    assert new.modality == Modality.DOSSIER
    assert add_capacity(after, persons=1).lines[-1].id == "scenario-2"
    result_a, result_b = solve(before), solve(after)
    assert violations(after, result_b.assignment) == []
    d = diff(before, result_a, after, result_b)
    assert d.by_situation["afghanistan"] == (0, 3)
    assert d.by_state["CAN"] == (0, 3)
    assert d.by_priority["normal"][1] == d.by_priority["normal"][0] + 3
    assert [(c.case_id, c.line_before, c.line_after, c.state_after) for c in d.changed] == [
        ("a1", "", "scenario-1", "CAN")
    ]
    assert d.placed == (
        sum(a for a, _ in d.by_state.values()),
        sum(b for _, b in d.by_state.values()),
    )
    assert d.objective == (result_a.objective, result_b.objective)


def test_add_capacity_to_a_line_and_set_capacity() -> None:
    before = base()
    more = add_capacity(before, line_id="DEU-1", persons=2)
    assert more.lines[0].capacity == 6 and len(more.lines) == 2
    d = diff(before, solve(before), more, solve(more))
    assert d.by_situation["syria"] == (4, 6)
    assert [c.case_id for c in d.changed] == ["s2"]
    fewer = set_capacity(before, "DEU-1", 0)
    assert fewer.lines[0].capacity == 0
    assert "s1" not in solve(fewer).assignment
    with pytest.raises(ValueError, match="positive"):
        add_capacity(before, persons=0)
    with pytest.raises(KeyError):
        add_capacity(before, line_id="nope", persons=3)


def test_drop_restrictions() -> None:
    before = base()
    # A nationality accepted too: AFG comes onto DEU-1 and pushes nobody out (room is short).
    wider = drop_restriction(before, "DEU-1", "nationalities", "AFG")
    assert wider.lines[0].nationalities == {"SYR", "AFG"}
    assert drop_restriction(before, "DEU-1", "nationalities").lines[0].nationalities is None
    # The family size cap goes: the emergency family of 5 now fits FRA-1 (capacity raised).
    bigger = add_capacity(before, line_id="FRA-1", persons=2)
    unbounded = drop_restriction(bigger, "FRA-1", "max_family_size")
    assert unbounded.lines[1].max_family_size is None
    result_b, result_c = solve(bigger), solve(unbounded)
    assert "d2" not in result_b.assignment and result_c.assignment["d2"] == "FRA-1"
    d = diff(bigger, result_b, unbounded, result_c)
    assert d.by_priority["emergency"] == (0, 5)
    changed = {c.case_id: (c.line_before, c.line_after) for c in d.changed}
    assert changed["d2"] == ("", "FRA-1")
    assert changed["d1"] == ("FRA-1", "")
    line = before.lines[0]
    assert drop_restriction(before, "DEU-1", "modality").lines[0].modality == Modality.DOSSIER
    assert drop_restriction(before, "DEU-1", "reserved_urgent").lines[0].reserved_urgent == 0
    assert drop_restriction(before, "DEU-1", "priorities").lines[0].priorities == set(Priority)
    assert line.max_serious_medical_cases is None
    with pytest.raises(ValueError, match="unknown criterion"):
        drop_restriction(before, "DEU-1", "colour")


def test_diff_of_identical_runs_is_empty() -> None:
    instance = base()
    first, second = solve(instance), solve(instance)
    d = diff(instance, first, instance, second)
    assert d.changed == ()
    assert all(a == b for a, b in d.by_state.values())
