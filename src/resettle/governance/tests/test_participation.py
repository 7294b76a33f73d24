"""The participation indicators' arithmetic, checked by hand (no database)."""

from __future__ import annotations

import pytest

from resettle.governance import participation as p


def test_meeting_from_registrations() -> None:
    m = p.meeting_indicators(
        p.MeetingData(
            meeting_id=1,
            planning_refugees=2,
            planning_total=8,
            # four sessions, two with a refugee speaker or moderator
            session_refugee_speakers=(0, 1, 3, 0),
            approved_registrations=40,
            approved_refugee_registrations=6,
            reported_participants=500,  # ignored: registrations are the source
            reported_refugee_participants=50,
        )
    )
    assert m.source == p.SOURCE_REGISTRATIONS
    assert m.planning_refugees == 2
    assert (m.sessions, m.sessions_with_refugee) == (4, 2)
    assert m.session_share == 0.5
    assert (m.participants, m.refugee_participants) == (40, 6)
    assert m.refugee_share == pytest.approx(0.15)


def test_meeting_from_reported_figures() -> None:
    m = p.meeting_indicators(
        p.MeetingData(meeting_id=2, reported_participants=200, reported_refugee_participants=4)
    )
    assert m.source == p.SOURCE_REPORTED
    assert (m.participants, m.refugee_participants) == (200, 4)
    assert m.refugee_share == 0.02
    assert m.sessions == 0 and m.session_share is None


def test_meeting_without_figures() -> None:
    m = p.meeting_indicators(p.MeetingData(meeting_id=3))
    assert m.source == p.SOURCE_NONE
    assert m.participants is None and m.refugee_share is None


def test_only_refugee_count_reported() -> None:
    m = p.meeting_indicators(p.MeetingData(meeting_id=4, reported_refugee_participants=36))
    assert m.refugee_participants == 36 and m.participants is None
    assert m.refugee_share is None


def test_aggregate_weights_shares_by_size() -> None:
    small = p.MeetingData(
        meeting_id=1,
        cycle_key="2022",
        planning_refugees=1,
        planning_total=5,
        session_refugee_speakers=(1,),  # 1 of 1 session
        approved_registrations=10,
        approved_refugee_registrations=5,  # 50%
    )
    large = p.MeetingData(
        meeting_id=2,
        cycle_key="2022",
        planning_refugees=3,
        planning_total=10,
        session_refugee_speakers=(0, 0, 1),  # 1 of 3 sessions
        reported_participants=90,
        reported_refugee_participants=5,
    )
    unknown = p.MeetingData(meeting_id=3, cycle_key="2022")
    advice = [
        p.AdviceData(cycle_key="2022", answered=True),
        p.AdviceData(cycle_key="2022", answered=False),
        p.AdviceData(cycle_key="2022", answered=True),
    ]
    [g] = p.by_cycle([small, large, unknown], advice)
    assert g.meetings == 3
    assert g.planning_refugees == 4
    assert (g.sessions_with_refugee, g.sessions) == (2, 4)
    assert g.session_share == 0.5  # 2 / 4, not the mean of 100% and 33%
    assert (g.refugee_participants, g.participants) == (10, 100)
    assert g.refugee_share == 0.1  # 10 / 100, not the mean of 50% and 5.6%
    assert g.meetings_with_figures == 2
    assert (g.advice_given, g.advice_answered) == (3, 2)
    assert g.advice_answered_share == pytest.approx(2 / 3)


def test_groups_keep_the_given_order_and_add_others() -> None:
    meetings = [
        p.MeetingData(
            meeting_id=1, cycle_key=2019, reported_participants=100, reported_refugee_participants=4
        ),
        p.MeetingData(
            meeting_id=2, cycle_key=2018, reported_participants=50, reported_refugee_participants=2
        ),
        p.MeetingData(meeting_id=3, cycle_key=None),  # no cycle: left out
    ]
    advice = [p.AdviceData(cycle_key=2025, answered=False)]
    groups = p.by_cycle(meetings, advice, cycle_keys=[2017, 2018, 2019])
    assert [g.key for g in groups] == [2017, 2018, 2019, 2025]
    empty, y2018, y2019, y2025 = groups
    assert empty.meetings == 0 and empty.refugee_share is None and empty.session_share is None
    assert y2018.refugee_participants == 2 and y2019.refugee_participants == 4
    assert y2025.advice_given == 1 and y2025.advice_answered_share == 0.0


def test_by_forum() -> None:
    meetings = [
        p.MeetingData(meeting_id=1, forum_key="wgr", session_refugee_speakers=(2, 0)),
        p.MeetingData(meeting_id=2, forum_key="crcp", session_refugee_speakers=(1,)),
        p.MeetingData(meeting_id=3, forum_key="wgr", session_refugee_speakers=(0, 0)),
    ]
    groups = {
        g.key: g for g in p.by_forum(meetings, [p.AdviceData(forum_key="wgr", answered=True)])
    }
    assert groups["wgr"].session_share == 0.25
    assert groups["crcp"].session_share == 1.0
    assert groups["wgr"].advice_answered_share == 1.0


def test_share_and_percent() -> None:
    assert p.share(1, 0) is None
    assert p.share(3, 4) == 0.75
    assert p.percent(0.755) == "76%"
    assert p.percent(None) == "–"


def test_planning_refugees_cannot_exceed_members() -> None:
    with pytest.raises(ValueError):
        p.meeting_indicators(p.MeetingData(meeting_id=1, planning_refugees=3, planning_total=2))
