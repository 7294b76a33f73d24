"""The pure modules: stage transitions and indicators arithmetic."""

from __future__ import annotations

import datetime

import pytest

from resettle.pipeline import indicators, stages

D = datetime.date


def test_the_happy_path_is_allowed() -> None:
    path = [
        stages.ACCEPTED_FOR_MISSION,
        stages.INTERVIEW_SCHEDULED,
        stages.INTERVIEWED,
        stages.ACCEPTED,
        stages.MEDICAL_FIT,
        stages.ORIENTATION_COMPLETED,
        stages.EXIT_PERMISSION,
        stages.TRAVEL_BOOKED,
        stages.DEPARTED,
    ]
    current = stages.REFERRED
    for move in path:
        current = stages.next_stage(current, move)
    assert current == stages.DEPARTED
    assert stages.allowed_moves(stages.DEPARTED) == ()


def test_illegal_moves_name_the_allowed_ones() -> None:
    with pytest.raises(stages.IllegalMove) as exc:
        stages.next_stage(stages.REFERRED, stages.DEPARTED)
    assert exc.value.allowed == (stages.ACCEPTED_FOR_MISSION, stages.ON_HOLD, stages.WITHDRAWN)
    assert "referred" in str(exc.value) and "accepted_for_mission" in str(exc.value)


def test_hold_and_resume() -> None:
    with pytest.raises(stages.IllegalMove) as exc:
        stages.next_stage(stages.INTERVIEWED, stages.ON_HOLD)
    assert exc.value.missing_reason
    assert stages.next_stage(stages.INTERVIEWED, stages.ON_HOLD, reason="ill") == stages.ON_HOLD
    assert stages.next_stage(stages.ON_HOLD, stages.RESUME, held_from=stages.INTERVIEWED) == (
        stages.INTERVIEWED
    )
    with pytest.raises(stages.IllegalMove):
        stages.next_stage(stages.ON_HOLD, stages.RESUME, held_from="")
    with pytest.raises(stages.IllegalMove):
        stages.next_stage(stages.ON_HOLD, stages.ACCEPTED)


def test_overdue() -> None:
    assert stages.is_overdue(stages.REFERRED, 61)
    assert not stages.is_overdue(stages.REFERRED, 60)
    assert not stages.is_overdue(stages.DEPARTED, 9999)


def test_add_months() -> None:
    assert indicators.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert indicators.add_months(D(2025, 1, 15), 6) == D(2025, 7, 15)


def test_indicators_arithmetic() -> None:
    today = D(2026, 6, 1)
    timelines = [
        # departed 5 months after submission: within six months
        indicators.Timeline(
            D(2025, 1, 1),
            {"referred": D(2025, 1, 11), "accepted": D(2025, 3, 1), "departed": D(2025, 6, 1)},
            interviews_scheduled=1,
        ),
        # departed after eight months
        indicators.Timeline(
            D(2025, 1, 1),
            {"referred": D(2025, 1, 31), "accepted": D(2025, 4, 1), "departed": D(2025, 9, 1)},
            interviews_scheduled=2,
            no_shows=1,
        ),
        # rejected; window closed
        indicators.Timeline(D(2025, 2, 1), {"referred": D(2025, 2, 21), "rejected": D(2025, 4, 1)}),
        # submitted last month: window still open, not counted
        indicators.Timeline(D(2026, 5, 1), {"referred": D(2026, 5, 5)}),
    ]
    result = indicators.compute(timelines, ["referred", "accepted", "departed"], today)
    referred = result.days_to_stage[0]
    assert (referred.cases, referred.median, referred.mean) == (4, 15.0, 16.0)  # 10, 30, 20, 4
    departed = result.days_to_stage[2]
    assert (departed.cases, departed.median) == (2, (151 + 243) / 2)
    assert (result.window_closed, result.departed_within_six_months) == (3, 1)
    assert result.share_within_six_months == pytest.approx(1 / 3)
    assert result.meets_target is True
    assert (result.accepted, result.rejected, result.acceptance_rate) == (
        2,
        1,
        pytest.approx(2 / 3),
    )
    assert (result.interviews_scheduled, result.no_shows, result.no_show_rate) == (3, 1, 1 / 3)


def test_no_cases_no_ratios() -> None:
    result = indicators.compute([], ["referred"], D(2026, 1, 1))
    assert result.share_within_six_months is None and result.acceptance_rate is None
    assert result.meets_target is None


def test_departures_aggregate_into_flow_rows() -> None:
    rows = indicators.aggregate_departures(
        [
            indicators.Departure(4, "SYR", "TUR", "DEU", D(2025, 1, 1), D(2025, 5, 1)),
            indicators.Departure(3, "SYR", "TUR", "DEU", D(2024, 1, 1), D(2025, 3, 1)),
            indicators.Departure(2, "AFG", "TUR", "CAN", D(2025, 1, 1), D(2026, 1, 2)),
        ]
    )
    by_key = {(r.year, r.origin, r.resettlement_state): r for r in rows}
    assert by_key[(2025, "SYR", "DEU")].departed == 7
    assert by_key[(2025, "SYR", "DEU")].departed_within_6_months == 4
    assert by_key[(2026, "AFG", "CAN")].departed == 2
    text = indicators.flows_csv(rows).decode()
    assert text.splitlines()[0] == ",".join(indicators.FLOW_HEADER)
    assert "2025,SYR,TUR,DEU,,,7,4" in text
