"""The relaxation of large instances, solved combinatorially: a greedy over a polymatroid.

Leave aside the preference and balance terms (bounded, and tiny next to the
rest) and the caps on serious medical cases (dropping a constraint only
loosens a relaxation). What is left is a transportation problem in persons
where a band of cases (lp.Bands) is worth the same per person on every line
it may go to. Its feasible sets of persons placed per band form a
polymatroid, on which the greedy algorithm is optimal: take the bands from
the most valuable per person, and give each as many persons as an
augmenting path can still reach, re-routing persons already placed without
ever unplacing them.

Places reserved for emergency and urgent cases are a second "pseudo-line"
of the line that only those cases may use (capacity `reserved`, the first
one keeping `capacity - reserved`); this is the same problem.

Paths are searched on the graph of pseudo-lines (an edge u -> v when some
band with persons on u may go to v), with numpy, so the work does not grow
with the number of cases. When a band finds no path, every pseudo-line it
reached is full and can never gain room again: those lines are closed, and
their price is the band's value per person. These prices are the
relaxation's optimal duals; bound.py turns them into the proven bound.
"""

from __future__ import annotations

import itertools

import numpy as np

from resettle.allocation.engine.lp import Bands, LpSolution
from resettle.allocation.engine.prepare import NORMAL, IntArray, Prepared


def solve_flow(prep: Prepared, bands: Bands) -> LpSolution:
    """The relaxation's optimal flows (as LP columns) and prices, by the greedy."""
    w = prep.instance.weights
    n_lines = prep.n_lines
    reserve_lines = np.flatnonzero(prep.normal_cap < prep.cap)
    n_pl = n_lines + len(reserve_lines)
    # Pseudo-line capacities: the unreserved part of each line, then the reserved parts.
    spare = np.r_[prep.normal_cap, (prep.cap - prep.normal_cap)[reserve_lines]].astype(np.int64)
    line_of_pl = np.r_[np.arange(n_lines), reserve_lines]
    reserve_pl = np.full(n_lines, -1, dtype=np.int64)
    reserve_pl[reserve_lines] = n_lines + np.arange(len(reserve_lines))

    # Each band's pseudo-lines: its lines, plus their reserved parts for emergency and urgent.
    elig: list[IntArray] = []
    pair_start = bands.pair_start
    for b in range(bands.n):
        lines = bands.pair_line[pair_start[b] : pair_start[b + 1]]
        if bands.level[b] != NORMAL:
            extra = reserve_pl[lines]
            lines = np.r_[lines, extra[extra >= 0]]
        elig.append(lines)
    mask = np.zeros((bands.n, n_pl), dtype=np.bool_)
    for b, lines in enumerate(elig):
        mask[b, lines] = True

    value = (
        np.array(w.priority, dtype=np.float64)[bands.level] + w.waiting_per_day * bands.mean_wait
    )
    order = np.lexsort((np.arange(bands.n), -bands.mean_wait, bands.level)).tolist()
    # Direct placement tries a band's pseudo-lines by the value of their line to the band
    # (preferences), then the lowest index; the reserved part of a line right after it.
    pref_rank = np.lexsort((bands.pair_line, -bands.pair_cost, bands.pair_band))
    ranked_lines = bands.pair_line[pref_rank]
    direct: list[IntArray] = []
    for b in range(bands.n):
        lines = ranked_lines[pair_start[b] : pair_start[b + 1]]
        if bands.level[b] != NORMAL and len(reserve_lines):
            both = np.stack([lines, reserve_pl[lines]], axis=1).reshape(-1)
            lines = both[both >= 0]
        direct.append(lines)

    adjacency = np.zeros((n_pl, n_pl), dtype=np.int32)
    on: list[dict[int, int]] = [{} for _ in range(n_pl)]  # pseudo-line -> band -> persons
    dead = np.zeros(n_pl, dtype=np.bool_)
    price = np.zeros(n_pl)

    def add(b: int, u: int, amount: int) -> None:
        flows = on[u]
        before = flows.get(b, 0)
        if before == 0:
            adjacency[u, elig[b]] += 1
        flows[b] = before + amount
        spare[u] -= amount

    def take(b: int, u: int, amount: int) -> None:
        flows = on[u]
        left = flows[b] - amount
        if left == 0:
            del flows[b]
            adjacency[u, elig[b]] -= 1
        else:
            flows[b] = left
        spare[u] += amount

    remaining = np.rint(bands.persons).astype(np.int64).tolist()
    for b in order:
        need = remaining[b]
        if need <= 0:
            continue
        candidates = direct[b]
        for v in candidates[spare[candidates] > 0].tolist():
            amount = min(need, int(spare[v]))
            add(b, v, amount)
            need -= amount
            if need == 0:
                break
        while need > 0:
            starts = elig[b][~dead[elig[b]]]
            if len(starts) == 0:
                break
            path = _augmenting_path(starts, adjacency, dead, spare)
            if path is None:
                reached = _reached(starts, adjacency, dead)
                price[reached & ~dead] = value[b]
                dead |= reached
                break
            # Move persons along the path: b onto path[0], each re-routed band onward.
            movers: list[tuple[int, int, int]] = []
            amount = min(need, int(spare[path[-1]]))
            for u, v in itertools.pairwise(path):
                c = next(c for c in on[u] if mask[c, v])
                movers.append((c, u, v))
                amount = min(amount, on[u][c])
            for c, u, v in reversed(movers):
                take(c, u, amount)
                add(c, v, amount)
            add(b, path[0], amount)
            need -= amount
        remaining[b] = need

    # Flows as LP columns: persons of band b on line l (both parts of the line).
    keys = bands.pair_band * n_lines + bands.pair_line
    x = np.zeros(len(keys))
    for u in range(n_pl):
        if on[u]:
            bs = np.fromiter(on[u].keys(), np.int64, len(on[u]))
            amounts = np.fromiter(on[u].values(), np.float64, len(on[u]))
            at = np.searchsorted(keys, bs * n_lines + line_of_pl[u])
            np.add.at(x, at, amounts)
    # Prices in the LP's terms: emergency and urgent pay the cheaper part, normal the other.
    unreserved = price[:n_lines]
    reserved = unreserved.copy()
    reserved[reserve_lines] = price[n_lines:]
    line_price = np.minimum(unreserved, reserved)
    objective = float((x * bands.pair_cost).sum())
    return LpSolution(
        ok=True,
        status="optimal",
        objective=objective,
        col_band=bands.pair_band,
        col_line=bands.pair_line,
        x=x,
        price=line_price,
        reserve_price=unreserved - line_price,
        serious_price=np.zeros(n_lines),
        balance_price=np.zeros(len(prep.situations)),
        rounds=0,
        columns=int((x > 0).sum()),
    )


def _neighbours(frontier: IntArray, adjacency: np.ndarray, blocked: np.ndarray) -> np.ndarray:
    """Pseudo-lines one re-routing away from the frontier, as a mask, with no blocked one."""
    return (adjacency[frontier] > 0).any(axis=0) & ~blocked


def _reached(starts: IntArray, adjacency: np.ndarray, dead: np.ndarray) -> np.ndarray:
    """Every live pseudo-line reachable from `starts` by re-routing."""
    seen = np.zeros(len(dead), dtype=np.bool_)
    seen[starts] = True
    frontier = starts
    while len(frontier):
        new = _neighbours(frontier, adjacency, dead | seen)
        frontier = np.flatnonzero(new)
        seen |= new
    return seen


def _augmenting_path(
    starts: IntArray, adjacency: np.ndarray, dead: np.ndarray, spare: IntArray
) -> list[int] | None:
    """A shortest path from a start to a pseudo-line with room (lowest indices first), if any."""
    n = len(dead)
    parent = np.full(n, -1, dtype=np.int64)
    seen = np.zeros(n, dtype=np.bool_)
    seen[starts] = True
    frontier = np.sort(starts)
    room = spare > 0
    hit = frontier[room[frontier]]
    while len(hit) == 0:
        if len(frontier) == 0:
            return None
        links = (adjacency[frontier] > 0) & ~(dead | seen)
        new = np.flatnonzero(links.any(axis=0))
        if len(new) == 0:
            return None
        parent[new] = frontier[np.argmax(links[:, new], axis=0)]
        seen[new] = True
        frontier = new
        hit = new[room[new]]
    path = [int(hit[0])]
    while parent[path[-1]] >= 0:
        path.append(int(parent[path[-1]]))
    path.reverse()
    return path
