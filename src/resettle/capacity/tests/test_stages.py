"""The stage rule on hand-checked assessments, boundaries included (pure: no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from resettle.capacity import stages
from resettle.capacity.models import Dimension
from resettle.directory.models import ProgrammeStage


def scores(*values: int | None) -> dict[str, int | None]:
    """Scores in the order legal, processing, pre-departure, reception (core), then
    pathways, sponsorship, data, partnerships."""
    return dict(zip(stages.DIMENSIONS, values, strict=True))


# Each case was worked out by hand: (scores, sum, core minimum, stage).
HAND_CHECKED = [
    # Everything at 4: established.
    (scores(4, 4, 4, 4, 4, 4, 4, 4), 32, 4, "established"),
    # Mean exactly 3 (24/8) and every core at 3: established (boundary, inclusive).
    (scores(3, 3, 3, 3, 3, 3, 3, 3), 24, 3, "established"),
    # Mean 23/8 = 2.875 just under 3, core all 3: emerging.
    (scores(3, 3, 3, 3, 3, 3, 3, 2), 23, 3, "emerging"),
    # Mean 3.5 but one core dimension (reception) at 2: emerging, not established.
    (scores(4, 4, 4, 2, 4, 4, 3, 3), 28, 2, "emerging"),
    # Mean exactly 1.5 (12/8) and core minimum 1: emerging (boundary, inclusive).
    (scores(2, 2, 1, 1, 2, 2, 1, 1), 12, 1, "emerging"),
    # Mean 11/8 = 1.375 just under 1.5: new.
    (scores(2, 2, 1, 1, 2, 1, 1, 1), 11, 1, "new"),
    # Mean 2.5 but a core dimension at 0 (no pre-departure arrangements): new.
    (scores(4, 4, 0, 4, 2, 2, 2, 2), 20, 0, "new"),
    # Strong non-core dimensions do not make up for weak core ones.
    (scores(1, 1, 1, 1, 4, 4, 4, 4), 20, 1, "emerging"),
    # Nothing in place: new.
    (scores(0, 0, 0, 0, 0, 0, 0, 0), 0, 0, "new"),
]


@pytest.mark.parametrize(("values", "total", "core", "stage"), HAND_CHECKED)
def test_hand_checked_assessments(
    values: dict[str, int | None], total: int, core: int, stage: str
) -> None:
    assert stages.mean_score(values) == Fraction(total, 8)
    assert stages.core_minimum(values) == core
    assert stages.derive_stage(values) == stage


def test_incomplete_or_out_of_range_scores_are_refused() -> None:
    partial = scores(3, 3, 3, 3, 3, 3, 3, None)
    with pytest.raises(stages.IncompleteScores, match="partnerships"):
        stages.derive_stage(partial)
    assert stages.try_derive_stage(partial) is None
    with pytest.raises(stages.IncompleteScores, match="between 0 and 4"):
        stages.derive_stage(scores(5, 3, 3, 3, 3, 3, 3, 3))
    with pytest.raises(stages.IncompleteScores, match="unknown"):
        stages.derive_stage({**scores(3, 3, 3, 3, 3, 3, 3, 3), "other": 2})


def test_the_rule_uses_the_directorys_stages_and_the_models_dimensions() -> None:
    assert tuple(ProgrammeStage.values) == stages.STAGES
    assert tuple(Dimension.values) == stages.DIMENSIONS
    assert set(stages.CORE_DIMENSIONS) <= set(stages.DIMENSIONS)
