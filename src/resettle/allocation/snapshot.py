"""The engine's Instance and Result as JSON, and back: a run's input snapshot.

Pure (no Django): a run stores exactly what the engine was fed, so a scenario
can copy it, change it with engine.scenario and run it again, and a result
page can name the lines of a scenario that exist in no database table.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from resettle.allocation.engine.model import (
    Case,
    Explanation,
    Instance,
    Modality,
    PledgeLine,
    Preference,
    Priority,
    Weights,
)

PRIORITY_NAMES = {
    Priority.EMERGENCY: "emergency",
    Priority.URGENT: "urgent",
    Priority.NORMAL: "normal",
}
PRIORITY_OF_NAME = {name: level for level, name in PRIORITY_NAMES.items()}


def _codes(values: frozenset[str] | None) -> list[str] | None:
    return None if values is None else sorted(values)


def _set(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def case_to_dict(case: Case) -> dict[str, Any]:
    """One case as JSON-ready values."""
    return {
        "id": case.id,
        "persons": case.persons,
        "nationality": case.nationality,
        "asylum": case.asylum,
        "priority": PRIORITY_NAMES[case.priority],
        "submitted_day": case.submitted_day,
        "situation": case.situation,
        "category": case.category,
        "secondary_category": case.secondary_category,
        "flags": sorted(case.flags),
        "languages": sorted(case.languages),
        "link": case.link,
        "interview_possible": case.interview_possible,
    }


def case_from_dict(data: dict[str, Any]) -> Case:
    """A case from case_to_dict's values."""
    return Case(
        id=data["id"],
        persons=int(data["persons"]),
        nationality=data["nationality"],
        asylum=data["asylum"],
        priority=PRIORITY_OF_NAME[data["priority"]],
        submitted_day=int(data["submitted_day"]),
        situation=data.get("situation", ""),
        category=data.get("category", ""),
        secondary_category=data.get("secondary_category", ""),
        flags=frozenset(data.get("flags", ())),
        languages=frozenset(data.get("languages", ())),
        link=data.get("link", ""),
        interview_possible=bool(data.get("interview_possible", True)),
    )


def line_to_dict(line: PledgeLine) -> dict[str, Any]:
    """One pledge line as JSON-ready values."""
    return {
        "id": line.id,
        "state": line.state,
        "capacity": line.capacity,
        "nationalities": _codes(line.nationalities),
        "asylums": _codes(line.asylums),
        "situations": _codes(line.situations),
        "categories": _codes(line.categories),
        "priorities": [PRIORITY_NAMES[p] for p in sorted(line.priorities)],
        "modality": str(line.modality),
        "max_serious_medical_cases": line.max_serious_medical_cases,
        "max_family_size": line.max_family_size,
        "reserved_urgent": line.reserved_urgent,
        "preferences": [
            {"attribute": p.attribute, "value": p.value, "weight": p.weight}
            for p in line.preferences
        ],
    }


def line_from_dict(data: dict[str, Any]) -> PledgeLine:
    """A pledge line from line_to_dict's values."""
    return PledgeLine(
        id=data["id"],
        state=data["state"],
        capacity=int(data["capacity"]),
        nationalities=_set(data.get("nationalities")),
        asylums=_set(data.get("asylums")),
        situations=_set(data.get("situations")),
        categories=_set(data.get("categories")),
        priorities=frozenset(PRIORITY_OF_NAME[p] for p in data.get("priorities", PRIORITY_OF_NAME)),
        modality=Modality(data.get("modality", Modality.INTERVIEW)),
        max_serious_medical_cases=data.get("max_serious_medical_cases"),
        max_family_size=data.get("max_family_size"),
        reserved_urgent=int(data.get("reserved_urgent", 0)),
        preferences=tuple(
            Preference(p["attribute"], p["value"], float(p["weight"]))
            for p in data.get("preferences", ())
        ),
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The whole instance as JSON-ready values."""
    return {
        "today": instance.today,
        "weights": dataclasses.asdict(instance.weights),
        "cases": [case_to_dict(c) for c in instance.cases],
        "lines": [line_to_dict(line) for line in instance.lines],
    }


def instance_from_dict(data: dict[str, Any]) -> Instance:
    """An instance from instance_to_dict's values."""
    given = data.get("weights") or {}
    known = {f.name for f in dataclasses.fields(Weights)}
    values = {k: v for k, v in given.items() if k in known}
    if "priority" in values:
        values["priority"] = tuple(float(v) for v in values["priority"])
    weights = Weights(**values)
    return Instance(
        cases=tuple(case_from_dict(c) for c in data.get("cases", ())),
        lines=tuple(line_from_dict(line) for line in data.get("lines", ())),
        today=int(data["today"]),
        weights=weights,
    )


def explanation_to_dict(explanation: Explanation) -> dict[str, Any]:
    """An explanation as JSON-ready values (the case id is the assignment's case)."""
    return {
        "reason": str(explanation.reason),
        "line": explanation.line_id,
        "eligible": list(explanation.eligible_lines),
        "excluded_by": dict(explanation.excluded_by),
        "excluded_by_state": dict(explanation.excluded_by_state),
        "blocked": dict(explanation.blocked),
        "linked": list(explanation.linked),
    }
