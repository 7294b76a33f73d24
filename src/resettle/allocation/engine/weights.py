"""When the weighted objective is lexicographic: the sufficient conditions of the docs, checked.

docs/allocation-engine.md gives the proof sketch. With B_k the largest
bonus a person of level k can carry beyond its level weight (waiting, the
preference range on each of the lines a re-routing path crosses, balance):

C1 (levels, relaxation): priority[k] - priority[k+1] > bonus range, where a
   re-routing path over L lines changes preferences on up to L lines:
   W * max_waiting_days + 2 * Q * max_preference * (L + 1) + balance.
C2 (levels, whole families): priority[k] > F * (priority[k+1] + the largest
   bonus), F the largest family (15), so one person of level k outweighs a
   whole family of the level below with every bonus.
C3 (waiting over preferences, one exchange): W * 1 day > 2 * Q * max_preference.
C4 (preferences over balance): balance < the preference resolution (Q x the
   smallest step between preference weights, 0.1 by convention).
"""

from __future__ import annotations

from resettle.allocation.engine.model import Weights

MAX_FAMILY = 15
PREFERENCE_STEP = 0.1


def lexicographic_conditions(weights: Weights, lines: int) -> list[str]:
    """The conditions C1-C4 that the weights break for an instance with this many lines."""
    w = weights
    broken: list[str] = []
    pref_range = 2 * w.preference * w.max_preference
    waiting = w.waiting_per_day * w.max_waiting_days
    path_bonus = waiting + pref_range * (lines + 1) + w.balance
    person_bonus = waiting + w.preference * w.max_preference + w.balance
    for k in range(2):
        high, low = w.priority[k], w.priority[k + 1]
        if not high - low > path_bonus:
            broken.append(f"C1: priority[{k}] - priority[{k + 1}] <= {path_bonus:g}")
        if not high > MAX_FAMILY * (low + person_bonus):
            broken.append(f"C2: priority[{k}] <= {MAX_FAMILY} x (priority[{k + 1}] + bonus)")
    if not w.waiting_per_day > pref_range:
        broken.append("C3: one day of waiting does not outweigh the preference range")
    if not w.balance < w.preference * PREFERENCE_STEP:
        broken.append("C4: balance is not below the preference resolution")
    return broken
