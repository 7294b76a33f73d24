"""Demo records: decisions, minutes and action points of the demo meetings.

Every text here is invented for the demonstration and says so. The loader
finds the meetings made by the meetings demo (the CRCP annual consultations
by year, the WGR meetings) and the demo organisations by acronym or name; what
is absent is skipped. Records are looked up by their natural key (meeting and
text, or meeting and language for minutes), so loading twice creates nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from resettle.core.audit import save_with_audit
from resettle.directory.models import Organisation
from resettle.meetings.models import Meeting
from resettle.records.models import (
    CLOSED_STATUSES,
    ActionPoint,
    ActionPointUpdate,
    ActionStatus,
    Decision,
    Minutes,
    meeting_date,
)

ILLUSTRATIVE = "Illustrative demo record: invented for the demonstration."


@dataclass(frozen=True)
class ActionSpec:
    """An action point of the demo: owner by acronym or name, due in days after the meeting."""

    text: str
    owner: str
    due_days: int | None
    status: str = ActionStatus.OPEN
    # Closed this many days after the meeting; or at the forum's next meeting when None.
    closed_days: int | None = None
    decision: int | None = None
    note: str = ""


CONSULTATION_DECISIONS = (
    "The consultations take note of the Projected Global Resettlement Needs for the "
    "coming year and call on States to increase resettlement places (illustrative).",
    "A thematic working group on complementary pathways for refugee families is set up, "
    "reporting to the next annual consultation (illustrative).",
    "Refugee representatives are included in the planning committee of every session of "
    "the next consultation (illustrative).",
)

CONSULTATION_ACTIONS = (
    ActionSpec(
        "Circulate a mapping of family reunification pathways to all participants.",
        "UNHCR",
        60,
        ActionStatus.DONE,
        closed_days=50,
        decision=2,
        note="Mapping circulated by e-mail.",
    ),
    ActionSpec(
        "Propose terms of reference for the working group on complementary pathways.",
        "BAMF",
        120,
        ActionStatus.IN_PROGRESS,
        decision=2,
        note="First draft discussed with the co-chairs.",
    ),
    ActionSpec(
        "Share good practice on community sponsorship with the new resettlement States.",
        "Accem",
        90,
        ActionStatus.OPEN,
    ),
    ActionSpec(
        "Report on refugee participation in the planning of the consultation.",
        "NRV",
        150,
        ActionStatus.OPEN,
        decision=3,
    ),
    ActionSpec(
        "Prepare a joint statement on emergency resettlement places.",
        "ICMC",
        30,
        ActionStatus.DROPPED,
        closed_days=40,
        note="Overtaken by the pledging session; dropped by agreement.",
    ),
    ActionSpec(
        "Publish the outcome summary of the consultation in Arabic, English and French.",
        "UNHCR",
        400,
        ActionStatus.IN_PROGRESS,
    ),
)

WGR_DECISIONS = (
    "The working group prepares the agenda of the annual consultation on the basis of "
    "the co-chairs' proposal (illustrative).",
    "Data on departures is shared with the working group each quarter (illustrative).",
)

WGR_ACTIONS = (
    ActionSpec(
        "Send comments on the draft agenda of the consultation.",
        "IOM",
        21,
        ActionStatus.DONE,
        closed_days=None,
        decision=1,
    ),
    ActionSpec(
        "Compile quarterly departure figures for the working group.",
        "UNHCR",
        45,
        ActionStatus.OPEN,
        decision=2,
    ),
    ActionSpec(
        "Brief the working group on the EU resettlement framework.",
        "EUAA",
        30,
        ActionStatus.IN_PROGRESS,
    ),
)


def _org(key: str) -> Organisation | None:
    return Organisation.objects.filter(Q(acronym=key) | Q(name=key)).order_by("pk").first()


def _consultation(year: int) -> Meeting | None:
    return (
        Meeting.objects.filter(forum__acronym="CRCP", kind="consultation", starts_at__year=year)
        .order_by("starts_at")
        .first()
    )


def _next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(forum=meeting.forum_id, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .first()
    )


class _Loader:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.created = 0

    def decisions(self, meeting: Meeting, texts: tuple[str, ...]) -> dict[int, Decision]:
        day = meeting_date(meeting)
        found: dict[int, Decision] = {}
        for i, text in enumerate(texts, start=1):
            decision = Decision.objects.filter(meeting=meeting, text=text).first()
            if decision is None:
                last = Decision.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"]
                decision = save_with_audit(
                    Decision(),
                    {
                        "meeting": meeting,
                        "number": (last or 0) + 1,
                        "text": text,
                        "decided_at": day,
                    },
                    actor=None,
                )
                self.created += 1
            found[i] = decision
        return found

    def minutes(self, meeting: Meeting, text: str) -> None:
        if Minutes.objects.filter(meeting=meeting, session=None, language="en").exists():
            return
        save_with_audit(
            Minutes(),
            {"meeting": meeting, "session": None, "language": "en", "text": text},
            actor=None,
        )
        self.created += 1
        for session in meeting.sessions.all()[:2]:
            if Minutes.objects.filter(meeting=meeting, session=session, language="en").exists():
                continue
            save_with_audit(
                Minutes(),
                {
                    "meeting": meeting,
                    "session": session,
                    "language": "en",
                    "text": f"Summary of the session \u201c{session.title}\u201d. {ILLUSTRATIVE}",
                },
                actor=None,
            )
            self.created += 1

    def actions(
        self, meeting: Meeting, specs: tuple[ActionSpec, ...], decisions: dict[int, Decision]
    ) -> None:
        day = meeting_date(meeting)
        following = _next_meeting(meeting)
        for spec in specs:
            owner = _org(spec.owner)
            if (
                owner is None
                or ActionPoint.objects.filter(meeting=meeting, text=spec.text).exists()
            ):
                continue
            closed_on: datetime.date | None = None
            closed_at: Meeting | None = None
            status = spec.status
            if status in CLOSED_STATUSES:
                if spec.closed_days is None and following is not None:
                    closed_at, closed_on = following, meeting_date(following)
                else:
                    closed_on = day + datetime.timedelta(days=spec.closed_days or 30)
                if closed_on > self.today:  # not yet: keep it in progress
                    status, closed_on, closed_at = ActionStatus.IN_PROGRESS, None, None
            due = day + datetime.timedelta(days=spec.due_days) if spec.due_days else None
            ap = save_with_audit(
                ActionPoint(),
                {
                    "meeting": meeting,
                    "decision": decisions.get(spec.decision) if spec.decision else None,
                    "text": spec.text,
                    "owner": owner,
                    "due_date": due,
                    "status": status,
                    "closed_on": closed_on,
                    "closed_at_meeting": closed_at,
                    "notes": ILLUSTRATIVE,
                },
                actor=None,
            )
            self.created += 1
            if status != ActionStatus.OPEN:
                save_with_audit(
                    ActionPointUpdate(),
                    {
                        "action_point": ap,
                        "date": closed_on or min(day + datetime.timedelta(days=14), self.today),
                        "status": status,
                        "note": spec.note,
                        "meeting": closed_at,
                    },
                    actor=None,
                )
                self.created += 1


@transaction.atomic
def load_records_demo(today: datetime.date | None = None) -> int:
    """Load the demo decisions, minutes and action points; return how many records were made."""
    loader = _Loader(today or timezone.localdate())
    consultation = _consultation(2025)
    if consultation is not None:
        decisions = loader.decisions(consultation, CONSULTATION_DECISIONS)
        loader.minutes(
            consultation,
            "The co-chairs opened the consultation; UNHCR presented the projected needs; "
            "States and NGOs reported on their programmes; refugee representatives "
            f"presented the advice of the Refugee Advisory Group. {ILLUSTRATIVE}",
        )
        loader.actions(consultation, CONSULTATION_ACTIONS, decisions)
    wgr = list(Meeting.objects.filter(forum__acronym="WGR").order_by("starts_at"))
    for meeting in wgr[:-1] or wgr:  # the last WGR meeting is the one still to come
        decisions = loader.decisions(meeting, WGR_DECISIONS)
        loader.minutes(
            meeting,
            "The working group reviewed the preparations of the consultation and the "
            f"latest departure figures. {ILLUSTRATIVE}",
        )
        loader.actions(meeting, WGR_ACTIONS, decisions)
    return loader.created
