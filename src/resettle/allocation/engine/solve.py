"""solve(instance) -> Result: the allocation, its objective, the proven bound and the gap.

The steps (docs/allocation-engine.md): prepare the arrays (prepare.py), solve
the LP over classes of cases and lines (lp.py), take the Lagrangian bound at
its prices (bound.py), round and repair to a whole allocation (repair.py),
then explain it (explain.py). Everything is deterministic: stable sorts, no
randomness, HiGHS on one thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from resettle.allocation.engine.bound import lagrangian_bound
from resettle.allocation.engine.check import violations
from resettle.allocation.engine.explain import LazyExplanations, line_uses
from resettle.allocation.engine.flow import solve_flow
from resettle.allocation.engine.lp import Bands, LpSolution, make_bands, solve_lp
from resettle.allocation.engine.model import Instance, Result
from resettle.allocation.engine.prepare import IntArray, Prepared, prepare
from resettle.allocation.engine.repair import Allocation, _line_order, fill, improve, round_plan

Progress = Callable[[float], None]

# Share of the time limit by which the LP must be done; the rest goes to repairing.
LP_SHARE = 0.7
# Up to this many (band, line) pairs the relaxation is the full LP on HiGHS.
LP_MAX_PAIRS = 20_000
# Without a time limit, the improvement step stops after this many seconds.
IMPROVE_SECONDS = 1.0
# Up to this many cases the per-pair MIP is solved too: exact, and quick at this size.
EXACT_MAX_CASES = 60
EXACT_SECONDS = 5.0


def _seed_pairs(prep: Prepared, bands: Bands, line_of: IntArray) -> IntArray:
    """The LP's first columns: the pairs the greedy allocation uses, and each band's best line."""
    placed = np.flatnonzero(line_of >= 0)
    keys = bands.pair_band * prep.n_lines + bands.pair_line
    used = np.searchsorted(keys, bands.of_case[placed] * prep.n_lines + line_of[placed])
    nonempty = np.flatnonzero(np.diff(bands.pair_start) > 0)
    # The best line of each band by value (the first on ties).
    order = np.lexsort((np.arange(len(keys)), -bands.pair_cost, bands.pair_band))
    firsts = order[np.searchsorted(bands.pair_band[order], nonempty)]
    return np.unique(np.r_[used, firsts]).astype(np.int64)


def objective_arrays(prep: Prepared, line_of: IntArray) -> float:
    """The objective of an allocation given as line index per case (-1 unplaced)."""
    w = prep.instance.weights
    placed = np.flatnonzero(line_of >= 0)
    if len(placed) == 0:
        return 0.0
    base = prep.elig_base[pair_index(prep, prep.profile[placed], line_of[placed])]
    persons = prep.persons[placed].astype(np.float64)
    value = float((persons * (base + w.waiting_per_day * prep.wait[placed])).sum())
    by_sit = np.bincount(prep.situation[placed], weights=persons, minlength=len(prep.share))
    value += w.balance * float(np.minimum(by_sit, prep.share).sum())
    return value


def pair_index(prep: Prepared, profiles: IntArray, lines: IntArray) -> IntArray:
    """Positions of (profile, line) pairs in the eligibility arrays (the pairs must exist)."""
    owner = np.repeat(np.arange(len(prep.prof_persons)), np.diff(prep.elig_start))
    keys = owner * prep.n_lines + prep.elig_line  # sorted: pairs are profile-major
    at = np.searchsorted(keys, profiles * prep.n_lines + lines)
    if len(at) and (at.max() >= len(keys) or np.any(keys[at] != profiles * prep.n_lines + lines)):
        raise ValueError("a case is on a line it is not eligible for")
    return at


def base_lookup(prep: Prepared) -> Callable[[int, int], float]:
    """value(case, line): the objective's term for that placement, balance aside."""
    w = prep.instance.weights
    profile = prep.profile.tolist()
    persons = prep.persons.tolist()
    wait = (w.waiting_per_day * prep.wait).tolist()
    tables: dict[int, dict[int, float]] = {}

    def value(i: int, j: int) -> float:
        p = profile[i]
        table = tables.get(p)
        if table is None:
            lines, base = prep.eligible(p)
            table = tables[p] = dict(zip(lines.tolist(), base.tolist(), strict=True))
        return float(persons[i] * (table[j] + wait[i]))

    return value


def _best_greedy(prep: Prepared) -> IntArray:
    """The better of two greedy passes by priority and waiting: each case to its
    best-valued eligible line with room, or to its first eligible line with room
    (the order the lines were given in, as a planner filling pledges would)."""
    best: IntArray = np.full(len(prep.persons), -1, dtype=np.int64)  # nobody placed
    best_value = objective_arrays(prep, best)
    starts = prep.elig_start.tolist()
    in_given_order = [
        sorted(prep.elig_line[starts[p] : starts[p + 1]].tolist()) for p in range(len(starts) - 1)
    ]
    for orders in (_line_order(prep, None), in_given_order):
        alloc = Allocation(prep)
        fill(alloc, orders)
        line_of = np.array(alloc.line, dtype=np.int64)
        value = objective_arrays(prep, line_of)
        if value > best_value:
            best, best_value = line_of, value
    return best


def _exact(
    instance: Instance, line_ids: list[str], time_limit: float | None
) -> tuple[IntArray, float] | None:
    """The per-pair MIP's allocation (as line indexes) and its proven bound, when it
    finds a feasible allocation that breaks no rule; None otherwise."""
    # The benchmark's naive model is the textbook formulation: exact, too big for
    # large instances, right for small ones. Imported here: the benchmark builds on
    # the engine, and only small instances need it.
    from resettle.allocation.bench.baselines import naive_mip  # noqa: PLC0415 - see above

    seconds = EXACT_SECONDS if time_limit is None else min(EXACT_SECONDS, time_limit / 2)
    assignment, _objective, mip_bound = naive_mip(instance, seconds, threads=1)
    if not assignment or not np.isfinite(mip_bound) or violations(instance, assignment):
        return None
    index = {line_id: j for j, line_id in enumerate(line_ids)}
    line_of = np.array(
        [index.get(assignment.get(c.id, ""), -1) for c in instance.cases], dtype=np.int64
    )
    return line_of, float(mip_bound)


def solve(
    instance: Instance,
    *,
    progress: Progress | None = None,
    time_limit: float | None = None,
    method: str = "auto",
) -> Result:
    """Allocate the instance's cases to its lines; see the module docstring.

    `progress(share)` is called with a share of the work done in [0, 1].
    `time_limit` (seconds) cuts the LP and the improvement short: the answer
    is then still a valid allocation with a valid bound, its status
    "time_limit". `method` picks the relaxation: "lp" (HiGHS, exact with every
    constraint; used up to LP_MAX_PAIRS band-line pairs), "flow" (the
    combinatorial greedy of flow.py, for large instances) or "auto".
    """
    started = time.monotonic()

    def report(share: float) -> None:
        if progress is not None:
            progress(share)

    report(0.0)
    prep = prepare(instance)
    bands = make_bands(prep)
    prepare_seconds = time.monotonic() - started
    report(0.1)
    if method == "auto":
        method = "lp" if len(bands.pair_band) <= LP_MAX_PAIRS else "flow"
    sol: LpSolution | None = None
    greedy_line: IntArray | None = None
    if bands.n:
        # A first allocation, greedy by priority and waiting: the LP's first columns,
        # the answer if the LP is cut short, and a floor for the rounded plan (on
        # small instances with few places per line, rounding can lose to it).
        greedy_line = _best_greedy(prep)
    if bands.n and method == "lp" and greedy_line is not None:
        lp_deadline = None if time_limit is None else started + time_limit * LP_SHARE
        sol = solve_lp(prep, bands, _seed_pairs(prep, bands, greedy_line), lp_deadline)
    elif bands.n:
        sol = solve_flow(prep, bands)
    lp_seconds = time.monotonic() - started - prepare_seconds
    report(0.6)
    usable = sol if sol is not None and np.isfinite(sol.objective) else None
    bound = lagrangian_bound(prep, usable)
    alloc = Allocation(prep)
    orders = _line_order(prep, usable)
    for level in range(3):
        if usable is not None:
            round_plan(alloc, bands, usable, level)
        fill(alloc, orders, level)
    report(0.8)
    if time_limit is None:
        deadline = time.monotonic() + IMPROVE_SECONDS
    else:
        deadline = started + time_limit * 0.95
    moves = improve(alloc, orders, deadline, base_lookup(prep))
    timed_out = time.monotonic() > deadline
    fill(alloc, orders)
    report(0.9)
    line_of = np.array(alloc.line, dtype=np.int64)
    objective = objective_arrays(prep, line_of)
    if greedy_line is not None and objective_arrays(prep, greedy_line) > objective:
        line_of, objective = greedy_line, objective_arrays(prep, greedy_line)
    case_ids = [c.id for c in instance.cases]
    line_ids = [ln.id for ln in instance.lines]
    if method in ("lp", "flow") and len(case_ids) <= EXACT_MAX_CASES and bands.n:
        # Small instances: rounding can leave a little on the table, and the exact
        # per-pair MIP is cheap here; keep whichever is better, and the tighter bound.
        exact = _exact(instance, line_ids, time_limit)
        if exact is not None:
            exact_line, exact_bound = exact
            exact_value = objective_arrays(prep, exact_line)
            if exact_value > objective:
                line_of, objective = exact_line, exact_value
            bound = min(bound, exact_bound)
    assignment = {case_ids[i]: line_ids[j] for i, j in enumerate(line_of.tolist()) if j >= 0}
    status = "optimal"
    if (sol is not None and not sol.ok) or (timed_out and time_limit is not None):
        status = "time_limit"
    result = Result(
        assignment=assignment,
        objective=objective,
        # The bound is proven; a rounding-level excess of the objective is float noise.
        bound=max(bound, objective),
        explanations=LazyExplanations(prep, line_of),
        lines=line_uses(prep, line_of),
        seconds=time.monotonic() - started,
        status=status,
        stats={
            "profiles": float(len(prep.prof_persons)),
            "bands": float(bands.n),
            "lp_columns": float(0 if sol is None else sol.columns),
            "lp_rounds": float(0 if sol is None else sol.rounds),
            "flow": float(method == "flow"),
            "lp_objective": float("nan") if sol is None else sol.objective,
            "prepare_seconds": prepare_seconds,
            "lp_seconds": lp_seconds,
            "improving_moves": float(moves),
            "lagrangian_bound": bound,
        },
    )
    report(1.0)
    return result
