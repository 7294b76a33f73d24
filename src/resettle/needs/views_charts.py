"""The gap page's charts as SVG files of their own (`gap/chart-<name>.svg`).

Each takes the gap page's query string (?year=, ?cut=, ?version= and the series
filters) and draws the same chart the page shows that visitor, from the same
figures: public versions for anonymous visitors, 404 for an as-of version they
may not see. The file is a standalone SVG document (XML declaration, SVG
namespace, width and height), sent as a download.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from resettle.needs import charts
from resettle.needs import gap_queries as q
from resettle.needs.views import (
    bar_chart,
    map_chart,
    measure_labels,
    resolve_gap_request,
    states_chart,
    top_states,
)

CHARTS = ("bars", "map", "states")


def chart_svg(view: q.GapView, name: str) -> str:
    """One chart of the gap page (bars, map or states) as a standalone SVG document."""
    if name == "bars":
        markup, _rows = bar_chart(view, measure_labels())
    elif name == "map":
        markup = map_chart(view)
    elif name == "states":
        markup = states_chart(top_states(view))
    else:
        raise Http404("chart")
    return charts.standalone(str(markup))


@require_GET
def gap_chart_svg(request: HttpRequest, name: str) -> HttpResponse:
    """A chart of the gap page, downloaded as an SVG file named after its year (and cut)."""
    if name not in CHARTS:
        raise Http404("chart")
    ctx = resolve_gap_request(request)
    view = q.gap_view(ctx["sources"], ctx["year"], ctx["cut"])
    response = HttpResponse(chart_svg(view, name), content_type="image/svg+xml; charset=utf-8")
    what = f"{view.cut}-bars" if name == "bars" else name
    response["Content-Disposition"] = f'attachment; filename="resettle-gap-{view.year}-{what}.svg"'
    # A signed-in visitor's chart may hold private figures; its language may come from
    # the cookie.
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
