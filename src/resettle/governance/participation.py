"""Refugee participation indicators: pure computation on plain data (no Django).

Per meeting:
- refugees in planning: refugee members of the planning committee;
- sessions with a refugee speaker or moderator, and their share of all sessions;
- refugee participants and their share of all participants. When the meeting
  has approved registrations they are the source (approved registrations of
  the refugee stakeholder group, of all approved registrations); otherwise the
  figures the organisers reported (a past meeting held before the platform).

Per cycle or forum the meetings' figures are summed, and shares are weighted:
the share of sessions is all sessions with a refugee over all sessions, the
share of participants is all refugee participants over all participants of
the meetings whose figures are known (not an average of the meetings' shares,
which would give a small meeting the weight of a large one).

RAG advice: items given and answered (answered, acted upon or declined), and
the share answered.

Shares are fractions between 0 and 1, or None when there is nothing to divide by.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SOURCE_REGISTRATIONS = "registrations"
SOURCE_REPORTED = "reported"
SOURCE_NONE = "none"


@dataclass(frozen=True)
class MeetingData:
    """What the indicators need to know about one meeting."""

    meeting_id: int
    title: str = ""
    cycle_key: Hashable | None = None
    forum_key: Hashable | None = None
    planning_refugees: int = 0
    planning_total: int = 0
    # One entry per agenda session: how many refugee speakers or moderators it has.
    session_refugee_speakers: tuple[int, ...] = ()
    approved_registrations: int = 0
    approved_refugee_registrations: int = 0
    reported_participants: int | None = None
    reported_refugee_participants: int | None = None


@dataclass(frozen=True)
class MeetingIndicators:
    """The participation indicators of one meeting."""

    meeting_id: int
    title: str
    cycle_key: Hashable | None
    forum_key: Hashable | None
    planning_refugees: int
    planning_total: int
    sessions: int
    sessions_with_refugee: int
    participants: int | None
    refugee_participants: int | None
    source: str

    @property
    def session_share(self) -> float | None:
        """Share of sessions with at least one refugee speaker or moderator."""
        return share(self.sessions_with_refugee, self.sessions)

    @property
    def refugee_share(self) -> float | None:
        """Share of participants who took part as refugees."""
        if self.participants is None or self.refugee_participants is None:
            return None
        return share(self.refugee_participants, self.participants)


@dataclass(frozen=True)
class AdviceData:
    """One RAG advice item, as the indicators see it."""

    cycle_key: Hashable | None = None
    forum_key: Hashable | None = None
    answered: bool = False


@dataclass(frozen=True)
class GroupIndicators:
    """The indicators of a group of meetings (a cycle or a forum), summed and weighted."""

    key: Hashable | None
    meetings: int = 0
    planning_refugees: int = 0
    sessions: int = 0
    sessions_with_refugee: int = 0
    participants: int = 0
    refugee_participants: int = 0
    # Meetings whose participant figures are known (the base of the participants' share).
    meetings_with_figures: int = 0
    advice_given: int = 0
    advice_answered: int = 0
    meeting_rows: tuple[MeetingIndicators, ...] = field(default=(), repr=False)

    @property
    def session_share(self) -> float | None:
        """Sessions with a refugee speaker or moderator over all sessions."""
        return share(self.sessions_with_refugee, self.sessions)

    @property
    def refugee_share(self) -> float | None:
        """Refugee participants over all participants, where both are known."""
        if not self.meetings_with_figures:
            return None
        return share(self.refugee_participants, self.participants)

    @property
    def advice_answered_share(self) -> float | None:
        """Advice items answered over advice items given."""
        return share(self.advice_answered, self.advice_given)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when whole is 0."""
    if whole <= 0:
        return None
    return part / whole


def percent(value: float | None, digits: int = 0) -> str:
    """0.4567 -> "46%" (digits=0); None -> "–"."""
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}%"


def meeting_indicators(m: MeetingData) -> MeetingIndicators:
    """The indicators of one meeting (see the module docstring for the sources)."""
    if m.planning_refugees > m.planning_total and m.planning_total:
        raise ValueError("more refugees than members in the planning committee")
    if m.approved_registrations > 0:
        participants: int | None = m.approved_registrations
        refugees: int | None = m.approved_refugee_registrations
        source = SOURCE_REGISTRATIONS
    elif m.reported_participants is not None or m.reported_refugee_participants is not None:
        participants = m.reported_participants
        refugees = m.reported_refugee_participants
        source = SOURCE_REPORTED
    else:
        participants, refugees, source = None, None, SOURCE_NONE
    return MeetingIndicators(
        meeting_id=m.meeting_id,
        title=m.title,
        cycle_key=m.cycle_key,
        forum_key=m.forum_key,
        planning_refugees=m.planning_refugees,
        planning_total=m.planning_total,
        sessions=len(m.session_refugee_speakers),
        sessions_with_refugee=sum(1 for n in m.session_refugee_speakers if n > 0),
        participants=participants,
        refugee_participants=refugees,
        source=source,
    )


def meeting_indicators_all(meetings: Iterable[MeetingData]) -> list[MeetingIndicators]:
    """The indicators of each meeting."""
    return [meeting_indicators(m) for m in meetings]


def aggregate(
    key: Hashable | None,
    meetings: Iterable[MeetingIndicators],
    advice: Iterable[AdviceData] = (),
) -> GroupIndicators:
    """Sum a group's meetings and count its advice (see the module docstring)."""
    rows = tuple(meetings)
    items = tuple(advice)
    with_figures = [
        r for r in rows if r.participants is not None and r.refugee_participants is not None
    ]
    return GroupIndicators(
        key=key,
        meetings=len(rows),
        planning_refugees=sum(r.planning_refugees for r in rows),
        sessions=sum(r.sessions for r in rows),
        sessions_with_refugee=sum(r.sessions_with_refugee for r in rows),
        participants=sum(r.participants or 0 for r in with_figures),
        refugee_participants=sum(r.refugee_participants or 0 for r in with_figures),
        meetings_with_figures=len(with_figures),
        advice_given=len(items),
        advice_answered=sum(1 for a in items if a.answered),
        meeting_rows=rows,
    )


def by_cycle(
    meetings: Sequence[MeetingData],
    advice: Sequence[AdviceData] = (),
    cycle_keys: Sequence[Hashable] = (),
) -> list[GroupIndicators]:
    """One group per cycle, in the order of `cycle_keys` (then any other cycle met, in
    order of appearance). Meetings and advice without a cycle are left out."""
    return _group(meetings, advice, cycle_keys, lambda x: x.cycle_key)


def by_forum(
    meetings: Sequence[MeetingData],
    advice: Sequence[AdviceData] = (),
    forum_keys: Sequence[Hashable] = (),
) -> list[GroupIndicators]:
    """One group per forum, in the order of `forum_keys` (then any other forum met)."""
    return _group(meetings, advice, forum_keys, lambda x: x.forum_key)


def _group(
    meetings: Sequence[MeetingData],
    advice: Sequence[AdviceData],
    keys: Sequence[Hashable],
    get: Callable[[Any], Hashable | None],
) -> list[GroupIndicators]:
    order: list[Hashable] = list(dict.fromkeys(keys))
    rows: dict[Hashable, list[MeetingIndicators]] = {k: [] for k in order}
    given: dict[Hashable, list[AdviceData]] = {k: [] for k in order}
    for m in meetings:
        k = get(m)
        if k is None:
            continue
        if k not in rows:
            order.append(k)
            rows[k], given[k] = [], []
        rows[k].append(meeting_indicators(m))
    for a in advice:
        k = get(a)
        if k is None:
            continue
        if k not in rows:
            order.append(k)
            rows[k], given[k] = [], []
        given[k].append(a)
    return [aggregate(k, rows[k], given[k]) for k in order]
