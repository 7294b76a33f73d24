"""Server-rendered SVG charts of capacity building: the assessment radar and the
training gains bars. Plain Python strings, no Django, no JavaScript.

Like needs/charts.py (whose palette and font they share): an `<svg role="img">`
with a `<title>` and `<desc>` named by aria-labelledby, a `<title>` tooltip on
every point, meant to sit next to a data table with the same numbers (the
templates show it). Right to left: with rtl=True the root gets
direction="rtl" and the radar runs counter-clockwise (mirrored), so the first
dimension is still at the top and the next ones follow the reading direction;
labels are anchored in the middle, which reads the same both ways.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Arabic', Arial, sans-serif"
GREY_TEXT = "#4D4D4D"
GRID = "#CCCCCC"
UNHCR_BLUE = "#0072BC"
# One colour per assessment: the latest in UNHCR blue, the earlier ones in the
# palette's qualitative colours.
SERIES_COLOURS = ("#0072BC", "#FFC740", "#32C189", "#6CD8FD", "#D25A45", "#18375F")
NEGATIVE = "#D25A45"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def colour_for(index: int) -> str:
    """The colour of the index-th series (cycling through the palette)."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def _root(width: int, height: int, *, chart_id: str, rtl: bool, title: str, desc: str) -> str:
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="rs-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'id="{chart_id}" font-family="{_e(FONT)}"{direction} '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-title">{_e(title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>'
    )


def radar(
    *,
    title: str,
    desc: str,
    axes: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int | None]]],
    max_value: int = 4,
    chart_id: str = "radar",
    rtl: bool = False,
    size: int = 460,
) -> str:
    """A radar (spider) chart: one axis per dimension, one polygon per series.

    series: (label, colour, one value per axis; None where unscored, drawn at 0
    and said so in the point's tooltip).
    """
    n = max(len(axes), 3)
    # Wider than tall: the labels of the side axes need room on both sides.
    width = size + 200
    cx, cy = width / 2, size / 2
    radius = size / 2 - 70
    sign = -1 if rtl else 1

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + sign * 2 * math.pi * i / n
        r = radius * value / max_value
        return round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1)

    parts = [_root(width, size, chart_id=chart_id, rtl=rtl, title=title, desc=desc)]
    # Rings for each score, and their values along the first axis.
    for level in range(1, max_value + 1):
        ring = " ".join(f"{x},{y}" for x, y in (point(i, level) for i in range(n)))
        parts.append(
            f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1" class="ring"/>'
        )
        x, y = point(0, level)
        parts.append(
            f'<text x="{x + 4}" y="{y + 4}" font-size="10" fill="{GREY_TEXT}">{level}</text>'
        )
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke="{GRID}" stroke-width="1" '
            f'class="axis"/>'
        )
        lx, ly = point(i, max_value + 0.55)
        parts.append(
            f'<text x="{lx}" y="{ly + 4}" text-anchor="middle" font-size="11" '
            f'fill="{GREY_TEXT}" class="axis-label"><title>{_e(label)}</title>'
            f"{_e(_shorten(label, 24))}</text>"
        )
    for label, colour, values in series:
        pts = [point(i, v or 0) for i, v in enumerate(values[:n])]
        poly = " ".join(f"{x},{y}" for x, y in pts)
        parts.append(
            f'<polygon points="{poly}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" '
            f'stroke-width="2" class="series"><title>{_e(label)}</title></polygon>'
        )
        for (x, y), axis_label, value in zip(pts, axes, values, strict=False):
            shown = "—" if value is None else str(value)
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}">'
                f"<title>{_e(label)} · {_e(axis_label)}: {_e(shown)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def gain_bars(
    *,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float]],
    chart_id: str = "gains",
    rtl: bool = False,
    width: int = 760,
    bar_height: int = 22,
    unit: str = "",
) -> str:
    """One horizontal bar per item (label, mean gain in points); a negative gain is
    drawn in red from the same baseline, its value printed at the bar's end."""
    label_w, value_w = 220.0, 70.0
    height = int(16 + len(items) * (bar_height + 8) + 8)
    span = width - label_w - value_w - 16
    top = max((abs(v) for _l, v in items), default=0.0) or 1.0

    def px(x: float) -> float:  # a logical x (from the reading start) as a physical x
        return round(width - x, 1) if rtl else round(x, 1)

    parts = [_root(width, height, chart_id=chart_id, rtl=rtl, title=title, desc=desc)]
    for i, (label, value) in enumerate(items):
        y = 12 + i * (bar_height + 8)
        w = span * abs(value) / top
        colour = NEGATIVE if value < 0 else UNHCR_BLUE
        shown = f"{value:+.1f}{unit}"
        parts.append(
            f'<text x="{px(label_w - 8)}" y="{y + bar_height * 0.7}" text-anchor="end" '
            f'font-size="12" fill="{GREY_TEXT}"><title>{_e(label)}</title>'
            f"{_e(_shorten(label, 32))}</text>"
        )
        rect_x = round(width - label_w - w, 1) if rtl else round(label_w, 1)
        parts.append(
            f'<rect x="{rect_x}" y="{y}" width="{round(w, 1)}" height="{bar_height}" rx="2" '
            f'fill="{colour}"><title>{_e(label)}: {_e(shown)}</title></rect>'
        )
        parts.append(
            f'<text x="{px(label_w + w + 6)}" y="{y + bar_height * 0.7}" font-size="12" '
            f'font-weight="600" fill="{GREY_TEXT}">{_e(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
