"""Demo cases: a few hundred submitted cases shaped like the PGRN (illustrative).

Drawn with the allocation benchmark's seeded generator (fixed seed), mapped to
the directory's countries and the demo's priority situations. Idempotent: a
case is looked up by its reference and created only when missing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from resettle.allocation.bench.generator import generate
from resettle.allocation.snapshot import PRIORITY_NAMES
from resettle.cases.models import FLAG_FIELDS, ResettlementCase
from resettle.core.audit import save_with_audit
from resettle.directory.models import Country
from resettle.needs.models import PrioritySituation

DEMO_CASES = 300
DEMO_SEED = 2026
PREFIX = "DEMO-"

# The generator's situations, by the names of the demo's priority situations
# (resettle.needs.demo_situations); the others stay without a situation.
SITUATION_NAMES = {
    "syria": "Syrian refugees in the region (Türkiye, Lebanon, Jordan, Iraq, Egypt)",
    "afghanistan": "Afghan refugees in Iran and Pakistan",
    "rohingya": "Rohingya refugees in Bangladesh and beyond",
    "sudan": "Sudanese refugees in Chad and Egypt",
    "central_mediterranean": "Central Mediterranean route",
}


@transaction.atomic
def load_cases_demo() -> int:
    """Create the demo cases that are missing; return how many were created."""
    today = timezone.localdate()
    instance = generate(DEMO_CASES, seed=DEMO_SEED, states=12, lines=24, today=today.toordinal())
    existing = set(
        ResettlementCase.objects.filter(reference__startswith=PREFIX).values_list(
            "reference", flat=True
        )
    )
    countries = {c.iso3: c for c in Country.objects.all()}
    situations = {s.name: s for s in PrioritySituation.objects.all()}
    created = 0
    for case in instance.cases:
        reference = PREFIX + case.id.removeprefix("C")
        asylum = countries.get(case.asylum)
        if reference in existing or asylum is None:
            continue
        fields = {
            "reference": reference,
            "persons": case.persons,
            "nationality": case.nationality,
            "asylum": asylum,
            "situation": situations.get(SITUATION_NAMES.get(case.situation, "")),
            "category": case.category,
            "secondary_category": case.secondary_category,
            "priority": PRIORITY_NAMES[case.priority],
            "submitted_on": datetime.date.fromordinal(case.submitted_day),
            "languages": sorted(case.languages),
            "link_group": f"{PREFIX}{case.link}" if case.link else "",
            "interview_possible": case.interview_possible,
            "is_illustrative": True,
            **{flag: flag in case.flags for flag in FLAG_FIELDS},
        }
        save_with_audit(ResettlementCase(), fields, actor=None)
        created += 1
    return created
