"""Demo data of governance: Steering Committee recommendations and RAG advice.

The Steering Committee's topics come from the domain brief; every
recommendation, milestone and advice item here is illustrative (each says so).
Steering Committee and RAG memberships come from the forums demo
(resettle.demo.data.MEMBERSHIPS), so none are added here.

Idempotent: records are looked up by natural key (forum and title for a
recommendation, recommendation and title for a milestone, RAG and subject for
advice), and only missing ones are created.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from resettle.directory.models import Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.governance import services
from resettle.governance.models import RagAdvice, Recommendation, RecommendationMilestone

STEERING = "Steering Committee of the Consultations"
NOTE = " (Illustrative demo content.)"
D = datetime.date

UNHCR = "Office of the United Nations High Commissioner for Refugees"
ACCEM = "Accem"
SPAIN = "Ministry of Inclusion, Social Security and Migration"
RCOA = "Refugee Council of Australia"
NRV = "Network for Refugee Voices"
BAMF = "Federal Office for Migration and Refugees"


@dataclass(frozen=True)
class RecSpec:
    """A recommendation, its milestones (title, due, done) and evidence (text, link)."""

    topic: str
    title: str
    owner: str
    status: str
    progress: int
    target: datetime.date | None
    milestones: tuple[tuple[str, datetime.date, datetime.date | None], ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()


RECOMMENDATIONS: tuple[RecSpec, ...] = (
    RecSpec(
        "format",
        "Hold the consultations every year in a hybrid format",
        UNHCR,
        "implemented",
        100,
        D(2023, 6, 30),
        (("Pilot a hybrid plenary", D(2022, 6, 30), D(2022, 6, 22)),),
        (("Hybrid participation guidance", "https://www.unhcr.org/"),),
    ),
    RecSpec(
        "pathways",
        "Bring complementary pathways into the consultations' remit and name",
        UNHCR,
        "implemented",
        100,
        D(2024, 12, 31),
        (("Agree the new name (CRCP)", D(2024, 6, 30), D(2024, 6, 12)),),
    ),
    RecSpec(
        "working_groups",
        "Set up thematic working groups reporting to the WGR",
        SPAIN,
        "in_progress",
        60,
        D(2026, 6, 30),
        (
            ("Terms of reference for the groups", D(2025, 10, 31), D(2025, 10, 20)),
            ("First reports to the WGR", D(2026, 3, 31), None),
        ),
    ),
    RecSpec(
        "cochairs",
        "A handover between outgoing and incoming co-chairs each cycle",
        ACCEM,
        "in_progress",
        40,
        D(2026, 9, 30),
        (
            ("Handover pack template", D(2025, 12, 31), D(2025, 12, 15)),
            ("First joint planning meeting", D(2026, 9, 30), None),
        ),
    ),
    RecSpec(
        "rag_unhcr",
        "Clarify the roles of the RAG and UNHCR in preparing the agenda",
        UNHCR,
        "agreed",
        10,
        D(2026, 12, 31),
        (("Joint note on roles", D(2026, 6, 30), None),),
    ),
    RecSpec(
        "participation",
        "Refugee co-facilitators in every thematic session",
        NRV,
        "in_progress",
        75,
        D(2026, 6, 30),
        (
            ("Roster of refugee facilitators", D(2025, 9, 30), D(2025, 9, 1)),
            ("Training for facilitators", D(2026, 4, 30), None),
        ),
        (("Refugee participation indicators", ""),),
    ),
    RecSpec(
        "continuity",
        "A multi-year workplan carried from one cycle to the next",
        RCOA,
        "proposed",
        0,
        D(2027, 6, 30),
        (("Draft workplan for discussion", D(2026, 11, 30), None),),
    ),
    RecSpec(
        "other",
        "A permanent secretariat separate from UNHCR",
        BAMF,
        "not_pursued",
        0,
        None,
    ),
)


@dataclass(frozen=True)
class AdviceSpec:
    """An advice item of the RAG, answered or open."""

    target: str  # acronym of the forum
    cycle_start: int | None
    addressee: str
    subject: str
    advice: str
    given_on: datetime.date
    status: str = "open"
    answer: str = ""
    answered_on: datetime.date | None = None
    answered_by: str | None = None


ADVICE: tuple[AdviceSpec, ...] = (
    AdviceSpec(
        "CRCP",
        2021,
        "the co-chairs",
        "Refugee speakers in every plenary",
        "Every plenary session should include at least one refugee speaker.",
        D(2022, 2, 15),
        "acted_upon",
        "Agreed: each plenary of the 2022 consultation had a refugee speaker.",
        D(2022, 3, 10),
        UNHCR,
    ),
    AdviceSpec(
        "CRCP",
        2023,
        "the co-chairs",
        "Travel support for refugee participants",
        "Fund travel and visas for refugee representatives attending in person.",
        D(2024, 1, 20),
        "answered",
        "Travel support will be offered to up to 20 representatives.",
        D(2024, 2, 28),
        RCOA,
    ),
    AdviceSpec(
        "WGR",
        None,
        "the WGR",
        "Community sponsorship and refugee-led organisations",
        "Involve refugee-led organisations in designing community sponsorship programmes.",
        D(2025, 3, 1),
        "declined",
        "Outside the WGR's current workplan; to be taken up by a thematic working group.",
        D(2025, 4, 15),
        SPAIN,
    ),
    AdviceSpec(
        "CRCP",
        2024,
        "the co-chairs",
        "Interpretation into Arabic and Dari",
        "Offer interpretation into Arabic and Dari in all plenary sessions.",
        D(2025, 11, 5),
    ),
    AdviceSpec(
        "WGR",
        None,
        "the thematic working group on pathways",
        "Family reunification in complementary pathways",
        "Include family members in labour and education pathways from the start.",
        D(2026, 1, 12),
    ),
)


def _org(name: str | None) -> Organisation | None:
    return Organisation.objects.filter(name=name).first() if name else None


def _recommendations(steering: Forum) -> int:
    created = 0
    for spec in RECOMMENDATIONS:
        rec = Recommendation.objects.filter(forum=steering, title=spec.title).first()
        if rec is None:
            rec = services.do_create_recommendation(
                {
                    "forum": steering,
                    "topic": spec.topic,
                    "title": spec.title,
                    "text": "A recommendation of the Steering Committee." + NOTE,
                    "owner": _org(spec.owner),
                    "status": spec.status,
                    "progress": spec.progress,
                    "target_date": spec.target,
                },
                actor=None,
            )
            created += 1
            for description, url in spec.evidence:
                services.do_add_evidence(
                    rec, {"description": description + NOTE, "url": url}, actor=None
                )
                created += 1
        for title, due, done in spec.milestones:
            if not RecommendationMilestone.objects.filter(recommendation=rec, title=title).exists():
                services.do_create_milestone(
                    rec, {"title": title, "due_date": due, "done_on": done}, actor=None
                )
                created += 1
    return created


def _advice(rag: Forum) -> int:
    created = 0
    crcp = Forum.objects.filter(acronym="CRCP").first()
    for spec in ADVICE:
        if RagAdvice.objects.filter(source=rag, subject=spec.subject).exists():
            continue
        target = Forum.objects.filter(acronym=spec.target).first()
        if target is None:
            continue
        cycle = (
            ConsultationCycle.objects.filter(forum=crcp, start_year=spec.cycle_start).first()
            if spec.cycle_start and crcp is not None
            else None
        )
        services.do_give_advice(
            {
                "source": rag,
                "target_forum": target,
                "cycle": cycle,
                "addressee": spec.addressee,
                "subject": spec.subject,
                "advice": spec.advice + NOTE,
                "given_on": spec.given_on,
                "status": spec.status,
                "answer": spec.answer + NOTE if spec.answer else "",
                "answered_on": spec.answered_on,
                "answered_by": _org(spec.answered_by),
            },
            actor=None,
        )
        created += 1
    return created


@transaction.atomic
def load_governance_demo() -> int:
    """Create the missing demo recommendations and advice; the number of records created."""
    created = 0
    steering = Forum.objects.filter(name=STEERING).first()
    if steering is not None:
        created += _recommendations(steering)
    rag = Forum.objects.filter(acronym="RAG").first()
    if rag is not None:
        created += _advice(rag)
    return created
