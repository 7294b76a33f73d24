"""Demo commitments and pledges, in every status, with their progress updates.

All of them are invented and marked illustrative (`is_illustrative`, and the
words "Illustrative demo" in their description): commitments made at the
consultations (in the demo's CRCP cycles), PSCG pledges for the demo priority
situations, and Global Refugee Forum pledges, by States, NGOs, a refugee-led
network and UNHCR. Dates of open commitments are counted back from today, so
that the demo always has recent, due and overdue updates.

Idempotent: a commitment is looked up by its title and an update by its
commitment and date; only what is missing is created (with its audit entry).
Organisations, forums, cycles and situations are looked up by their natural
keys in the demo data; a commitment whose organisations are absent is skipped,
and a forum, cycle or situation that is absent is left empty.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from resettle.commitments.models import (
    Commitment,
    CommitmentSource,
    CommitmentStatus,
    CommitmentUpdate,
)
from resettle.core.audit import save_with_audit
from resettle.demo import data
from resettle.directory.models import Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.needs.models import PrioritySituation

NOTE = "Illustrative demo commitment, not a real pledge."
S = CommitmentStatus
SRC = CommitmentSource

# A day is a date, or a number of days before today.
Day = datetime.date | int


@dataclass(frozen=True)
class UpdateSpec:
    """A progress update of a demo commitment."""

    day: Day
    status: str
    progress: str
    number: int | None = None


@dataclass(frozen=True)
class CommitmentSpec:
    """A demo commitment: organisations are keys of resettle.demo.data."""

    title: str
    source: str
    organisations: tuple[str, ...]
    created: Day
    description: str
    target: str = ""
    target_number: int | None = None
    target_unit: str = ""
    deadline: datetime.date | None = None
    status: str = S.PLANNING  # without updates; otherwise the last update's
    forum: str = ""  # forum acronym
    cycle: int | None = None  # start year of a CRCP cycle
    situation: str = ""  # English name of a priority situation
    grf_pledge_id: str = ""
    is_public: bool = True
    updates: tuple[UpdateSpec, ...] = field(default_factory=tuple)


SYRIA = "Syrian refugees in the region (Türkiye, Lebanon, Jordan, Iraq, Egypt)"
CENTRAL_MED = "Central Mediterranean route"
AFGHAN = "Afghan refugees in Iran and Pakistan"
ROHINGYA = "Rohingya refugees in Bangladesh and beyond"

COMMITMENTS: tuple[CommitmentSpec, ...] = (
    CommitmentSpec(
        "Extend community sponsorship to 500 places",
        SRC.CONSULTATION,
        ("bamf",),
        datetime.date(2018, 6, 27),
        "Open a community sponsorship strand alongside the federal resettlement programme.",
        "500 places through community sponsorship",
        500,
        "places",
        datetime.date(2020, 12, 31),
        forum="CRCP",
        cycle=2018,
        updates=(
            UpdateSpec(datetime.date(2019, 5, 1), S.IN_PROGRESS, "Pilot launched.", 120),
            UpdateSpec(datetime.date(2020, 11, 15), S.FULFILLED, "All places filled.", 500),
        ),
    ),
    CommitmentSpec(
        "Build a national community sponsorship network in Spain",
        SRC.CONSULTATION,
        ("accem", "es-inclusion"),
        420,
        "Bring together the regions, municipalities and civil society that host "
        "sponsored refugees, with shared training and guidance.",
        "A network active in at least 8 autonomous communities",
        8,
        "activities",
        datetime.date(2026, 12, 31),
        forum="CRCP",
        cycle=2024,
        updates=(
            UpdateSpec(300, S.PLANNING, "Partners identified in five regions.", 5),
            UpdateSpec(40, S.IN_PROGRESS, "Network launched; seven regions take part.", 7),
        ),
    ),
    CommitmentSpec(
        "Publish a refugee participation toolkit for the consultations",
        SRC.CONSULTATION,
        ("unhcr",),
        600,
        "Guidance for co-chairs on involving refugees in planning, speaking and moderating.",
        "Toolkit published in English, French and Arabic",
        forum="CRCP",
        cycle=2023,
        updates=(UpdateSpec(250, S.IN_PROGRESS, "Draft reviewed by the Refugee Advisory Group."),),
    ),
    CommitmentSpec(
        "Review the selection mission schedule with UNHCR",
        SRC.CONSULTATION,
        ("bamf",),
        200,
        "Internal review of the timing of selection missions (not public).",
        forum="CRCP",
        cycle=2024,
        is_public=False,
        updates=(UpdateSpec(60, S.IN_PROGRESS, "First joint review meeting held."),),
    ),
    CommitmentSpec(
        "200 resettlement places for Syrian refugees in the region",
        SRC.PSCG,
        ("bamf",),
        500,
        "Places earmarked for Syrian refugees in Lebanon and Jordan.",
        "200 places",
        200,
        "places",
        datetime.date(2026, 6, 30),
        forum="PSCG",
        situation=SYRIA,
        updates=(
            UpdateSpec(330, S.IN_PROGRESS, "Selection mission to Lebanon completed.", 80),
            UpdateSpec(150, S.IN_PROGRESS, "Second mission; departures under way.", 140),
        ),
    ),
    CommitmentSpec(
        "Emergency places for refugees evacuated from Libya",
        SRC.PSCG,
        ("ircc",),
        300,
        "Emergency resettlement places for refugees evacuated through the transit mechanism.",
        "100 emergency places",
        100,
        "places",
        datetime.date(2026, 12, 31),
        forum="PSCG",
        situation=CENTRAL_MED,
    ),
    CommitmentSpec(
        "Resettlement of Afghan refugees from Pakistan",
        SRC.PSCG,
        ("sem",),
        datetime.date(2022, 3, 1),
        "Places for Afghan refugees identified by UNHCR in Pakistan.",
        "300 places",
        300,
        "places",
        datetime.date(2023, 12, 31),
        forum="PSCG",
        situation=AFGHAN,
        updates=(
            UpdateSpec(datetime.date(2022, 10, 1), S.IN_PROGRESS, "150 departures.", 150),
            UpdateSpec(datetime.date(2023, 12, 20), S.FULFILLED, "All 300 departed.", 300),
        ),
    ),
    CommitmentSpec(
        "Train 300 volunteers to welcome resettled refugees",
        SRC.GRF,
        ("accem",),
        380,
        "Training for volunteers of local reception groups.",
        "300 volunteers trained",
        300,
        "persons",
        datetime.date(2027, 6, 30),
        grf_pledge_id="GRF-DEMO-0001",
        updates=(UpdateSpec(100, S.IN_PROGRESS, "Four training rounds held.", 120),),
    ),
    CommitmentSpec(
        "Refugee representatives in every consultation planning committee",
        SRC.GRF,
        ("nrv",),
        30,
        "Propose and support refugee members for the planning committees.",
        "Refugee members in the planning committee of each consultation",
        grf_pledge_id="GRF-DEMO-0002",
    ),
    CommitmentSpec(
        "Online matching platform for sponsors and refugees",
        SRC.GRF,
        ("caritas-de",),
        datetime.date(2019, 12, 17),
        "A platform to match sponsor groups with refugee families.",
        grf_pledge_id="GRF-DEMO-0003",
        updates=(
            UpdateSpec(
                datetime.date(2021, 2, 1),
                S.WITHDRAWN,
                "Withdrawn: the federal programme now matches sponsors itself.",
            ),
        ),
    ),
    CommitmentSpec(
        "Advocacy for resettlement places for Rohingya refugees",
        SRC.PSCG,
        ("unhcr",),
        90,
        "Joint advocacy with the core group for places for Rohingya refugees.",
        forum="PSCG",
        situation=ROHINGYA,
    ),
)


def _org_specs() -> dict[str, data.OrgSpec]:
    specs: dict[str, data.OrgSpec] = {o.key: o for o in data.INTERNATIONAL}
    for state in data.STATES:
        specs[state.government.key] = state.government
        specs.update({ngo.key: ngo for ngo in state.ngos})
    return specs


def _organisation(spec: data.OrgSpec) -> Organisation | None:
    qs = Organisation.objects.filter(name=spec.name)
    if spec.country:
        return qs.filter(country__iso3=spec.country).first()
    return qs.filter(country__isnull=True).first()


def _date(day: Day, today: datetime.date) -> datetime.date:
    return day if isinstance(day, datetime.date) else today - datetime.timedelta(days=day)


def _moment(day: Day, today: datetime.date) -> datetime.datetime:
    noon = datetime.datetime.combine(_date(day, today), datetime.time(12))
    return timezone.make_aware(noon)


def _commitment(spec: CommitmentSpec, today: datetime.date) -> tuple[Commitment | None, int]:
    found = Commitment.objects.filter(title=spec.title).first()
    if found is not None:
        return found, 0
    org_specs = _org_specs()
    orgs = [_organisation(org_specs[key]) for key in spec.organisations]
    if any(o is None for o in orgs):
        return None, 0  # the base demo is not loaded: nothing to attach it to
    forum = Forum.objects.filter(acronym=spec.forum).first() if spec.forum else None
    cycle = None
    if spec.cycle is not None:
        cycle = ConsultationCycle.objects.filter(
            forum__acronym="CRCP", start_year=spec.cycle
        ).first()
        forum = cycle.forum if cycle is not None else forum
    situation = (
        PrioritySituation.objects.filter(name=spec.situation).first() if spec.situation else None
    )
    last = spec.updates[-1] if spec.updates else None
    fields = {
        "source": spec.source,
        "title": spec.title,
        "description": f"{spec.description}\n\n{NOTE}",
        "target": spec.target,
        "target_number": spec.target_number,
        "target_unit": spec.target_unit,
        "deadline": spec.deadline,
        "status": last.status if last is not None else spec.status,
        "forum": forum,
        "cycle": cycle,
        "situation": situation,
        "grf_pledge_id": spec.grf_pledge_id,
        "is_public": spec.is_public,
        "is_illustrative": True,
        "created_at": _moment(spec.created, today),
        "last_update_at": _moment(last.day, today) if last is not None else None,
    }
    created = save_with_audit(Commitment(), fields, actor=None, m2m={"organisations": orgs})
    return created, 1


@transaction.atomic
def load_commitments_demo() -> int:
    """Create the demo commitments and updates that are missing; how many records."""
    today = timezone.localdate()
    count = 0
    for spec in COMMITMENTS:
        commitment, made = _commitment(spec, today)
        count += made
        if commitment is None:
            continue
        for update in spec.updates:
            day = _date(update.day, today)
            if commitment.updates.filter(date=day).exists():
                continue
            save_with_audit(
                CommitmentUpdate(),
                {
                    "commitment": commitment,
                    "date": day,
                    "status": update.status,
                    "progress": f"{update.progress} (Illustrative.)",
                    "progress_number": update.number,
                    "created_at": _moment(update.day, today),
                },
                actor=None,
            )
            count += 1
    return count
