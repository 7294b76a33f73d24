"""Why each case ended where it did, how each line is used, and the emergency reserve.

Explanations are built on demand (a Mapping over case ids) from the arrays
the solver used, so a 300,000-case result costs no memory until read, and
cases of one profile share their tuples. They are consistent with the
allocation by construction: a case is CAPACITY_TAKEN only when none of its
eligible lines has room for it (the solver's last step guarantees it), and
`blocked` says what is missing on each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from resettle.allocation.engine.model import Explanation, Instance, LineUse, Reason, Result
from resettle.allocation.engine.prepare import CRITERIA, NORMAL, IntArray, Prepared

# Up to this many lines, `excluded_by` lists every line; beyond, only `excluded_by_state`.
DETAIL_LINES = 50
# UNHCR asks States to keep this share of their places for emergency and urgent cases.
RESERVE_TARGET = 0.10

CRITERION_TEXT = {
    "nationality": "nationality not accepted",
    "asylum": "country of asylum not accepted",
    "situation": "situation not accepted",
    "category": "submission category not accepted",
    "priority": "priority not accepted",
    "modality": "interview lines only, the case cannot be interviewed",
    "family_size": "family larger than the line takes",
    "serious_medical": "the line takes no serious medical cases",
}
BLOCKED_TEXT = {
    "full": "no room left",
    "reserved_urgent": "only places reserved for emergency and urgent cases left",
    "serious_medical_cap": "its cap on serious medical cases is reached",
}


class LazyExplanations(Mapping[str, Explanation]):
    """Case id -> Explanation, computed when read."""

    def __init__(self, prep: Prepared, line_of: IntArray) -> None:
        self._prep = prep
        self._line_of = line_of.tolist()
        self._line_ids = [ln.id for ln in prep.instance.lines]
        self._case_ids = [c.id for c in prep.instance.cases]
        self._eligible: dict[int, tuple[str, ...]] = {}
        self._excluded: dict[int, tuple[tuple[str, str], ...]] = {}
        self._by_state: dict[int, tuple[tuple[str, str], ...]] = {}
        self._blocked: dict[int, tuple[tuple[str, str], ...]] = {}
        self._state_codes: np.ndarray | None = None
        room = prep.cap.copy()
        nroom = prep.normal_cap.copy()
        sroom = np.where(prep.sercap >= 0, prep.sercap, 1 << 40)
        placed = np.flatnonzero(line_of >= 0)
        np.subtract.at(room, line_of[placed], prep.persons[placed])
        normal = placed[prep.level[placed] == NORMAL]
        np.subtract.at(nroom, line_of[normal], prep.persons[normal])
        ser = placed[prep.serious[placed]]
        np.subtract.at(sroom, line_of[ser], 1)
        self._room, self._nroom, self._sroom = room.tolist(), nroom.tolist(), sroom.tolist()

    def __len__(self) -> int:
        return len(self._case_ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._case_ids)

    def __getitem__(self, case_id: str) -> Explanation:
        i = self._prep.case_index[case_id]
        return self.of_index(i)

    def of_index(self, i: int) -> Explanation:
        """The explanation of case index i."""
        prep = self._prep
        p = int(prep.profile[i])
        case_id = self._case_ids[i]
        eligible = self._eligible_of(p)
        j = self._line_of[i]
        g = int(prep.link[i])
        linked = tuple(self._case_ids[m] for m in prep.groups[g] if m != i) if g >= 0 else ()
        if j >= 0:
            return Explanation(case_id, Reason.PLACED, self._line_ids[j], eligible, linked=linked)
        if not eligible:
            reason = Reason.NO_ELIGIBLE_LINE
        elif g >= 0:
            reason = Reason.LINKED_CASES
        else:
            reason = Reason.CAPACITY_TAKEN
        return Explanation(
            case_id,
            reason,
            None,
            eligible,
            excluded_by=self._excluded_of(p),
            excluded_by_state=self._by_state_of(p),
            blocked=self._blocked_of(p) if eligible else (),
            linked=linked,
        )

    def _eligible_of(self, p: int) -> tuple[str, ...]:
        got = self._eligible.get(p)
        if got is None:
            lines, _ = self._prep.eligible(p)
            got = self._eligible[p] = tuple(self._line_ids[j] for j in lines.tolist())
        return got

    def _excluded_of(self, p: int) -> tuple[tuple[str, str], ...]:
        if self._prep.n_lines > DETAIL_LINES:
            return ()
        got = self._excluded.get(p)
        if got is None:
            row = self._prep.excl[p].tolist()
            got = self._excluded[p] = tuple(
                (self._line_ids[j], CRITERIA[code - 1]) for j, code in enumerate(row) if code
            )
        return got

    def _by_state_of(self, p: int) -> tuple[tuple[str, str], ...]:
        got = self._by_state.get(p)
        if got is None:
            codes = self._state_table()[p].tolist()
            got = self._by_state[p] = tuple(
                (state, CRITERIA[code - 1])
                for state, code in zip(self._prep.states, codes, strict=True)
                if code > 0
            )
        return got

    def _state_table(self) -> np.ndarray:
        """Profile x State: the criterion of the State's nearest-miss line, 0 if eligible there."""
        if self._state_codes is None:
            prep = self._prep
            table = np.zeros((len(prep.prof_persons), len(prep.states)), dtype=np.int8)
            for s in range(len(prep.states)):
                cols = prep.excl[:, prep.line_state == s]
                # A later criterion failing means the earlier ones passed: the nearest miss.
                nearest = cols.max(axis=1)
                table[:, s] = np.where((cols == 0).any(axis=1), 0, nearest)
            self._state_codes = table
        return self._state_codes

    def _blocked_of(self, p: int) -> tuple[tuple[str, str], ...]:
        got = self._blocked.get(p)
        if got is None:
            prep = self._prep
            n = int(prep.prof_persons[p])
            normal = int(prep.prof_level[p]) == NORMAL
            serious = bool(prep.prof_serious[p])
            out: list[tuple[str, str]] = []
            for j in prep.eligible(p)[0].tolist():
                if n > self._room[j]:
                    out.append((self._line_ids[j], "full"))
                elif normal and n > self._nroom[j]:
                    out.append((self._line_ids[j], "reserved_urgent"))
                elif serious and self._sroom[j] < 1:
                    out.append((self._line_ids[j], "serious_medical_cap"))
            got = self._blocked[p] = tuple(out)
        return got


def explanation_text(explanation: Explanation, line_states: Mapping[str, str]) -> str:
    """An explanation in one English sentence (the web phrases it in the user's language)."""
    if explanation.reason == Reason.PLACED:
        return (
            f"placed with {line_states.get(explanation.line_id or '', '?')} on line "
            f"{explanation.line_id} (one of its {len(explanation.eligible_lines)} eligible lines)"
        )
    if explanation.reason == Reason.NO_ELIGIBLE_LINE:
        counts: dict[str, int] = {}
        for _state, criterion in explanation.excluded_by_state:
            counts[criterion] = counts.get(criterion, 0) + 1
        parts = ", ".join(
            f"{CRITERION_TEXT[c]} ({k} States)"
            for c, k in sorted(counts.items(), key=lambda x: -x[1])
        )
        return f"no eligible line: {parts}" if parts else "no eligible line: no pledge lines"
    blocked: dict[str, int] = {}
    for _line, why in explanation.blocked:
        blocked[why] = blocked.get(why, 0) + 1
    detail = "; ".join(f"{BLOCKED_TEXT[w]} on {k} line(s)" for w, k in sorted(blocked.items()))
    if explanation.reason == Reason.LINKED_CASES:
        return (
            "not placed: its linked cases ("
            + ", ".join(explanation.linked)
            + ") could not all be placed with one State"
            + (f" ({detail})" if detail else "")
        )
    return (
        f"not placed: its {len(explanation.eligible_lines)} eligible line(s) went to cases "
        f"ranked before it (higher priority, longer waiting, or a better fit) ({detail})"
    )


def line_uses(prep: Prepared, line_of: IntArray) -> tuple[LineUse, ...]:
    """Per line: persons used, by priority level, serious medical cases, and the cases."""
    instance = prep.instance
    n_lines = prep.n_lines
    placed = np.flatnonzero(line_of >= 0)
    by_level = np.zeros((n_lines, 3), dtype=np.int64)
    np.add.at(by_level, (line_of[placed], prep.level[placed]), prep.persons[placed])
    ser = np.bincount(line_of[placed][prep.serious[placed]], minlength=n_lines)
    cases: list[list[str]] = [[] for _ in range(n_lines)]
    ids = [c.id for c in instance.cases]
    for i in placed.tolist():
        cases[int(line_of[i])].append(ids[i])
    return tuple(
        LineUse(
            line_id=line.id,
            state=line.state,
            capacity=line.capacity,
            used=int(by_level[j].sum()),
            used_by_priority=(int(by_level[j, 0]), int(by_level[j, 1]), int(by_level[j, 2])),
            cases=tuple(cases[j]),
            reserved_urgent=line.reserved_urgent,
            serious_medical_cases=int(ser[j]),
        )
        for j, line in enumerate(instance.lines)
    )


@dataclass(frozen=True)
class StateReserve:
    """A State's places kept for emergency and urgent cases against the 10% target."""

    state: str
    capacity: int
    reserved: int  # places the State reserved for emergency and urgent cases
    target: int  # RESERVE_TARGET of its capacity, rounded up
    urgent_used: int  # persons of emergency and urgent cases placed
    unallocated: int  # places left free on lines that take emergency or urgent cases
    reserve_left: int  # reserved places not used by emergency and urgent cases

    @property
    def meets_target(self) -> bool:
        """Whether the places left for emergency and urgent cases reach the target."""
        return self.unallocated >= self.target


def reserve_summary(instance: Instance, result: Result) -> list[StateReserve]:
    """Per State (sorted), then "" for all: the unallocated emergency and urgent reserve.

    `unallocated` counts the places still free on lines that accept emergency
    or urgent cases, what remains to receive emergency and urgent cases over
    the year; the target is 10% of the State's capacity.
    """
    uses = {u.line_id: u for u in result.lines}
    totals: dict[str, list[int]] = {}
    for line in instance.lines:
        use = uses[line.id]
        row = totals.setdefault(line.state, [0, 0, 0, 0, 0])
        urgent = use.used_by_priority[0] + use.used_by_priority[1]
        row[0] += line.capacity
        row[1] += line.reserved_urgent
        row[2] += urgent
        takes_urgent = any(int(p) < NORMAL for p in line.priorities)
        if takes_urgent:
            row[3] += line.capacity - use.used
        row[4] += max(0, line.reserved_urgent - urgent)
    out = []
    all_row = [0, 0, 0, 0, 0]
    for state in sorted(totals):
        row = totals[state]
        all_row = [a + b for a, b in zip(all_row, row, strict=True)]
        out.append(_reserve(state, row))
    out.append(_reserve("", all_row))
    return out


def _reserve(state: str, row: list[int]) -> StateReserve:
    capacity = row[0]
    return StateReserve(
        state=state,
        capacity=capacity,
        reserved=row[1],
        target=-(-capacity * int(RESERVE_TARGET * 100) // 100),
        urgent_used=row[2],
        unallocated=row[3],
        reserve_left=row[4],
    )
