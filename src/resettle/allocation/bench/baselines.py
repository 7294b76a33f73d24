"""The two baselines the engine is measured against.

- `greedy`: what a careful person does by hand. Cases in order of priority,
  then date of submission (then id), each to the first eligible pledge line
  (in line id order) with room; a link group is placed when its first member
  comes up, all its cases with one State or none of them.
- `naive_mip`: the textbook model, one binary per (case, eligible line), on
  HiGHS with a time limit. It is exact given time, and the issue's point is
  that it does not scale: it returns its best feasible answer (possibly none)
  and HiGHS's proven bound.

Both respect every hard rule (checked by engine.check.violations in the tests
and the benchmark) and are scored with the engine's own objective.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict

import highspy
import numpy as np

from resettle.allocation.bench.arrays import (
    Arrays,
    FloatArray,
    IntArray,
    attribute_masks,
    encode,
    preference_column,
)
from resettle.allocation.engine.model import Case, Instance, Priority

NORMAL = int(Priority.NORMAL)


def matches(case: Case, attribute: str, value: str) -> bool:
    """Whether a case has the attribute value a Preference names."""
    if attribute == "language":
        return value in case.languages
    if attribute == "flag":
        return value in case.flags
    return bool(getattr(case, attribute) == value)


def fair_shares(instance: Instance) -> dict[str, float]:
    """Each situation's fair share of the places: its share of the persons submitted."""
    demand: dict[str, int] = defaultdict(int)
    for case in instance.cases:
        demand[case.situation] += case.persons
    total = sum(demand.values())
    places = sum(line.capacity for line in instance.lines)
    return {s: places * d / total for s, d in sorted(demand.items())} if total else {}


def own_objective(instance: Instance, assignment: dict[str, str]) -> float:
    """The objective as Weights documents it, computed independently of the engine.

    Per person placed: the priority level's weight, waiting (capped), and the
    line's matching preference weights (clipped to +-max_preference) times
    `preference`; plus `balance` per person placed in a situation up to its
    fair share of the places. The naive MIP maximises exactly this.
    """
    w = instance.weights
    lines = {line.id: line for line in instance.lines}
    total = 0.0
    placed: dict[str, int] = defaultdict(int)
    for case in instance.cases:
        line_id = assignment.get(case.id)
        if line_id is None:
            continue
        waited = min(max(instance.today - case.submitted_day, 0), w.max_waiting_days)
        score = sum(
            p.weight for p in lines[line_id].preferences if matches(case, p.attribute, p.value)
        )
        score = min(max(score, -w.max_preference), w.max_preference)
        total += case.persons * (
            w.priority[int(case.priority)] + w.waiting_per_day * waited + w.preference * score
        )
        placed[case.situation] += case.persons
    shares = fair_shares(instance)
    total += w.balance * sum(min(placed[s], share) for s, share in shares.items())
    return total


def objective(instance: Instance, assignment: dict[str, str]) -> float:
    """The engine's objective of an assignment (engine.check.objective_of)."""
    try:
        from resettle.allocation.engine.check import objective_of  # noqa: PLC0415
    except ImportError:  # the engine's check module is not there yet
        return own_objective(instance, assignment)
    return float(objective_of(instance, assignment))


# ---- greedy -------------------------------------------------------------------------


class _Room:
    """Places left on each line, for normal cases, and for serious medical cases."""

    def __init__(self, arrays: Arrays) -> None:
        self.a = arrays
        self.left = arrays.capacity.tolist()
        self.normal_left = arrays.normal_capacity.tolist()
        self.serious_left = [math.inf if c < 0 else c for c in arrays.serious_cap.tolist()]

    def fits(self, i: int, j: int, persons: int, normal: bool, serious: bool) -> bool:
        return (
            self.left[j] >= persons
            and (not normal or self.normal_left[j] >= persons)
            and (not serious or self.serious_left[j] >= 1)
        )

    def take(self, j: int, persons: int, normal: bool, serious: bool, sign: int = 1) -> None:
        self.left[j] -= sign * persons
        if normal:
            self.normal_left[j] -= sign * persons
        if serious:
            self.serious_left[j] -= sign


def greedy(instance: Instance) -> dict[str, str]:
    """Priority, then date, first eligible line with room; links placed together or not at all."""
    a = encode(instance)
    cases = instance.cases
    lines = instance.lines
    eligible_lines = [np.flatnonzero(row).tolist() for row in a.eligible]
    key = a.key.tolist()
    persons = a.persons.tolist()
    normal = (a.priority == NORMAL).tolist()
    serious = a.serious.tolist()
    state = a.state.tolist()
    link = a.link.tolist()
    room = _Room(a)
    order = sorted(
        range(len(cases)),
        key=lambda i: (cases[i].priority, cases[i].submitted_day, cases[i].id),
    )
    members: dict[int, list[int]] = defaultdict(list)
    for i in order:
        if link[i] >= 0:
            members[link[i]].append(i)

    placed: dict[int, int] = {}

    def first_fit(i: int, only_state: int | None = None) -> int | None:
        for j in eligible_lines[key[i]]:
            if (only_state is None or state[j] == only_state) and room.fits(
                i, j, persons[i], normal[i], serious[i]
            ):
                return int(j)
        return None

    done: set[int] = set()
    for i in order:
        group = link[i]
        if group < 0:
            j = first_fit(i)
            if j is not None:
                room.take(j, persons[i], normal[i], serious[i])
                placed[i] = j
            continue
        if group in done:
            continue
        done.add(group)
        tried: set[int] = set()
        for first_line in eligible_lines[key[i]]:
            s = state[first_line]
            if s in tried:
                continue
            tried.add(s)
            taken: list[tuple[int, int]] = []
            for m in members[group]:
                j = first_fit(m, s)
                if j is None:
                    break
                room.take(j, persons[m], normal[m], serious[m])
                taken.append((m, j))
            if len(taken) == len(members[group]):
                placed.update(taken)
                break
            for m, j in taken:  # this State cannot take the whole group: undo
                room.take(j, persons[m], normal[m], serious[m], sign=-1)
    return {cases[i].id: lines[j].id for i, j in sorted(placed.items())}


# ---- naive MIP ----------------------------------------------------------------------


def _pairs(instance: Instance, a: Arrays) -> tuple[IntArray, IntArray, FloatArray]:
    """Every eligible (case, line) pair and the objective value of placing the case there."""
    masks = attribute_masks(instance)
    preference = instance.weights.preference
    case_parts: list[IntArray] = []
    line_parts: list[IntArray] = []
    cost_parts: list[FloatArray] = []
    for j in range(len(instance.lines)):
        cases_j = np.flatnonzero(a.eligible[a.key, j]).astype(np.int64)
        if not len(cases_j):
            continue
        score = preference_column(instance, j, masks)[cases_j]
        case_parts.append(cases_j)
        line_parts.append(np.full(len(cases_j), j, dtype=np.int64))
        cost_parts.append(a.value[cases_j] + a.persons[cases_j] * preference * score)
    if not case_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(case_parts), np.concatenate(line_parts), np.concatenate(cost_parts)


def _viable_link_pairs(
    a: Arrays, col_case: IntArray, col_line: IntArray
) -> tuple[np.ndarray, dict[tuple[int, int], int]]:
    """Keep pairs of linked cases only with States able to take the whole group.

    Returns the mask of kept pairs and the (group, State) choices (-> index).
    """
    group_size = np.bincount(a.link[a.link >= 0]) if (a.link >= 0).any() else np.zeros(0)
    linked = a.link[col_case] >= 0
    members_on: dict[tuple[int, int], set[int]] = defaultdict(set)
    for c, j in zip(col_case[linked].tolist(), col_line[linked].tolist(), strict=True):
        members_on[(int(a.link[c]), int(a.state[j]))].add(c)
    viable = {gs for gs, m in members_on.items() if len(m) == group_size[gs[0]]}
    choices = {gs: k for k, gs in enumerate(sorted(viable))}
    keep = np.ones(len(col_case), dtype=np.bool_)
    idx = np.flatnonzero(linked)
    for k, c, j in zip(
        idx.tolist(), col_case[linked].tolist(), col_line[linked].tolist(), strict=True
    ):
        if (int(a.link[c]), int(a.state[j])) not in choices:
            keep[k] = False
    return keep, choices


class ModelTooLarge(Exception):
    """The naive model would not fit in the memory allowed for it."""

    def __init__(self, pairs: int, estimated_mb: float) -> None:
        super().__init__(f"{pairs} binaries, about {estimated_mb:.0f} MB")
        self.pairs = pairs
        self.estimated_mb = estimated_mb


# HiGHS's memory per binary of this model, measured at 10,000 cases (1.1 million
# binaries, 2.9 GB peak with presolve off), with some margin.
MB_PER_PAIR = 0.003


def naive_mip(
    instance: Instance,
    time_limit: float,
    *,
    mip_rel_gap: float = 1e-6,
    max_mb: float | None = None,
    threads: int | None = None,
) -> tuple[dict[str, str], float, float]:
    """One binary per (case, eligible line) on HiGHS: (assignment, objective, bound).

    The assignment is HiGHS's best feasible one within `time_limit` seconds of
    solving (empty, objective 0, when it found none); the bound is its proven
    upper bound on the objective (inf when it did not get that far). Raises
    ModelTooLarge, before building anything, when the model would need more
    than `max_mb` megabytes.
    """
    a = encode(instance)
    if max_mb is not None:
        pairs = int(np.bincount(a.key, minlength=len(a.eligible)) @ a.eligible.sum(axis=1))
        if pairs * MB_PER_PAIR > max_mb:
            raise ModelTooLarge(pairs, pairs * MB_PER_PAIR)
    n_cases = len(instance.cases)
    n_lines = len(instance.lines)
    col_case, col_line, cost = _pairs(instance, a)
    keep, choices = _viable_link_pairs(a, col_case, col_line)
    col_case, col_line, cost = col_case[keep], col_line[keep], cost[keep]
    m = len(col_case)
    n_y = len(choices)

    # Rows: cases (at most one line), capacity, normal (reserved places), serious
    # medical caps, one per linked case and State (x sum = y), one per group (sum y <= 1).
    reserved_lines = np.flatnonzero(a.normal_capacity < a.capacity)
    normal_row = np.full(n_lines, -1, dtype=np.int64)
    normal_row[reserved_lines] = n_cases + n_lines + np.arange(len(reserved_lines))
    capped = np.flatnonzero(a.serious_cap > 0)
    serious_row = np.full(n_lines, -1, dtype=np.int64)
    base = n_cases + n_lines + len(reserved_lines)
    serious_row[capped] = base + np.arange(len(capped))
    base += len(capped)
    linked_cases = sorted({c for c in col_case[a.link[col_case] >= 0].tolist()})
    states_of_group: dict[int, list[int]] = defaultdict(list)
    for g, s in sorted(choices):
        states_of_group[g].append(s)
    link_row: dict[tuple[int, int], int] = {}
    for c in linked_cases:
        for s in states_of_group.get(int(a.link[c]), []):
            link_row[(c, s)] = base + len(link_row)
    base += len(link_row)
    groups = sorted({g for g, _ in choices})
    group_row = {g: base + k for k, g in enumerate(groups)}
    base += len(groups)
    # Balance: b[s] <= fair share (column bound) and b[s] <= persons placed in s (row).
    shares = fair_shares(instance)
    share = np.array([shares.get(name, 0.0) for name in a.situations])
    n_sit = len(share)
    n_rows = base + n_sit

    persons = a.persons[col_case].astype(np.float64)
    cols = np.arange(m, dtype=np.int64)
    rows_parts = [col_case, n_cases + col_line]
    cols_parts = [cols, cols]
    vals_parts = [np.ones(m), persons]
    is_normal = (a.priority[col_case] == NORMAL) & (normal_row[col_line] >= 0)
    rows_parts.append(normal_row[col_line][is_normal])
    cols_parts.append(cols[is_normal])
    vals_parts.append(persons[is_normal])
    is_serious = a.serious[col_case] & (serious_row[col_line] >= 0)
    rows_parts.append(serious_row[col_line][is_serious])
    cols_parts.append(cols[is_serious])
    vals_parts.append(np.ones(int(is_serious.sum())))
    linked = np.flatnonzero(a.link[col_case] >= 0)
    rows_parts.append(
        np.array(
            [link_row[(int(col_case[k]), int(a.state[col_line[k]]))] for k in linked.tolist()],
            dtype=np.int64,
        )
    )
    cols_parts.append(linked.astype(np.int64))
    vals_parts.append(np.ones(len(linked)))
    # y columns: -1 in each member's row for that State, +1 in the group's row.
    y_rows: list[int] = []
    y_cols: list[int] = []
    y_vals: list[float] = []
    members: dict[int, list[int]] = defaultdict(list)
    for c in linked_cases:
        members[int(a.link[c])].append(c)
    for (g, s), k in choices.items():
        for c in members[g]:
            y_rows.append(link_row[(c, s)])
            y_cols.append(m + k)
            y_vals.append(-1.0)
        y_rows.append(group_row[g])
        y_cols.append(m + k)
        y_vals.append(1.0)
    rows_parts.append(np.array(y_rows, dtype=np.int64))
    cols_parts.append(np.array(y_cols, dtype=np.int64))
    vals_parts.append(np.array(y_vals, dtype=np.float64))
    rows_parts += [base + a.situation[col_case], base + np.arange(n_sit)]
    cols_parts += [cols, m + n_y + np.arange(n_sit)]
    vals_parts += [-persons, np.ones(n_sit)]

    rows = np.concatenate(rows_parts)
    colsall = np.concatenate(cols_parts)
    vals = np.concatenate(vals_parts)
    order = np.lexsort((rows, colsall))
    rows, colsall, vals = rows[order], colsall[order], vals[order]
    n_cols = m + n_y + n_sit
    start = np.zeros(n_cols + 1, dtype=np.int64)
    np.cumsum(np.bincount(colsall, minlength=n_cols), out=start[1:])

    row_upper = np.empty(n_rows)
    row_upper[:n_cases] = 1.0
    row_upper[n_cases : n_cases + n_lines] = a.capacity
    row_upper[normal_row[reserved_lines]] = a.normal_capacity[reserved_lines]
    row_upper[serious_row[capped]] = a.serious_cap[capped]
    row_lower = np.full(n_rows, -math.inf)
    for r in link_row.values():
        row_lower[r] = row_upper[r] = 0.0
    for r in group_row.values():
        row_upper[r] = 1.0
    row_upper[base:] = 0.0
    col_upper = np.concatenate([np.ones(m + n_y), share])
    integrality = np.concatenate([np.ones(m + n_y), np.zeros(n_sit)]).astype(np.int32)

    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy ships no annotations here
    h.setOptionValue("output_flag", bool(os.environ.get("RESETTLE_BENCH_HIGHS_LOG")))
    h.setOptionValue("time_limit", float(max(time_limit, 0.1)))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    # HiGHS fixes its thread pool for the process on first use (the engine's own
    # calls use one thread); a different count needs the pool rebuilt, or HiGHS
    # refuses to run.
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", threads or os.cpu_count() or 1)
    # Measured on the generated instances: with presolve on, HiGHS spends the
    # whole time limit (and more) before its first LP iteration, even at 1,000
    # cases; off, it reaches the root LP and finds solutions. Fairer to it.
    h.setOptionValue("presolve", "off")
    h.passModel(
        n_cols,
        n_rows,
        len(vals),
        1,  # column-wise
        -1,  # maximise
        0.0,
        np.concatenate([cost, np.zeros(n_y), np.full(n_sit, instance.weights.balance)]),
        np.zeros(n_cols),
        col_upper,
        row_lower,
        row_upper,
        start[:-1].astype(np.int32),
        rows.astype(np.int32),
        vals,
        integrality,  # x and y binary, balance continuous
    )
    h.run()
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound):
        bound = math.inf
    if info.primal_solution_status != 2 or m == 0:  # 2: feasible
        return {}, 0.0, bound if m else 0.0
    x = np.asarray(h.getSolution().col_value[:m])
    chosen = np.flatnonzero(x > 0.5)
    cases = instance.cases
    lines = instance.lines
    assignment = {cases[int(col_case[k])].id: lines[int(col_line[k])].id for k in chosen.tolist()}
    return assignment, objective(instance, assignment), bound
