"""Learning gains of training deliveries, by module. Pure Python (no Django).

A delivery's gain is the mean post-test score minus the mean pre-test score
(in points, on the test's 0-100 scale). Where participants' own results are
recorded, the means are taken over the participants who sat both tests;
otherwise the delivery's aggregated means are used; a delivery with neither
has no gain and is left out of the means (but counted as a delivery).

By module: the number of deliveries, of participants (the recorded count, or
the number of participants' results where no count is given), the mean gain
over the deliveries that have one (each delivery weighs the same), and the
mean feedback score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeliveryScores:
    """What the gains need of one delivery."""

    module_key: str
    participant_count: int | None = None
    pre_mean: float | None = None
    post_mean: float | None = None
    results: Sequence[tuple[float | None, float | None]] = ()  # (pre, post) per participant
    feedback: float | None = None


@dataclass
class ModuleGains:
    """The gains of one module's deliveries."""

    module_key: str
    deliveries: int = 0
    participants: int = 0
    gains: list[float] = field(default_factory=list)
    feedback: list[float] = field(default_factory=list)

    @property
    def mean_gain(self) -> float | None:
        """The mean of the deliveries' gains, or None if none has one."""
        return sum(self.gains) / len(self.gains) if self.gains else None

    @property
    def mean_feedback(self) -> float | None:
        """The mean feedback score, or None if none was given."""
        return sum(self.feedback) / len(self.feedback) if self.feedback else None


def delivery_gain(d: DeliveryScores) -> float | None:
    """Mean post minus mean pre for one delivery (see the module docstring)."""
    pairs = [(pre, post) for pre, post in d.results if pre is not None and post is not None]
    if pairs:
        return sum(post - pre for pre, post in pairs) / len(pairs)
    if d.pre_mean is not None and d.post_mean is not None:
        return d.post_mean - d.pre_mean
    return None


def participants(d: DeliveryScores) -> int:
    """The delivery's number of participants."""
    if d.participant_count is not None:
        return d.participant_count
    return len(d.results)


def gains_by_module(deliveries: Iterable[DeliveryScores]) -> dict[str, ModuleGains]:
    """Each module's deliveries, participants, mean gain and feedback, by module key."""
    out: dict[str, ModuleGains] = {}
    for d in deliveries:
        row = out.setdefault(d.module_key, ModuleGains(d.module_key))
        row.deliveries += 1
        row.participants += participants(d)
        gain = delivery_gain(d)
        if gain is not None:
            row.gains.append(gain)
        if d.feedback is not None:
            row.feedback.append(d.feedback)
    return out
