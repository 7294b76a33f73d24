"""The co-chair rotation planner, checked by hand (no database)."""

from __future__ import annotations

import pytest

from resettle.governance import rotation as r


def state(iso3: str, name: str, *, ngo: bool = True, gov: bool = True) -> r.StateCandidate:
    return r.StateCandidate(
        iso3=iso3,
        name=name,
        governments=(r.Org(1, f"{name} government"),) if gov else (),
        ngos=(r.Org(2, f"{name} NGO"),) if ngo else (),
    )


DEU, CAN, SWE, NOR, FIN = (
    state("DEU", "Germany"),
    state("CAN", "Canada"),
    state("SWE", "Sweden"),
    state("NOR", "Norway"),
    state("FIN", "Finland", ngo=False),
)
CYCLES = [
    r.HeldCycle(2018, 2018, "DEU"),
    r.HeldCycle(2019, 2020, "CAN"),
    r.HeldCycle(2023, 2024, "SWE"),
    r.HeldCycle(2027, 2028, "NOR"),  # the last one planned
]


def test_next_cycle_follows_the_last_planned() -> None:
    assert r.next_cycle_years(CYCLES, 2026) == (2028, 2029)
    assert r.next_cycle_years([], 2026) == (2026, 2026)


def test_eligibility() -> None:
    assert r.is_eligible(None, 2028, 8)
    assert r.is_eligible(2020, 2028, 8)  # 8 years since
    assert not r.is_eligible(2021, 2028, 8)


def test_proposal() -> None:
    proposals = r.propose_rotation(
        [DEU, CAN, SWE, NOR, FIN], CYCLES, this_year=2026, count=3, min_gap_years=8
    )
    assert [(p.start_year, p.end_year) for p in proposals] == [
        (2028, 2029),
        (2029, 2030),
        (2030, 2031),
    ]
    # 2028: Germany (2018) and Canada (2019) are eligible, Sweden (2023) and Norway not;
    # Finland has never chaired but has no NGO to co-chair, so comes after them.
    first = proposals[0]
    assert first.state == DEU
    assert first.alternatives == (CAN, FIN)
    assert proposals[1].state == CAN
    assert proposals[2].state == FIN  # the only one left
    assert proposals[2].label == "2030-31"


def test_never_chaired_comes_first() -> None:
    dnk = state("DNK", "Denmark")
    [proposal] = r.propose_rotation([DEU, dnk], CYCLES, this_year=2026, count=1)
    assert proposal.state == dnk


def test_no_eligible_state() -> None:
    proposals = r.propose_rotation([SWE, NOR], CYCLES, this_year=2026, count=2)
    assert [p.state for p in proposals] == [None, None]
    assert proposals[1].start_year == 2029


def test_state_without_government_is_never_proposed() -> None:
    nogov = state("ITA", "Italy", gov=False)
    [proposal] = r.propose_rotation([nogov], [], this_year=2026, count=1)
    assert proposal.state is None


def test_history() -> None:
    rows = r.history([DEU, CAN, SWE, FIN], CYCLES, year=2028, min_gap_years=8)
    by = {row.state.iso3: row for row in rows}
    assert by["DEU"].last_chaired == 2018 and by["DEU"].eligible
    assert by["SWE"].last_chaired == 2023 and not by["SWE"].eligible
    assert by["FIN"].last_chaired is None and by["FIN"].times_chaired == 0
    assert rows[0].state == FIN  # never chaired first


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        r.propose_rotation([DEU], CYCLES, this_year=2026, count=-1)
