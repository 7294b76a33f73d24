"""From the LP's fractional plan to a whole allocation that breaks no rule.

1. Rounding: each waiting band's cases (longest waiting first) go to the
   lines the LP gave the band, while the LP's persons for that line last.
2. Filling: every case (or link group) left, in priority order and then
   longest waiting, goes to its eligible line of best value at the LP's
   prices that still has room; a link group goes whole to one State or not at
   all. Rooms only shrink while filling, so a line that cannot take a case of
   a profile is never tried again for that profile.
   Steps 1 and 2 run level by level (emergency, urgent, normal), so that
   a case the rounding could not place finds room before lower levels take it.
3. Improving: an unplaced case takes the place of placed cases of lower
   value per person on one of its lines when this raises the objective, the
   displaced cases moving to another line with room where they can.
4. Filling again, so that no unplaced case has an eligible line with room:
   the explanations rely on it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from resettle.allocation.engine.lp import Bands, LpSolution
from resettle.allocation.engine.prepare import NORMAL, Prepared

_EPS = 1e-6
BIG = 1 << 60


class Allocation:
    """Cases on lines with the rooms left, checking every rule as it places."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.room: list[int] = prep.cap.tolist()
        self.nroom: list[int] = prep.normal_cap.tolist()
        self.sroom: list[int] = [s if s >= 0 else BIG for s in prep.sercap.tolist()]
        self.line: list[int] = [-1] * prep.n_cases
        self.size: list[int] = prep.persons.tolist()
        self.normal: list[bool] = (prep.level == NORMAL).tolist()
        self.serious: list[bool] = prep.serious.tolist()
        self.on_line: list[set[int]] = [set() for _ in range(prep.n_lines)]

    def fits(self, i: int, j: int) -> bool:
        """Whether case i fits the room left on line j (eligibility aside)."""
        n = self.size[i]
        return (
            n <= self.room[j]
            and (not self.normal[i] or n <= self.nroom[j])
            and (not self.serious[i] or self.sroom[j] >= 1)
        )

    def place(self, i: int, j: int) -> None:
        """Put case i on line j."""
        n = self.size[i]
        self.room[j] -= n
        if self.normal[i]:
            self.nroom[j] -= n
        if self.serious[i]:
            self.sroom[j] -= 1
        self.line[i] = j
        self.on_line[j].add(i)

    def remove(self, i: int) -> None:
        """Take case i off its line."""
        j = self.line[i]
        n = self.size[i]
        self.room[j] += n
        if self.normal[i]:
            self.nroom[j] += n
        if self.serious[i]:
            self.sroom[j] += 1
        self.line[i] = -1
        self.on_line[j].discard(i)


def _line_order(prep: Prepared, sol: LpSolution | None) -> list[list[int]]:
    """Per profile: its eligible lines, best value at the LP's prices first."""
    n_prof = len(prep.prof_persons)
    owner = np.repeat(np.arange(n_prof), np.diff(prep.elig_start))
    lines = prep.elig_line
    score = prep.elig_base.copy()
    if sol is not None:
        n_p = prep.prof_persons[owner].astype(np.float64)
        score -= sol.price[lines]
        score -= np.where(prep.prof_level[owner] == NORMAL, sol.reserve_price[lines], 0.0)
        score -= np.where(prep.prof_serious[owner], sol.serious_price[lines] / n_p, 0.0)
    order = np.lexsort((lines, -score, owner))
    ordered = lines[order].tolist()
    starts = prep.elig_start.tolist()
    return [ordered[starts[p] : starts[p + 1]] for p in range(n_prof)]


def round_plan(alloc: Allocation, bands: Bands, sol: LpSolution, level: int) -> None:
    """Step 1: each band's cases of this priority level to the lines the LP planned for it."""
    prep = alloc.prep
    link = prep.link.tolist()
    n_cols = len(sol.col_band)
    col_start = np.searchsorted(sol.col_band, np.arange(bands.n + 1)).tolist()
    x = sol.x.tolist()
    col_line = sol.col_line.tolist()
    case_start = bands.case_start.tolist()
    band_cases = bands.band_cases.tolist()
    # Higher priority first, then longer waiting, in case rounding makes them compete.
    order = np.lexsort((np.arange(bands.n), -bands.mean_wait, bands.level)).tolist()
    levels = bands.level.tolist()
    for b in order:
        if levels[b] != level:
            continue
        a, z = col_start[b], col_start[b + 1]
        if a >= n_cols or a == z:
            continue
        targets = {col_line[k]: x[k] for k in range(a, z) if x[k] > 0.5}
        if not targets:
            continue
        for i in band_cases[case_start[b] : case_start[b + 1]]:
            if link[i] >= 0:
                continue
            n = alloc.size[i]
            best, best_t = -1, 0.0
            for j, t in targets.items():
                if t >= n - _EPS and t > best_t and alloc.fits(i, j):
                    best, best_t = j, t
            if best < 0:
                if max(targets.values()) < 1 - _EPS:
                    break
                continue
            alloc.place(i, best)
            targets[best] -= n


def _place_group(
    alloc: Allocation,
    members: list[int],
    orders: list[list[int]],
    line_state: list[int],
    profile: list[int],
) -> bool:
    """Put a whole link group with one State, if some State has room for all of it."""
    # The States where every member has an eligible line, ranked by the members' line ranks.
    states: dict[int, int] = {}
    for k, i in enumerate(members):
        seen: dict[int, int] = {}
        for rank, j in enumerate(orders[profile[i]]):
            seen.setdefault(line_state[j], rank)
        states = seen if k == 0 else {s: states[s] + r for s, r in seen.items() if s in states}
        if not states:
            return False
    by_size = sorted(members, key=lambda i: (-alloc.size[i], i))
    for state in sorted(states, key=lambda s: (states[s], s)):
        placed: list[int] = []
        for i in by_size:
            for j in orders[profile[i]]:
                if line_state[j] == state and alloc.fits(i, j):
                    alloc.place(i, j)
                    placed.append(i)
                    break
            else:
                break
        if len(placed) == len(members):
            return True
        for i in placed:
            alloc.remove(i)
    return False


def fill(alloc: Allocation, orders: list[list[int]], level: int | None = None) -> None:
    """Step 2 (and 4): every unplaced case or group (of a level), by priority then waiting.

    Each goes to the first line of its profile's order that has room for it.
    """
    prep = alloc.prep
    n = prep.n_cases
    line = alloc.line
    link = prep.link.tolist()
    profile = prep.profile.tolist()
    line_state = prep.line_state.tolist()
    order = np.lexsort((np.arange(n), -prep.wait, prep.level))
    if level is not None:
        order = order[prep.level[order] == level]
    pointer = [0] * len(orders)
    done_groups: set[int] = set()
    for i in order.tolist():
        if line[i] >= 0:
            continue
        g = link[i]
        if g >= 0:
            if g in done_groups:
                continue
            done_groups.add(g)
            members = prep.groups[g]
            if all(line[m] < 0 for m in members):
                _place_group(alloc, members, orders, line_state, profile)
            continue
        p = profile[i]
        lines = orders[p]
        k = pointer[p]
        while k < len(lines) and not alloc.fits(i, lines[k]):
            k += 1
        pointer[p] = k
        if k < len(lines):
            alloc.place(i, lines[k])


def improve(
    alloc: Allocation, orders: list[list[int]], deadline: float, values: Callable[[int, int], float]
) -> int:
    """Step 3: unplaced cases displace placed ones of lower value where that pays.

    For an unplaced case c and an eligible line j without room, the cheapest
    set of cases on j (lowest value per person first) whose removal makes room
    is taken off; each goes to another eligible line with room if it can. The
    move is kept when the objective rises, undone otherwise. Returns the
    number of moves kept.
    """
    prep = alloc.prep
    link = prep.link.tolist()
    profile = prep.profile.tolist()
    level = prep.level.tolist()
    n = prep.n_cases
    unplaced = [
        i
        for i in np.lexsort((np.arange(n), -prep.wait, prep.level)).tolist()
        if alloc.line[i] < 0 and link[i] < 0 and orders[profile[i]]
    ]
    kept = 0
    # Per-person value of the cases on a line, cheapest first, recomputed lazily.
    for c in unplaced:
        if time.monotonic() > deadline:
            break
        if alloc.line[c] >= 0:
            continue
        size_c = alloc.size[c]
        for j in orders[profile[c]]:
            gain = values(c, j)
            # Candidates to move off: unlinked, of no higher level, cheaper per person.
            per_person_c = gain / size_c
            cands = sorted(
                (values(d, j) / alloc.size[d], d)
                for d in alloc.on_line[j]
                if link[d] < 0 and level[d] >= level[c]
            )
            freed: list[int] = []
            for v, d in cands:
                if v >= per_person_c:
                    break
                alloc.remove(d)
                freed.append(d)
                if alloc.fits(c, j):
                    break
            if not alloc.fits(c, j):
                for d in freed:
                    alloc.place(d, j)
                continue
            alloc.place(c, j)
            delta = gain
            moved: list[tuple[int, int]] = []
            for d in freed:
                delta -= values(d, j)
                for k in orders[profile[d]]:
                    if k != j and alloc.fits(d, k):
                        alloc.place(d, k)
                        moved.append((d, k))
                        delta += values(d, k)
                        break
            if delta > _EPS:
                kept += 1
                break
            for d, _ in moved:
                alloc.remove(d)
            alloc.remove(c)
            for d in freed:
                alloc.place(d, j)
    return kept
