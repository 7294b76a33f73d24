"""Stage 1: which case is interviewed on which day (day granularity, provinces grouped).

`cluster` builds a good start fast: the cases the LP relaxation takes, one
province after another (the largest first), each case on a day its province
already travels on if the day's rows allow it, otherwise on the emptiest day;
then the cases left, by value per slot, where they fit. Interpreters are
checked exactly at day level (Hall's condition on every set of languages,
which is what the flow rows of daylevel.py allow). `choose_days` then lets a
CP-SAT model improve it lexicographically: weighted persons, days, trips.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from resettle.rsf.scheduler import daylevel
from resettle.rsf.scheduler.index import Index

# Up to this many languages, interpreter time is checked on every language set
# (2^n sets); beyond, stage 1 leaves interpreters to stages 2 and repair.
MAX_HALL_LANGUAGES = 14


def solver_params(solver: cp_model.CpSolver, *, seconds: float, workers: int, seed: int) -> None:
    """Deterministic CP-SAT settings: fixed seed and workers, deterministic time limit."""
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.max_deterministic_time = max(0.05, seconds)
    # A guard for a slow machine only: the deterministic limit normally stops first.
    solver.parameters.max_time_in_seconds = max(10.0, 10 * seconds)
    solver.parameters.log_search_progress = False


class DayRows:
    """Incremental day-level feasibility: linear rows plus the interpreters' Hall check."""

    def __init__(self, ix: Index, dl: daylevel.DayLevel) -> None:
        self.ix = ix
        self.dl = dl
        self.rows_of: list[list[tuple[int, int]]] = [[] for _ in dl.xs]
        for r, row in enumerate(dl.rows):
            if row.kind == "language":
                continue
            for k, coef in row.x:
                self.rows_of[k].append((r, coef))
        self.ub = np.asarray([row.ub for row in dl.rows], dtype=float)
        self.use = np.zeros(len(dl.rows))
        m = ix.mission
        langs = sorted({ci.case.language for ci in ix.cases if ci.case.language})
        self.lang_bit = {lang: n for n, lang in enumerate(langs)}
        self.hall = len(langs) <= MAX_HALL_LANGUAGES
        self.with_lang: dict[int, np.ndarray] = {}
        self.supply: list[np.ndarray] = []
        self.demand: list[np.ndarray] = []
        if self.hall:
            size = 1 << len(langs)
            masks = np.arange(size)
            for n in range(len(langs)):
                self.with_lang[n] = masks[(masks >> n) & 1 == 1]
            for d in range(ix.n_days):
                sup = np.zeros(size)
                for i, it in enumerate(m.interpreters):
                    slots = ix.avail[i][d].bit_count()
                    lm = sum(1 << self.lang_bit[x] for x in it.languages if x in self.lang_bit)
                    if slots and lm:
                        sup[(masks & lm) != 0] += slots
                self.supply.append(sup)
                self.demand.append(np.zeros(size))

    def fits(self, k: int) -> bool:
        """Whether x[k] can be set to 1 on top of what is taken."""
        for r, coef in self.rows_of[k]:
            if self.use[r] + coef > self.ub[r] + 1e-9:
                return False
        c, d = self.dl.xs[k]
        ci = self.ix.cases[c]
        if self.hall and ci.case.language:
            idx = self.with_lang[self.lang_bit[ci.case.language]]
            if np.any(self.demand[d][idx] + ci.length > self.supply[d][idx] + 1e-9):
                return False
        return True

    def take(self, k: int) -> None:
        """Set x[k] to 1."""
        for r, coef in self.rows_of[k]:
            self.use[r] += coef
        c, d = self.dl.xs[k]
        ci = self.ix.cases[c]
        if self.hall and ci.case.language:
            self.demand[d][self.with_lang[self.lang_bit[ci.case.language]]] += ci.length


def cluster(ix: Index, dl: daylevel.DayLevel, x_lp: np.ndarray) -> dict[int, int]:
    """Case position -> day: LP-chosen cases grouped by province, then a fill."""
    rows = DayRows(ix, dl)
    ks_of: dict[int, dict[int, int]] = defaultdict(dict)
    taken_lp: dict[int, float] = defaultdict(float)
    for k, (c, d) in enumerate(dl.xs):
        ks_of[c][d] = k
        taken_lp[c] += float(x_lp[k])
    chosen = [c for c in ks_of if taken_lp[c] >= 0.5]
    by_province: dict[str, list[int]] = defaultdict(list)
    for c in chosen:
        by_province[ix.cases[c].case.province].append(c)
    order = sorted(by_province, key=lambda p: (-len(by_province[p]), p))
    cw_left = [float(day.caseworkers * day.slots) for day in ix.mission.days]
    out: dict[int, int] = {}
    trips: dict[str, list[int]] = defaultdict(list)

    def place(c: int) -> bool:
        ci = ix.cases[c]
        p = ci.case.province
        own = [d for d in trips[p] if d in ks_of[c]]
        # Medical cases prefer early days (their medical day must come later).
        others = sorted(
            (d for d in ks_of[c] if d not in trips[p]),
            key=lambda d: (d if ci.case.medical else 0, -cw_left[d], d),
        )
        for d in own + others:
            k = ks_of[c][d]
            if rows.fits(k):
                rows.take(k)
                out[c] = d
                cw_left[d] -= ci.length
                if d not in trips[p]:
                    trips[p].append(d)
                return True
        return False

    # Priority first (so scarce interpreters and medical days go to emergency
    # and urgent cases), then province by province.
    rank = {p: n for n, p in enumerate(order)}
    chosen.sort(
        key=lambda c: (
            ix.cases[c].case.priority,
            rank[ix.cases[c].case.province],
            not ix.cases[c].case.medical,
            -ix.cases[c].length,
            c,
        )
    )
    for c in chosen:
        place(c)
    rest = [c for c in ks_of if c not in out]
    rest.sort(key=lambda c: (-ix.cases[c].value / ix.cases[c].length, c))
    for c in rest:
        place(c)
    return out


def choose_days(
    ix: Index,
    dl: daylevel.DayLevel,
    start: dict[int, int],
    *,
    seconds: float,
    workers: int,
    seed: int,
) -> dict[int, int]:
    """Improve `start` (case -> day) with CP-SAT: weighted persons, then days, then trips."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{k}") for k in range(len(dl.xs))]
    y = [model.new_int_var(0, int(ub), f"y{j}") for j, ub in enumerate(dl.y_ub)]
    per_case: dict[int, list[int]] = defaultdict(list)
    for k, (c, _) in enumerate(dl.xs):
        per_case[c].append(k)
    for ks in per_case.values():
        model.add_at_most_one(x[k] for k in ks)
    for row in dl.rows:
        expr = sum(coef * x[k] for k, coef in row.x) + sum(coef * y[j] for j, coef in row.y)
        model.add(expr <= int(row.ub + 1e-6))
    provinces = sorted({ci.case.province for ci in ix.cases})
    n_days = ix.n_days
    used = [model.new_bool_var(f"u{d}") for d in range(n_days)]
    trip: dict[tuple[str, int], cp_model.IntVar] = {}
    for k, (c, d) in enumerate(dl.xs):
        p = ix.cases[c].case.province
        if (p, d) not in trip:
            trip[(p, d)] = model.new_bool_var(f"z{len(trip)}")
        model.add_implication(x[k], trip[(p, d)])
        model.add_implication(x[k], used[d])
    # Lexicographic: one more day outweighs every trip; one more weighted
    # person outweighs every day and trip.
    day_weight = len(provinces) * n_days + 1
    value_weight = day_weight * (n_days + 1)
    model.maximize(
        value_weight * sum(ix.cases[c].value * x[k] for k, (c, _) in enumerate(dl.xs))
        - day_weight * sum(used)
        - sum(trip.values())
    )
    hinted_trips = {(ix.cases[c].case.province, d) for c, d in start.items()}
    for k, (c, d) in enumerate(dl.xs):
        model.add_hint(x[k], start.get(c) == d)
    for (p, d), var in trip.items():
        model.add_hint(var, (p, d) in hinted_trips)
    for d in range(n_days):
        model.add_hint(used[d], d in set(start.values()))
    solver = cp_model.CpSolver()
    solver_params(solver, seconds=seconds, workers=workers, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return dict(start)
    return {c: d for k, (c, d) in enumerate(dl.xs) if solver.boolean_value(x[k])}
