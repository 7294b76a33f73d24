"""`resettle bench schedule [--cases N]`: the scheduler against greedy first-fit and the bound.

In one run, on the seeded generated mission (2,000 cases, 20 days, 8 rooms of
which 3 with video, 30 interpreters, 10 languages by default), each method
runs in its own fresh child process (multiprocessing, spawn), so that its
wall time and peak memory are its own: the child reports its peak resident
set (getrusage RUSAGE_SELF) and the parent cross-checks with RUSAGE_CHILDREN.
Every schedule is checked with check.violations.

Records (bench/results/schedule.json, a list): method (`scheduler`,
`greedy`, `greedy_priority`), cases, seconds, peak_mb, objective
(priority-weighted persons scheduled), bound, gap, plus counts (scheduled,
trips, days_used, persons by priority, violations) and, on the scheduler's
record, the comparisons and the checks against the issue's targets.

Two baselines: `greedy` is first fit in the order the cases were referred
(how a facility books by hand, and the issue's "greedy first-fit"), and
`greedy_priority` is first fit with emergency and urgent cases taken first,
a stronger baseline reported beside it. Because the default weights are
lexicographic per family (see model.Weights), emergency and urgent persons
dominate the weighted objective: against `greedy_priority`, which also
places all of them, the scheduler's gain shows in the normal-priority
persons rather than in the weighted total.

Limits: at most 30 s and 2 GB; within 2% of the bound; at least 10% more
priority-weighted persons than `greedy` where capacity binds (when not every
case can be scheduled).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SECONDS_LIMIT = 30.0
MEMORY_LIMIT_MB = 2048.0
GAP_LIMIT = 0.02
GREEDY_MARGIN = 0.10


class Records(list[dict[str, Any]]):
    """The benchmark's records: a JSON list that also answers `.get("verdict")`.

    `resettle bench` writes what a benchmark returns as JSON and fails when
    its "verdict" is "fail"; this list serialises as a list (the issue's
    format) and still gives the command its verdict.
    """

    verdict = "pass"

    def get(self, key: str, default: Any = None) -> Any:
        """Only "verdict" is known."""
        return self.verdict if key == "verdict" else default


def _child(method: str, cases: int, seed: int, time_limit: float, queue: Any) -> None:
    """Run one method in this (fresh) process and put its record on the queue.

    Imports happen here, in the child, so that their memory counts in its peak
    and not in the parent's.
    """
    from resettle.rsf.scheduler.check import violations  # noqa: PLC0415 - see docstring
    from resettle.rsf.scheduler.generator import generate  # noqa: PLC0415 - see docstring
    from resettle.rsf.scheduler.greedy import greedy  # noqa: PLC0415 - see docstring
    from resettle.rsf.scheduler.solve import bound, schedule  # noqa: PLC0415 - see docstring

    mission = generate(cases=cases, seed=seed)
    started = time.perf_counter()
    if method == "scheduler":
        result = schedule(mission, time_limit=time_limit)
    elif method == "greedy":
        result = greedy(mission, order="referral")
    elif method == "greedy_priority":
        result = greedy(mission, order="priority")
    else:  # the bound alone, for the greedy record
        value = bound(mission)
        queue.put({"method": "bound", "bound": value, "seconds": time.perf_counter() - started})
        return
    seconds = time.perf_counter() - started
    value_of = {c.id: c for c in mission.cases}
    persons = [0, 0, 0]
    for a in result.appointments:
        persons[int(value_of[a.case_id].priority)] += value_of[a.case_id].persons
    demand = [0, 0, 0]
    for c in mission.cases:
        demand[int(c.priority)] += c.persons
    queue.put(
        {
            "method": method,
            "cases": cases,
            "seconds": round(seconds, 3),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "objective": result.objective,
            "bound": result.bound,
            "scheduled": len(result.appointments),
            "persons": sum(persons),
            "persons_by_priority": dict(
                zip(("emergency", "urgent", "normal"), persons, strict=True)
            ),
            "demand_by_priority": dict(zip(("emergency", "urgent", "normal"), demand, strict=True)),
            "demand_objective": sum(mission.value(c) for c in mission.cases),
            "trips": result.trips,
            "days_used": result.days_used,
            "violations": len(violations(mission, result)),
            "stats": result.stats,
        }
    )


def _run_child(method: str, cases: int, seed: int, time_limit: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = ctx.Process(target=_child, args=(method, cases, seed, time_limit, queue))
    proc.start()
    record: dict[str, Any] = queue.get()
    proc.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if "peak_mb" in record and after > before:
        # RUSAGE_CHILDREN is the largest child so far: it confirms this child's peak.
        record["peak_mb"] = max(record["peak_mb"], round(after / 1024, 1))
    return record


def _versus(ours: dict[str, Any], base: dict[str, Any], binds: bool) -> dict[str, Any]:
    """How much more the scheduler places than a baseline, overall and per priority."""

    def more(a: float, b: float) -> float:
        return round(a / b - 1, 4) if b else 0.0

    return {
        "capacity_binds": binds,
        "weighted_objective": more(ours["objective"], base["objective"]),
        "persons_by_priority": {
            k: more(v, base["persons_by_priority"][k])
            for k, v in ours["persons_by_priority"].items()
        },
    }


def measure(
    cases: int = 2000,
    seed: int = 0,
    time_limit: float = 30.0,
    log: Callable[[str], Any] = lambda s: None,
) -> Records:
    """Run the scheduler and greedy side by side; the records with the verdict."""
    log(f"scheduler on {cases} cases\n")
    ours = _run_child("scheduler", cases, seed, time_limit)
    log("greedy first-fit, in referral order\n")
    base = _run_child("greedy", cases, seed, time_limit)
    log("greedy first-fit, emergency and urgent first\n")
    prio = _run_child("greedy_priority", cases, seed, time_limit)
    bound = float(ours["bound"])  # the LP bound, computed by the scheduler's run
    for rec in (ours, base, prio):
        rec["bound"] = bound
        rec["gap"] = round(max(0.0, (bound - rec["objective"]) / bound), 6) if bound > 0 else 0.0
    # Capacity binds when no schedule can place every case (the bound is below
    # the value of all the cases): then the choice of cases matters.
    binds = bound < ours["demand_objective"] - 1e-6
    ours["vs_greedy"] = _versus(ours, base, binds)
    ours["vs_greedy_priority"] = _versus(ours, prio, binds)
    checks = {
        "seconds_within_30": ours["seconds"] <= SECONDS_LIMIT,
        "memory_within_2gb": ours["peak_mb"] <= MEMORY_LIMIT_MB,
        "gap_within_2pct": ours["gap"] <= GAP_LIMIT,
        "no_violations": all(r["violations"] == 0 for r in (ours, base, prio)),
        "10pct_over_greedy_where_capacity_binds": (
            ours["vs_greedy"]["weighted_objective"] >= GREEDY_MARGIN or not binds
        ),
    }
    ours["checks"] = checks
    records = Records([ours, base, prio])
    records.verdict = "pass" if all(checks.values()) else "fail"
    ours["verdict"] = records.verdict
    return records


def run(options: dict[str, Any], log: Callable[[str], Any] = lambda s: None) -> Records:
    """Entry point of `resettle bench schedule` (options: cases or records, seed)."""
    cases = int(options.get("cases") or options.get("records") or 2000)
    given = options.get("seed")
    # The command's default seed serves other benchmarks; this one is seeded 0 by default.
    seed = 0 if given is None or given == 20261129 else int(given)
    return measure(cases=cases, seed=seed, log=log)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m resettle.rsf.scheduler.bench [--cases N] [--seed S] [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="resettle bench schedule")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    records = measure(cases=args.cases, seed=args.seed, log=sys.stderr.write)
    text = json.dumps(records, indent=2, sort_keys=True)
    sys.stdout.write(text + "\n")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "schedule.json").write_text(text + "\n", encoding="utf-8")
    return 0 if records.verdict == "pass" else 1


if __name__ == "__main__":
    sys.exit(main())
