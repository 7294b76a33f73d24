"""Demo records of the PSCG: targets, practice exchanges and host-country updates.

Everything here is illustrative (marked so on every record): the targets are
not published PSCG targets, the practice exchanges are typical of what the
core group's community of practice discusses, and the host-country ratings
and narratives are invented to show the pages, not assessments of any country.

Loaded after the needs demo (the situations come from
needs.demo_situations); a situation, country or organisation that is absent is
skipped. Idempotent: targets are found by (situation, year), practices by
title, updates by (situation, host country, date); only missing ones are
created, through save_with_audit with no actor ("system").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from resettle.core.audit import save_with_audit
from resettle.directory.models import Country, Organisation
from resettle.needs.demo_situations import SITUATIONS
from resettle.needs.models import PrioritySituation
from resettle.pscg.models import HostCountryUpdate, PracticeExchange, PscgAccess, SituationTarget

SYRIA, CENTRAL_MED, AFGHAN, ROHINGYA, SUDAN = (s.name for s in SITUATIONS)

# Illustrative targets of places per situation, 2025-2027.
TARGETS: dict[str, dict[int, int]] = {
    SYRIA: {2025: 20_000, 2026: 22_000, 2027: 24_000},
    CENTRAL_MED: {2025: 4_000, 2026: 4_500, 2027: 5_000},
    AFGHAN: {2025: 15_000, 2026: 16_000, 2027: 17_000},
    ROHINGYA: {2025: 3_000, 2026: 3_500, 2027: 4_000},
    SUDAN: {2025: 5_000, 2026: 6_000, 2027: 7_000},
}
TARGET_NOTE = "Illustrative demo target, not a published PSCG figure."

PRACTICES: tuple[dict[str, Any], ...] = (
    {
        "title": "Remote interviews for refugees in Lebanon and Jordan",
        "situation": SYRIA,
        "topic": "remote_interview",
        "summary": (
            "Illustrative. States that interviewed by secure video link from their capitals "
            "shared how they prepared the interview rooms with UNHCR, checked identity, "
            "worked with remote interpreters and kept the interviews confidential; and what "
            "they would change: shorter sessions, a back-up line, and a local caseworker "
            "present for children."
        ),
        "organisations": ("IRCC", "BAMF", "UNHCR"),
        "date": datetime.date(2025, 3, 12),
        "access": PscgAccess.PUBLIC,
    },
    {
        "title": "Dossier processing for the Central Mediterranean route",
        "situation": CENTRAL_MED,
        "topic": "dossier",
        "summary": (
            "Illustrative. How States decide on UNHCR's resettlement registration forms "
            "without a selection mission where access is limited (evacuations through the "
            "Emergency Transit Mechanism in Niger): what the dossier must contain, how "
            "security questions are put in writing, and how long each step takes."
        ),
        "organisations": ("IND", "UDI", "UNHCR"),
        "date": datetime.date(2025, 5, 20),
        "access": PscgAccess.MEMBERS,
    },
    {
        "title": "Video interviews and adjudication of Afghan cases",
        "situation": AFGHAN,
        "topic": "video",
        "summary": (
            "Illustrative. A member State's officers adjudicated cases in Pakistan by video "
            "while an in-person mission was not possible; members compared credibility "
            "assessment across modalities and agreed to share their interview guides."
        ),
        "organisations": ("IRCC", "UNHCR"),
        "date": datetime.date(2025, 9, 8),
        "access": PscgAccess.MEMBERS,
    },
)

# Illustrative host-country updates: ratings 1 (very poor) to 5 (good) for legal status,
# freedom of movement, work, education and protection from refoulement.
UPDATES: tuple[dict[str, Any], ...] = (
    {
        "situation": SYRIA,
        "host": "TUR",
        "ratings": (4, 3, 3, 4, 3),
        "solutions": (None, True, True),
    },
    {
        "situation": SYRIA,
        "host": "LBN",
        "ratings": (2, 2, 1, 3, 2),
        "solutions": (False, True, True),
    },
    {
        "situation": SYRIA,
        "host": "JOR",
        "ratings": (3, 3, 3, 4, 3),
        "solutions": (False, True, True),
    },
    {
        "situation": AFGHAN,
        "host": "IRN",
        "ratings": (2, 2, 2, 3, 1),
        "solutions": (False, None, True),
    },
    {
        "situation": AFGHAN,
        "host": "PAK",
        "ratings": (2, 2, 2, 2, 1),
        "solutions": (False, None, True),
    },
    {
        "situation": ROHINGYA,
        "host": "BGD",
        "ratings": (1, 1, 1, 2, 3),
        "solutions": (False, False, False),
    },
    {
        "situation": CENTRAL_MED,
        "host": "LBY",
        "ratings": (1, 1, 1, 1, 1),
        "solutions": (False, True, None),
    },
    {
        "situation": CENTRAL_MED,
        "host": "NER",
        "ratings": (3, 3, 2, 3, 4),
        "solutions": (True, True, None),
    },
    {
        "situation": SUDAN,
        "host": "TCD",
        "ratings": (3, 3, 2, 2, 4),
        "solutions": (True, False, False),
    },
    {
        "situation": SUDAN,
        "host": "EGY",
        "ratings": (2, 2, 2, 3, 2),
        "solutions": (False, True, False),
    },
)
UPDATE_DATE = datetime.date(2025, 6, 30)
RATING_FIELDS = (
    "legal_status",
    "freedom_of_movement",
    "access_to_work",
    "access_to_education",
    "non_refoulement",
)
SOLUTION_FIELDS = ("local_integration", "complementary_pathways", "voluntary_return")


def _organisations(acronyms: tuple[str, ...]) -> list[Organisation]:
    found = []
    for acronym in acronyms:
        org = Organisation.objects.filter(acronym=acronym).order_by("pk").first()
        if org is not None:
            found.append(org)
    return found


@transaction.atomic
def load_pscg_demo() -> int:
    """Create the demo records that are missing; how many this created."""
    situations = {s.name: s for s in PrioritySituation.objects.filter(name__in=list(TARGETS))}
    created = 0
    for name, years in TARGETS.items():
        situation = situations.get(name)
        if situation is None:
            continue
        for year, places in years.items():
            if SituationTarget.objects.filter(situation=situation, year=year).exists():
                continue
            save_with_audit(
                SituationTarget(),
                {
                    "situation": situation,
                    "year": year,
                    "places": places,
                    "note": TARGET_NOTE,
                    "is_illustrative": True,
                },
                actor=None,
            )
            created += 1
    for spec in PRACTICES:
        situation = situations.get(spec["situation"])
        if situation is None or PracticeExchange.objects.filter(title=spec["title"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("organisations", "situation")}
        save_with_audit(
            PracticeExchange(),
            {**fields, "situation": situation, "is_illustrative": True},
            actor=None,
            m2m={"organisations": _organisations(spec["organisations"])},
        )
        created += 1
    unhcr = Organisation.objects.filter(acronym="UNHCR").order_by("pk").first()
    for spec in UPDATES:
        situation = situations.get(spec["situation"])
        host = Country.objects.filter(iso3=spec["host"]).first()
        if situation is None or host is None:
            continue
        if HostCountryUpdate.objects.filter(
            situation=situation, host_country=host, date=UPDATE_DATE
        ).exists():
            continue
        values: dict[str, Any] = dict(zip(RATING_FIELDS, spec["ratings"], strict=True))
        values.update(zip(SOLUTION_FIELDS, spec["solutions"], strict=True))
        save_with_audit(
            HostCountryUpdate(),
            {
                **values,
                "situation": situation,
                "host_country": host,
                "date": UPDATE_DATE,
                "period": "First half of 2025",
                "narrative": (
                    f"Illustrative update on {host.name_en}, written for the demo: the "
                    "ratings and this text are invented to show the page and are not an "
                    "assessment of the country."
                ),
                "author": unhcr,
                # Half the updates are public, to show both levels of access.
                "access": PscgAccess.PUBLIC
                if spec["host"] in {"TUR", "BGD", "NER", "TCD", "IRN"}
                else PscgAccess.MEMBERS,
                "is_illustrative": True,
            },
            actor=None,
        )
        created += 1
    return created
