"""The scoring scale of assessments in words: what each score from 0 to 4 means, and
what 0 and 4 mean on each dimension. The assessment form shows them (the levels as
the labels of a dimension's score, the anchors in its legend); docs/capacity.md
repeats them. The numbers themselves, and the stage rule, are in stages.py."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from resettle.capacity import stages

# The words of the docs' rule: 0 nothing in place ... 4 fully in place and reviewed.
LEVELS: dict[int, Promise] = {
    0: _("nothing in place"),
    1: _("initial steps"),
    2: _("partly in place"),
    3: _("largely in place"),
    4: _("fully in place and reviewed"),
}

# What a 0 and a 4 look like on each dimension, in the order of stages.DIMENSIONS.
ANCHORS: dict[str, tuple[Promise, Promise]] = {
    "legal": (
        _("no legal or policy basis for resettlement"),
        _("a resettlement law or policy in force, funded and regularly reviewed"),
    ),
    "processing": (
        _("no procedure to identify, select or process refugees referred by UNHCR"),
        _("selection missions, case processing and security checks run routinely"),
    ),
    "pre_departure": (
        _("no arrangements for health checks, cultural orientation or travel"),
        _("medical checks, cultural orientation and travel arranged for every case"),
    ),
    "reception": (
        _("no reception or integration support for resettled refugees"),
        _("housing, language, work and services for every arrival, reviewed"),
    ),
    "pathways": (
        _("no family, work or study pathways for refugees"),
        _("family, labour and education pathways open, used and reviewed"),
    ),
    "sponsorship": (
        _("no community sponsorship"),
        _("a sponsorship programme with trained and supported sponsors"),
    ),
    "data": (
        _("no data on arrivals or their outcomes"),
        _("arrivals and integration outcomes recorded, reported and used"),
    ),
    "partnerships": (
        _("no partners and no dedicated funding"),
        _("multi-year funding and partnerships with civil society, cities and companies"),
    ),
}


def level_label(score: int) -> str:
    """A score with its meaning, such as "2 — partly in place"."""
    return f"{score} — {LEVELS[score]}"


def level_choices() -> list[tuple[str, str]]:
    """The scores from 0 to 4 as (value, label) choices of a form field."""
    return [(str(i), level_label(i)) for i in range(stages.MIN_SCORE, stages.MAX_SCORE + 1)]
