"""Demo allocation: pledge lines for the demo States, one finished run and one scenario.

The lines derive from the needs demo's pledges of the current year (or its
latest year), scaled down to the few hundred demo cases (illustrative): per
State a general line and, where its pledge earmarks places for priority
situations, a line for them. The run and the scenario are executed at once,
in this process. Idempotent: lines are found by (year, State, label), runs
by name.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from resettle.allocation import services
from resettle.allocation.models import AllocationRun, LineModality, PledgeLine
from resettle.cases.demo import PREFIX, SITUATION_NAMES
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.needs.models import BreakdownKind, Pledge, PrioritySituation

# Places over persons submitted: demand exceeds places, as in reality.
CAPACITY_RATIO = 0.6
GENERAL = "General (illustrative)"
EARMARKED = "Priority situations (illustrative)"
RUN_NAME = "Demo allocation %(year)s (illustrative)"
SCENARIO_NAME = "Scenario: 60 more places for Syrian refugees (illustrative)"
SCENARIO_PLACES = 60
ALL_PRIORITIES = ["emergency", "urgent", "normal"]

# Illustrative preferences: a State weighs cases in its languages up.
PREFERENCES = {
    "DEU": [{"attribute": "language", "value": "ar", "weight": 2.0}],
    "FRA": [{"attribute": "language", "value": "fr", "weight": 3.0}],
    "CAN": [{"attribute": "language", "value": "en", "weight": 2.0}],
    "SWE": [{"attribute": "flag", "value": "woman_at_risk", "weight": 3.0}],
}


def demo_year() -> int | None:
    """This year if the needs demo has pledges for it, else its latest pledge year."""
    this_year = timezone.localdate().year
    years = set(Pledge.objects.values_list("year", flat=True).distinct())
    if this_year in years:
        return this_year
    return max(years) if years else None


def _latest_pledges(year: int) -> list[Pledge]:
    seen: dict[int, Pledge] = {}
    for pledge in (
        Pledge.objects.filter(year=year)
        .select_related("state", "version")
        .order_by("state_id", "-version__created_at", "-pk")
    ):
        seen.setdefault(pledge.state_id, pledge)
    return sorted(seen.values(), key=lambda p: -p.persons)


def _lines(year: int) -> int:
    pledges = _latest_pledges(year)
    demand = (
        ResettlementCase.objects.filter(
            reference__startswith=PREFIX, status=CaseStatus.SUBMITTED
        ).aggregate(n=Sum("persons"))["n"]
        or 0
    )
    total = sum(p.persons for p in pledges)
    if not pledges or not demand or not total:
        return 0
    scale = demand * CAPACITY_RATIO / total
    situations = set(PrioritySituation.objects.values_list("name", flat=True))
    wanted = set(SITUATION_NAMES.values()) & situations
    created = 0
    for pledge in pledges:
        places = max(5, round(pledge.persons * scale))
        earmarks = {
            b.value: b.persons
            for b in pledge.breakdowns.filter(kind=BreakdownKind.SITUATION)
            if b.value in wanted
        }
        earmarked = min(places - 3, round(sum(earmarks.values()) * scale)) if earmarks else 0
        modality = LineModality.DOSSIER if pledge.modality == "dossier" else LineModality.INTERVIEW
        specs: list[tuple[str, int, list[str] | None]] = [
            (GENERAL, places - max(earmarked, 0), None)
        ]
        if earmarked > 0:
            specs.append((EARMARKED, earmarked, sorted(earmarks)))
        for label, capacity, line_situations in specs:
            if PledgeLine.objects.filter(year=year, state=pledge.state, label=label).exists():
                continue
            services.do_create_line(
                {
                    "year": year,
                    "state": pledge.state,
                    "label": label,
                    "pledge": pledge,
                    "capacity": capacity,
                    "reserved_urgent": round(capacity * 0.1),
                    "situations": line_situations,
                    "priorities": ALL_PRIORITIES,
                    "modality": modality,
                    "max_family_size": None if capacity >= 15 else capacity,
                    "max_serious_medical": max(1, capacity // 20),
                    "preferences": PREFERENCES.get(pledge.state.iso3, []),
                    "is_illustrative": True,
                },
                actor=None,
            )
            created += 1
    return created


@transaction.atomic
def load_allocation_demo() -> int:
    """Create the missing demo pledge lines, run and scenario; return how many."""
    year = demo_year()
    if year is None:
        return 0
    created = _lines(year)
    if not PledgeLine.objects.filter(year=year).exists():
        return created
    name = RUN_NAME % {"year": year}
    run = AllocationRun.objects.filter(name=name, parent=None).first()
    if run is None:
        run = services.do_start_run(year, name=name, actor=None, background=False)
        AllocationRun.objects.filter(pk=run.pk).update(is_illustrative=True)
        created += 1
    syria = SITUATION_NAMES["syria"]
    if (
        not AllocationRun.objects.filter(name=SCENARIO_NAME, parent=run).exists()
        and PrioritySituation.objects.filter(name=syria).exists()
    ):
        scenario = services.do_create_scenario(
            run,
            [
                {
                    "kind": "add_capacity",
                    "situation": syria,
                    "places": SCENARIO_PLACES,
                    "state": None,
                }
            ],
            name=SCENARIO_NAME,
            actor=None,
            background=False,
        )
        AllocationRun.objects.filter(pk=scenario.pk).update(is_illustrative=True)
        created += 1
    return created
