"""The engine's plain data: cases, pledge lines, options, and the result.

Everything here is immutable and free of Django, so the engine runs the same
from the web, the CLI and the benchmark, and its tests need no database.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class Priority(enum.IntEnum):
    """UNHCR's submission priority: lower comes first."""

    EMERGENCY = 0
    URGENT = 1
    NORMAL = 2


class Flag(enum.StrEnum):
    """Needs flagged on a case."""

    MEDICAL_NEEDS = "medical_needs"
    SERIOUS_MEDICAL = "serious_medical"
    DISABILITY = "disability"
    UNACCOMPANIED_CHILD = "unaccompanied_child"
    WOMAN_AT_RISK = "woman_at_risk"


class Modality(enum.StrEnum):
    """How a State processes the cases of a pledge line."""

    DOSSIER = "dossier"
    INTERVIEW = "interview"


@dataclass(frozen=True)
class Case:
    """A family submitted together: never split.

    `submitted_day` is the date of submission as a day number (date.toordinal()),
    so that the engine needs no dates. `link` names a group of cases that must go
    to one State (family unity); empty for none. `interview_possible` is False
    for a case that a selection mission cannot reach: only dossier lines take it.
    """

    id: str
    persons: int
    nationality: str
    asylum: str
    priority: Priority
    submitted_day: int
    situation: str = ""
    category: str = ""
    secondary_category: str = ""
    flags: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    link: str = ""
    interview_possible: bool = True


@dataclass(frozen=True)
class Preference:
    """A State's weight for eligible cases with an attribute value.

    `attribute` is one of: nationality, asylum, situation, category, language,
    flag (category is the primary category; language and flag match when the
    case has it); a case matching several preferences of a line gets the sum
    of their weights (per person placed; Weights says how it counts).
    """

    attribute: str
    value: str
    weight: float


@dataclass(frozen=True)
class PledgeLine:
    """A State's places (in persons) for a year, with the criteria of the cases it takes.

    A criterion given as None accepts every value; an empty set accepts none.
    `categories` looks at the case's primary category (the secondary one is
    information). `max_serious_medical_cases` counts cases (not persons)
    flagged serious_medical; 0 excludes them. A case that cannot be
    interviewed only goes to DOSSIER lines.
    `reserved_urgent` places can only be used by emergency and urgent cases.
    """

    id: str
    state: str
    capacity: int
    nationalities: frozenset[str] | None = None
    asylums: frozenset[str] | None = None
    situations: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    priorities: frozenset[Priority] = frozenset(Priority)
    modality: Modality = Modality.INTERVIEW
    max_serious_medical_cases: int | None = None
    max_family_size: int | None = None
    reserved_urgent: int = 0
    preferences: tuple[Preference, ...] = ()


@dataclass(frozen=True)
class Weights:
    """How the lexicographic objective becomes one number (docs/allocation-engine.md).

    A case of p persons placed on line l is worth, per person,
    `priority[level]` + `waiting_per_day` x days waited (at most
    `max_waiting_days`) + `preference` x the line's preference score for the
    case (the sum of its matching Preference weights, clipped to
    [-max_preference, max_preference]). `balance` rewards each person placed
    in a situation up to the situation's fair share of the places (its share
    of the persons submitted), which spreads places across situations.

    The defaults keep the order of the issue: a person of a higher priority
    level outweighs a family of 15 of the level below with every bonus; one
    day of waiting outweighs the whole preference range; preferences outweigh
    balance (see `lexicographic_conditions` in engine.weights).
    """

    priority: tuple[float, float, float] = (1_000_000.0, 10_000.0, 100.0)
    waiting_per_day: float = 0.01
    max_waiting_days: int = 3650
    preference: float = 0.0001
    max_preference: float = 40.0
    balance: float = 0.000001


@dataclass(frozen=True)
class Instance:
    """One allocation problem: the cases, the pledge lines, and the day it is solved on."""

    cases: tuple[Case, ...]
    lines: tuple[PledgeLine, ...]
    today: int
    weights: Weights = field(default_factory=Weights)


class Reason(enum.StrEnum):
    """Why a case was, or was not, placed."""

    PLACED = "placed"
    NO_ELIGIBLE_LINE = "no_eligible_line"
    CAPACITY_TAKEN = "capacity_taken"
    LINKED_CASES = "linked_cases"


@dataclass(frozen=True)
class Explanation:
    """Why a case ended where it did, in data (the web and CLI phrase it; engine.explain).

    For a placed case: the line and the eligible lines it could have gone to.
    For an unplaced case: the reason; `eligible_lines` (whose room was taken:
    `blocked` gives line id -> "full", "reserved_urgent" or
    "serious_medical_cap"); `excluded_by_state` gives State -> the criterion
    that excluded the case from the State's line that came nearest to taking
    it; `excluded_by` gives line id -> the first criterion that excluded it
    (criterion names in engine.explain.CRITERIA), for every line when the
    instance has at most engine.explain.DETAIL_LINES lines (empty beyond, to
    stay compact: then read `excluded_by_state`). `linked` lists the other
    cases of the case's link group.
    """

    case_id: str
    reason: Reason
    line_id: str | None = None
    eligible_lines: tuple[str, ...] = ()
    excluded_by: tuple[tuple[str, str], ...] = ()
    excluded_by_state: tuple[tuple[str, str], ...] = ()
    blocked: tuple[tuple[str, str], ...] = ()
    linked: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineUse:
    """A pledge line after the allocation: persons placed, by priority level, and the cases."""

    line_id: str
    state: str
    capacity: int
    used: int
    used_by_priority: tuple[int, int, int]
    cases: tuple[str, ...]
    reserved_urgent: int = 0
    serious_medical_cases: int = 0

    @property
    def left(self) -> int:
        """Places not used."""
        return self.capacity - self.used


@dataclass(frozen=True)
class Result:
    """An allocation with its objective, the proven bound and the gap between them.

    `assignment` maps each placed case id to its line id. `bound` is an upper
    bound of the best objective any allocation can reach (engine.bound), so
    `gap` bounds how far this allocation can be from the optimum.
    `explanations` has one entry per case, built on demand (engine.explain).
    """

    assignment: dict[str, str]  # case id -> line id, placed cases only
    objective: float
    bound: float
    explanations: Mapping[str, Explanation]
    lines: tuple[LineUse, ...]
    seconds: float = 0.0
    status: str = "optimal"  # or "time_limit": the LP or the improvement was cut short
    stats: Mapping[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """(bound - objective) / bound; 0 when both are 0."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)
