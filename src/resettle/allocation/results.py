"""What a finished run says, read from its assignments and input: the figures of its pages.

Aggregations run in the database (a run may hold 100,000 assignments); the
lines come from the run's input snapshot, so lines a scenario added and
capacities it changed show as they were run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from resettle.allocation import adapter
from resettle.allocation.models import AllocationRun, AssignmentReason, PledgeLine, RunInput
from resettle.directory.models import Country

PRIORITIES = ("emergency", "urgent", "normal")
RESERVE_TARGET = 0.10  # share of places kept for emergency and urgent cases


@dataclass
class LineRow:
    """One pledge line after the run."""

    id: str
    state: str
    state_name: str
    label: str
    capacity: int
    reserved: int
    used: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIORITIES, 0))
    cases: int = 0
    pk: int | None = None

    @property
    def used_total(self) -> int:
        """Persons placed on the line."""
        return sum(self.used.values())

    @property
    def left(self) -> int:
        """Places left."""
        return max(0, self.capacity - self.used_total)

    @property
    def reserve_left(self) -> int:
        """Reserved places that emergency and urgent cases did not use."""
        return max(0, self.reserved - self.used["emergency"] - self.used["urgent"])


@dataclass
class Summary:
    """A run's results in figures."""

    lines: list[LineRow]
    states: list[LineRow]
    submitted: dict[str, int]
    placed: dict[str, int]
    placed_cases: int
    total_cases: int
    unplaced: list[tuple[str, str, int, int]]  # reason, label, cases, persons

    @property
    def capacity(self) -> int:
        """Places of every line."""
        return sum(line.capacity for line in self.lines)

    @property
    def placed_total(self) -> int:
        """Persons placed."""
        return sum(self.placed.values())

    @property
    def reserve(self) -> int:
        """Places reserved for emergency and urgent cases."""
        return sum(line.reserved for line in self.lines)

    @property
    def reserve_target(self) -> int:
        """10% of all places: the reserve the consultations aim at."""
        return round(self.capacity * RESERVE_TARGET)

    @property
    def reserve_left(self) -> int:
        """Reserved places left unused."""
        return sum(line.reserve_left for line in self.lines)


def snapshot_lines(run: AllocationRun) -> list[dict[str, Any]]:
    """The pledge lines the run was fed."""
    data = RunInput.objects.filter(run=run).values_list("data", flat=True).first() or {}
    lines: list[dict[str, Any]] = data.get("lines", [])
    return lines


def line_rows(run: AllocationRun) -> dict[str, LineRow]:
    specs = snapshot_lines(run)
    names = {c.iso3: c.name for c in Country.objects.filter(iso3__in={s["state"] for s in specs})}
    labels = dict(
        PledgeLine.objects.filter(
            pk__in=[pk for s in specs if (pk := adapter.line_pk(s["id"]))]
        ).values_list("pk", "label")
    )
    rows: dict[str, LineRow] = {}
    for spec in specs:
        pk = adapter.line_pk(spec["id"])
        label = labels.get(pk, "") if pk is not None else _("added by the scenario")
        rows[spec["id"]] = LineRow(
            id=spec["id"],
            state=spec["state"],
            state_name=names.get(spec["state"], _("Any State (scenario)")),
            label=label or spec["id"],
            capacity=int(spec["capacity"]),
            reserved=int(spec.get("reserved_urgent", 0)),
            pk=pk if pk in labels else None,
        )
    return rows


def summarise(run: AllocationRun) -> Summary:
    """The run's figures: lines and States with places used by priority, unplaced by reason."""
    lines = line_rows(run)
    assignments = run.assignments.all()
    used = (
        assignments.filter(reason=AssignmentReason.PLACED)
        .values("line_key", "case__priority")
        .annotate(persons=Sum("case__persons"), cases=Count("pk"))
    )
    placed = dict.fromkeys(PRIORITIES, 0)
    placed_cases = 0
    for row in used:
        line = lines.get(row["line_key"])
        persons = int(row["persons"] or 0)
        placed[row["case__priority"]] += persons
        placed_cases += int(row["cases"])
        if line is not None:
            line.used[row["case__priority"]] += persons
            line.cases += int(row["cases"])
    submitted = dict.fromkeys(PRIORITIES, 0)
    for row in assignments.values("case__priority").annotate(persons=Sum("case__persons")):
        submitted[row["case__priority"]] = int(row["persons"] or 0)
    labels = dict(AssignmentReason.choices)
    unplaced = [
        (row["reason"], str(labels.get(row["reason"], row["reason"])), row["cases"], row["persons"])
        for row in assignments.exclude(reason=AssignmentReason.PLACED)
        .values("reason")
        .annotate(cases=Count("pk"), persons=Sum("case__persons"))
        .order_by("reason")
    ]
    states: dict[str, LineRow] = {}
    for line in lines.values():
        total = states.setdefault(
            line.state,
            LineRow(line.state, line.state, line.state_name, line.state_name, 0, 0),
        )
        total.capacity += line.capacity
        total.reserved += line.reserved
        total.cases += line.cases
        for p in PRIORITIES:
            total.used[p] += line.used[p]
    return Summary(
        lines=sorted(lines.values(), key=lambda r: (r.state_name, r.label)),
        states=sorted(states.values(), key=lambda r: (-r.capacity, r.state_name)),
        submitted=submitted,
        placed=placed,
        placed_cases=placed_cases,
        total_cases=assignments.count(),
        unplaced=unplaced,
    )


def gap_in_words(run: AllocationRun) -> str:
    """The optimality gap, said plainly."""
    if run.gap is None:
        return ""
    if run.gap <= 1e-9:
        return _("Proven optimal: no allocation can do better under these rules.")
    percent = run.gap * 100
    if percent < 0.01:
        return _("Within 0.01 percent of the best possible allocation (proven bound).")
    return _("Within %(gap).2f%% of the best possible allocation (proven bound).") % {
        "gap": percent
    }


# ---- comparison of two runs -----------------------------------------------------------


@dataclass
class Change:
    """One cut (priority, situation or State) before and after."""

    label: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        """After minus before."""
        return self.after - self.before


def _placed_by(run: AllocationRun, key: str) -> dict[Any, int]:
    rows = (
        run.assignments.filter(reason=AssignmentReason.PLACED)
        .values(key)
        .annotate(persons=Sum("case__persons"))
    )
    return {row[key]: int(row["persons"] or 0) for row in rows}


def _changes(
    before: dict[Any, int],
    after: dict[Any, int],
    names: dict[Any, str],
    order: list[Any] | None = None,
) -> list[Change]:
    keys = sorted(set(before) | set(after), key=lambda k: names.get(k, str(k or "")))
    if order is not None:  # a fixed order (priorities), the rest after it
        keys.sort(key=lambda k: order.index(k) if k in order else len(order))
    return [Change(names.get(k, str(k or "—")), before.get(k, 0), after.get(k, 0)) for k in keys]


def compare(base: AllocationRun, other: AllocationRun) -> dict[str, Any]:
    """Persons placed by priority, situation and State in both runs."""
    from resettle.needs.models import Priority, PrioritySituation  # noqa: PLC0415

    priorities = {k: str(v) for k, v in Priority.choices}
    situations: dict[Any, str] = {s.pk: s.display_name for s in PrioritySituation.objects.all()}
    situations[None] = _("No priority situation")
    states = {c.iso3: c.name for c in Country.objects.all()}
    by_state_before = _placed_by(base, "state__iso3")
    by_state_after = _placed_by(other, "state__iso3")
    return {
        "priority": [
            c
            for c in _changes(
                _placed_by(base, "case__priority"),
                _placed_by(other, "case__priority"),
                priorities,
                list(PRIORITIES),
            )
        ],
        "situation": _changes(
            _placed_by(base, "case__situation"), _placed_by(other, "case__situation"), situations
        ),
        "state": _changes(by_state_before, by_state_after, states),
    }


def changed_cases(base: AllocationRun, other: AllocationRun, limit: int = 200) -> dict[str, Any]:
    """The cases the two runs put in different places (the first `limit`), and how many."""
    before = dict(base.assignments.values_list("case_id", "line_key"))
    rows: list[tuple[int, str, str, str, str | None]] = []
    count = 0
    for case_id, reference, line_key, state in other.assignments.values_list(
        "case_id", "case__reference", "line_key", "state__iso3"
    ).order_by("case__reference"):
        if case_id in before and before[case_id] != line_key:
            count += 1
            if len(rows) < limit:
                rows.append((case_id, reference, before[case_id], line_key, state))
    old_states = dict(base.assignments.values_list("line_key", "state__iso3").distinct())
    return {
        "rows": [
            {
                "case_id": case_id,
                "reference": ref,
                "before": old or "",
                "before_state": old_states.get(old, "") if old else "",
                "after": new or "",
                "after_state": state or "",
            }
            for case_id, ref, old, new, state in rows
        ],
        "count": count,
    }
