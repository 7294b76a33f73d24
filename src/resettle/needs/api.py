"""Read-only API of needs, pledges, flows, their dataset versions and the gap.

Anonymous visitors read the figures of public versions; signed-in users (session
or bearer token) those of every version. Figure lists default to the current
version of each series of their kind; `version` picks one version instead (404
if it is not the caller's to see, or of another kind).
"""

import datetime
from typing import Annotated, Any

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from resettle.core.api_support import READ_AUTH, BoundedPagination, api_user
from resettle.needs import gap
from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut
from resettle.needs.models import (
    DatasetKind,
    DatasetVersion,
    FlowFigure,
    NeedFigure,
    Pledge,
    Priority,
    SubmissionCategory,
    VersionStatus,
)

router = Router(tags=["needs"])


# ---- dataset versions -------------------------------------------------------------


class DatasetVersionOut(Schema):
    """One import of a dataset series."""

    id: int
    kind: str
    series: str
    number: int
    source: str
    file_name: str
    row_count: int
    status: str
    is_public: bool
    is_illustrative: bool
    note: str
    created_at: datetime.datetime


class DatasetVersionFilter(FilterSchema):
    """Filters of the version list."""

    kind: DatasetKind | None = None
    series: str | None = None
    status: VersionStatus | None = None


@router.get("/dataset-versions", response=list[DatasetVersionOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_versions(
    request: HttpRequest, filters: Query[DatasetVersionFilter], current: bool = False
) -> models.QuerySet[DatasetVersion]:
    """Dataset versions, newest first; `current=true` keeps the latest completed one per series."""
    qs = q.visible_versions(api_user(request))
    if current:
        qs = qs.current()
    return filters.filter(qs).order_by("-created_at", "-pk")


@router.get("/dataset-versions/{int:pk}", response=DatasetVersionOut, auth=READ_AUTH)
def get_version(request: HttpRequest, pk: int) -> DatasetVersion:
    """One dataset version (failed and running imports included)."""
    return q.get_version_for_user(pk, api_user(request), done=False)


def _version_ids(request: HttpRequest, kind: str, version: int | None) -> list[int]:
    user = api_user(request)
    if version is not None:
        found = q.get_version_for_user(version, user)
        if found.kind != kind:
            raise Http404("dataset version")
        return [found.pk]
    return q.sources_for(user).ids(kind)


# ---- needs ----------------------------------------------------------------------------


class NeedOut(Schema):
    """Persons of a population in need of resettlement in a country of asylum (PGRN)."""

    id: int
    version_id: int
    year: int
    population: str = Field(..., alias="population.code")
    asylum: str | None = Field(None, alias="asylum.iso3")
    category: str
    priority: str
    persons: int


class NeedFilter(FilterSchema):
    """Filters of the needs list."""

    year: int | None = None
    population: Annotated[str | None, FilterLookup("population__code__iexact")] = None
    asylum: Annotated[str | None, FilterLookup("asylum__iso3__iexact")] = None
    category: SubmissionCategory | None = None
    priority: Priority | None = None


@router.get("/needs", response=list[NeedOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_needs(
    request: HttpRequest, filters: Query[NeedFilter], version: int | None = None
) -> models.QuerySet[NeedFigure]:
    """Projected resettlement needs of the current versions (or of `version`)."""
    ids = _version_ids(request, DatasetKind.NEEDS, version)
    qs = NeedFigure.objects.filter(version_id__in=ids).select_related("population", "asylum")
    return filters.filter(qs).order_by("pk")


# ---- pledges ----------------------------------------------------------------------------


class BreakdownOut(Schema):
    kind: str
    value: str
    persons: int


class PathwayOut(Schema):
    pathway: str
    persons: int


class PledgeOut(Schema):
    """A State's quota for a year or several, with its earmarks and pathway places."""

    id: int
    version_id: int
    state: str = Field(..., alias="state.iso3")
    year: int
    end_year: int | None
    persons: int
    emergency_urgent_places: int
    unallocated_places: int
    modality: str
    status: str
    is_illustrative: bool
    breakdowns: list[BreakdownOut]
    pathways: list[PathwayOut]

    @staticmethod
    def resolve_breakdowns(obj: Pledge) -> list[dict[str, Any]]:
        return [
            {"kind": b.kind, "value": b.value, "persons": b.persons} for b in obj.breakdowns.all()
        ]

    @staticmethod
    def resolve_pathways(obj: Pledge) -> list[dict[str, Any]]:
        return [{"pathway": p.pathway, "persons": p.persons} for p in obj.pathways.all()]


class PledgeFilter(FilterSchema):
    """Filters of the pledge list (`year` matches every year of a multi-year pledge)."""

    state: Annotated[str | None, FilterLookup("state__iso3__iexact")] = None


@router.get("/pledges", response=list[PledgeOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_pledges(
    request: HttpRequest,
    filters: Query[PledgeFilter],
    version: int | None = None,
    year: int | None = None,
) -> models.QuerySet[Pledge]:
    """Pledges of the current versions (or of `version`)."""
    ids = _version_ids(request, DatasetKind.PLEDGES, version)
    qs = (
        Pledge.objects.filter(version_id__in=ids)
        .select_related("state")
        .prefetch_related("breakdowns", "pathways")
    )
    if year is not None:
        qs = qs.filter(q.covering(year))
    return filters.filter(qs).order_by("pk")


# ---- flows --------------------------------------------------------------------------------


class FlowOut(Schema):
    """Persons submitted and departed, by year, origin, asylum and resettlement State."""

    id: int
    version_id: int
    year: int
    origin: str = Field(..., alias="origin.code")
    asylum: str | None = Field(None, alias="asylum.iso3")
    resettlement_state: str = Field(..., alias="resettlement_state.iso3")
    category: str
    priority: str
    submitted: int | None
    departed: int | None
    departed_within_6_months: int | None


class FlowFilter(FilterSchema):
    """Filters of the flows list."""

    year: int | None = None
    origin: Annotated[str | None, FilterLookup("origin__code__iexact")] = None
    asylum: Annotated[str | None, FilterLookup("asylum__iso3__iexact")] = None
    resettlement_state: Annotated[str | None, FilterLookup("resettlement_state__iso3__iexact")] = (
        None
    )
    category: SubmissionCategory | None = None
    priority: Priority | None = None


@router.get("/flows", response=list[FlowOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_flows(
    request: HttpRequest, filters: Query[FlowFilter], version: int | None = None
) -> models.QuerySet[FlowFigure]:
    """Submissions and departures of the current versions (or of `version`)."""
    ids = _version_ids(request, DatasetKind.FLOWS, version)
    qs = FlowFigure.objects.filter(version_id__in=ids).select_related(
        "origin", "asylum", "resettlement_state"
    )
    return filters.filter(qs).order_by("pk")


# ---- the gap --------------------------------------------------------------------------------


class FiguresOut(Schema):
    """Aggregates for a key and year (persons)."""

    need: int
    need_urgent: int
    pledged: int
    pledged_emergency_urgent: int
    pledged_unallocated: int
    submitted: int
    submitted_timed: int
    departed: int
    departed_within_6_months: int
    unmet_need: int
    places_gap: int


class RatiosOut(Schema):
    """Ratios between the figures (null when the denominator is 0)."""

    pledged_need: float | None
    submitted_need: float | None
    departed_need: float | None
    departed_pledged: float | None
    departed_submitted: float | None
    urgent_share: float | None


class GapRowOut(Schema):
    key: str
    label: str
    figures: FiguresOut
    ratios: RatiosOut


class IndicatorOut(Schema):
    """A Global Compact indicator: numerator / denominator against a target share."""

    code: str
    numerator: int
    denominator: int
    target: float
    value: float | None
    met: bool | None


class RoadmapOut(Schema):
    """Roadmap 2030: departures and pledges from 2019 against one million."""

    year: int
    departed: int
    pledged: int
    target: int
    first_year: int
    last_year: int
    departed_share: float
    pledged_share: float
    expected_share: float
    on_track: bool
    needed_per_year: int | None


class VersionRef(Schema):
    id: int
    kind: str
    series: str
    number: int
    source: str
    is_illustrative: bool


class GapOut(Schema):
    """The gap for a year and cut."""

    year: int
    cut: str
    years: list[int]
    as_of: int | None
    sources: list[VersionRef]
    total: FiguresOut
    ratios: RatiosOut
    indicators: list[IndicatorOut]
    roadmap: RoadmapOut
    rows: list[GapRowOut]
    most_unmet: list[GapRowOut]
    most_urgent: list[GapRowOut]


class TrendPointOut(Schema):
    year: int
    figures: FiguresOut
    ratios: RatiosOut


class TrendOut(Schema):
    """Figures per year for the world or one key of a cut."""

    cut: str
    key: str
    as_of: int | None
    sources: list[VersionRef]
    points: list[TrendPointOut]


def _figures(f: gap.Figures) -> dict[str, int]:
    out = {name: getattr(f, name) for name in gap.Figures.__dataclass_fields__}
    out.update(unmet_need=f.unmet_need, places_gap=f.places_gap)
    return out


def _ratios(r: gap.Ratios) -> dict[str, float | None]:
    return {name: getattr(r, name) for name in gap.Ratios.__dataclass_fields__}


def _row(row: gap.GapRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "figures": _figures(row.figures),
        "ratios": _ratios(row.ratios),
    }


def _sources(request: HttpRequest, version: int | None, series: dict[str, str]) -> q.Sources:
    user = api_user(request)
    as_of = q.get_version_for_user(version, user) if version is not None else None
    return q.sources_for(user, as_of=as_of, series=series)


def _refs(sources: q.Sources) -> list[dict[str, Any]]:
    return [
        {
            "id": v.pk,
            "kind": v.kind,
            "series": v.series,
            "number": v.number,
            "source": v.source,
            "is_illustrative": v.is_illustrative,
        }
        for v in sources.versions
    ]


class GapQuery(Schema):
    """Which figures: the year (default: this year or the latest with data), the cut,
    the version to show them as of, one series per kind."""

    year: int | None = None
    cut: Cut = Cut.GLOBAL
    version: int | None = None
    needs_series: str = ""
    pledges_series: str = ""
    flows_series: str = ""


class TrendQuery(Schema):
    """Which trend: the cut and key (a region's name, an ISO alpha-3 code, a population
    code, a priority situation's name), the version to show it as of, one series per kind."""

    cut: Cut = Cut.GLOBAL
    key: str = ""
    version: int | None = None
    needs_series: str = ""
    pledges_series: str = ""
    flows_series: str = ""


def _series(params: GapQuery | TrendQuery) -> dict[str, str]:
    return {
        "needs": params.needs_series,
        "pledges": params.pledges_series,
        "flows": params.flows_series,
    }


@router.get("/gap", response=GapOut, auth=READ_AUTH)
def get_gap(request: HttpRequest, params: Query[GapQuery]) -> dict[str, Any]:
    """Needs, pledges, submissions and departures for a year and cut, with ratios,
    Global Compact indicators, Roadmap 2030 progress and the most under-covered
    populations. `version` shows the figures as of that version; `*_series` keeps
    one series of a kind."""
    version, cut, year = params.version, params.cut, params.year
    series = _series(params)
    sources = _sources(request, version, series)
    years = q.available_years(sources)
    if year is None:
        year = q.default_year(years, timezone.localdate().year)
    view = q.gap_view(sources, year, cut)
    rm = view.roadmap
    return {
        "year": year,
        "cut": str(cut),
        "years": years,
        "as_of": version,
        "sources": _refs(sources),
        "total": _figures(view.total),
        "ratios": _ratios(view.total.ratios),
        "indicators": [
            {
                "code": i.code,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "target": i.target,
                "value": i.value,
                "met": i.met,
            }
            for i in view.indicators
        ],
        "roadmap": {
            "year": rm.year,
            "departed": rm.departed,
            "pledged": rm.pledged,
            "target": rm.target,
            "first_year": rm.first_year,
            "last_year": rm.last_year,
            "departed_share": rm.departed_share,
            "pledged_share": rm.pledged_share,
            "expected_share": rm.expected_share,
            "on_track": rm.on_track,
            "needed_per_year": rm.needed_per_year,
        },
        "rows": [_row(r) for r in view.rows],
        "most_unmet": [_row(r) for r in view.most_unmet],
        "most_urgent": [_row(r) for r in view.most_urgent],
    }


@router.get("/gap/trends", response=TrendOut, auth=READ_AUTH)
def get_gap_trends(request: HttpRequest, params: Query[TrendQuery]) -> dict[str, Any]:
    """Figures per year, for the world (cut=global) or one key of a cut."""
    version, cut, key = params.version, params.cut, params.key
    series = _series(params)
    sources = _sources(request, version, series)
    points = q.trend_for(sources, cut, key)
    return {
        "cut": str(cut),
        "key": key,
        "as_of": version,
        "sources": _refs(sources),
        "points": [
            {"year": p.year, "figures": _figures(p.figures), "ratios": _ratios(p.ratios)}
            for p in points
        ],
    }
