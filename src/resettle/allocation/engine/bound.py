"""A proven upper bound of the objective: the Lagrangian dual at the LP's prices.

Put prices on the shared constraints (pi[l] per place of line l, rho[l] per
normal person on a line with reserved places, mu[l] per serious medical case,
beta[s] in [0, balance] per person of situation s counted for balance). For
ANY non-negative prices, every allocation A (integer or fractional, linked or
not) satisfies

    objective(A) <= sum_l pi[l] cap[l] + rho[l] (cap[l] - reserved[l]) + mu[l] scap[l]
                    + sum_s (balance - beta[s]) share[s]
                    + sum_c max(0, max_{l eligible} value_c(l) + beta[s(c)] p_c
                                  - pi[l] p_c - rho[l] p_c [c normal] - mu[l] [c serious])

because each added term is >= 0 on a feasible allocation (weak duality) and
each case's best choice, alone, is at least what it gets in A. The link
constraints are simply dropped, which only loosens the bound. At the LP's
optimal duals this equals the LP relaxation's optimum over single cases,
computed here exactly per case (waiting to the day), not per band.
"""

from __future__ import annotations

import numpy as np

from resettle.allocation.engine.lp import LpSolution
from resettle.allocation.engine.prepare import NORMAL, Prepared


def lagrangian_bound(prep: Prepared, sol: LpSolution | None) -> float:
    """The bound at the LP's prices (all prices 0 without an LP: every case at its best)."""
    w = prep.instance.weights
    n_lines = prep.n_lines
    if sol is None:
        pi = rho = mu = np.zeros(n_lines)
        beta = np.zeros(len(prep.situations))
    else:
        pi, rho, mu = sol.price, sol.reserve_price, sol.serious_price
        beta = np.clip(sol.balance_price, 0.0, w.balance)
    scap = np.where(prep.sercap >= 0, prep.sercap, 0)
    total = float(
        pi @ prep.cap.astype(np.float64)
        + rho @ prep.normal_cap.astype(np.float64)
        + mu @ scap.astype(np.float64)
        + (w.balance - beta) @ prep.share
    )
    # Per profile: the best line at these prices, waiting aside (it does not depend on the line).
    lines = prep.elig_line
    owner = np.repeat(np.arange(len(prep.prof_persons)), np.diff(prep.elig_start))
    n_p = prep.prof_persons[owner].astype(np.float64)
    normal = prep.prof_level[owner] == NORMAL
    serious = prep.prof_serious[owner]
    reduced = n_p * (prep.elig_base - pi[lines] - np.where(normal, rho[lines], 0.0)) - np.where(
        serious, mu[lines], 0.0
    )
    best = np.full(len(prep.prof_persons), -np.inf)
    np.maximum.at(best, owner, reduced)
    per_case = best[prep.profile] + prep.persons * (
        w.waiting_per_day * prep.wait + beta[prep.situation]
    )
    total += float(np.maximum(per_case, 0.0).sum())
    return total
