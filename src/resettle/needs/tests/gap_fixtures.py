"""A small, hand-checked world of needs, pledges and flows for the gap's tests.

Built with the ORM (versions marked done, figures bulk-created), the way the
import pipeline leaves them. The figures and what they add up to:

needs, series "pgrn" (public)
  v1 (2024-01-10): 2024  SYR in LBN 800 normal + 200 urgent; AFG in IRN 3000;
                         AFG in PAK 500 emergency; ROHINGYA in BGD 1200 + 300 urgent
  v2 (2024-06-10): the same, but SYR in LBN normal 900, and SDN in TCD 700 added;
                   2025  SYR in LBN 1200
  current 2024: need 6800 (SYR 1100, AFG 3500, ROHINGYA 1500, SDN 700),
                urgent 1000 (200 + 500 + 300)

pledges, series "pledges" (public), v1 (2024-02-01)
  DEU 2024: 1000 places, 100 emergency/urgent, 50 unallocated;
            earmarks nationality SYR 400, asylum LBN 300, region MENA 500
  CAN 2024-2025: 3001 places, 301 emergency/urgent (multi-year: 1501 + 1500, 151 + 150)
  2024: pledged 2501, emergency/urgent 251

flows, series "flows" (public), v1 (2024-03-01)
  2023  SYR LBN->DEU  submitted 300, departed 250, within 6 months 60
  2024  SYR LBN->DEU  submitted 500, departed 300, within 6 months 100
        AFG PAK->CAN  submitted 400, departed 200, within 6 months not reported
        ROHINGYA BGD->CAN submitted 100, departed 50, within 6 months 20
  2024: submitted 1000 (600 with timing), departed 550, within 6 months 120

flows, series "private-flows" (signed-in users only), v1 (2024-04-01)
  2024  AFG IRN->DEU departed 10000
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.core.cache import caches
from django.utils import timezone

from resettle.directory.models import Country
from resettle.needs.models import (
    DatasetVersion,
    FlowFigure,
    NeedFigure,
    PathwayPlaces,
    Pledge,
    PledgeBreakdown,
    Population,
)


def _when(month: int, day: int = 1) -> datetime.datetime:
    return datetime.datetime(2024, month, day, 12, tzinfo=datetime.UTC)


def version(
    kind: str, series: str, number: int, created: datetime.datetime, **extra: Any
) -> DatasetVersion:
    """A dataset version, completed unless `status` says otherwise."""
    fields: dict[str, Any] = {
        "source": f"{series} source",
        "checksum": f"{series}-{number}",
        "status": "done",
        **extra,
    }
    return DatasetVersion.objects.create(
        kind=kind, series=series, number=number, created_at=created, **fields
    )


def make_gap_world() -> SimpleNamespace:
    """The world of the module docstring; returns its versions, countries and populations.

    The gap's cache is emptied first: test databases roll back and reuse primary keys.
    """
    for each in caches.all():  # the shared cache and the per-process one
        each.clear()
    c = Country.objects.in_bulk(
        ["SYR", "LBN", "AFG", "IRN", "PAK", "BGD", "SDN", "TCD", "DEU", "CAN"], field_name="iso3"
    )
    p = Population.objects.in_bulk(["SYR", "AFG", "ROHINGYA", "SDN"], field_name="code")

    pgrn1 = version("needs", "pgrn", 1, _when(1, 10), source="UNHCR PGRN 2024")
    pgrn2 = version("needs", "pgrn", 2, _when(6, 10), source="UNHCR PGRN 2024, corrected")
    base = [
        ("SYR", "LBN", "", 800),
        ("SYR", "LBN", "urgent", 200),
        ("AFG", "IRN", "", 3000),
        ("AFG", "PAK", "emergency", 500),
        ("ROHINGYA", "BGD", "", 1200),
        ("ROHINGYA", "BGD", "urgent", 300),
    ]
    NeedFigure.objects.bulk_create(
        NeedFigure(
            version=pgrn1, year=2024, population=p[pop], asylum=c[asy], priority=pr, persons=n
        )
        for pop, asy, pr, n in base
    )
    second = [(pop, asy, pr, 900 if (pop, pr) == ("SYR", "") else n) for pop, asy, pr, n in base]
    second.append(("SDN", "TCD", "", 700))
    NeedFigure.objects.bulk_create(
        [
            NeedFigure(
                version=pgrn2, year=2024, population=p[pop], asylum=c[asy], priority=pr, persons=n
            )
            for pop, asy, pr, n in second
        ]
        + [NeedFigure(version=pgrn2, year=2025, population=p["SYR"], asylum=c["LBN"], persons=1200)]
    )

    pledges = version("pledges", "pledges", 1, _when(2))
    deu = Pledge.objects.create(
        version=pledges,
        state=c["DEU"],
        year=2024,
        persons=1000,
        emergency_urgent_places=100,
        unallocated_places=50,
        modality="interview",
    )
    PledgeBreakdown.objects.bulk_create(
        [
            PledgeBreakdown(pledge=deu, kind="nationality", value="SYR", persons=400),
            PledgeBreakdown(pledge=deu, kind="asylum", value="LBN", persons=300),
            PledgeBreakdown(
                pledge=deu, kind="region", value="Middle East and North Africa", persons=500
            ),
        ]
    )
    PathwayPlaces.objects.create(pledge=deu, pathway="sponsorship", persons=200)
    can = Pledge.objects.create(
        version=pledges,
        state=c["CAN"],
        year=2024,
        end_year=2025,
        persons=3001,
        emergency_urgent_places=301,
        modality="dossier",
    )

    flows = version("flows", "flows", 1, _when(3))
    rows = [
        (2023, "SYR", "LBN", "DEU", 300, 250, 60),
        (2024, "SYR", "LBN", "DEU", 500, 300, 100),
        (2024, "AFG", "PAK", "CAN", 400, 200, None),
        (2024, "ROHINGYA", "BGD", "CAN", 100, 50, 20),
    ]
    FlowFigure.objects.bulk_create(
        FlowFigure(
            version=flows,
            year=y,
            origin=p[o],
            asylum=c[a],
            resettlement_state=c[s],
            submitted=sub,
            departed=dep,
            departed_within_6_months=d6,
        )
        for y, o, a, s, sub, dep, d6 in rows
    )
    private = version("flows", "private-flows", 1, _when(4), is_public=False)
    FlowFigure.objects.create(
        version=private,
        year=2024,
        origin=p["AFG"],
        asylum=c["IRN"],
        resettlement_state=c["DEU"],
        departed=10000,
    )
    return SimpleNamespace(
        pgrn1=pgrn1,
        pgrn2=pgrn2,
        pledges=pledges,
        flows=flows,
        private=private,
        deu_pledge=deu,
        can_pledge=can,
        countries=c,
        populations=p,
        now=timezone.now(),
    )


# ---- a second pledges series (see test_pledge_precedence for the figures) ----


def _pledge(
    v: DatasetVersion,
    state: Country,
    year: int,
    persons: int,
    *,
    end_year: int | None = None,
    eu: int = 0,
    earmarks: tuple[tuple[str, str, int], ...] = (),
) -> Pledge:
    pledge = Pledge.objects.create(
        version=v,
        state=state,
        year=year,
        end_year=end_year,
        persons=persons,
        emergency_urgent_places=eu,
    )
    PledgeBreakdown.objects.bulk_create(
        PledgeBreakdown(pledge=pledge, kind=kind, value=value, persons=n)
        for kind, value, n in earmarks
    )
    return pledge


def add_state_pledges_series(w: SimpleNamespace) -> DatasetVersion:
    """Germany's own recorded series, "pledges-DEU" v1 (see test_pledge_precedence)."""
    c = w.countries
    deu = version("pledges", "pledges-DEU", 1, _when(5))
    _pledge(
        deu,
        c["DEU"],
        2024,
        1201,
        end_year=2025,
        eu=121,
        earmarks=(("nationality", "SYR", 201),),
    )
    _pledge(deu, c["DEU"], 2024, 100, eu=10, earmarks=(("nationality", "AFG", 40),))
    return deu


def add_newer_pledges_import(w: SimpleNamespace) -> DatasetVersion:
    """The "pledges" series v2, imported after Germany's (see test_pledge_precedence)."""
    c = w.countries
    v2 = version("pledges", "pledges", 2, _when(7))
    _pledge(v2, c["DEU"], 2024, 1500, eu=150, earmarks=(("nationality", "SYR", 300),))
    _pledge(v2, c["CAN"], 2024, 4001, end_year=2025)
    return v2
