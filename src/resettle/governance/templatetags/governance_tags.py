"""Template filters of the governance pages."""

from django import template

from resettle.governance.participation import percent

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A share (0 to 1) as a whole percentage; a dash when unknown."""
    return percent(value)
