"""Scenario changes, as the web and the API describe them, applied with engine.scenario.

A change is a dict:

- {"kind": "add_capacity", "situation": NAME, "places": N, "state": ISO3 or None}
- {"kind": "drop_restriction", "line": LINE_ID, "criterion": "nationalities" |
  "asylums" | "situations"}
- {"kind": "set_capacity", "line": LINE_ID, "capacity": N}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from resettle.allocation.engine.model import Instance

KINDS = ("add_capacity", "drop_restriction", "set_capacity")
CRITERIA = ("nationalities", "asylums", "situations", "categories")


def _line(instance: Instance, line_id: Any) -> str:
    ids = {line.id for line in instance.lines}
    if not isinstance(line_id, str) or line_id not in ids:
        raise ValidationError(
            {"line": _("No pledge line %(line)s in this run.") % {"line": line_id}}
        )
    return line_id


def _count(value: Any, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError({field: _("A whole number of at least %(n)s.") % {"n": minimum}})
    count: int = value
    return count


def apply_one(instance: Instance, change: Mapping[str, Any]) -> tuple[Instance, str]:
    """One change applied, and how to say it."""
    kind = change.get("kind")
    if kind == "add_capacity":
        situation = change.get("situation")
        if not isinstance(situation, str) or not situation:
            raise ValidationError({"situation": _("Name the priority situation.")})
        places = _count(change.get("places"), "places", 1)
        state = change.get("state") or None
        if state is not None and not isinstance(state, str):
            raise ValidationError({"state": _("An ISO code, such as DEU.")})
        from resettle.allocation.engine import scenario as engine_scenario  # noqa: PLC0415

        changed = engine_scenario.add_capacity(
            instance, persons=places, situation=situation, state=state
        )
        if state:
            text = _("%(places)s places added for %(situation)s, by %(state)s.")
        else:
            text = _("%(places)s places added for %(situation)s.")
        return changed, text % {"places": places, "situation": situation, "state": state}
    if kind == "drop_restriction":
        line = _line(instance, change.get("line"))
        criterion = change.get("criterion")
        if criterion not in CRITERIA:
            raise ValidationError(
                {"criterion": _("One of: %(names)s.") % {"names": ", ".join(CRITERIA)}}
            )
        from resettle.allocation.engine import scenario as engine_scenario  # noqa: PLC0415

        changed = engine_scenario.drop_restriction(instance, line, criterion)
        return changed, _("Line %(line)s takes any %(criterion)s.") % {
            "line": line,
            "criterion": criterion,
        }
    if kind == "set_capacity":
        line = _line(instance, change.get("line"))
        capacity = _count(change.get("capacity"), "capacity", 0)
        from resettle.allocation.engine import scenario as engine_scenario  # noqa: PLC0415

        changed = engine_scenario.set_capacity(instance, line, capacity)
        return changed, _("Line %(line)s has %(capacity)s places.") % {
            "line": line,
            "capacity": capacity,
        }
    raise ValidationError({"kind": _("One of: %(names)s.") % {"names": ", ".join(KINDS)}})


def apply(instance: Instance, changes: Sequence[Mapping[str, Any]]) -> tuple[Instance, list[str]]:
    """Every change applied in order, and their descriptions."""
    described = []
    for change in changes:
        if not isinstance(change, Mapping):
            raise ValidationError({"changes": _("Each change is an object.")})
        instance, text = apply_one(instance, change)
        described.append(text)
    return instance, described
