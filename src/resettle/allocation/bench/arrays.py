"""An Instance as numpy arrays: who may go where, and what each placement is worth.

Shared by the baselines (greedy and the naive MIP), which must be fast enough
to run at 300,000 cases in Python. Eligibility is computed once per distinct
combination of the attributes the criteria look at (far fewer than cases),
then spread to the cases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from resettle.allocation.engine.model import Flag, Instance, Modality, PledgeLine

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SERIOUS = Flag.SERIOUS_MEDICAL.value


@dataclass
class Arrays:
    """Column arrays over cases (index i = instance.cases[i]) and lines (j = instance.lines[j])."""

    persons: IntArray
    priority: IntArray
    serious: BoolArray
    key: IntArray  # case -> row of `eligible`
    eligible: BoolArray  # distinct key x line
    value: FloatArray  # per case: persons x (priority weight + waiting), preferences aside
    capacity: IntArray
    normal_capacity: IntArray  # capacity minus the places reserved for emergency and urgent
    serious_cap: IntArray  # -1 for no cap
    state: IntArray  # line -> State index
    link: IntArray  # case -> link group index, -1 for none
    situation: IntArray  # case -> index in `situations`
    situations: list[str]


def _codes(values: list[str]) -> tuple[dict[str, int], IntArray]:
    table: dict[str, int] = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), np.int64, len(values))
    return table, codes


def _allowed(table: dict[str, int], allowed: frozenset[str]) -> IntArray:
    return np.array(sorted(table[v] for v in allowed if v in table), dtype=np.int64)


def line_mask(
    line: PledgeLine, columns: dict[str, IntArray], tables: dict[str, dict[str, int]]
) -> BoolArray:
    """Which rows of `columns` (one per distinct key) the line's criteria accept."""
    rows = len(columns["persons"])
    mask = np.ones(rows, dtype=np.bool_)
    for name, allowed in (
        ("nationality", line.nationalities),
        ("asylum", line.asylums),
        ("situation", line.situations),
        ("category", line.categories),
    ):
        if allowed is not None:
            mask &= np.isin(columns[name], _allowed(tables[name], allowed))
    mask &= np.isin(columns["priority"], np.array(sorted(int(p) for p in line.priorities)))
    if line.modality == Modality.INTERVIEW:
        mask &= columns["interview"] == 1
    if line.max_family_size is not None:
        mask &= columns["persons"] <= line.max_family_size
    if line.max_serious_medical_cases is not None and line.max_serious_medical_cases <= 0:
        mask &= columns["serious"] == 0
    return mask


def encode(instance: Instance) -> Arrays:
    """The arrays of an instance (a few seconds at 300,000 cases)."""
    cases = instance.cases
    weights = instance.weights
    tables: dict[str, dict[str, int]] = {}
    columns: dict[str, IntArray] = {}
    for name, values in (
        ("nationality", [c.nationality for c in cases]),
        ("asylum", [c.asylum for c in cases]),
        ("situation", [c.situation for c in cases]),
        ("category", [c.category for c in cases]),
    ):
        tables[name], columns[name] = _codes(values)
    n = len(cases)
    persons = np.fromiter((c.persons for c in cases), np.int64, n)
    priority = np.fromiter((int(c.priority) for c in cases), np.int64, n)
    serious = np.fromiter((SERIOUS in c.flags for c in cases), np.bool_, n)
    columns["priority"] = priority
    columns["persons"] = persons
    columns["serious"] = serious.astype(np.int64)
    columns["interview"] = np.fromiter((c.interview_possible for c in cases), np.int64, n)
    order = ("nationality", "asylum", "situation", "category", "priority", "persons")
    stacked = np.stack([columns[k] for k in (*order, "serious", "interview")], axis=1)
    if n:
        distinct, inverse = np.unique(stacked, axis=0, return_inverse=True)
    else:
        distinct, inverse = np.zeros((0, 8), dtype=np.int64), np.zeros(0, dtype=np.int64)
    key_columns = {name: distinct[:, i] for i, name in enumerate((*order, "serious", "interview"))}
    eligible = np.zeros((len(distinct), len(instance.lines)), dtype=np.bool_)
    for j, line in enumerate(instance.lines):
        eligible[:, j] = line_mask(line, key_columns, tables)

    waited = np.fromiter((instance.today - c.submitted_day for c in cases), np.int64, n)
    waited = np.clip(waited, 0, weights.max_waiting_days)
    level = np.array(weights.priority, dtype=np.float64)
    value = persons * (level[priority] + weights.waiting_per_day * waited)

    states: dict[str, int] = {}
    links: dict[str, int] = {}
    situations = sorted({c.situation for c in cases})
    situation_index = {name: k for k, name in enumerate(situations)}
    lines = instance.lines
    return Arrays(
        persons=persons,
        priority=priority,
        serious=serious,
        key=inverse.reshape(-1).astype(np.int64),
        eligible=eligible,
        value=value.astype(np.float64),
        capacity=np.array([ln.capacity for ln in lines], dtype=np.int64),
        normal_capacity=np.array(
            [max(0, ln.capacity - ln.reserved_urgent) for ln in lines], np.int64
        ),
        serious_cap=np.array(
            [
                -1 if ln.max_serious_medical_cases is None else ln.max_serious_medical_cases
                for ln in lines
            ],
            dtype=np.int64,
        ),
        state=np.array([states.setdefault(ln.state, len(states)) for ln in lines], np.int64),
        link=np.fromiter(
            (links.setdefault(c.link, len(links)) if c.link else -1 for c in cases), np.int64, n
        ),
        situation=np.fromiter((situation_index[c.situation] for c in cases), np.int64, n),
        situations=situations,
    )


class _AttributeMasks:
    """Cached boolean arrays over cases: which cases have attribute == value."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.cache: dict[tuple[str, str], BoolArray] = {}

    def __call__(self, attribute: str, value: str) -> BoolArray:
        key = (attribute, value)
        if key not in self.cache:
            cases = self.instance.cases
            n = len(cases)
            if attribute == "language":
                values = (value in c.languages for c in cases)
            elif attribute == "flag":
                values = (value in c.flags for c in cases)
            else:
                values = (getattr(c, attribute) == value for c in cases)
            self.cache[key] = np.fromiter(values, np.bool_, n)
        return self.cache[key]


def attribute_masks(instance: Instance) -> _AttributeMasks:
    """A cache of attribute masks for `preference_column`."""
    return _AttributeMasks(instance)


def preference_column(instance: Instance, j: int, masks: _AttributeMasks) -> FloatArray:
    """The preference score of every case on line j, clipped as Weights says."""
    score = np.zeros(len(instance.cases), dtype=np.float64)
    for pref in instance.lines[j].preferences:
        score += pref.weight * masks(pref.attribute, pref.value)
    limit = instance.weights.max_preference
    return np.clip(score, -limit, limit)
