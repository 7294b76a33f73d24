"""The allocation benchmark: its generator, its baselines and its entry point (fast)."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from resettle.allocation.bench import run as bench_run
from resettle.allocation.bench.baselines import greedy, naive_mip, objective, own_objective
from resettle.allocation.bench.generator import CAPACITY_RATIO, generate
from resettle.allocation.bench.rules import excluded_by, violations
from resettle.allocation.engine.check import objective_of
from resettle.allocation.engine.check import violations as check_violations
from resettle.allocation.engine.model import Instance, Priority


@pytest.fixture(scope="module")
def medium() -> Instance:
    return generate(5_000, seed=3)


# ---- generator ----------------------------------------------------------------------


def test_generator_is_deterministic_and_seeded() -> None:
    assert generate(800, seed=11) == generate(800, seed=11)
    assert generate(800, seed=11) != generate(800, seed=12)
    assert generate(50, seed=1, today=700_000).today == 700_000


def test_generator_shape(medium: Instance) -> None:
    cases = medium.cases
    assert len(cases) == 5_000
    assert len({c.id for c in cases}) == 5_000
    assert len(medium.lines) == 400
    assert len({line.state for line in medium.lines}) == 40
    sizes = [c.persons for c in cases]
    assert min(sizes) >= 1 and max(sizes) <= 15
    assert 3.6 <= sum(sizes) / len(sizes) <= 4.6
    assert Counter(sizes).most_common(1)[0][0] == 1  # skewed small
    priorities = Counter(c.priority for c in cases)
    assert 0.02 <= priorities[Priority.EMERGENCY] / 5_000 <= 0.04
    assert 0.17 <= priorities[Priority.URGENT] / 5_000 <= 0.23
    serious = sum("serious_medical" in c.flags for c in cases) / 5_000
    assert 0.03 <= serious <= 0.07
    nationalities = Counter(c.nationality for c in cases)
    assert {n for n, _ in nationalities.most_common(3)} <= {"AFG", "SYR", "SSD", "SDN"}
    assert any(c.nationality == "SYR" and c.asylum == "TUR" for c in cases)
    assert all(c.situation and c.category and c.languages for c in cases)
    waited = [medium.today - c.submitted_day for c in cases]
    assert min(waited) >= 0 and max(waited) <= 3 * 365


def test_capacity_is_short_of_demand(medium: Instance) -> None:
    demand = sum(c.persons for c in medium.cases)
    capacity = sum(line.capacity for line in medium.lines)
    assert 0.55 * demand <= capacity <= 0.72 * demand
    assert abs(capacity / demand - CAPACITY_RATIO) < 0.07


def test_link_groups_are_small_and_local(medium: Instance) -> None:
    groups: dict[str, list[object]] = {}
    for case in medium.cases:
        if case.link:
            groups.setdefault(case.link, []).append(case)
    linked = sum(len(m) for m in groups.values())
    assert 0.01 <= linked / len(medium.cases) <= 0.03
    for members in groups.values():
        assert 2 <= len(members) <= 3
        assert len({(c.nationality, c.asylum) for c in members}) == 1  # type: ignore[attr-defined]


def test_lines_overlap_and_vary(medium: Instance) -> None:
    lines = medium.lines
    assert any(
        ln.nationalities is None and ln.asylums is None and ln.situations is None for ln in lines
    )
    assert any(ln.nationalities is not None for ln in lines)
    assert any(ln.situations is not None for ln in lines)
    assert any(ln.asylums is not None for ln in lines)
    assert any(ln.categories is not None for ln in lines)
    assert any(Priority.EMERGENCY not in ln.priorities for ln in lines)
    assert any(ln.max_family_size is not None for ln in lines)
    assert any(ln.max_serious_medical_cases is not None for ln in lines)
    assert any(ln.reserved_urgent > 0 for ln in lines)
    assert {ln.modality for ln in lines} == {"dossier", "interview"}
    assert len({tuple(sorted(p.value for p in ln.preferences)) for ln in lines}) > 40
    # Overlap: the average case is eligible for many lines of several States.
    sample = medium.cases[:200]
    eligible = [[ln for ln in lines if excluded_by(c, ln) is None] for c in sample]
    assert sum(len(e) for e in eligible) / len(sample) > 10
    assert sum(len({ln.state for ln in e}) > 1 for e in eligible) > 150


# ---- baselines ----------------------------------------------------------------------


def test_greedy_respects_every_hard_rule(medium: Instance) -> None:
    assignment = greedy(medium)
    assert assignment
    assert violations(medium, assignment) == []
    assert check_violations(medium, assignment) == []
    # Priority first: a greedy pass places emergency cases before anything else.
    placed = Counter(c.priority for c in medium.cases if c.id in assignment)
    total = Counter(c.priority for c in medium.cases)
    assert (
        placed[Priority.EMERGENCY] / total[Priority.EMERGENCY]
        >= placed[Priority.NORMAL] / total[Priority.NORMAL]
    )
    assert greedy(medium) == assignment  # deterministic


def test_greedy_places_link_groups_whole_with_one_state() -> None:
    instance = generate(3_000, seed=8)
    assignment = greedy(instance)
    lines = {line.id: line for line in instance.lines}
    groups: dict[str, list[str]] = {}
    for case in instance.cases:
        if case.link:
            groups.setdefault(case.link, []).append(case.id)
    placed_groups = 0
    for members in groups.values():
        placed = [m for m in members if m in assignment]
        assert len(placed) in (0, len(members))
        assert len({lines[assignment[m]].state for m in placed}) <= 1
        placed_groups += bool(placed)
    assert placed_groups > 0


def _exhaustive(instance: Instance) -> float:
    ids = [c.id for c in instance.cases]
    choices: list[str | None] = [None, *(line.id for line in instance.lines)]
    best = 0.0
    for combo in itertools.product(choices, repeat=len(ids)):
        assignment = {c: line for c, line in zip(ids, combo, strict=True) if line}
        if not violations(instance, assignment):
            best = max(best, own_objective(instance, assignment))
    return best


@pytest.mark.parametrize("seed", [0, 3, 6, 9])
def test_naive_mip_equals_exhaustive_optimum_on_tiny_instances(seed: int) -> None:
    instance = generate(6, seed, states=2, lines=4)
    assignment, value, bound = naive_mip(instance, 20, mip_rel_gap=0.0)
    assert violations(instance, assignment) == []
    assert check_violations(instance, assignment) == []
    best = _exhaustive(instance)
    assert own_objective(instance, assignment) == pytest.approx(best, rel=1e-9, abs=1e-6)
    assert bound >= best - 1e-6
    assert value == pytest.approx(objective_of(instance, assignment))
    assert value == pytest.approx(objective(instance, assignment))


def test_naive_mip_keeps_linked_cases_together() -> None:
    base = generate(8, 5, states=2, lines=4)
    # Link three cases: whatever the optimum, they share one State or stay unplaced.
    linked = tuple(
        case if i >= 3 else dataclasses.replace(case, link="G-test")
        for i, case in enumerate(base.cases)
    )
    instance = Instance(cases=linked, lines=base.lines, today=base.today)
    assignment, _, _ = naive_mip(instance, 20, mip_rel_gap=0.0)
    assert violations(instance, assignment) == []


# ---- the entry point ----------------------------------------------------------------


def test_bench_entry_point_writes_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "results" / "allocation.json"
    code = bench_run.main(
        [
            "--cases",
            "300",
            "--naive-time-limit",
            "10",
            "--methods",
            "greedy,naive_mip",
            "--out",
            str(out),
        ]
    )
    records = json.loads(out.read_text(encoding="utf-8"))
    methods = [r for r in records if r["method"] != "verdict"]
    assert [r["method"] for r in methods] == ["greedy", "naive_mip"]
    for record in methods:
        for key in ("method", "cases", "seconds", "peak_mb", "objective", "bound", "gap"):
            assert key in record
        assert record["cases"] == 300
        assert record["status"] == "ok"
        assert record["violations"] == 0
        assert record["seconds"] >= 0 and record["peak_mb"] > 0
    naive = methods[1]
    assert naive["bound"] >= naive["objective"] > 0
    assert 0 <= methods[0]["gap"] < 1
    verdict = records[-1]
    assert verdict["method"] == "verdict"
    assert verdict["checks"] == {"greedy_300_hard_rules": True, "naive_mip_300_hard_rules": True}
    assert code == (0 if verdict["verdict"] == "pass" else 1)


def test_bench_skips_the_naive_model_above_its_size(tmp_path: Path) -> None:
    records = bench_run.run_bench(
        [200], methods=["naive_mip"], naive_max_cases=100, log=lambda _: None
    )
    assert records[0]["status"] == "skipped"
    assert records[0]["objective"] == 0.0
    json.dumps(records)  # serialisable as it is


def test_verdict_compares_the_engine_with_the_targets() -> None:
    ok = {
        "method": "engine",
        "cases": 100_000,
        "status": "ok",
        "violations": 0,
        "seconds": 9.0,
        "peak_mb": 1500.0,
        "gap": 0.0005,
    }
    slow = {**ok, "seconds": 11.0}
    assert bench_run.verdict([ok])["verdict"] == "pass"
    failed = bench_run.verdict([slow])
    assert failed["verdict"] == "fail"
    assert failed["checks"]["engine_100000_seconds"] is False


def test_own_rules_and_objective_agree_with_the_engine_check(medium: Instance) -> None:
    from resettle.allocation.engine.check import objective_of

    assignment = greedy(medium)
    assert own_objective(medium, assignment) == pytest.approx(objective_of(medium, assignment))
    # Break the rules on purpose: both checks see it.
    broken = dict(assignment)
    line = medium.lines[0]
    for case in medium.cases:
        if excluded_by(case, line) is not None:
            broken[case.id] = line.id
            break
    full = max(medium.lines, key=lambda ln: ln.capacity)
    for case in medium.cases[:400]:
        if excluded_by(case, full) is None:
            broken[case.id] = full.id
    assert violations(medium, broken)
    assert check_violations(medium, broken)


def test_naive_mip_refuses_a_model_too_large_for_its_memory() -> None:
    from resettle.allocation.bench.baselines import ModelTooLarge

    with pytest.raises(ModelTooLarge):
        naive_mip(generate(500, 1), 10, max_mb=1.0)
