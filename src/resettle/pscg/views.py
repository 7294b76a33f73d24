"""Pages of the priority situations: the list, a situation's page (hosts, populations,
needs, objective 1) and a host country's page (objective 3)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from resettle.core.access import as_user
from resettle.directory.models import Country
from resettle.needs import charts
from resettle.needs.gap_queries import Cut
from resettle.needs.models import PrioritySituation, SituationArea
from resettle.needs.views import fmt_int, fmt_pct, row_display
from resettle.pscg import figures, services
from resettle.pscg.access import can_edit_pscg
from resettle.pscg.models import (
    INDICATORS,
    SOLUTIONS,
    HostCountryUpdate,
    PracticeExchange,
    SituationTarget,
    field_label,
)

TARGET_COLOUR = charts.NAVY


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    try:
        year = int(value)
    except ValueError:
        return None
    return year if 1950 <= year <= 2100 else None


def _rtl() -> bool:
    return bool(translation.get_language_bidi())


def gap_links(situation: PrioritySituation, year: int) -> dict[str, str]:
    """The gap page on the situation cut for the year, and the situation's trends."""
    return {
        "gap": reverse("needs:gap") + "?" + urlencode({"cut": Cut.SITUATION, "year": year}),
        "trends": reverse("needs:gap_trends")
        + "?"
        + urlencode({"cut": Cut.SITUATION, "key": situation.name}),
    }


def objective1_chart(situation: PrioritySituation, result: figures.Objective1) -> SafeString:
    """Target and pledged places by year, as grouped bars (the table beside gives the figures)."""
    svg = charts.grouped_bars(
        title=_("Places pledged against the target by year: %(situation)s")
        % {"situation": situation.display_name},
        desc=_(
            "Bar chart of the target of places and the places pledges earmark for the "
            "situation, by year; the table below gives the figures."
        ),
        categories=[str(y.year) for y in result.years],
        series=[
            (_("Target"), TARGET_COLOUR, [y.target or 0 for y in result.years]),
            (
                _("Places pledged"),
                charts.MEASURE_COLOURS["pledged"],
                [y.pledged for y in result.years],
            ),
        ],
        chart_id=f"pscg-objective1-{situation.pk}",
        rtl=_rtl(),
        fmt=fmt_int,
    )
    return mark_safe(svg)  # noqa: S308 - charts escape every text they write


def _year_rows(result: figures.Objective1) -> list[dict[str, Any]]:
    return [
        {
            "year": y.year,
            "target": fmt_int(y.target),
            "pledged": fmt_int(y.pledged),
            "progress": fmt_pct(y.progress),
            "remaining": fmt_int(y.remaining),
            "percent": y.percent,
        }
        for y in result.years
    ]


def _state_rows(result: figures.Objective1) -> list[dict[str, Any]]:
    years = result.year_list
    return [
        {
            "state": country,
            "cells": [fmt_int(per_year.get(y, 0)) if per_year.get(y) else "—" for y in years],
            "total": fmt_int(sum(per_year.values())),
        }
        for country, per_year in result.states
    ]


def _populations(situation: PrioritySituation) -> list[dict[str, Any]]:
    areas = SituationArea.objects.filter(situation=situation).select_related("population", "asylum")
    return [
        {
            "population": a.population.name if a.population else _("Any population"),
            "asylum": a.asylum,
        }
        for a in areas
    ]


def situation_list(request: HttpRequest) -> HttpResponse:
    """The priority situations, each with its hosts and this year's target and places."""
    user = as_user(request.user)
    this_year = timezone.localdate().year
    rows = []
    for situation in PrioritySituation.objects.visible_to(user).prefetch_related(
        "areas__asylum", "areas__population"
    ):
        hosts = sorted(
            {a.asylum for a in situation.areas.all() if a.asylum is not None},
            key=lambda c: c.name,
        )
        result = figures.objective1_for_user(situation, user)
        current = result.for_year(this_year)
        rows.append(
            {
                "situation": situation,
                "hosts": hosts,
                "populations": sorted(
                    {a.population.name for a in situation.areas.all() if a.population}
                ),
                "year": current,
                "target": fmt_int(current.target),
                "pledged": fmt_int(current.pledged),
                "progress": fmt_pct(current.progress),
            }
        )
    return render(
        request,
        "pscg/situation_list.html",
        {"rows": rows, "this_year": this_year, "can_edit": can_edit_pscg(user)},
    )


def situation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A situation: hosts and populations, needs for a year, objective 1, practices, updates."""
    user = as_user(request.user)
    situation = services.get_situation_for_user(pk, user)
    needs = figures.situation_needs(situation, user, _year(request))
    result = figures.objective1_for_user(situation, user)
    hosts, anywhere = services.host_countries(situation)
    updates = HostCountryUpdate.objects.visible_to(user).filter(situation=situation)
    latest: dict[int, HostCountryUpdate] = {}
    for update in updates.select_related("host_country"):
        latest.setdefault(update.host_country_id, update)  # newest first
    host_rows = [{"country": c, "latest": latest.get(c.pk)} for c in hosts]
    # Countries with updates that are not named hosts (a situation covering any country).
    host_rows += [
        {"country": u.host_country, "latest": u}
        for cid, u in latest.items()
        if cid not in {c.pk for c in hosts}
    ]
    year_rows = _year_rows(result)
    return render(
        request,
        "pscg/situation_detail.html",
        {
            "object": situation,
            "populations": _populations(situation),
            "host_rows": host_rows,
            "anywhere": anywhere,
            "needs": needs,
            "needs_row": row_display(needs.row) if needs.row else None,
            "links": gap_links(situation, needs.year),
            "year_rows": year_rows,
            "focus": next((r for r in year_rows if r["year"] == needs.year), None),
            "state_rows": _state_rows(result),
            "state_years": result.year_list,
            "chart": objective1_chart(situation, result) if result.years else "",
            "targets": SituationTarget.objects.filter(situation=situation).order_by("year"),
            "practices": PracticeExchange.objects.visible_to(user)
            .filter(situation=situation)
            .order_by("-date")[:10],
            "can_edit": can_edit_pscg(user),
        },
    )


def _indicator_rows(update: HostCountryUpdate | None) -> list[dict[str, Any]]:
    if update is None:
        return []
    rows = []
    for name in INDICATORS:
        rows.append({"label": field_label(name), "value": getattr(update, name)})
    return rows


def _solution_rows(update: HostCountryUpdate | None) -> list[dict[str, Any]]:
    if update is None:
        return []
    rows = []
    for opened, persons in SOLUTIONS:
        rows.append(
            {
                "label": field_label(opened),
                "opened": getattr(update, opened),
                "persons": fmt_int(getattr(update, persons)),
            }
        )
    return rows


def host_country(request: HttpRequest, pk: int, iso3: str) -> HttpResponse:
    """A host country of a situation: the latest indicators and every narrative update."""
    user = as_user(request.user)
    situation = services.get_situation_for_user(pk, user)
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise Http404("country")
    hosts, anywhere = services.host_countries(situation)
    updates = list(
        HostCountryUpdate.objects.visible_to(user)
        .filter(situation=situation, host_country=country)
        .select_related("author")
    )
    if country not in hosts and not anywhere and not updates:
        raise Http404("host country")
    latest = updates[0] if updates else None
    history = [{"update": u, "ratings": [getattr(u, name) for name in INDICATORS]} for u in updates]
    return render(
        request,
        "pscg/host_country.html",
        {
            "situation": situation,
            "country": country,
            "latest": latest,
            "indicators": _indicator_rows(latest),
            "solutions": _solution_rows(latest),
            "indicator_labels": [field_label(n) for n in INDICATORS],
            "history": history,
            "can_edit": can_edit_pscg(user),
        },
    )
