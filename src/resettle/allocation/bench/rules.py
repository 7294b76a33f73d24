"""The hard rules, checked independently of the engine (a second opinion in the tests).

engine.check.violations is the reference; this plain-Python version exists
so that the benchmark's own baselines are checked by code their author did
not write the engine with, and so the tests can compare the two.
"""

from __future__ import annotations

from collections import defaultdict

from resettle.allocation.engine.model import Case, Instance, Modality, PledgeLine, Priority

SERIOUS = "serious_medical"


def excluded_by(case: Case, line: PledgeLine) -> str | None:
    """The first criterion of the line the case fails, or None when it is eligible."""
    for name, allowed, value in (
        ("nationality", line.nationalities, case.nationality),
        ("asylum", line.asylums, case.asylum),
        ("situation", line.situations, case.situation),
        ("category", line.categories, case.category),
    ):
        if allowed is not None and value not in allowed:
            return name
    if case.priority not in line.priorities:
        return "priority"
    if line.modality == Modality.INTERVIEW and not case.interview_possible:
        return "modality"
    if line.max_family_size is not None and case.persons > line.max_family_size:
        return "family_size"
    if (
        line.max_serious_medical_cases is not None
        and line.max_serious_medical_cases <= 0
        and SERIOUS in case.flags
    ):
        return "serious_medical"
    return None


def violations(instance: Instance, assignment: dict[str, str]) -> list[str]:
    """Every broken hard rule of an assignment (case id -> line id), in words."""
    problems: list[str] = []
    cases = {c.id: c for c in instance.cases}
    lines = {line.id: line for line in instance.lines}
    used: dict[str, int] = defaultdict(int)
    normal: dict[str, int] = defaultdict(int)
    serious: dict[str, int] = defaultdict(int)
    for case_id, line_id in sorted(assignment.items()):
        case = cases.get(case_id)
        line = lines.get(line_id)
        if case is None or line is None:
            problems.append(f"unknown case or line: {case_id} -> {line_id}")
            continue
        reason = excluded_by(case, line)
        if reason is not None:
            problems.append(f"{case_id} on {line_id}: excluded by {reason}")
        used[line_id] += case.persons
        if case.priority == Priority.NORMAL:
            normal[line_id] += case.persons
        if SERIOUS in case.flags:
            serious[line_id] += 1
    for line_id, persons in sorted(used.items()):
        line = lines[line_id]
        if persons > line.capacity:
            problems.append(f"{line_id}: {persons} persons over capacity {line.capacity}")
        if normal[line_id] > max(0, line.capacity - line.reserved_urgent):
            problems.append(f"{line_id}: normal cases use places reserved for urgent ones")
        cap = line.max_serious_medical_cases
        if cap is not None and serious[line_id] > cap:
            problems.append(f"{line_id}: {serious[line_id]} serious medical cases over {cap}")
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in instance.cases:
        if case.link:
            groups[case.link].append(case)
    for link, members in sorted(groups.items()):
        states = {lines[assignment[c.id]].state for c in members if c.id in assignment}
        placed = sum(c.id in assignment for c in members)
        if len(states) > 1:
            problems.append(f"link {link}: split between States {sorted(states)}")
        if 0 < placed < len(members):
            problems.append(f"link {link}: {placed} of {len(members)} cases placed")
    return problems
