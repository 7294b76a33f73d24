"""The hard rules and the objective, written plainly, case by case, to check the solver.

This module shares no code with the solver's arrays (prepare.py, lp.py...),
so that the tests compare two independent readings of the rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from resettle.allocation.engine.model import Case, Instance, Modality, PledgeLine, Priority
from resettle.allocation.engine.prepare import SERIOUS, fair_shares


def exclusion(case: Case, line: PledgeLine) -> str | None:
    """The first criterion of the line that the case fails, or None if it is eligible."""
    if line.nationalities is not None and case.nationality not in line.nationalities:
        return "nationality"
    if line.asylums is not None and case.asylum not in line.asylums:
        return "asylum"
    if line.situations is not None and case.situation not in line.situations:
        return "situation"
    if line.categories is not None and case.category not in line.categories:
        return "category"
    if case.priority not in line.priorities:
        return "priority"
    if line.modality != Modality.DOSSIER and not case.interview_possible:
        return "modality"
    if line.max_family_size is not None and case.persons > line.max_family_size:
        return "family_size"
    serious_cap = line.max_serious_medical_cases
    if serious_cap is not None and serious_cap <= 0 and SERIOUS in case.flags:
        return "serious_medical"
    return None


def preference(instance: Instance, case: Case, line: PledgeLine) -> float:
    """The line's preference score for the case, clipped to [-max_preference, max_preference]."""
    score = 0.0
    for pref in line.preferences:
        if pref.attribute == "language":
            hit = pref.value in case.languages
        elif pref.attribute == "flag":
            hit = pref.value in case.flags
        elif pref.attribute in ("nationality", "asylum", "situation", "category"):
            hit = getattr(case, pref.attribute) == pref.value
        else:
            hit = False
        if hit:
            score += pref.weight
    cap = instance.weights.max_preference
    return min(cap, max(-cap, score))


def placement_value(instance: Instance, case: Case, line: PledgeLine) -> float:
    """What placing the case on the line adds to the objective, balance aside."""
    w = instance.weights
    waited = min(max(0, instance.today - case.submitted_day), w.max_waiting_days)
    per_person = (
        w.priority[int(case.priority)]
        + w.waiting_per_day * waited
        + w.preference * preference(instance, case, line)
    )
    return case.persons * per_person


def objective_of(instance: Instance, assignment: Mapping[str, str]) -> float:
    """The objective the solver maximises, of any assignment (case id -> line id)."""
    lines = {line.id: line for line in instance.lines}
    total = 0.0
    by_situation: dict[str, int] = {}
    for case in instance.cases:
        line_id = assignment.get(case.id)
        if line_id is None:
            continue
        total += placement_value(instance, case, lines[line_id])
        by_situation[case.situation] = by_situation.get(case.situation, 0) + case.persons
    shares = fair_shares(instance)
    total += instance.weights.balance * sum(
        min(placed, shares.get(s, 0.0)) for s, placed in by_situation.items()
    )
    return total


def violations(instance: Instance, assignment: Mapping[str, str]) -> list[str]:
    """Every hard rule the assignment breaks, in words (empty when it breaks none)."""
    problems: list[str] = []
    cases = {case.id: case for case in instance.cases}
    lines = {line.id: line for line in instance.lines}
    used: dict[str, int] = {}
    normal: dict[str, int] = {}
    serious: dict[str, int] = {}
    for case_id, line_id in sorted(assignment.items()):
        case = cases.get(case_id)
        line = lines.get(line_id)
        if case is None:
            problems.append(f"case {case_id}: not in the instance")
            continue
        if line is None:
            problems.append(f"case {case_id}: line {line_id} is not in the instance")
            continue
        why = exclusion(case, line)
        if why is not None:
            problems.append(f"case {case_id}: line {line_id} excludes it by {why}")
        used[line_id] = used.get(line_id, 0) + case.persons
        if case.priority == Priority.NORMAL:
            normal[line_id] = normal.get(line_id, 0) + case.persons
        if SERIOUS in case.flags:
            serious[line_id] = serious.get(line_id, 0) + 1
    for line in instance.lines:
        if used.get(line.id, 0) > line.capacity:
            problems.append(
                f"line {line.id}: {used[line.id]} persons placed, capacity {line.capacity}"
            )
        free_for_normal = line.capacity - line.reserved_urgent
        if normal.get(line.id, 0) > max(0, free_for_normal):
            problems.append(
                f"line {line.id}: {normal[line.id]} normal-priority persons use places "
                f"reserved for emergency and urgent cases (at most {max(0, free_for_normal)})"
            )
        cap = line.max_serious_medical_cases
        if cap is not None and serious.get(line.id, 0) > cap:
            problems.append(
                f"line {line.id}: {serious[line.id]} serious medical cases, at most {cap}"
            )
    groups: dict[str, list[Case]] = {}
    for case in instance.cases:
        if case.link:
            groups.setdefault(case.link, []).append(case)
    for link, members in sorted(groups.items()):
        placed = [c for c in members if c.id in assignment]
        states = {lines[assignment[c.id]].state for c in placed if assignment[c.id] in lines}
        if placed and len(placed) < len(members):
            problems.append(
                f"link {link}: {len(placed)} of its {len(members)} cases placed (all or none)"
            )
        if len(states) > 1:
            problems.append(f"link {link}: cases placed with {len(states)} States, not one")
    return problems
