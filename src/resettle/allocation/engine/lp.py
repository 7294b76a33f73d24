"""The aggregated linear programme: classes of cases x lines, solved with HiGHS.

A class gathers the cases of profiles that every line treats alike: the same
eligible lines with the same per-person value on each, the same priority
level (the reserve), the same situation (the balance term) and, for cases
flagged serious_medical, the same size (the cap counts cases). Family size
otherwise does not matter to the relaxation, whose unit is the person. A
class is cut into waiting bands, so the LP places the longest-waiting first.

Variables x[b, l] >= 0 are persons of band b on line l; y[s] persons of
situation s counted for balance (at most its fair share):

    max  sum c[b, l] x[b, l] + balance * sum y[s]
    s.t. sum_l x[b, l] <= persons[b]                      (band)
         sum_b x[b, l] <= capacity[l]                     (capacity)
         sum_{b normal} x[b, l] <= capacity[l] - reserved[l]   (reserve)
         sum_{b serious} x[b, l] / size[b] <= cap[l]      (serious medical cases)
         y[s] - sum_{b in s, l} x[b, l] <= 0               (balance)

Its optimum is an upper bound, and its row duals price the places (bound.py).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import highspy
import numpy as np

from resettle.allocation.engine.prepare import NORMAL, FloatArray, IntArray, Prepared

# Waiting band width in days, per priority level: the LP values a band at its
# mean waiting; bands are finer where a person weighs more.
BAND_DAYS = (30, 60, 180)
# Column generation: columns added per band and round, and the reduced cost that counts.
COLUMNS_PER_ROUND = 3
REDUCED_COST_TOL = 1e-6

_silenced = False


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on stdout when the first solver of a process is made."""
    fd = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)


def new_highs() -> highspy.Highs:
    """A silent HiGHS solver on one thread (the same answer every time)."""
    global _silenced  # noqa: PLW0603 - the banner is printed once per process
    if _silenced:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        with _quiet_stdout():
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        _silenced = True
    h.setOptionValue("output_flag", False)
    # HiGHS keeps one thread pool per process, sized on first use; another caller
    # (the benchmark's MIP) may have sized it differently, and HiGHS then refuses
    # to run: size it again for one thread.
    highspy.Highs.resetGlobalScheduler(True)
    h.setOptionValue("threads", 1)
    return h


@dataclass
class Bands:
    """The LP's classes cut into waiting bands, their cases, and every (band, line) pair."""

    n: int
    persons: FloatArray  # persons per band
    level: IntArray
    serious_size: IntArray  # size of the cases of a serious band, 0 otherwise
    situation: IntArray
    mean_wait: FloatArray
    of_case: IntArray  # case -> band
    case_start: IntArray  # cases of band b: band_cases[case_start[b]:case_start[b+1]]
    band_cases: IntArray  # sorted by waiting, longest first, then case order
    pair_start: IntArray  # pairs of band b: pair_start[b]:pair_start[b+1]
    pair_band: IntArray
    pair_line: IntArray  # sorted within a band
    pair_cost: FloatArray  # per person: the band's mean value on the line


@dataclass
class LpSolution:
    """The LP's optimum (or the best HiGHS reached), and its duals as prices."""

    ok: bool
    status: str
    objective: float
    col_band: IntArray  # every (band, line) pair, as in Bands
    col_line: IntArray
    x: FloatArray  # persons per pair (0 for the columns never generated)
    price: FloatArray  # per line, capacity row
    reserve_price: FloatArray  # per line, reserve row
    serious_price: FloatArray  # per line, per serious case
    balance_price: FloatArray  # per situation, in [0, balance]
    rounds: int = 0
    columns: int = 0


def make_bands(prep: Prepared, band_days: tuple[int, int, int] = BAND_DAYS) -> Bands:
    """Classes of profiles, cut into waiting bands (deterministic order)."""
    w = prep.instance.weights
    n_prof = len(prep.prof_persons)
    class_of: dict[tuple[object, ...], int] = {}
    prof_class = np.empty(n_prof, dtype=np.int64)
    for p in range(n_prof):
        lines, _ = prep.eligible(p)
        serious = bool(prep.prof_serious[p])
        key = (
            int(prep.prof_level[p]),
            int(prep.prof_situation[p]),
            int(prep.prof_persons[p]) if serious else 0,
            lines.tobytes(),
        )
        prof_class[p] = class_of.setdefault(key, len(class_of))
    width = np.array(band_days, dtype=np.float64)[prep.level]
    band_key = prof_class[prep.profile] * 100_000 + (prep.wait // width).astype(np.int64)
    # Bands in order of key; cases within a band by waiting (longest first), then index.
    order = np.lexsort((np.arange(prep.n_cases), -prep.wait, band_key))
    keys_sorted = band_key[order]
    if len(order):
        starts = np.flatnonzero(np.r_[True, keys_sorted[1:] != keys_sorted[:-1]])
    else:
        starts = np.zeros(0, dtype=np.int64)
    n = len(starts)
    case_start = np.r_[starts, len(order)].astype(np.int64)
    of_case = np.empty(prep.n_cases, dtype=np.int64)
    of_case[order] = np.repeat(np.arange(n), np.diff(case_start))
    first = order[starts] if n else np.zeros(0, dtype=np.int64)
    pf = prep.persons.astype(np.float64)
    persons = np.bincount(of_case, weights=pf, minlength=n)
    mean_wait = np.bincount(of_case, weights=pf * prep.wait, minlength=n) / np.maximum(persons, 1)
    # Pairs: a band's lines are those of its class (of any of its profiles).
    rep = prep.profile[first]
    lens = (prep.elig_start[rep + 1] - prep.elig_start[rep]) if n else np.zeros(0, np.int64)
    pair_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lens, out=pair_start[1:])
    total = int(pair_start[-1])
    offsets = np.arange(total) - np.repeat(pair_start[:-1], lens)
    pair_band = np.repeat(np.arange(n, dtype=np.int64), lens)
    pair_line = prep.elig_line[np.repeat(prep.elig_start[rep], lens) + offsets]
    # The band's value on a line: persons-weighted mean over its profiles (preferences differ).
    ub = of_case * n_prof + prep.profile
    keys, inverse = np.unique(ub, return_inverse=True)
    weight = np.bincount(inverse.reshape(-1), weights=pf, minlength=len(keys))
    kb, kp = keys // n_prof, keys % n_prof
    klen = prep.elig_start[kp + 1] - prep.elig_start[kp]
    kstart = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(klen, out=kstart[1:])
    koff = np.arange(int(kstart[-1])) - np.repeat(kstart[:-1], klen)
    src = np.repeat(prep.elig_start[kp], klen) + koff
    dst = np.repeat(pair_start[kb], klen) + koff
    acc = np.bincount(dst, weights=np.repeat(weight, klen) * prep.elig_base[src], minlength=total)
    pair_cost = acc / np.maximum(persons[pair_band], 1) + w.waiting_per_day * mean_wait[pair_band]
    band_serious = prep.serious[first] if n else np.zeros(0, dtype=np.bool_)
    return Bands(
        n=n,
        persons=persons.astype(np.float64),
        level=prep.level[first],
        serious_size=np.where(band_serious, prep.persons[first], 0),
        situation=prep.situation[first],
        mean_wait=mean_wait,
        of_case=of_case,
        case_start=case_start,
        band_cases=order.astype(np.int64),
        pair_start=pair_start,
        pair_band=pair_band,
        pair_line=pair_line,
        pair_cost=pair_cost,
    )


class _Rows:
    """Row numbering of the LP: bands, capacity, reserve, serious caps, balance."""

    def __init__(self, prep: Prepared, bands: Bands) -> None:
        n_lines = prep.n_lines
        self.cap = bands.n
        self.has_reserve = prep.normal_cap < prep.cap
        self.reserve = np.full(n_lines, -1, dtype=np.int64)
        n_res = int(self.has_reserve.sum())
        self.reserve[self.has_reserve] = self.cap + n_lines + np.arange(n_res)
        first_serious = self.cap + n_lines + n_res
        self.has_scap = prep.sercap >= 0
        n_scap = int(self.has_scap.sum())
        self.serious = np.full(n_lines, -1, dtype=np.int64)
        self.serious[self.has_scap] = first_serious + np.arange(n_scap)
        self.balance = first_serious + n_scap
        self.n = self.balance + len(prep.situations)
        self.upper = np.concatenate(
            [
                bands.persons,
                prep.cap.astype(np.float64),
                prep.normal_cap[self.has_reserve].astype(np.float64),
                prep.sercap[self.has_scap].astype(np.float64),
                np.zeros(len(prep.situations)),
            ]
        )

    def columns(self, bands: Bands, pairs: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        """CSC entries (starts, rows, values) of the x columns of these pairs."""
        band = bands.pair_band[pairs]
        line = bands.pair_line[pairs]
        n_x = len(pairs)
        normal = bands.level[band] == NORMAL
        size = bands.serious_size[band]
        rows = np.full((n_x, 5), -1, dtype=np.int64)
        vals = np.ones((n_x, 5), dtype=np.float64)
        rows[:, 0] = band
        rows[:, 1] = self.cap + line
        rows[:, 2] = np.where(normal, self.reserve[line], -1)
        rows[:, 3] = np.where(size > 0, self.serious[line], -1)
        vals[:, 3] = 1.0 / np.maximum(size, 1)
        rows[:, 4] = self.balance + bands.situation[band]
        vals[:, 4] = -1.0
        keep = rows >= 0
        start = np.zeros(n_x + 1, dtype=np.int64)
        np.cumsum(keep.sum(axis=1), out=start[1:])
        return start, rows[keep], vals[keep]


def solve_lp(prep: Prepared, bands: Bands, seed: IntArray, deadline: float | None) -> LpSolution:
    """The LP by column generation, starting from the pairs in `seed`.

    The LP over every (band, line) pair is large and very degenerate (a band
    is worth nearly the same on all its lines), so it starts from a few
    columns per band and adds those whose reduced cost at the current duals
    is positive, a few per band and round, until none is left (then the
    restricted optimum is the full LP's optimum) or the deadline passes.
    """
    w = prep.instance.weights
    n_lines = prep.n_lines
    n_sit = len(prep.situations)
    rows = _Rows(prep, bands)
    n_pairs = len(bands.pair_band)
    in_model = np.zeros(n_pairs, dtype=np.bool_)
    cols = np.unique(seed)
    in_model[cols] = True

    start, index, value = rows.columns(bands, cols)
    # The balance columns y[s] come first, then the x columns in the order added.
    lp = highspy.HighsLp()
    lp.num_col_ = n_sit + len(cols)
    lp.num_row_ = rows.n
    lp.col_cost_ = -np.r_[np.full(n_sit, w.balance), bands.pair_cost[cols]]
    lp.col_lower_ = np.zeros(n_sit + len(cols))
    lp.col_upper_ = np.r_[prep.share, bands.persons[bands.pair_band[cols]]]
    lp.row_lower_ = np.full(rows.n, -highspy.kHighsInf)
    lp.row_upper_ = rows.upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.r_[np.arange(n_sit), n_sit + start]
    lp.a_matrix_.index_ = np.r_[rows.balance + np.arange(n_sit), index]
    lp.a_matrix_.value_ = np.r_[np.ones(n_sit), value]
    h = new_highs()
    h.setOptionValue("simplex_strategy", 4)  # primal simplex: fast on this degenerate LP
    h.passModel(lp)
    order = [cols]
    normal = bands.level[bands.pair_band] == NORMAL
    inv_size = np.where(bands.serious_size > 0, 1.0 / np.maximum(bands.serious_size, 1), 0.0)
    pair_inv = inv_size[bands.pair_band]
    rounds = 0
    while True:
        rounds += 1
        if deadline is not None:
            h.setOptionValue("time_limit", max(0.05, deadline - time.monotonic()))
        h.run()
        status = h.getModelStatus()
        sol = h.getSolution()
        if status != highspy.HighsModelStatus.kOptimal or not sol.dual_valid:
            break
        dual = np.maximum(-np.asarray(sol.row_dual, dtype=np.float64), 0.0)
        price = dual[rows.cap : rows.cap + n_lines]
        reserve = np.where(rows.has_reserve, dual[rows.reserve], 0.0)
        serious = np.where(rows.has_scap, dual[rows.serious], 0.0)
        balance = np.minimum(dual[rows.balance :], w.balance)
        line = bands.pair_line
        reduced = (
            bands.pair_cost
            - dual[bands.pair_band]
            - price[line]
            - np.where(normal, reserve[line], 0.0)
            - pair_inv * serious[line]
            + balance[bands.situation[bands.pair_band]]
        )
        candidates = np.flatnonzero((reduced > REDUCED_COST_TOL) & ~in_model)
        if len(candidates) == 0 or (deadline is not None and time.monotonic() > deadline):
            break
        # The best few per band, in a fixed order.
        by = np.lexsort((candidates, -reduced[candidates], bands.pair_band[candidates]))
        cand = candidates[by]
        cb = bands.pair_band[cand]
        first = np.r_[True, cb[1:] != cb[:-1]]
        rank = np.arange(len(cand)) - np.maximum.accumulate(
            np.where(first, np.arange(len(cand)), 0)
        )
        new = np.sort(cand[rank < COLUMNS_PER_ROUND])
        in_model[new] = True
        order.append(new)
        start, index, value = rows.columns(bands, new)
        h.addCols(
            len(new),
            -bands.pair_cost[new],
            np.zeros(len(new)),
            bands.persons[bands.pair_band[new]],
            len(index),
            start[:-1],
            index,
            value,
        )
    status_text = h.modelStatusToString(h.getModelStatus())
    ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    sol = h.getSolution()
    empty = np.zeros(n_lines)
    if not sol.value_valid or not sol.dual_valid:
        return LpSolution(
            False,
            status_text,
            float("inf"),
            bands.pair_band,
            bands.pair_line,
            np.zeros(n_pairs),
            empty,
            empty,
            empty,
            np.zeros(n_sit),
            rounds,
            int(in_model.sum()),
        )
    x = np.zeros(n_pairs)
    x[np.concatenate(order)] = np.maximum(np.asarray(sol.col_value, dtype=np.float64)[n_sit:], 0.0)
    dual = np.maximum(-np.asarray(sol.row_dual, dtype=np.float64), 0.0)
    return LpSolution(
        ok=ok,
        status=status_text,
        objective=-float(h.getInfo().objective_function_value),
        col_band=bands.pair_band,
        col_line=bands.pair_line,
        x=x,
        price=dual[rows.cap : rows.cap + n_lines].copy(),
        reserve_price=np.where(rows.has_reserve, dual[rows.reserve], 0.0),
        serious_price=np.where(rows.has_scap, dual[rows.serious], 0.0),
        balance_price=np.minimum(dual[rows.balance :], w.balance),
        rounds=rounds,
        columns=int(in_model.sum()),
    )
