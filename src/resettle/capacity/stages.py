"""The stage rule: a State's programme stage derived from its assessment scores.

Pure Python (no Django), fed plain data, so the rule can be read, tested on
hand-checked assessments and documented (docs/capacity.md) on its own.

Each of the eight dimensions is scored 0 to 4:

    0 nothing in place, 1 initial steps, 2 partly in place,
    3 largely in place, 4 fully in place and reviewed.

Four dimensions are *core*: without them no refugee can be resettled at all
(legal and policy framework; identification, selection and processing;
pre-departure; reception and integration). The rule, applied to a complete
set of eight scores:

- **established** when the mean of all eight scores is at least 3 and every
  core dimension scores at least 3;
- otherwise **emerging** when the mean is at least 1.5 and every core
  dimension scores at least 1;
- otherwise **new**.

Means are compared exactly (as fractions), so a mean of exactly 1.5 or 3 is
on the higher side of the threshold and no rounding can move a State.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

# The dimensions, in the order pages, charts and tables show them.
DIMENSIONS: tuple[str, ...] = (
    "legal",
    "processing",
    "pre_departure",
    "reception",
    "pathways",
    "sponsorship",
    "data",
    "partnerships",
)
CORE_DIMENSIONS: tuple[str, ...] = ("legal", "processing", "pre_departure", "reception")

MIN_SCORE = 0
MAX_SCORE = 4

NEW = "new"
EMERGING = "emerging"
ESTABLISHED = "established"
STAGES: tuple[str, ...] = (NEW, EMERGING, ESTABLISHED)

# The thresholds of the rule (see the module docstring).
ESTABLISHED_MEAN = Fraction(3)
ESTABLISHED_CORE_MIN = 3
EMERGING_MEAN = Fraction(3, 2)
EMERGING_CORE_MIN = 1


class IncompleteScores(ValueError):
    """The scores do not cover every dimension, or one is out of range."""


def check_scores(scores: Mapping[str, int | None]) -> dict[str, int]:
    """The scores as a complete dict, or IncompleteScores naming what is wrong."""
    missing = [d for d in DIMENSIONS if scores.get(d) is None]
    if missing:
        raise IncompleteScores(f"missing scores: {', '.join(missing)}")
    unknown = sorted(set(scores) - set(DIMENSIONS))
    if unknown:
        raise IncompleteScores(f"unknown dimensions: {', '.join(unknown)}")
    out: dict[str, int] = {}
    for dim in DIMENSIONS:
        value = int(scores[dim] or 0)  # not None: checked above
        if not MIN_SCORE <= value <= MAX_SCORE:
            raise IncompleteScores(f"{dim}: {value} is not between 0 and 4")
        out[dim] = int(value)
    return out


def mean_score(scores: Mapping[str, int | None]) -> Fraction:
    """The exact mean of the eight scores."""
    complete = check_scores(scores)
    return Fraction(sum(complete.values()), len(DIMENSIONS))


def core_minimum(scores: Mapping[str, int | None]) -> int:
    """The lowest score among the core dimensions."""
    complete = check_scores(scores)
    return min(complete[d] for d in CORE_DIMENSIONS)


def derive_stage(scores: Mapping[str, int | None]) -> str:
    """The programme stage ("new", "emerging", "established") for complete scores."""
    mean = mean_score(scores)
    core = core_minimum(scores)
    if mean >= ESTABLISHED_MEAN and core >= ESTABLISHED_CORE_MIN:
        return ESTABLISHED
    if mean >= EMERGING_MEAN and core >= EMERGING_CORE_MIN:
        return EMERGING
    return NEW


def try_derive_stage(scores: Mapping[str, int | None]) -> str | None:
    """The stage, or None while scores are missing (a draft assessment)."""
    try:
        return derive_stage(scores)
    except IncompleteScores:
        return None
