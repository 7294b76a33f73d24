"""Co-chair rotation planner: pure computation on plain data (no Django).

The consultations are co-chaired each cycle by the government and an NGO of
one resettlement State, rotating between States. Given the cycles held and
planned, and the resettlement States with their government bodies and NGOs,
`propose_rotation` proposes the cycles after the last planned one: for each, the
State that has gone longest without chairing among those that have not chaired
within the last `min_gap_years` (never-chaired States first), with that State's
NGOs as candidates for the NGO co-chair. A State proposed for one cycle counts
as having chaired for the next ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Org:
    """An organisation candidate: its id and name."""

    id: int
    name: str


@dataclass(frozen=True)
class StateCandidate:
    """A resettlement State with its government bodies and NGOs in the directory."""

    iso3: str
    name: str
    governments: tuple[Org, ...]
    ngos: tuple[Org, ...] = ()


@dataclass(frozen=True)
class HeldCycle:
    """A cycle held or planned: its years and chairing State."""

    start_year: int
    end_year: int
    state_iso3: str


@dataclass(frozen=True)
class StateHistory:
    """When a State last chaired, and whether it may chair the next proposed cycle."""

    state: StateCandidate
    last_chaired: int | None  # the first year of its latest cycle
    times_chaired: int
    eligible: bool


@dataclass(frozen=True)
class ProposedCycle:
    """A proposed future cycle: the proposed State and the others that could chair it."""

    start_year: int
    end_year: int
    state: StateCandidate | None
    alternatives: tuple[StateCandidate, ...] = field(default=())

    @property
    def label(self) -> str:
        """2029-30, or 2029 for a one-year cycle."""
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}-{str(self.end_year)[-2:]}"


def last_chaired(cycles: Sequence[HeldCycle]) -> dict[str, int]:
    """The first year of each State's latest cycle."""
    out: dict[str, int] = {}
    for c in cycles:
        out[c.state_iso3] = max(out.get(c.state_iso3, c.start_year), c.start_year)
    return out


def is_eligible(last: int | None, year: int, min_gap_years: int) -> bool:
    """A State may chair in `year` unless it chaired within the `min_gap_years` before it."""
    return last is None or year - last >= min_gap_years


def rank(
    states: Sequence[StateCandidate], last: dict[str, int], year: int, min_gap_years: int
) -> list[StateCandidate]:
    """The eligible States for a cycle starting in `year`, best first: never chaired, then
    longest since chairing; States with an NGO to co-chair before those without; then name."""
    eligible = [
        s for s in states if s.governments and is_eligible(last.get(s.iso3), year, min_gap_years)
    ]
    return sorted(
        eligible,
        key=lambda s: (
            not s.ngos,
            last.get(s.iso3) is not None,
            last.get(s.iso3, 0),
            s.name,
        ),
    )


def history(
    states: Sequence[StateCandidate],
    cycles: Sequence[HeldCycle],
    *,
    year: int,
    min_gap_years: int,
) -> list[StateHistory]:
    """Each State's last cycle and whether it may chair a cycle starting in `year`."""
    last = last_chaired(cycles)
    counts: dict[str, int] = {}
    for c in cycles:
        counts[c.state_iso3] = counts.get(c.state_iso3, 0) + 1
    rows = [
        StateHistory(
            state=s,
            last_chaired=last.get(s.iso3),
            times_chaired=counts.get(s.iso3, 0),
            eligible=bool(s.governments) and is_eligible(last.get(s.iso3), year, min_gap_years),
        )
        for s in states
    ]
    return sorted(rows, key=lambda r: (r.last_chaired or 0, r.state.name))


def next_cycle_years(cycles: Sequence[HeldCycle], this_year: int) -> tuple[int, int]:
    """The years of the cycle after the last one: it starts the year after the last one
    started and spans as many years; with no cycle, this year alone."""
    if not cycles:
        return this_year, this_year
    latest = max(cycles, key=lambda c: c.start_year)
    span = latest.end_year - latest.start_year
    start = latest.start_year + 1
    return start, start + span


def propose_rotation(
    states: Sequence[StateCandidate],
    cycles: Sequence[HeldCycle],
    *,
    this_year: int,
    count: int = 3,
    min_gap_years: int = 8,
    alternatives: int = 3,
) -> list[ProposedCycle]:
    """`count` cycles after the last planned one (see the module docstring)."""
    if count < 0 or min_gap_years < 0:
        raise ValueError("count and min_gap_years must not be negative")
    held = list(cycles)
    proposals: list[ProposedCycle] = []
    for _ in range(count):
        start, end = next_cycle_years(held, this_year)
        ranked = rank(states, last_chaired(held), start, min_gap_years)
        chosen = ranked[0] if ranked else None
        proposals.append(
            ProposedCycle(
                start_year=start,
                end_year=end,
                state=chosen,
                alternatives=tuple(ranked[1 : 1 + alternatives]),
            )
        )
        # The proposed State counts as chairing this cycle for the following ones;
        # with no State to propose the cycle still takes its place in time.
        held.append(HeldCycle(start, end, chosen.iso3 if chosen else ""))
    return proposals
