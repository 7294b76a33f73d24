"""A case's explanation in plain words, from the engine's Explanation stored on its assignment.

Everything is phrased with gettext, so the same explanation reads in English,
Arabic and French (`in_languages` renders it in each).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.allocation.models import AssignmentReason, RunAssignment
from resettle.allocation.results import LineRow

LANGUAGES = (("en", "English"), ("ar", "العربية"), ("fr", "Français"))

CRITERIA = {
    "nationality": gettext_lazy("it does not take this nationality"),
    "nationalities": gettext_lazy("it does not take this nationality"),
    "asylum": gettext_lazy("it does not take cases from this country of asylum"),
    "asylums": gettext_lazy("it does not take cases from this country of asylum"),
    "situation": gettext_lazy("it takes cases of other priority situations only"),
    "situations": gettext_lazy("it takes cases of other priority situations only"),
    "category": gettext_lazy("it does not take this submission category"),
    "categories": gettext_lazy("it does not take this submission category"),
    "priority": gettext_lazy("it does not take cases of this priority"),
    "priorities": gettext_lazy("it does not take cases of this priority"),
    "modality": gettext_lazy(
        "it works by interview, and a selection mission cannot reach this family"
    ),
    "family_size": gettext_lazy("the family is larger than the largest family it takes"),
    "serious_medical": gettext_lazy("it takes no cases with a serious medical condition"),
    "serious_medical_cap": gettext_lazy("it takes no more cases with a serious medical condition"),
    "capacity": gettext_lazy("the family is larger than all its places"),
}
BLOCKED = {
    "full": gettext_lazy("no room was left"),
    "reserved_urgent": gettext_lazy(
        "only places reserved for emergency and urgent cases were left"
    ),
    "serious_medical_cap": gettext_lazy(
        "its cap on cases with a serious medical condition was reached"
    ),
}


@dataclass(frozen=True)
class Words:
    """An explanation phrased: a headline and the reasons line by line."""

    language: str
    language_name: str
    headline: str
    details: list[str]


def _line_name(lines: dict[str, LineRow], line_id: str) -> str:
    line = lines.get(line_id)
    if line is None:
        return line_id
    if line.label and line.label != line.id:
        return f"{line.state_name} ({line.label})"
    return line.state_name


def phrase(assignment: RunAssignment, lines: dict[str, LineRow]) -> tuple[str, list[str]]:
    """The headline and detail sentences, in the active language."""
    data: dict[str, Any] = assignment.explanation or {}
    eligible: list[str] = list(data.get("eligible", []))
    excluded: dict[str, str] = dict(data.get("excluded_by", {}))
    by_state: dict[str, str] = dict(data.get("excluded_by_state", {}))
    blocked: dict[str, str] = dict(data.get("blocked", {}))
    linked: list[str] = list(data.get("linked", []))
    reason = assignment.reason
    details: list[str] = []
    if reason == AssignmentReason.PLACED:
        headline = _("Placed with %(state)s.") % {"state": _line_name(lines, assignment.line_key)}
        others = [line for line in eligible if line != assignment.line_key]
        details.append(
            _(
                "The case meets every criterion of this pledge line, which had room for the "
                "whole family."
            )
        )
        if others:
            details.append(
                _(
                    "It could also have gone to: %(lines)s. The engine chose this line to place "
                    "the most persons by priority, then those who waited longest, then the "
                    "States' preferences and a balance across situations."
                )
                % {"lines": ", ".join(_line_name(lines, line) for line in others)}
            )
    elif reason == AssignmentReason.CAPACITY_TAKEN:
        headline = _("Not placed: the places it was eligible for went to other cases.")
        details.append(
            _(
                "It met the criteria of %(lines)s, but their places were used by cases of "
                "higher priority or that had waited longer."
            )
            % {"lines": ", ".join(_line_name(lines, line) for line in eligible) or "—"}
        )
        for line_id, why in sorted(blocked.items(), key=lambda i: _line_name(lines, i[0])):
            details.append(
                _("%(line)s: %(why)s.")
                % {"line": _line_name(lines, line_id), "why": BLOCKED.get(why, why)}
            )
    elif reason == AssignmentReason.LINKED_CASES:
        headline = _("Not placed: its linked cases could not all go to the same State.")
        details.append(
            _(
                "Linked cases must go to one State together, and no State had room and "
                "criteria for all of them."
            )
        )
        if linked:
            details.append(_("Linked cases: %(cases)s.") % {"cases": ", ".join(linked)})
    else:
        headline = _("Not placed: no pledge line takes this case.")
    if reason != AssignmentReason.PLACED:
        for line_id, criterion in sorted(excluded.items(), key=lambda i: _line_name(lines, i[0])):
            details.append(
                _("%(line)s: %(why)s.")
                % {"line": _line_name(lines, line_id), "why": CRITERIA.get(criterion, criterion)}
            )
        if not excluded:
            names = {line.state: line.state_name for line in lines.values()}
            for state, criterion in sorted(by_state.items()):
                details.append(
                    _("%(state)s: %(why)s.")
                    % {"state": names.get(state, state), "why": CRITERIA.get(criterion, criterion)}
                )
    return headline, details


def in_languages(assignment: RunAssignment, lines: dict[str, LineRow]) -> list[Words]:
    """The explanation in English, Arabic and French."""
    words = []
    for code, name in LANGUAGES:
        with translation.override(code):
            headline, details = phrase(assignment, lines)
        words.append(Words(code, name, headline, details))
    return words
