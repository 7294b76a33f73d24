"""What-if scenarios: change an instance's pledges or criteria, and compare two results.

Each change returns a new Instance (instances are immutable), so a scenario
is: copy the run's instance, apply changes, solve again, `diff` the two.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from resettle.allocation.engine.model import Instance, Modality, PledgeLine, Priority, Result

# Criteria that drop_restriction accepts, and what "dropped" means for each.
CRITERIA = (
    "nationalities",
    "asylums",
    "situations",
    "categories",
    "priorities",
    "modality",
    "max_family_size",
    "max_serious_medical_cases",
    "reserved_urgent",
)
SET_CRITERIA = ("nationalities", "asylums", "situations", "categories")


def _line(instance: Instance, line_id: str) -> PledgeLine:
    for line in instance.lines:
        if line.id == line_id:
            return line
    raise KeyError(f"no pledge line {line_id!r}")


def _replace_line(instance: Instance, new: PledgeLine) -> Instance:
    lines = tuple(new if line.id == new.id else line for line in instance.lines)
    return dataclasses.replace(instance, lines=lines)


def add_capacity(
    instance: Instance,
    *,
    persons: int,
    situation: str | None = None,
    state: str | None = None,
    line_id: str | None = None,
) -> Instance:
    """More places: on an existing line (`line_id`), or on a new line.

    Without `line_id`, a new line "scenario-N" is added for `state` (or
    "SCENARIO" when none is given), taking the cases of `situation` (any case
    when None) with no other criterion, processed on dossier, so that it
    shows what the places alone would change.
    """
    if persons <= 0:
        raise ValueError("persons must be positive")
    if line_id is not None:
        line = _line(instance, line_id)
        return _replace_line(instance, dataclasses.replace(line, capacity=line.capacity + persons))
    taken = {line.id for line in instance.lines}
    number = 1
    while f"scenario-{number}" in taken:
        number += 1
    new = PledgeLine(
        id=f"scenario-{number}",
        state=state or "SCENARIO",
        capacity=persons,
        situations=frozenset({situation}) if situation is not None else None,
        modality=Modality.DOSSIER,
    )
    return dataclasses.replace(instance, lines=(*instance.lines, new))


def drop_restriction(
    instance: Instance, line_id: str, criterion: str, value: str | None = None
) -> Instance:
    """Relax one criterion of a line.

    For nationalities, asylums, situations and categories: with `value`, that
    value is accepted too; without, the criterion goes (any value). For
    priorities: all are accepted (or the one named by `value`). modality
    becomes dossier (cases that cannot be interviewed come in);
    max_family_size and max_serious_medical_cases go; reserved_urgent becomes 0.
    """
    line = _line(instance, line_id)
    if criterion not in CRITERIA:
        raise ValueError(f"unknown criterion {criterion!r} (known: {', '.join(CRITERIA)})")
    changes: dict[str, object]
    if criterion in SET_CRITERIA:
        current = getattr(line, criterion)
        if value is None or current is None:
            changes = {criterion: None}
        else:
            changes = {criterion: current | {value}}
    elif criterion == "priorities":
        if value is None:
            changes = {"priorities": frozenset(Priority)}
        else:
            changes = {"priorities": line.priorities | {Priority[value.upper()]}}
    elif criterion == "modality":
        changes = {"modality": Modality.DOSSIER}
    elif criterion == "reserved_urgent":
        changes = {"reserved_urgent": 0}
    else:
        changes = {criterion: None}
    return _replace_line(instance, dataclasses.replace(line, **changes))  # type: ignore[arg-type]


def set_capacity(instance: Instance, line_id: str, capacity: int) -> Instance:
    """A line's capacity set to a number of persons (reserve trimmed to fit)."""
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    line = _line(instance, line_id)
    return _replace_line(
        instance,
        dataclasses.replace(
            line, capacity=capacity, reserved_urgent=min(line.reserved_urgent, capacity)
        ),
    )


@dataclass(frozen=True)
class CaseChange:
    """A case whose outcome differs between two results ("" = not placed)."""

    case_id: str
    line_before: str
    line_after: str
    state_before: str
    state_after: str


@dataclass(frozen=True)
class Diff:
    """Persons placed before and after, by priority, situation and State, and the changed cases.

    Each mapping goes from a key to (persons before, persons after); keys
    that have no persons placed on either side are left out.
    """

    by_priority: Mapping[str, tuple[int, int]]
    by_situation: Mapping[str, tuple[int, int]]
    by_state: Mapping[str, tuple[int, int]]
    changed: tuple[CaseChange, ...]
    objective: tuple[float, float]

    @property
    def placed(self) -> tuple[int, int]:
        """Persons placed before and after."""
        before = sum(b for b, _ in self.by_priority.values())
        after = sum(a for _, a in self.by_priority.values())
        return before, after


def _tally(
    instance: Instance, result: Result
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    state_of = {line.id: line.state for line in instance.lines}
    by_priority: dict[str, int] = {}
    by_situation: dict[str, int] = {}
    by_state: dict[str, int] = {}
    for case in instance.cases:
        line_id = result.assignment.get(case.id)
        if line_id is None:
            continue
        name = case.priority.name.lower()
        by_priority[name] = by_priority.get(name, 0) + case.persons
        by_situation[case.situation] = by_situation.get(case.situation, 0) + case.persons
        state = state_of[line_id]
        by_state[state] = by_state.get(state, 0) + case.persons
    return by_priority, by_situation, by_state


def _pair(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before.get(k, 0), after.get(k, 0)) for k in sorted(before.keys() | after.keys())}


def diff(instance_a: Instance, result_a: Result, instance_b: Instance, result_b: Result) -> Diff:
    """What changed from (instance_a, result_a) to (instance_b, result_b).

    A case changes when it is placed on one side only, or with another
    State, or on another line; cases in one instance only count as changed.
    """
    tally_a = _tally(instance_a, result_a)
    tally_b = _tally(instance_b, result_b)
    state_a = {line.id: line.state for line in instance_a.lines}
    state_b = {line.id: line.state for line in instance_b.lines}
    ids = [c.id for c in instance_a.cases]
    seen = set(ids)
    ids += [c.id for c in instance_b.cases if c.id not in seen]
    changed = []
    for case_id in ids:
        before = result_a.assignment.get(case_id, "")
        after = result_b.assignment.get(case_id, "")
        if before != after:
            changed.append(
                CaseChange(
                    case_id,
                    before,
                    after,
                    state_a.get(before, ""),
                    state_b.get(after, ""),
                )
            )
    return Diff(
        by_priority=_pair(tally_a[0], tally_b[0]),
        by_situation=_pair(tally_a[1], tally_b[1]),
        by_state=_pair(tally_a[2], tally_b[2]),
        changed=tuple(changed),
        objective=(result_a.objective, result_b.objective),
    )
