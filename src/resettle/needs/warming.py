"""Warming the gap after an import, so that no visitor waits for the first roll-up.

Rolling a year up is the slow part of a gap request at production scale (about
a second at two million flow rows, measured by `resettle bench gap`). The
roll-ups are cached in the shared database cache (settings.CACHES), keyed by
the versions they come from, so a worker can compute them once after an import
and every web process on every machine then finds them ready.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django_tasks import task

from resettle.needs import gap_queries
from resettle.needs.models import DatasetVersion, FlowFigure, NeedFigure, Pledge


def _years(version: DatasetVersion) -> set[int]:
    tables: list[QuerySet[NeedFigure] | QuerySet[FlowFigure]] = [
        NeedFigure.objects.filter(version=version),
        FlowFigure.objects.filter(version=version),
    ]
    years: set[int] = set()
    for qs in tables:
        years.update(qs.order_by().values_list("year", flat=True).distinct())
    # A multi-year pledge counts in every year it covers, not only its first.
    spans = Pledge.objects.filter(version=version).order_by().values_list("year", "end_year")
    for first, last in spans.distinct():
        years.update(range(first, (last or first) + 1))
    return years


def warm_gap(version_id: int) -> int:
    """Compute and cache the public gap roll-ups of every year the version covers."""
    version = DatasetVersion.objects.filter(pk=version_id).first()
    if version is None or not version.is_public:
        return 0
    sources = gap_queries.sources_for(None)
    lookups = gap_queries.Lookups.load()
    years = sorted(_years(version))
    for year in years:
        gap_queries.rolled_up(sources, year, lookups)
        gap_queries.roadmap_progress(sources, year)
    return len(years)


@task()
def warm_gap_task(*, version_id: int) -> int:
    """Background: warm the gap after an import (the worker runs it)."""
    return warm_gap(version_id)
