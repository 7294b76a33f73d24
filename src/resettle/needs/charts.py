"""Server-rendered SVG charts: plain Python strings, no JavaScript, no Django.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` (named by
aria-labelledby), a `<title>` on every bar, point and country as its tooltip,
and is meant to be shown next to a data table holding the same numbers.

Colours follow UNHCR's data visualisation palette (unhcrthemes): UNHCR blue
#0072BC, and for the other series the palette's qualitative colours in order
(yellow #FFC740, cyan #6CD8FD, green #32C189); the map uses the sequential
blues (#CDE3F1 to #05568B), with grey #E5E5E5 for no data.

Right to left: with rtl=True the root element gets direction="rtl", every
horizontal position is mirrored (the value axis of the bar charts and the
time axis run from the right), and text anchors are logical (start is the
reading start), so Arabic labels read and line up right.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from resettle.needs import gap

UNHCR_BLUE = "#0072BC"
NAVY = "#18375F"
YELLOW = "#FFC740"
CYAN = "#6CD8FD"
GREEN = "#32C189"
RED = "#D25A45"
GREY_TEXT = "#4D4D4D"
GRID = "#E5E5E5"
NO_DATA = "#E5E5E5"
SEQUENTIAL_BLUES = ("#CDE3F1", "#8FC1E1", "#4F9ED0", "#0072BC", "#05568B")

# The colour of each measure, the same in every chart.
MEASURE_COLOURS = {
    "need": UNHCR_BLUE,
    "pledged": YELLOW,
    "submitted": CYAN,
    "departed": GREEN,
}

FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', Arial, sans-serif"
WORLD_PATHS = Path(__file__).resolve().parent / "data" / "world_paths.json"

Fmt = Callable[[int], str]


def default_fmt(value: int) -> str:
    """12345 -> 12,345."""
    return f"{value:,}"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_max(value: float) -> float:
    """A round axis maximum at or above value: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = float(step * 10.0**exponent)
        if candidate >= value:
            return candidate
    return float(10.0 ** (exponent + 1))  # pragma: no cover - 10 always fits


def axis(value: float, target_ticks: int = 5) -> tuple[float, int]:
    """A round axis maximum at or above value, and its number of steps.

    The step is 1, 2, 2.5 or 5 times a power of ten, so that about
    `target_ticks` steps reach the value: 2,016,422 -> (2,500,000, 5).
    """
    if value <= 0:
        return 1.0, 1
    step = nice_max(value / target_ticks)
    steps = max(1, math.ceil(value / step - 1e-9))
    return step * steps, steps


def compact(value: float) -> str:
    """Axis numbers: 2500000 -> 2.5M, 1250000 -> 1.25M, 12000 -> 12k."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            number = value / size
            return f"{number:.2f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


class _Svg:
    """An SVG document being written, with mirrored x positions for right to left."""

    def __init__(self, width: int, height: int, *, chart_id: str, rtl: bool) -> None:
        self.width, self.height, self.rtl, self.id = width, height, rtl, chart_id
        self.parts: list[str] = []

    def x(self, x: float) -> float:
        """A logical x (from the reading start) as a physical x."""
        return round(self.width - x, 1) if self.rtl else round(x, 1)

    def rect_x(self, x: float, w: float) -> float:
        return round(self.width - x - w, 1) if self.rtl else round(x, 1)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: int = 12,
        fill: str = GREY_TEXT,
        weight: str = "normal",
        tooltip: str = "",
    ) -> None:
        title = f"<title>{_e(tooltip)}</title>" if tooltip else ""
        self.add(
            f'<text x="{self.x(x)}" y="{round(y, 1)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" font-weight="{weight}">{title}{_e(content)}</text>'
        )

    def render(self, title: str, desc: str, view_box: str | None = None) -> str:
        box = view_box or f"0 0 {self.width} {self.height}"
        direction = ' direction="rtl"' if self.rtl else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" class="rs-chart" '
            f'role="img" aria-labelledby="{self.id}-title {self.id}-desc" id="{self.id}" '
            f'font-family="{_e(FONT)}"{direction} preserveAspectRatio="xMidYMid meet">'
            f'<title id="{self.id}-title">{_e(title)}</title>'
            f'<desc id="{self.id}-desc">{_e(desc)}</desc>' + "".join(self.parts) + "</svg>"
        )


def _legend(svg: _Svg, items: Sequence[tuple[str, str]], y: float, start: float) -> None:
    """Colour swatches and labels in a row, from the reading start."""
    x = start
    for label, colour in items:
        svg.add(
            f'<rect x="{svg.rect_x(x, 12)}" y="{y - 10}" width="12" height="12" rx="2" '
            f'fill="{colour}"/>'
        )
        svg.text(x + 18, y, label, size=12)
        x += 30 + 7 * len(label)


def _value_axis(
    svg: _Svg,
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    top_value: float,
    steps: int,
) -> None:
    """Horizontal grid lines with compact labels at the reading start."""
    for i in range(steps + 1):
        value = top_value * i / steps
        y = bottom - (bottom - top) * i / steps
        svg.add(
            f'<line x1="{svg.x(left)}" x2="{svg.x(right)}" y1="{round(y, 1)}" y2="{round(y, 1)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        svg.text(left - 6, y + 4, compact(value), anchor="end", size=11)


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: its label, its colour (#RRGGBB) and one value per category."""

    label: str
    colour: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class ChartSpec:
    """What a bar chart shows, whatever draws it: the SVG of a page (`spec_bars`), a
    native spreadsheet chart (exports.xlsx_bytes) or the `chart` of a JSON export."""

    title: str
    desc: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]

    def as_dict(self) -> dict[str, Any]:
        """The specification as JSON-ready data."""
        return {
            "type": "bar",
            "title": self.title,
            "description": self.desc,
            "categories": list(self.categories),
            "series": [
                {"label": s.label, "colour": s.colour, "values": list(s.values)}
                for s in self.series
            ],
        }


def spec_bars(
    spec: ChartSpec, *, chart_id: str = "bars", rtl: bool = False, fmt: Fmt = default_fmt
) -> str:
    """A ChartSpec drawn as grouped vertical bars (see grouped_bars)."""
    return grouped_bars(
        title=spec.title,
        desc=spec.desc,
        categories=spec.categories,
        series=[(s.label, s.colour, s.values) for s in spec.series],
        chart_id=chart_id,
        rtl=rtl,
        fmt=fmt,
    )


_VIEW_BOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')


def standalone(markup: str) -> str:
    """A chart's SVG as a file of its own: an XML declaration, and a width and height
    (those of its viewBox) for viewers that do not size it to a page."""
    size = _VIEW_BOX.search(markup)
    if size and markup.startswith("<svg "):
        width, height = size.groups()
        markup = f'<svg width="{width}" height="{height}" ' + markup[len("<svg ") :]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + markup + "\n"


def grouped_bars(
    *,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    chart_id: str = "bars",
    rtl: bool = False,
    fmt: Fmt = default_fmt,
    width: int = 760,
    height: int = 340,
) -> str:
    """Vertical bars, one group per category and one bar per series.

    series: (label, colour, one value per category).
    """
    svg = _Svg(width, height, chart_id=chart_id, rtl=rtl)
    left, right, top, bottom = 56.0, width - 12.0, 36.0, height - 48.0
    top_value, steps = axis(max((v for _l, _c, values in series for v in values), default=0))
    _legend(svg, [(label, colour) for label, colour, _v in series], 18, left)
    _value_axis(
        svg, left=left, right=right, top=top, bottom=bottom, top_value=top_value, steps=steps
    )
    n = max(len(categories), 1)
    group_w = (right - left) / n
    bar_w = min(40.0, group_w * 0.8 / max(len(series), 1))
    limit = max(6, int(group_w / 7))
    for i, category in enumerate(categories):
        group_x = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, (label, colour, values) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = (bottom - top) * value / top_value
            x = group_x + j * bar_w
            svg.add(
                f'<rect x="{svg.rect_x(x, bar_w - 2)}" y="{round(bottom - h, 1)}" '
                f'width="{round(bar_w - 2, 1)}" height="{round(h, 1)}" fill="{colour}">'
                f"<title>{_e(category)}: {_e(label)} {_e(fmt(value))}</title></rect>"
            )
        svg.text(
            left + (i + 0.5) * group_w,
            bottom + 18,
            _shorten(category, limit),
            anchor="middle",
            size=11,
            tooltip=category,
        )
    svg.add(
        f'<line x1="{svg.x(left)}" x2="{svg.x(right)}" y1="{bottom}" y2="{bottom}" '
        f'stroke="{GREY_TEXT}" stroke-width="1"/>'
    )
    return svg.render(title, desc)


def line_chart(
    *,
    title: str,
    desc: str,
    years: Sequence[int],
    series: Sequence[tuple[str, str, Sequence[int | None]]],
    chart_id: str = "trend",
    rtl: bool = False,
    fmt: Fmt = default_fmt,
    width: int = 760,
    height: int = 340,
) -> str:
    """Lines over years, one per series; a missing value (None) breaks the line.

    series: (label, colour, one value or None per year).
    """
    svg = _Svg(width, height, chart_id=chart_id, rtl=rtl)
    left, right, top, bottom = 56.0, width - 24.0, 36.0, height - 40.0
    top_value, steps = axis(
        max((v for _l, _c, values in series for v in values if v is not None), default=0)
    )
    _legend(svg, [(label, colour) for label, colour, _v in series], 18, left)
    _value_axis(
        svg, left=left, right=right, top=top, bottom=bottom, top_value=top_value, steps=steps
    )
    n = len(years)

    def px(i: int) -> float:
        return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)

    # Label every step-th year counted back from the last, so the last year always has one.
    step = max(1, math.ceil(n / 12))
    for i, year in enumerate(years):
        if (n - 1 - i) % step == 0:
            svg.text(px(i), bottom + 18, str(year), anchor="middle", size=11)
    for label, colour, values in series:
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            y = bottom - (bottom - top) * value / top_value
            runs[-1].append(f"{svg.x(px(i))},{round(y, 1)}")
        for run in runs:
            if len(run) > 1:
                svg.add(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for i, value in enumerate(values):
            if value is None:
                continue
            y = bottom - (bottom - top) * value / top_value
            svg.add(
                f'<circle cx="{svg.x(px(i))}" cy="{round(y, 1)}" r="4" fill="{colour}" '
                f'stroke="#fff" stroke-width="1"><title>{_e(years[i])}: {_e(label)} '
                f"{_e(fmt(value))}</title></circle>"
            )
    svg.add(
        f'<line x1="{svg.x(left)}" x2="{svg.x(right)}" y1="{bottom}" y2="{bottom}" '
        f'stroke="{GREY_TEXT}" stroke-width="1"/>'
    )
    return svg.render(title, desc)


def horizontal_bars(
    *,
    title: str,
    desc: str,
    items: Sequence[tuple[str, int]],
    colour: str = UNHCR_BLUE,
    chart_id: str = "hbars",
    rtl: bool = False,
    fmt: Fmt = default_fmt,
    width: int = 760,
    bar_height: int = 22,
) -> str:
    """One horizontal bar per item (label, value), in the order given, values at the bar's end."""
    labels = [_shorten(label, 26) for label, _v in items]
    # Room for the longest label at about 7 px a character (12 px type; Arabic words run
    # wider than English ones), between 180 and 300 px.
    label_w = min(300.0, max(180.0, 7.0 * max((len(t) for t in labels), default=0) + 16))
    value_w = 80.0
    height = 16 + len(items) * (bar_height + 8) + 8
    svg = _Svg(width, height, chart_id=chart_id, rtl=rtl)
    top_value = max((v for _l, v in items), default=0) or 1
    span = width - label_w - value_w - 16
    for i, (label, value) in enumerate(items):
        y = 12 + i * (bar_height + 8)
        w = max(span * value / top_value, 1 if value else 0)
        svg.text(label_w - 8, y + bar_height * 0.7, labels[i], anchor="end", size=12)
        svg.add(
            f'<rect x="{svg.rect_x(label_w, w)}" y="{y}" width="{round(w, 1)}" '
            f'height="{bar_height}" rx="2" fill="{colour}"><title>{_e(label)}: '
            f"{_e(fmt(value))}</title></rect>"
        )
        svg.text(label_w + w + 6, y + bar_height * 0.7, fmt(value), size=12, weight="600")
    return svg.render(title, desc)


@cache
def world_paths() -> dict[str, Any]:
    """The vendored world geometry (see scripts/build_world_paths.py)."""
    data: dict[str, Any] = json.loads(WORLD_PATHS.read_text(encoding="utf-8"))
    return data


def world_map(
    *,
    title: str,
    desc: str,
    values: dict[str, int],
    names: dict[str, str],
    legend_title: str,
    no_data: str,
    chart_id: str = "map",
    rtl: bool = False,
    fmt: Fmt = default_fmt,
) -> str:
    """A choropleth of values by ISO alpha-3 code, in five quantile classes of UNHCR blues.

    Countries too small for the 1:110m geometry are in the data table only.
    """
    geo = world_paths()
    _x0, y0, w, h = (float(v) for v in geo["viewBox"].split())
    width = int(w)
    legend_h = 46
    svg = _Svg(width, int(h + legend_h), chart_id=chart_id, rtl=rtl)
    breaks = gap.quantile_breaks(values.values(), len(SEQUENTIAL_BLUES))
    # With fewer classes than colours, use the darker end of the scale.
    colours = SEQUENTIAL_BLUES[len(SEQUENTIAL_BLUES) - len(breaks) :]
    svg.add('<g stroke="#FFFFFF" stroke-width="0.4" stroke-linejoin="round">')
    for code, shape in geo["countries"].items():
        value = values.get(code, 0)
        cls = gap.class_of(value, breaks)
        fill = NO_DATA if cls is None else colours[cls]
        name = names.get(code) or shape.get("name", code)
        label = f"{name}: {fmt(value)}" if value else f"{name}: {no_data}"
        svg.add(f'<path d="{shape["d"]}" fill="{fill}"><title>{_e(label)}</title></path>')
    svg.add("</g>")
    # Legend below the map, from the reading start.
    ly = y0 + h + 14
    svg.text(8, ly + 4, legend_title, size=12, weight="600")
    x = 8.0
    lower = 1
    ly += 12
    for i, bound in enumerate(breaks):
        svg.add(
            f'<rect x="{svg.rect_x(x, 14)}" y="{ly}" width="14" height="14" fill="{colours[i]}"/>'
        )
        text = fmt(bound) if lower >= bound else f"{compact(lower)}–{compact(bound)}"
        if rtl:
            text = f"\u2066{text}\u2069"  # a range of numbers reads left to right
        svg.text(x + 18, ly + 11, text, size=11)
        x += 34 + 7 * len(text)
        lower = bound + 1
    svg.add(f'<rect x="{svg.rect_x(x, 14)}" y="{ly}" width="14" height="14" fill="{NO_DATA}"/>')
    svg.text(x + 18, ly + 11, no_data, size=11)
    return svg.render(title, desc, view_box=f"0 {y0} {width} {h + legend_h}")
