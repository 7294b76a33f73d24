"""Pages of the gap: the gap for a year and cut, trends, dataset versions, comparisons, exports.

Every page works without JavaScript (GET forms, server-rendered SVG charts with
data tables); with htmx, changing a filter of the gap page swaps the page's
main panel in place. The figures come from gap_queries (database) and gap
(pure computation); the pages only arrange and format them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import numberformat, timezone, translation
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.core.access import as_user
from resettle.core.tables import Column
from resettle.core.views_generic import ObjectDetailView, ObjectListView
from resettle.needs import charts, exports, gap
from resettle.needs import gap_queries as q
from resettle.needs.gap_queries import Cut, Sources
from resettle.needs.models import DatasetKind, DatasetVersion, VersionStatus

TOP_BARS = 8
TOP_STATES = 15
COMPARE_LIMIT = 200


# ---- formatting ------------------------------------------------------------------------


def _number(value: float, digits: int = 0) -> str:
    """A number with the active language's separators, grouped by thousands even where
    the locale's own grouping is off (Arabic)."""
    return numberformat.format(
        value,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=digits,
        grouping=get_format("NUMBER_GROUPING") or 3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )


def fmt_int(value: int | None) -> str:
    """A whole number with the active language's grouping; a dash for None."""
    if value is None:
        return "—"
    return _number(value)


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A share as a percentage (0.1234 -> 12.3%); a dash without data."""
    if value is None:
        return "—"
    return _("%(number)s%%") % {"number": _number(round(value * 100, digits), digits)}


def fmt_signed(value: int) -> str:
    return ("+" if value > 0 else "") + fmt_int(value)


def _rtl() -> bool:
    return bool(translation.get_language_bidi())


def measure_labels() -> dict[str, str]:
    """The four measures' names, in the active language."""
    return {
        "need": _("Persons in need"),
        "pledged": _("Places pledged"),
        "submitted": _("Persons submitted"),
        "departed": _("Persons departed"),
    }


def row_display(row: gap.GapRow) -> dict[str, Any]:
    """A gap row's numbers and ratios, formatted for a table."""
    f, r = row.figures, row.ratios
    return {
        "key": row.key,
        "label": row.label,
        "need": fmt_int(f.need),
        "need_urgent": fmt_int(f.need_urgent),
        "urgent_share": fmt_pct(r.urgent_share),
        "pledged": fmt_int(f.pledged),
        "submitted": fmt_int(f.submitted),
        "departed": fmt_int(f.departed),
        "unmet_need": fmt_int(f.unmet_need),
        "pledged_need": fmt_pct(r.pledged_need),
        "submitted_need": fmt_pct(r.submitted_need),
        "departed_need": fmt_pct(r.departed_need),
        "departed_pledged": fmt_pct(r.departed_pledged),
        "departed_submitted": fmt_pct(r.departed_submitted),
    }


# ---- the filter form -------------------------------------------------------------------


class GapFilterForm(forms.Form):
    """The gap page's filters (a GET form): year, cut, as-of version, one series per kind."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    cut = forms.ChoiceField(
        label=gettext_lazy("Break down by"), choices=Cut.choices, required=False
    )
    version = forms.ChoiceField(label=gettext_lazy("As of"), required=False)
    needs = forms.ChoiceField(label=gettext_lazy("Needs from"), required=False)
    pledges = forms.ChoiceField(label=gettext_lazy("Pledges from"), required=False)
    flows = forms.ChoiceField(label=gettext_lazy("Departures from"), required=False)

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        years: Sequence[int],
        versions: Sequence[DatasetVersion],
        series: Mapping[str, list[str]],
    ) -> None:
        super().__init__(data)
        year_field: Any = self.fields["year"]
        year_field.choices = [(y, str(y)) for y in years]
        version_field: Any = self.fields["version"]
        version_field.choices = [("", _("Latest figures"))] + [
            (str(v.pk), f"{v} · {timezone.localtime(v.created_at):%Y-%m-%d}") for v in versions
        ]
        for kind in DatasetKind.values:
            kind_field: Any = self.fields[kind]
            kind_field.choices = [("", _("All series"))] + [(s, s) for s in series.get(kind, [])]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


def _series_filter(request: HttpRequest, series: Mapping[str, list[str]]) -> dict[str, str]:
    """The series per kind asked for in the query string (unknown names ignored)."""
    chosen = {}
    for kind in DatasetKind.values:
        name = request.GET.get(kind, "")
        if name in series.get(kind, []):
            chosen[kind] = name
    return chosen


def _as_of(request: HttpRequest) -> DatasetVersion | None:
    """The version named by ?version= (404 if the user may not see it)."""
    value = request.GET.get("version", "")
    return q.get_version_for_user(value, request.user) if value else None


def resolve_gap_request(request: HttpRequest) -> dict[str, Any]:
    """Sources, year and cut of a gap request, from its query string."""
    user = as_user(request.user)
    as_of = _as_of(request)
    series = q.series_choices(user)
    sources = q.sources_for(user, as_of=as_of, series=_series_filter(request, series))
    years = q.available_years(sources)
    asked = exports.year_filter(request.GET.get("year"))
    year = asked if asked is not None else q.default_year(years, timezone.localdate().year)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    cut = request.GET.get("cut", Cut.GLOBAL)
    if cut not in Cut.values:
        cut = Cut.GLOBAL
    return {
        "user": user,
        "as_of": as_of,
        "series": series,
        "sources": sources,
        "years": years,
        "year": year,
        "cut": cut,
    }


def _version_options(user: Any) -> list[DatasetVersion]:
    return list(
        q.visible_versions(user).filter(status=VersionStatus.DONE).order_by("-created_at")[:200]
    )


# ---- the gap page ----------------------------------------------------------------------


def bar_rows(view: q.GapView) -> list[gap.GapRow]:
    """The rows of the bar chart: the year's world total, or the cut's largest keys."""
    if view.cut == Cut.GLOBAL:
        return [gap.GapRow(q.GLOBAL_KEY, str(view.year), view.total)]
    return view.rows[:TOP_BARS]


def bar_chart_spec(view: q.GapView, labels: dict[str, str] | None = None) -> charts.ChartSpec:
    """Needs against pledges, submissions and departures for the cut's largest keys
    (no needs by resettlement State): one specification for the page's SVG, the
    XLSX export's native chart and the JSON export's `chart`."""
    labels = labels or measure_labels()
    rows = bar_rows(view)
    measures: tuple[str, ...] = ("need", "pledged", "submitted", "departed")
    if view.cut == Cut.STATE:
        measures = ("pledged", "submitted", "departed")
    return charts.ChartSpec(
        title=_("Needs, pledges, submissions and departures, %(year)s") % {"year": view.year},
        desc=_(
            "Bar chart comparing persons in need with places pledged, persons submitted and "
            "persons departed for the largest entries; the table below gives the figures."
        ),
        categories=tuple(r.label for r in rows),
        series=tuple(
            charts.ChartSeries(
                labels[m], charts.MEASURE_COLOURS[m], tuple(getattr(r.figures, m) for r in rows)
            )
            for m in measures
        ),
    )


def bar_chart(view: q.GapView, labels: dict[str, str]) -> tuple[SafeString, list[gap.GapRow]]:
    """The bar chart's SVG, and its rows for the data table beside it."""
    svg = charts.spec_bars(
        bar_chart_spec(view, labels), chart_id="gap-bars", rtl=_rtl(), fmt=fmt_int
    )
    return mark_safe(svg), bar_rows(view)  # noqa: S308 - charts escape every text they write


def map_chart(view: q.GapView) -> SafeString:
    values = {r.key: r.figures.need for r in view.asylum if r.key and r.figures.need}
    svg = charts.world_map(
        title=_("Persons in need by country of asylum, %(year)s") % {"year": view.year},
        desc=_(
            "World map shaded by the number of persons in need of resettlement in each country "
            "of asylum: darker blue for more; grey for none or no data. The table below lists "
            "the figures."
        ),
        values=values,
        names={r.key: r.label for r in view.asylum},
        legend_title=_("Persons in need"),
        no_data=_("No data"),
        chart_id="gap-map",
        rtl=_rtl(),
        fmt=fmt_int,
    )
    return mark_safe(svg)  # noqa: S308 - charts escape every text they write


def top_states(view: q.GapView) -> list[gap.GapRow]:
    """The States that pledged the most places, largest first."""
    pledging = (r for r in view.states if r.figures.pledged)
    return sorted(pledging, key=lambda r: -r.figures.pledged)[:TOP_STATES]


def states_chart(states: list[gap.GapRow]) -> SafeString:
    svg = charts.horizontal_bars(
        title=_("Places pledged by resettlement State"),
        desc=_("Horizontal bars of the places each State pledged, largest first."),
        items=[(r.label, r.figures.pledged) for r in states],
        colour=charts.UNHCR_BLUE,
        chart_id="gap-states",
        rtl=_rtl(),
        fmt=fmt_int,
    )
    return mark_safe(svg)  # noqa: S308 - charts escape every text they write


def _indicator_display(view: q.GapView) -> list[dict[str, Any]]:
    names = {
        "emergency_urgent_places": _(
            "Places kept unallocated for emergency and urgent cases (target 10%)"
        ),
        "departed_within_6_months": _(
            "Submissions departed within six months of submission (target 25%)"
        ),
    }
    formulas = {
        "emergency_urgent_places": _("places for emergency and urgent cases ÷ places pledged"),
        "departed_within_6_months": _(
            "departed within six months ÷ submitted (records that report it)"
        ),
    }
    return [
        {
            "code": i.code,
            "name": names[i.code],
            "formula": formulas[i.code],
            "value": fmt_pct(i.value),
            "target": fmt_pct(i.target, 0),
            "numerator": fmt_int(i.numerator),
            "denominator": fmt_int(i.denominator),
            "met": i.met,
            # The bar runs from 0 to twice the target, so the target sits in its middle.
            "bar": min(100.0, round((i.value or 0) / (2 * i.target) * 100, 1)),
        }
        for i in view.indicators
    ]


def _roadmap_display(roadmap: gap.Roadmap) -> dict[str, Any]:
    return {
        "departed": fmt_int(roadmap.departed),
        "pledged": fmt_int(roadmap.pledged),
        "target": fmt_int(roadmap.target),
        "departed_share": fmt_pct(roadmap.departed_share),
        "pledged_share": fmt_pct(roadmap.pledged_share),
        "expected_share": fmt_pct(roadmap.expected_share),
        "departed_width": min(100.0, round(roadmap.departed_share * 100, 1)),
        "pledged_width": min(100.0, round(roadmap.pledged_share * 100, 1)),
        "expected_width": round(roadmap.expected_share * 100, 1),
        "on_track": roadmap.on_track,
        "needed_per_year": fmt_int(roadmap.needed_per_year),
        "years_left": roadmap.years_left,
        "last_year": min(roadmap.year, roadmap.last_year),
        "first_year": roadmap.first_year,
    }


def _sources_display(sources: Sources) -> list[dict[str, Any]]:
    kinds = dict(DatasetKind.choices)
    return [
        {
            "version": v,
            "kind": kinds.get(v.kind, v.kind),
            "source": v.source,
            "illustrative": v.is_illustrative,
        }
        for v in sources.versions
    ]


def _several_series(sources: Sources) -> list[dict[str, Any]]:
    """The kinds whose figures come from more than one series.

    Needs and flows add their series up (they may count the same persons);
    pledges do not (`latest`): a State pledging in several series counts once a
    year, with the latest version's pledges (see gap_queries._pledge_winners).
    """
    kinds = dict(DatasetKind.choices)
    out = []
    for kind in DatasetKind.values:
        names = sorted({v.series for v in sources.of_kind(kind)})
        if len(names) > 1:
            out.append(
                {
                    "kind": str(kinds[kind]),
                    # Isolated left to right: in Arabic the commas and brackets
                    # around the (Latin) names would otherwise be reordered.
                    "series": format_html('<bdi dir="ltr">{}</bdi>', ", ".join(names)),
                    "latest": kind == DatasetKind.PLEDGES,
                }
            )
    return out


def _export_links(request: HttpRequest, tables: Sequence[str]) -> list[dict[str, Any]]:
    params = request.GET.copy()
    query = params.urlencode()
    labels = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON", "hxl": "HXL"}
    names = {
        "gap": _("Gap table"),
        "needs": _("Needs"),
        "pledges": _("Pledges"),
        "flows": _("Submissions and departures"),
    }
    out = []
    for table in tables:
        links = []
        for fmt in exports.FORMATS:
            url = reverse("needs:export", args=[table, fmt])
            links.append({"label": labels[fmt], "url": f"{url}?{query}" if query else url})
        out.append({"name": names[table], "links": links})
    return out


def chart_links(request: HttpRequest, view: q.GapView) -> dict[str, str]:
    """Where each chart of the gap page downloads as an SVG file (same filters, same year)."""
    params = request.GET.copy()
    params["year"] = str(view.year)
    params["cut"] = view.cut
    query = params.urlencode()
    return {
        name: reverse("needs:gap_chart", args=[name]) + "?" + query
        for name in ("bars", "map", "states")
    }


def gap_page(request: HttpRequest) -> HttpResponse:
    """The gap for a year and a cut: headline figures, indicators, charts and tables."""
    ctx = resolve_gap_request(request)
    sources: Sources = ctx["sources"]
    view = q.gap_view(sources, ctx["year"], ctx["cut"])
    labels = measure_labels()
    chosen = _series_filter(request, ctx["series"])
    form = GapFilterForm(
        {
            "year": str(ctx["year"]),
            "cut": ctx["cut"],
            "version": str(ctx["as_of"].pk) if ctx["as_of"] else "",
            **{kind: chosen.get(kind, "") for kind in DatasetKind.values},
        },
        years=ctx["years"],
        versions=_version_options(ctx["user"]),
        series=ctx["series"],
    )
    form.is_valid()
    bars, bars_data = bar_chart(view, labels)
    states = top_states(view)
    cut_labels = dict(Cut.choices)
    context = {
        "form": form,
        "view": view,
        "year": view.year,
        "cut": view.cut,
        "cut_label": cut_labels[Cut(view.cut)],
        "total": row_display(gap.GapRow(q.GLOBAL_KEY, "", view.total)),
        "has_data": bool(sources.versions),
        "rows": [row_display(r) for r in view.rows],
        "bar_chart": bars,
        "bar_rows": [row_display(r) for r in bars_data],
        "map_chart": map_chart(view),
        "map_rows": [row_display(r) for r in view.asylum if r.key and r.figures.need],
        "states_chart": states_chart(states),
        "state_rows": [row_display(r) for r in states],
        "most_unmet": [row_display(r) for r in view.most_unmet],
        "most_urgent": [row_display(r) for r in view.most_urgent],
        "urgent_threshold": fmt_pct(gap.URGENT_SHARE_THRESHOLD, 0),
        "indicators": _indicator_display(view),
        "roadmap": _roadmap_display(view.roadmap),
        "sources": _sources_display(sources),
        "several_series": _several_series(sources),
        "as_of": ctx["as_of"],
        "illustrative": sources.is_illustrative,
        "measure": labels,
        "exports": _export_links(request, ["gap"]),
        "chart_links": chart_links(request, view),
        "querystring": request.GET.urlencode(),
    }
    template = "needs/gap_panel.html" if request.headers.get("HX-Request") else "needs/gap.html"
    return render(request, template, context)


# ---- trends ------------------------------------------------------------------------------


def gap_trends(request: HttpRequest) -> HttpResponse:
    """The four measures over the years: the world, or one region, country, population or State."""
    user = as_user(request.user)
    as_of = _as_of(request)
    series = q.series_choices(user)
    sources = q.sources_for(user, as_of=as_of, series=_series_filter(request, series))
    cut = request.GET.get("cut", Cut.GLOBAL)
    if cut not in Cut.values:
        cut = Cut.GLOBAL
    lookups = q.Lookups.load()
    key_labels = lookups.labels(cut) if cut != Cut.GLOBAL else {}
    key = request.GET.get("key", "").strip()
    if cut in (Cut.ASYLUM, Cut.STATE, Cut.POPULATION):
        key = key.upper()
    if cut == Cut.SITUATION:
        key = lookups.situation_key.get(key.casefold(), key)
    if cut != Cut.GLOBAL and key not in key_labels:
        key = ""
    points = q.trend_for(sources, cut, key) if cut == Cut.GLOBAL or key else []
    labels = measure_labels()
    measures = ["need", "pledged", "submitted", "departed"]
    if cut == Cut.STATE:
        measures = ["pledged", "submitted", "departed"]
    chart = ""
    if points:
        years = [p.year for p in points]
        subject = key_labels.get(key, _("All")) if key else _("the world")
        chart = charts.line_chart(
            title=_("Needs, pledges, submissions and departures over the years: %(subject)s")
            % {"subject": subject},
            desc=_("Line chart of the four measures by year; the table below gives the figures."),
            years=years,
            series=[
                (
                    labels[m],
                    charts.MEASURE_COLOURS[m],
                    [getattr(p.figures, m) or None for p in points],
                )
                for m in measures
            ],
            chart_id="gap-trend",
            rtl=_rtl(),
            fmt=fmt_int,
        )
    rows = []
    for p in reversed(points):
        f, r = p.figures, p.ratios
        change = p.changes
        rows.append(
            {
                "year": p.year,
                "values": [_change_cell(getattr(f, m), change[m]) for m in measures],
                "pledged_need": fmt_pct(r.pledged_need),
                "departed_need": fmt_pct(r.departed_need),
                "departed_pledged": fmt_pct(r.departed_pledged),
            }
        )
    key_options = sorted(
        ((k, v) for k, v in key_labels.items() if k), key=lambda kv: kv[1].casefold()
    )
    return render(
        request,
        "needs/gap_trends.html",
        {
            "cut": cut,
            "cuts": Cut.choices,
            "key": key,
            "key_label": key_labels.get(key, ""),
            "key_options": key_options,
            "chart": mark_safe(chart),  # noqa: S308 - charts escape every text they write
            "rows": rows,
            "measures": [labels[m] for m in measures],
            "sources": _sources_display(sources),
            "as_of": as_of,
            "version_param": request.GET.get("version", ""),
        },
    )


def _change_cell(value: int, change: gap.Change | None) -> dict[str, str]:
    if change is None:
        return {"value": fmt_int(value), "change": "", "pct": ""}
    pct = change.pct
    return {
        "value": fmt_int(value),
        "change": fmt_signed(change.diff),
        "pct": "" if pct is None else fmt_pct(pct),
    }


# ---- dataset versions --------------------------------------------------------------------


class VersionFilterForm(forms.Form):
    """Filters of the version list."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *DatasetKind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *VersionStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class VersionListView(ObjectListView):
    """Every import kept as a dataset version, newest first."""

    model = DatasetVersion
    columns = [
        Column(gettext_lazy("version"), str, link=True),
        Column(gettext_lazy("kind"), "kind"),
        Column(gettext_lazy("source"), "source"),
        Column(gettext_lazy("rows"), "row_count"),
        Column(gettext_lazy("status"), "status"),
        Column(gettext_lazy("public"), lambda v: _("yes") if v.is_public else _("no")),
        Column(
            gettext_lazy("imported at"),
            lambda v: timezone.localtime(v.created_at).strftime("%Y-%m-%d %H:%M"),
        ),
    ]
    search_fields = ("series", "source", "file_name", "note")
    filter_form = VersionFilterForm
    title = gettext_lazy("Dataset versions")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).order_by("-created_at", "-pk")


class VersionDetailView(ObjectDetailView):
    """One version: where it comes from, its totals per year, links to compare and export."""

    template_name = "needs/version_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> DatasetVersion:
        return q.get_version_for_user(kwargs["pk"], request.user, done=False)

    def extra_context(self, request: HttpRequest, obj: DatasetVersion) -> dict[str, Any]:
        user = as_user(request.user)
        measures = q.MEASURES[DatasetKind(obj.kind)]
        totals = q.version_totals(obj) if obj.status == VersionStatus.DONE else {}
        previous = (
            q.visible_versions(user)
            .filter(series=obj.series, number__lt=obj.number, status=VersionStatus.DONE)
            .order_by("-number")
            .first()
        )
        table = {"needs": "needs", "pledges": "pledges", "flows": "flows"}[obj.kind]
        return {
            "measures": [_measure_name(m) for m in measures],
            "year_rows": [
                {"year": year, "values": [fmt_int(values[m]) for m in measures]}
                for (year, _key), values in sorted(totals.items(), reverse=True)
            ],
            "previous": previous,
            "is_done": obj.status == VersionStatus.DONE,
            "is_current": DatasetVersion.objects.current().filter(pk=obj.pk).exists(),
            "exports": [
                {
                    "label": label,
                    "url": reverse("needs:export", args=[table, fmt]) + f"?version={obj.pk}",
                }
                for fmt, label in (
                    ("csv", "CSV"),
                    ("xlsx", "XLSX"),
                    ("json", "JSON"),
                    ("hxl", "HXL"),
                )
            ],
        }


def _measure_name(measure: str) -> str:
    return {
        "persons": _("Persons"),
        "emergency_urgent_places": _("Places for emergency and urgent cases"),
        "unallocated_places": _("Unallocated places"),
        "submitted": _("Persons submitted"),
        "departed": _("Persons departed"),
        "departed_within_6_months": _("Departed within six months"),
    }.get(measure, measure)


def version_compare(request: HttpRequest) -> HttpResponse:
    """Two versions side by side: what changed, by how much, per year (and dimension)."""
    user = as_user(request.user)
    a_id, b_id = request.GET.get("a", ""), request.GET.get("b", "")
    a = q.get_version_for_user(a_id, user) if a_id else None
    b = q.get_version_for_user(b_id, user) if b_id else None
    context: dict[str, Any] = {
        "a": a,
        "b": b,
        "versions": _version_options(user),
        "by": "",
        "dimensions": [],
        "error": "",
    }
    if a is not None and b is not None:
        if a.kind != b.kind:
            context["error"] = _("Only versions of the same kind can be compared.")
        else:
            kind = DatasetKind(a.kind)
            dim_names = {
                "population": _("Population"),
                "asylum": _("Country of asylum"),
                "state": _("Resettlement State"),
            }
            dimensions = [(d, dim_names[d]) for d in q.DIMENSIONS[kind]]
            by = request.GET.get("by", "")
            if by not in q.DIMENSIONS[kind]:
                by = ""
            differences, total_a, total_b = q.compare_versions(a, b, by)
            labels = q.key_labels(by) if by else {}
            measures = q.MEASURES[kind]
            status_names = {
                "added": _("added"),
                "removed": _("removed"),
                "changed": _("changed"),
            }
            context.update(
                {
                    "by": by,
                    "by_label": dict(dimensions).get(by, ""),
                    "dimensions": dimensions,
                    "count": len(differences),
                    "limit": COMPARE_LIMIT,
                    "totals": [
                        {
                            "measure": _measure_name(m),
                            "a": fmt_int(total_a[m]),
                            "b": fmt_int(total_b[m]),
                            "diff": fmt_signed(total_b[m] - total_a[m]),
                            "pct": fmt_pct(gap.ratio(total_b[m] - total_a[m], total_a[m])),
                        }
                        for m in measures
                    ],
                    "differences": [
                        {
                            "year": d.key[0],
                            "key": d.key[1],
                            "label": labels.get(d.key[1], d.key[1]) or _("Not stated"),
                            "measure": _measure_name(d.measure),
                            "before": fmt_int(d.before),
                            "after": fmt_int(d.after),
                            "diff": fmt_signed(d.diff),
                            "pct": fmt_pct(d.pct),
                            "status": d.status,
                            "status_label": status_names[d.status],
                        }
                        for d in differences[:COMPARE_LIMIT]
                    ],
                }
            )
    return render(request, "needs/version_compare.html", context)


# ---- exports -------------------------------------------------------------------------------


def export(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    """A table (needs, pledges, flows, gap) as CSV, XLSX, JSON or HXL, as of ?version=."""
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404("export")
    if table == "gap":
        ctx = resolve_gap_request(request)
        view = q.gap_view(ctx["sources"], ctx["year"], ctx["cut"])
        data = exports.gap_table(view, chart=bar_chart_spec(view))
        filename = f"resettle-gap-{view.year}-{view.cut}"
    else:
        user = as_user(request.user)
        version = None
        if request.GET.get("version"):
            version = q.get_version_for_user(request.GET["version"], user)
            if version.kind != exports.KIND_OF_TABLE[table]:
                raise Http404("dataset version")
        series = q.series_choices(user)
        sources = q.sources_for(user, series=_series_filter(request, series))
        year = exports.year_filter(request.GET.get("year"))
        data = exports.data_table(table, sources, version=version, year=year)
        filename = f"resettle-{table}" + (f"-v{version.pk}" if version else "")
    return exports.response(data, fmt, filename)
