"""Demo capacity-building data: assessments of States at each stage (some with two
over time), technical assistance in every status, the CRISP training package
with language versions and deliveries, and GROW supporters with commitments.

Everything here is invented for the demonstration and marked illustrative.
Records are looked up by a natural key and only the missing ones are created,
so a second call creates nothing and returns 0.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from resettle.capacity import services, services_training, stages
from resettle.capacity.models import (
    Assessment,
    AssessmentStatus,
    AssistanceStatus,
    ModuleVersion,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.commitments.models import Commitment, CommitmentSource, Supporter
from resettle.core.audit import save_with_audit
from resettle.directory.models import Country, Organisation, OrganisationKind

D = datetime.date

# (State, date, scores in stages.DIMENSIONS order, summary). The scores were
# chosen so the stage rule gives the stage the demo's State profiles have.
ASSESSMENTS: tuple[tuple[str, D, tuple[int, ...], str], ...] = (
    ("DEU", D(2021, 5, 10), (4, 3, 3, 3, 2, 3, 3, 3), "Mature programme; pathways growing."),
    ("DEU", D(2024, 6, 3), (4, 4, 3, 4, 3, 4, 3, 3), "Community sponsorship now national."),
    ("CAN", D(2023, 9, 18), (4, 4, 4, 4, 4, 4, 3, 4), "Long-standing programme and sponsorship."),
    ("ESP", D(2019, 3, 12), (1, 1, 1, 2, 0, 0, 1, 1), "First national resettlement plan."),
    ("ESP", D(2023, 10, 2), (3, 2, 2, 3, 1, 2, 1, 2), "Regional reception network in place."),
    ("BRA", D(2020, 2, 20), (1, 0, 1, 1, 1, 0, 1, 1), "Humanitarian visas, no quota yet."),
    ("BRA", D(2024, 4, 8), (2, 2, 1, 2, 2, 1, 1, 2), "Pilot with municipalities and NGOs."),
    ("ARG", D(2022, 11, 15), (2, 2, 2, 2, 1, 2, 1, 1), "Sponsorship-based Syria programme."),
    ("BGR", D(2023, 6, 1), (1, 1, 0, 1, 0, 0, 1, 0), "Commitment made; procedures to write."),
    ("MEX", D(2024, 1, 22), (2, 1, 1, 1, 1, 0, 0, 1), "Interest in a pilot with UNHCR."),
    ("HRV", D(2020, 9, 9), (1, 0, 0, 1, 0, 0, 0, 0), "First resettlement decision."),
    ("HRV", D(2023, 9, 12), (2, 1, 1, 1, 0, 0, 1, 1), "First arrivals; integration via NGOs."),
)

NOTES = {
    "legal": "Legal basis reviewed against the national asylum act (illustrative).",
    "processing": "Selection missions and dossier processing observed (illustrative).",
    "pre_departure": "Health checks, cultural orientation and travel arranged with IOM.",
    "reception": "Reception centres and municipal integration plans (illustrative).",
}

# (State, title, dimension, status, provider key, provider kind, outcome)
ASSISTANCE: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("BGR", "Drafting standard operating procedures", "processing", "requested", "", "", ""),
    ("MEX", "Designing a resettlement pilot", "legal", "planned", "UNHCR", "unhcr", ""),
    (
        "ARG",
        "Twinning on community sponsorship",
        "sponsorship",
        "in_progress",
        "CAN",
        "twinning",
        "",
    ),
    (
        "BRA",
        "Cultural orientation curriculum",
        "pre_departure",
        "completed",
        "IOM",
        "iom",
        "Curriculum adopted; twelve trainers certified (illustrative).",
    ),
    (
        "HRV",
        "Data system for arrivals",
        "data",
        "declined",
        "",
        "",
        "Covered by an EU-funded project instead (illustrative).",
    ),
)

# (code, title, dimension, hours, description)
MODULES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "CRISP-01",
        "Resettlement and complementary pathways: the basics",
        "legal",
        "6",
        "The legal and policy framework of a resettlement programme.",
    ),
    (
        "CRISP-02",
        "Identification and referral for resettlement",
        "processing",
        "8",
        "How refugees in need of resettlement are identified and referred.",
    ),
    (
        "CRISP-03",
        "Selection missions and interviewing",
        "processing",
        "12",
        "Planning selection missions, in person and remote interviews, adjudication.",
    ),
    (
        "CRISP-04",
        "Pre-departure: health, cultural orientation, travel",
        "pre_departure",
        "6",
        "Health assessments, cultural orientation and travel, with IOM.",
    ),
    (
        "CRISP-05",
        "Reception and integration planning",
        "reception",
        "8",
        "Reception arrangements and integration support in municipalities.",
    ),
    (
        "CRISP-06",
        "Community sponsorship programmes",
        "sponsorship",
        "6",
        "Designing and running community sponsorship with civil society.",
    ),
    (
        "CRISP-07",
        "Complementary pathways: education and labour",
        "pathways",
        "4",
        "Education and labour mobility pathways for refugees.",
    ),
    (
        "CRISP-08",
        "Data, monitoring and evaluation",
        "data",
        "4",
        "Recording arrivals and outcomes; monitoring a programme.",
    ),
)
VERSION_TITLES = {
    "ar": "الوحدة التدريبية",
    "fr": "Module de formation",
}

# (module code, date, place or "" for online, State, count, pre, post, feedback, results)
DELIVERIES: tuple[tuple[str, D, str, str, int, str, str, str, tuple[tuple[int, int], ...]], ...] = (
    ("CRISP-01", D(2023, 3, 14), "Sofia", "BGR", 18, "42", "71", "4.4", ()),
    ("CRISP-02", D(2023, 5, 9), "", "MEX", 25, "48", "69", "4.1", ()),
    (
        "CRISP-03",
        D(2023, 9, 26),
        "Buenos Aires",
        "ARG",
        4,
        "",
        "",
        "4.6",
        ((45, 70), (52, 81), (38, 66), (60, 84)),
    ),
    ("CRISP-04", D(2024, 2, 7), "Brasília", "BRA", 22, "51", "77", "4.5", ()),
    ("CRISP-05", D(2024, 4, 17), "Zagreb", "HRV", 15, "44", "62", "3.9", ()),
    ("CRISP-06", D(2024, 6, 11), "", "ESP", 30, "55", "74", "4.2", ()),
    ("CRISP-01", D(2024, 10, 1), "Mexico City", "MEX", 20, "40", "68", "4.3", ()),
)

SUPPORTERS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Horizon Logistics (illustrative)",
        "private",
        "NLD",
        "A logistics company offering jobs and training to resettled refugees.",
    ),
    (
        "Open Doors Foundation (illustrative)",
        "foundation",
        "CHE",
        "A foundation financing community sponsorship and integration.",
    ),
    ("An individual donor (illustrative)", "individual", "", "An individual supporting GROW."),
)
# (supporter, title, amount, currency, target)
GROW_COMMITMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "Horizon Logistics (illustrative)",
        "200 jobs for resettled refugees",
        "",
        "",
        "200 jobs with training within two years",
    ),
    ("Horizon Logistics (illustrative)", "Language courses for new employees", "150000", "EUR", ""),
    (
        "Open Doors Foundation (illustrative)",
        "Fund for community sponsorship groups",
        "2000000",
        "USD",
        "Grants to 100 sponsor groups",
    ),
    (
        "An individual donor (illustrative)",
        "Scholarships for refugee students",
        "50000",
        "USD",
        "10 scholarships",
    ),
)


def _org(acronym: str) -> Organisation | None:
    return Organisation.objects.filter(acronym=acronym).order_by("pk").first()


def _gov(iso3: str) -> Organisation | None:
    return (
        Organisation.objects.filter(kind=OrganisationKind.STATE, country__iso3=iso3)
        .order_by("pk")
        .first()
    )


def _assessments(countries: dict[str, Country]) -> int:
    unhcr, iom = _org("UNHCR"), _org("IOM")
    created = 0
    for i, (iso3, day, scores, summary) in enumerate(ASSESSMENTS):
        country = countries.get(iso3)
        assessor = (iom if i % 3 == 2 else unhcr) or unhcr or iom
        if country is None or assessor is None:
            continue
        if Assessment.objects.filter(country=country, assessed_on=day).exists():
            continue
        data: dict[str, Any] = {
            "country": country,
            "assessed_on": day,
            "assessor": assessor,
            "status": AssessmentStatus.COMPLETED,
            "summary": summary + " Illustrative demo assessment.",
            "is_illustrative": True,
            "created_at": timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
            "scores": {
                dim: {"score": score, "evidence": NOTES.get(dim, ""), "note": ""}
                for dim, score in zip(stages.DIMENSIONS, scores, strict=True)
            },
        }
        services.do_create_assessment(data, actor=None)
        created += 1
    return created


def _assistance(countries: dict[str, Country]) -> int:
    created = 0
    for iso3, title, dim, status, provider_key, kind, outcome in ASSISTANCE:
        country = countries.get(iso3)
        if country is None or TechnicalAssistance.objects.filter(country=country, title=title):
            continue
        provider = None
        if provider_key:
            provider = (
                _org(provider_key) if provider_key in ("UNHCR", "IOM") else _gov(provider_key)
            )
            if provider is None:
                continue
        started = status in (AssistanceStatus.IN_PROGRESS, AssistanceStatus.COMPLETED)
        services.do_create_assistance(
            {
                "country": country,
                "dimension": dim,
                "title": title,
                "description": f"{title} (illustrative demo request).",
                "provider": provider,
                "provider_kind": kind,
                "status": status,
                "requested_on": D(2024, 1, 15),
                "start_date": D(2024, 3, 1) if started else None,
                "end_date": D(2024, 9, 30) if status == AssistanceStatus.COMPLETED else None,
                "outcome": outcome,
                "is_illustrative": True,
            },
            actor=None,
        )
        created += 1
    return created


def _training(countries: dict[str, Country]) -> int:
    created = 0
    for code, title, dim, hours, description in MODULES:
        module = TrainingModule.objects.filter(code=code).first()
        if module is None:
            module = services_training.do_create_module(
                {
                    "code": code,
                    "title": title,
                    "dimension": dim,
                    "duration_hours": Decimal(hours),
                    "description": description + " (Illustrative outline.)",
                    "is_illustrative": True,
                },
                actor=None,
            )
            created += 1
        for language in ("en", "fr", "ar"):
            if ModuleVersion.objects.filter(module=module, language=language).exists():
                continue
            local = VERSION_TITLES.get(language)
            services_training.do_create_version(
                {
                    "module": module,
                    "language": language,
                    "title": f"{local} {code}" if local else title,
                    "link": f"https://example.org/crisp/{code.lower()}/{language}",
                },
                actor=None,
            )
            created += 1
    trainers = [o for o in (_org("UNHCR"), _org("IOM")) if o is not None]
    for code, day, place, iso3, count, pre, post, feedback, results in DELIVERIES:
        module = TrainingModule.objects.get(code=code)
        if TrainingDelivery.objects.filter(module=module, date=day).exists():
            continue
        delivery = services_training.do_create_delivery(
            {
                "module": module,
                "date": day,
                "online": not place,
                "place": place,
                "country": countries.get(iso3),
                "participant_count": count,
                "pre_test_mean": Decimal(pre) if pre else None,
                "post_test_mean": Decimal(post) if post else None,
                "feedback_score": Decimal(feedback),
                "feedback": "Participants asked for more case studies (illustrative).",
                "is_illustrative": True,
                "trainer_organisations": trainers,
            },
            actor=None,
        )
        created += 1
        for n, (pre_score, post_score) in enumerate(results, start=1):
            services_training.do_add_result(
                delivery,
                {
                    "label": f"Participant {n}",
                    "pre_score": Decimal(pre_score),
                    "post_score": Decimal(post_score),
                },
                actor=None,
            )
            created += 1
    return created


def _grow(countries: dict[str, Country]) -> int:
    created = 0
    for name, kind, iso3, description in SUPPORTERS:
        if Supporter.objects.filter(name=name).exists():
            continue
        save_with_audit(
            Supporter(),
            {
                "name": name,
                "kind": kind,
                "country": countries.get(iso3) if iso3 else None,
                "description": description,
                "is_illustrative": True,
            },
            actor=None,
        )
        created += 1
    unhcr = _org("UNHCR")
    for supporter_name, title, amount, currency, target in GROW_COMMITMENTS:
        if Commitment.objects.filter(title=title, source=CommitmentSource.GROW).exists():
            continue
        supporter = Supporter.objects.get(name=supporter_name)
        # Written like commitments/demo.py: no actor passes the services' rights check.
        save_with_audit(
            Commitment(),
            {
                "source": CommitmentSource.GROW,
                "supporter": supporter,
                "title": title,
                "description": "Illustrative GROW commitment.",
                "target": target,
                "amount": Decimal(amount) if amount else None,
                "currency": currency,
                "is_illustrative": True,
            },
            actor=None,
            # UNHCR runs GROW and follows the commitment (and its reminders).
            m2m={"organisations": [unhcr] if unhcr else []},
        )
        created += 1
    return created


@transaction.atomic
def load_capacity_demo() -> int:
    """Create the missing demo records; return how many were created."""
    iso3s = {row[0] for row in ASSESSMENTS} | {row[0] for row in ASSISTANCE}
    iso3s |= {row[3] for row in DELIVERIES} | {"NLD", "CHE", "CAN"}
    countries = Country.objects.in_bulk(sorted(iso3s), field_name="iso3")
    return (
        _assessments(countries) + _assistance(countries) + _training(countries) + _grow(countries)
    )
