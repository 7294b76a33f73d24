"""The advocacy brief: one year of the gap as a printable page and a PDF, in English,
Arabic or French.

`brief_context` gathers the brief's figures from gap_queries (the same sources
and rules as the gap page: current versions, or as of a version, among those
the visitor may see) and formats them for the active language; call it, and
`render_html`, under `translation.override(lang)`. `render_pdf` turns the
HTML into a PDF with WeasyPrint: Pango and HarfBuzz shape Arabic and lay it
out right to left (the page has dir="rtl" and lang="ar"); the fonts are named
in the template's CSS (Noto Naskh Arabic and Noto Sans Arabic from Debian's
fonts-noto-core, DejaVu Sans as a fallback every machine has).

The charts are the gap page's server-rendered SVGs (needs/charts.py), inline
in the page; WeasyPrint draws inline SVG.
"""

from __future__ import annotations

import logging
import re
from html import escape
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from resettle.needs import charts, gap
from resettle.needs import gap_queries as q
from resettle.needs import views as gap_views
from resettle.needs.gap_queries import Cut, Sources
from resettle.needs.models import DatasetKind, DatasetVersion

TOP_POPULATIONS = 10
TREND_YEARS = 10
TOP_STATES = 15
TOP_POPULATION_BARS = 8
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

# The charts' fonts in the brief. Their own list starts with system-ui, which
# fontconfig may resolve to a font without Arabic shaping rules. WeasyPrint's SVG
# text joins Arabic letters right with Noto Sans Arabic (not with Noto Naskh
# Arabic, the page's font), but draws vowel marks (harakat) apart from their
# letter, on a dotted circle: the PDF's charts leave them out (the tables keep them).
LATIN_CHART_FONTS = "'Noto Sans', 'DejaVu Sans', 'Noto Sans Arabic', sans-serif"
ARABIC_CHART_FONTS = "'Noto Sans Arabic', 'DejaVu Sans', 'Noto Naskh Arabic', sans-serif"
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")


def brief_language(asked: str | None) -> str:
    """The brief's language: `asked` when it is one of the site's, else the active one."""
    code = (asked or "").strip().lower()
    if code in LANGUAGES:
        return code
    active = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return active if active in LANGUAGES else settings.LANGUAGE_CODE


def _svg(markup: str, *, for_pdf: bool = False) -> SafeString:
    """A chart's SVG, drawn with the brief's fonts (without Arabic vowel marks in a PDF)."""
    fonts = ARABIC_CHART_FONTS if translation.get_language_bidi() else LATIN_CHART_FONTS
    markup = markup.replace(
        f'font-family="{escape(charts.FONT, quote=True)}"',
        f'font-family="{escape(fonts, quote=True)}"',
        1,
    )
    if for_pdf:
        markup = ARABIC_MARKS.sub("", markup)
    return mark_safe(markup)  # noqa: S308 - charts escape every text they write


def _coverage_chart(view: q.GapView, labels: dict[str, str]) -> str:
    """The year's four measures worldwide as horizontal bars, each in its colour:
    the coverage gap at a glance."""
    rtl, fmt = gap_views._rtl(), gap_views.fmt_int
    measures = ("need", "pledged", "submitted", "departed")
    values = [getattr(view.total, m) for m in measures]
    width, bar_h, step = 760, 30, 42
    # Room for the longest label at about 8.5 px a character (17 px type; Arabic words
    # run wider than English ones), between 210 and 380 px.
    longest = max(len(labels[m]) for m in measures)
    label_w, value_w = min(380.0, max(210.0, 8.5 * longest + 16)), 120.0
    svg = charts._Svg(width, 8 + step * len(measures), chart_id="brief-coverage-chart", rtl=rtl)
    top = max(values) or 1
    span = width - label_w - value_w
    for i, (m, value) in enumerate(zip(measures, values, strict=True)):
        y = 6 + i * step
        w = max(span * value / top, 1 if value else 0)
        svg.text(label_w - 10, y + bar_h * 0.68, labels[m], anchor="end", size=17)
        svg.add(
            f'<rect x="{svg.rect_x(label_w, w)}" y="{y}" width="{round(w, 1)}" '
            f'height="{bar_h}" rx="2" fill="{charts.MEASURE_COLOURS[m]}">'
            f"<title>{escape(labels[m])}: {escape(fmt(value))}</title></rect>"
        )
        svg.text(label_w + w + 8, y + bar_h * 0.68, fmt(value), size=17, weight="600")
    return svg.render(
        _("Persons in need against places pledged, submissions and departures, %(year)s")
        % {"year": view.year},
        _(
            "Horizontal bars of the year's persons in need, places pledged, persons "
            "submitted and persons departed, worldwide."
        ),
    )


def _populations_chart(rows: list[gap.GapRow], year: int, labels: dict[str, str]) -> str:
    """Need against departures for the populations with the largest need."""
    measures = ("need", "departed")
    svg = charts.grouped_bars(
        title=_("Populations with the largest needs, %(year)s") % {"year": year},
        desc=_(
            "Bar chart of persons in need and persons departed for the populations with the "
            "largest needs; the table of populations gives the figures."
        ),
        categories=[r.label for r in rows],
        series=[
            (labels[m], charts.MEASURE_COLOURS[m], [getattr(r.figures, m) for r in rows])
            for m in measures
        ],
        chart_id="brief-populations-chart",
        rtl=gap_views._rtl(),
        fmt=gap_views.fmt_int,
    )
    return svg


def _trend_chart(points: list[gap.TrendPoint], labels: dict[str, str]) -> str:
    measures = ("need", "pledged", "submitted", "departed")
    svg = charts.line_chart(
        title=_("Needs, pledges, submissions and departures, %(first)s–%(last)s, worldwide")
        % {"first": points[0].year, "last": points[-1].year},
        desc=_("Line chart of the four measures by year, worldwide."),
        years=[p.year for p in points],
        series=[
            (
                labels[m],
                charts.MEASURE_COLOURS[m],
                [getattr(p.figures, m) or None for p in points],
            )
            for m in measures
        ],
        chart_id="brief-trend-chart",
        rtl=gap_views._rtl(),
        fmt=gap_views.fmt_int,
        height=300,
    )
    return svg


def _sources(sources: Sources) -> list[dict[str, Any]]:
    kinds = dict(DatasetKind.choices)
    return [
        {
            "series": v.series,
            "number": v.number,
            "kind": str(kinds.get(v.kind, v.kind)),
            "source": v.source,
            "imported": date_format(timezone.localtime(v.created_at), "DATE_FORMAT"),
            "illustrative": v.is_illustrative,
            "public": v.is_public,
        }
        for v in sources.versions
    ]


def brief_context(
    sources: Sources, year: int, *, as_of: DatasetVersion | None = None, for_pdf: bool = False
) -> dict[str, Any]:
    """Everything the brief shows for a year, formatted for the active language.

    for_pdf: the charts are drawn for WeasyPrint (see ARABIC_MARKS).
    """
    lang = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    rtl = bool(translation.get_language_bidi())
    view = q.gap_view(sources, year, Cut.GLOBAL)
    labels = gap_views.measure_labels()
    total = view.total
    ratios = total.ratios
    fmt_int, fmt_pct = gap_views.fmt_int, gap_views.fmt_pct
    populations = [r for r in view.populations if r.figures.need]
    states = sorted(
        (r for r in view.states if r.figures.pledged), key=lambda r: -r.figures.pledged
    )[:TOP_STATES]
    trend = [p for p in q.trend_for(sources) if year - TREND_YEARS < p.year <= year]
    headline = [
        {
            "code": m,
            "label": labels[m],
            "value": fmt_int(getattr(total, m)),
            "note": note,
        }
        for m, note in (
            (
                "need",
                _("%(share)s emergency or urgent") % {"share": fmt_pct(ratios.urgent_share)},
            ),
            ("pledged", _("%(share)s of the need") % {"share": fmt_pct(ratios.pledged_need)}),
            (
                "submitted",
                _("%(share)s of the need") % {"share": fmt_pct(ratios.submitted_need)},
            ),
            ("departed", _("%(share)s of the need") % {"share": fmt_pct(ratios.departed_need)}),
        )
    ]
    coverage = [
        (_("Places pledged per person in need"), fmt_pct(ratios.pledged_need)),
        (_("Persons submitted per person in need"), fmt_pct(ratios.submitted_need)),
        (_("Persons departed per person in need"), fmt_pct(ratios.departed_need)),
        (_("Persons departed per place pledged"), fmt_pct(ratios.departed_pledged)),
        (_("Persons departed per person submitted"), fmt_pct(ratios.departed_submitted)),
        (_("Persons in need without a pledged place"), fmt_int(total.places_gap)),
        (_("Unmet need (in need, not departed)"), fmt_int(total.unmet_need)),
    ]
    chart_markup = {
        "coverage_chart": _coverage_chart(view, labels),
        "populations_chart": (
            _populations_chart(populations[:TOP_POPULATION_BARS], year, labels)
            if populations
            else ""
        ),
        "trend_chart": _trend_chart(trend, labels) if len(trend) > 1 else "",
        "map_chart": gap_views.map_chart(view),
        "states_chart": gap_views.states_chart(states) if states else "",
    }
    return {
        **{name: _svg(svg, for_pdf=for_pdf) if svg else "" for name, svg in chart_markup.items()},
        "for_pdf": for_pdf,
        "lang": lang,
        "rtl": rtl,
        "dir": "rtl" if rtl else "ltr",
        "year": year,
        "as_of": as_of,
        "as_of_date": (
            date_format(timezone.localtime(as_of.created_at), "DATE_FORMAT") if as_of else ""
        ),
        "generated": date_format(timezone.localdate(), "DATE_FORMAT"),
        "has_data": bool(sources.versions),
        "illustrative": sources.is_illustrative,
        "several_series": gap_views._several_series(sources),
        "measure": labels,
        "headline": headline,
        "coverage": coverage,
        "indicators": gap_views._indicator_display(view),
        "roadmap": gap_views._roadmap_display(view.roadmap),
        "top_populations": [gap_views.row_display(r) for r in populations[:TOP_POPULATIONS]],
        "most_unmet": [gap_views.row_display(r) for r in view.most_unmet],
        "most_urgent": [gap_views.row_display(r) for r in view.most_urgent],
        "urgent_threshold": fmt_pct(gap.URGENT_SHARE_THRESHOLD, 0),
        "states": [gap_views.row_display(r) for r in states],
        "sources": _sources(sources),
    }


def render_html(context: dict[str, Any], *, request: Any = None) -> str:
    """The brief as a standalone HTML page (its own small CSS, for screen and print)."""
    return render_to_string("needs/brief.html", context, request=request)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The brief's HTML as a PDF (A4), laid out by WeasyPrint."""
    # WeasyPrint logs each step of every PDF at INFO; keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # noqa: PLC0415 - a heavy import, only for PDFs

    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()  # bytes without a target
    return pdf


def build_brief(
    sources: Sources,
    year: int,
    lang: str,
    *,
    as_of: DatasetVersion | None = None,
    pdf: bool = False,
    extra: dict[str, Any] | None = None,
    request: Any = None,
) -> str | bytes:
    """The brief in a language: its HTML, or with pdf=True its PDF."""
    with translation.override(lang):
        context = brief_context(sources, year, as_of=as_of, for_pdf=pdf)
        context.update(extra or {})
        html = render_html(context, request=request)
    return render_pdf(html) if pdf else html
