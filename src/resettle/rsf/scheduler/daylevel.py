"""The day-level relaxation: which case on which day, against each day's capacities.

A case c interviewed on day d uses `length(c)` slots of a room that seats it,
of an interpreter speaking its language and of a caseworker. Summed over a
day, any valid schedule satisfies these rows (so they relax the real
problem):

- rooms: for each set S of rooms that is some case's set of usable rooms, the
  cases that can only use rooms of S take at most |S| x slots of the day;
- caseworkers: all the day's interviews take at most caseworkers x slots,
  and there are at most `max_interviews` of them;
- interpreters: a flow y[i, d, l] of interpreter i's available slots on day
  d to language l: sum_l y <= i's available slots, and each language's
  interview slots <= the slots interpreters give it;
- medical: cases needing a medical assessment interviewed on day t or later
  need medical days from t + gap on: for every t, their number <= the medical
  capacity of days t + gap ... end. (A case's medical days form a suffix of
  the mission, so by Hall's theorem these rows are also sufficient: the
  medical days can then always be found, see solve._assign_medical.)

`solve_lp` maximises the priority-weighted persons over the relaxation with
x in [0, 1] (HiGHS): with `scale` = 1 it is the bound of the Schedule; with
scale < 1 (room, caseworker and interpreter time shrunk to leave room for the
packing of stage 2) its integral part hints the stage-1 CP-SAT model.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import highspy
import numpy as np

from resettle.rsf.scheduler.index import Index

_silenced = False


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on stdout when a process makes its first solver."""
    sys.stdout.flush()
    fd = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)


def new_highs() -> highspy.Highs:
    """A silent HiGHS solver (single thread, fixed seed: the same answer every run)."""
    global _silenced  # noqa: PLW0603 - the banner is printed once per process
    if _silenced:
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's stub lacks it
    else:
        with _quiet_stdout():
            h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's stub lacks it
        _silenced = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass
class Row:
    """sum(coef x) + sum(coef y) <= ub."""

    x: list[tuple[int, int]]
    y: list[tuple[int, int]]
    ub: float
    kind: str


@dataclass
class DayLevel:
    """Variables and rows of the day-level relaxation."""

    xs: list[tuple[int, int]]  # x index -> (case position, day)
    ys: list[tuple[int, int, str]]  # y index -> (interpreter position, day, language)
    y_ub: list[float]
    rows: list[Row]
    x_of: dict[tuple[int, int], int] = field(default_factory=dict)


def build(ix: Index, *, scale: float = 1.0, cases: list[int] | None = None) -> DayLevel:
    """The relaxation's variables and rows for the given case positions (default: all)."""
    m = ix.mission
    chosen = range(len(ix.cases)) if cases is None else cases
    xs: list[tuple[int, int]] = []
    for c in chosen:
        for d in ix.cases[c].days:
            xs.append((c, d))
    x_of = {key: k for k, key in enumerate(xs)}
    by_day: dict[int, list[int]] = defaultdict(list)
    for k, (_, d) in enumerate(xs):
        by_day[d].append(k)
    rows: list[Row] = []
    ys: list[tuple[int, int, str]] = []
    y_ub: list[float] = []
    for d, day in enumerate(m.days):
        ks = by_day.get(d, [])
        if not ks:
            continue
        # Rooms: every distinct set of rooms a case of the day can use (open that day).
        usable = {k: frozenset(ix.rooms_on(ix.cases[xs[k][0]], d)) for k in ks}
        for s in set(usable.values()):
            terms = [(k, ix.cases[xs[k][0]].length) for k in ks if usable[k] <= s]
            rows.append(Row(terms, [], scale * len(s) * day.slots, "rooms"))
        rows.append(
            Row(
                [(k, ix.cases[xs[k][0]].length) for k in ks],
                [],
                scale * day.caseworkers * day.slots,
                "caseworkers",
            )
        )
        if day.max_interviews is not None:
            rows.append(Row([(k, 1) for k in ks], [], day.max_interviews, "interviews"))
        # Interpreters: language demand against a flow of interpreters' slots.
        demand: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for k in ks:
            ci = ix.cases[xs[k][0]]
            if ci.case.language:
                demand[ci.case.language].append((k, ci.length))
        supply: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, it in enumerate(m.interpreters):
            slots = ix.avail[i][d].bit_count()
            langs = sorted(lang for lang in it.languages if lang in demand)
            if not slots or not langs:
                continue
            own = []
            for lang in langs:
                j = len(ys)
                ys.append((i, d, lang))
                y_ub.append(scale * slots)
                own.append((j, 1))
                supply[lang].append((j, -1))
            rows.append(Row([], own, scale * slots, "interpreter"))
        for lang, terms in demand.items():
            rows.append(Row(terms, supply.get(lang, []), 0.0, "language"))
    # Medical: interviews on day t or later need medical days from t + gap on.
    gap = ix.medical_gap()
    n = ix.n_days
    for t in range(n):
        terms = [(k, 1) for k, (c, d) in enumerate(xs) if d >= t and ix.cases[c].case.medical]
        if terms:
            cap = sum(m.days[e].medical_capacity for e in range(t + gap, n))
            rows.append(Row(terms, [], cap, "medical"))
    return DayLevel(xs=xs, ys=ys, y_ub=y_ub, rows=rows, x_of=x_of)


def solve_lp(ix: Index, dl: DayLevel) -> tuple[float, np.ndarray]:
    """Maximise priority-weighted persons over the relaxation: (value, x values)."""
    nx, ny = len(dl.xs), len(dl.ys)
    if nx == 0:
        return 0.0, np.zeros(0)
    h = new_highs()
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    lower = np.zeros(nx + ny)
    upper = np.concatenate([np.ones(nx), np.asarray(dl.y_ub, dtype=float)])
    # HiGHS minimises: negate the values.
    cost = np.zeros(nx + ny)
    for k, (c, _) in enumerate(dl.xs):
        cost[k] = -ix.cases[c].value
    h.addVars(nx + ny, lower, upper)
    h.changeColsCost(nx + ny, np.arange(nx + ny, dtype=np.int32), cost)
    starts: list[int] = []
    index: list[int] = []
    values: list[float] = []
    ubs: list[float] = []
    # One row per case: at most one day.
    per_case: dict[int, list[int]] = defaultdict(list)
    for k, (c, _) in enumerate(dl.xs):
        per_case[c].append(k)
    for ks in per_case.values():
        starts.append(len(index))
        index.extend(ks)
        values.extend([1.0] * len(ks))
        ubs.append(1.0)
    for row in dl.rows:
        starts.append(len(index))
        for k, coef in row.x:
            index.append(k)
            values.append(float(coef))
        for j, coef in row.y:
            index.append(nx + j)
            values.append(float(coef))
        ubs.append(row.ub)
    nrows = len(ubs)
    h.addRows(
        nrows,
        np.full(nrows, -inf),
        np.asarray(ubs, dtype=float),
        len(index),
        np.asarray(starts, dtype=np.int32),
        np.asarray(index, dtype=np.int32),
        np.asarray(values, dtype=float),
    )
    h.run()
    sol = np.asarray(h.getSolution().col_value, dtype=float)
    return -float(h.getInfo().objective_function_value), sol[:nx]
