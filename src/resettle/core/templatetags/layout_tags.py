"""Sizes as CSS classes, since the content security policy allows no style attribute.

`{{ 37.4|width_class }}` gives "rs-w-37" (width: 37%), `{{ 50|start_class }}`
gives "rs-start-50" (inset-inline-start: 50%); both round to whole percents and
keep within 0-100. The classes are in core/static/resettle/resettle.css.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def _percent(value: Any) -> int:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return 0
    if not number.is_finite():
        return 0
    return max(0, min(100, int(number.to_integral_value())))


@register.filter
def width_class(value: Any) -> str:
    """The class that gives an element this percentage of its container's width."""
    return f"rs-w-{_percent(value)}"


@register.filter
def start_class(value: Any) -> str:
    """The class that places an absolutely positioned element this far along the line."""
    return f"rs-start-{_percent(value)}"
