"""Demo case pipeline: case files for referred demo cases (illustrative).

Takes up to 24 referred demo cases (from the cases and allocation demos; none:
nothing to do), opens their case files in Türkiye's provinces, records
invented family members (marked illustrative) and moves them along the
pipeline, some to departure; the departures are imported into the needs
figures as the rsf-departures series. Idempotent: a case with a case file is skipped.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from resettle.cases.models import CaseStatus, Consent, ResettlementCase, SharePurpose
from resettle.pipeline import queries, services, stages
from resettle.pipeline.models import CaseFile, OrientationSession

DEMO_FILES = 24
PROVINCES = ("Gaziantep", "Hatay", "Şanlıurfa", "Istanbul", "Konya", "Kilis", "Mersin")
GIVEN = ("Amal", "Omar", "Layla", "Karim", "Nour", "Samir", "Huda", "Yusuf", "Mariam", "Tariq")
FAMILY = ("Haddad", "Nasser", "Rahimi", "Khalil", "Saleh", "Darwish", "Azizi", "Mansour")
RELATIONS = ("principal", "spouse", "child", "child", "child", "parent")

# How far each demo case goes (cycled): a spread over the board.
PATHS: tuple[tuple[str, ...], ...] = (
    (),
    (stages.ACCEPTED_FOR_MISSION,),
    (stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED),
    (stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.NO_SHOW),
    (stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED),
    (*(stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED),
     stages.PENDING_SECURITY),
    (*(stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED),
     stages.REJECTED),
    (*(stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED),
     stages.ACCEPTED, stages.MEDICAL_FOLLOW_UP),
    (*(stages.ACCEPTED_FOR_MISSION, stages.INTERVIEW_SCHEDULED, stages.INTERVIEWED),
     stages.ACCEPTED, stages.MEDICAL_FIT, stages.ORIENTATION_COMPLETED,
     stages.EXIT_PERMISSION, stages.TRAVEL_BOOKED, stages.DEPARTED),
    (stages.ACCEPTED_FOR_MISSION, stages.ON_HOLD),
)  # fmt: skip


@transaction.atomic
def load_pipeline_demo() -> int:
    """Create the missing demo case files (and their members and events); return the count."""
    today = timezone.localdate()
    cases = list(
        ResettlementCase.objects.filter(
            status=CaseStatus.REFERRED, referred_state__isnull=False, is_illustrative=True
        ).order_by("reference")[:DEMO_FILES]
    )
    if not cases:
        return 0
    done = set(CaseFile.objects.filter(case__in=cases).values_list("case_id", flat=True))
    created = 0
    for i, case in enumerate(cases):
        if case.pk in done:
            continue
        start = max(case.submitted_on, today - datetime.timedelta(days=150 - 4 * i))
        start = min(start, today)
        case_file = services.do_open_case_file(
            case,
            {
                "province": PROVINCES[i % len(PROVINCES)],
                "date": start,
                "is_illustrative": True,
                # The referred State sees the file: the (illustrative) family consented.
                "purpose": SharePurpose.RESETTLEMENT,
                "consent": Consent.GIVEN,
                "consent_date": start,
            },
            actor=None,
        )
        created += 1
        family = FAMILY[i % len(FAMILY)]
        for p in range(min(case.persons, 6)):
            relation = RELATIONS[p]
            age = 35 + i % 10 if relation in {"principal", "spouse"} else 60
            if relation == "child":
                age = 3 + (i + p) % 14
            born = today.replace(month=1, day=1) - datetime.timedelta(days=365 * age + 30 * p)
            services.do_add_member(
                case_file,
                {
                    "name": f"{GIVEN[(i + p) % len(GIVEN)]} {family} (illustrative)",
                    "date_of_birth": born,
                    "sex": "F" if (i + p) % 2 else "M",
                    "relationship": relation,
                    "languages": list(case.languages) or ["ar"],
                    "interview_required": age >= 18,
                    "is_illustrative": True,
                },
                actor=None,
            )
            created += 1
        when = start
        for move in PATHS[i % len(PATHS)]:
            when = min(when + datetime.timedelta(days=7), today)
            note = "Illustrative: family moved province" if move == stages.ON_HOLD else ""
            services.do_move_case(case_file, move, date=when, note=note, actor=None)
    if not OrientationSession.objects.filter(is_illustrative=True).exists():
        services.do_create_session(
            {
                "date": today,
                "modules": ["arrival", "housing", "health", "employment"],
                "language": "ar",
                "facilitator": "Illustrative facilitator",
                "is_illustrative": True,
            },
            actor=None,
        )
        created += 1
    # Departed demo cases feed the needs figures (series rsf-departures); an
    # unchanged import creates no version and counts nothing.
    result = queries.do_import_departures(actor=None, is_illustrative=True)
    if result is not None and result.imported:
        created += 1
    return created
