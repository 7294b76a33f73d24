"""Demo meetings: the annual consultations 2018-2025, a full CRCP 2026 with its agenda and
planning committee, WGR meetings and a PSCG meeting.

Facts from the domain brief: the co-chairs of each cycle (held in the forums
demo), the rename of the ATCR to CRCP in 2024, 4 refugee representatives at
the 2018 consultation and over 36 in 2022. Everything else (dates, rooms,
sessions, speakers, the other participation figures) is illustrative and
says so. Loading is idempotent: each record is looked up by its natural key
(forum and title for a meeting, meeting and title for a session, ...) and
created only when missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from resettle.directory.models import Organisation, Person
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings import services
from resettle.meetings.models import (
    AgendaSession,
    Meeting,
    MeetingFormat,
    MeetingKind,
    PlanningMember,
    SessionSpeaker,
    SpeakerRole,
    StakeholderGroup,
)

GENEVA = ZoneInfo("Europe/Zurich")
PALAIS = "Palais des Nations, Geneva"
ILLUSTRATIVE = "Illustrative demo content."
G = StakeholderGroup

# Year of the consultation (the last year of its cycle) -> (first day in June,
# days, reported participants, reported refugee participants). The refugee
# figures for 2018 (4) and 2022 (over 36) come from the brief; the rest are
# illustrative.
HISTORIC: dict[int, tuple[int, int, int | None, int | None]] = {
    2018: (25, 3, 480, 4),
    2019: (24, 3, 500, 8),
    2020: (29, 2, 520, 12),
    2021: (21, 3, 550, 20),
    2022: (20, 3, 600, 38),
    2023: (19, 3, 620, 42),
    2024: (17, 3, 650, 46),
    2025: (16, 3, 680, 52),
}
FROM_BRIEF = {2018, 2022}


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=GENEVA)


def consultation_title(year: int) -> str:
    """ATCR until the 2024 rename, CRCP from then on."""
    return f"{'ATCR' if year < 2024 else 'CRCP'} {year}"


# ---- people ------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """A demo contact by name (found in the directory if the forums demo made it)."""

    given: str
    family: str
    group: str
    organisation: str = ""  # acronym or name, for someone not in contacts

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


HELENA = Who("Helena", "Marsh", G.UNHCR)
OMAR = Who("Omar", "Saleh", G.UNHCR)
CLAIRE = Who("Claire", "Dubois", G.UNHCR)
SAMUEL = Who("Samuel", "Okafor", G.IOM)
LINA = Who("Lina", "Haddad", G.IOM)
MARTA = Who("Marta", "Kowalczyk", G.OTHER)
KATRIN = Who("Katrin", "Vogel", G.STATE)
ANNA = Who("Anna", "Keller", G.NGO)
DANIEL = Who("Daniel", "Tremblay", G.STATE)
GRACE = Who("Grace", "Mensah", G.NGO)
LUCIA = Who("Lucía", "Navarro", G.NGO)
JAVIER = Who("Javier", "Ortega", G.NGO)
CARMEN = Who("Carmen", "Ruiz", G.STATE)
BEN = Who("Ben", "Hartley", G.STATE)
PRIYA = Who("Priya", "Raman", G.NGO)
RACHEL = Who("Rachel", "Stein", G.NGO)
AMANI = Who("Amani", "Yusuf", G.REFUGEE)
KARIM = Who("Karim", "Nazari", G.REFUGEE)
ESTHER = Who("Esther", "Nyandeng", G.REFUGEE)
RASHID = Who("Rashid", "Alam", G.REFUGEE)
MARIE = Who("Marie", "Uwase", G.REFUGEE)
# Not in the directory: named on the agenda only (invented).
SOFIA = Who("Sofia", "Lindqvist", G.PRIVATE_SECTOR, "Nordic Employers for Refugees")
TOMAS = Who("Tomás", "Herrera", G.ACADEMIA, "Refugee Studies Centre")

M, S = SpeakerRole.MODERATOR, SpeakerRole.SPEAKER

# CRCP 2026: (day, start, end, title, room, [(person, role)]). All illustrative.
AGENDA_2026: tuple[
    tuple[int, tuple[int, int], tuple[int, int], str, str, list[tuple[Who, str]]], ...
] = (
    (16, (9, 30), (10, 30), "Opening plenary", "Assembly Hall",
     [(HELENA, M), (CARMEN, S), (LUCIA, S), (AMANI, S)]),
    (16, (11, 0), (12, 30), "Projected Global Resettlement Needs 2027", "Assembly Hall",
     [(KATRIN, M), (OMAR, S), (KARIM, S)]),
    (16, (14, 0), (15, 30), "Complementary pathways: labour and education", "Room XVII",
     [(MARIE, M), (SAMUEL, S), (SOFIA, S), (TOMAS, S)]),
    (16, (16, 0), (17, 30), "Refugee participation: from consultation to co-design", "Room XVII",
     [(CLAIRE, M), (ESTHER, S), (RASHID, S), (GRACE, S)]),
    (17, (9, 30), (11, 0), "Priority situations: Afghanistan and the Rohingya", "Assembly Hall",
     [(OMAR, M), (DANIEL, S), (RASHID, S), (BEN, S)]),
    (17, (11, 30), (13, 0), "Community sponsorship in Europe and beyond", "Room XVIII",
     [(PRIYA, M), (MARTA, S), (ANNA, S), (KARIM, S)]),
    (17, (14, 30), (16, 0), "Data and evidence on resettlement outcomes", "Room XVIII",
     [(RACHEL, M), (TOMAS, S), (LINA, S), (BEN, S)]),
    (17, (16, 30), (17, 30), "Closing plenary: commitments and the 2027 cycle", "Assembly Hall",
     [(LUCIA, M), (CARMEN, S), (JAVIER, S), (AMANI, S), (HELENA, S)]),
)  # fmt: skip

PLANNING_2026: tuple[tuple[Who, str], ...] = (
    (CARMEN, "Government co-chair"),
    (LUCIA, "NGO co-chair"),
    (HELENA, "UNHCR support"),
    (AMANI, "Refugee Advisory Group"),
    (ESTHER, "Refugee Advisory Group"),
    (SAMUEL, "IOM"),
)


class _Loader:
    """One load: counts what it creates."""

    def __init__(self) -> None:
        self.created = 0

    def person_fields(self, who: Who) -> dict[str, object]:
        person = Person.objects.filter(given_name=who.given, family_name=who.family).first()
        if person is not None:
            return {"person": person, "name": "", "organisation": person.organisation}
        org = Organisation.objects.filter(name=who.organisation).first()
        return {"person": None, "name": who.name, "organisation": org}

    def meeting(self, forum: Forum, title: str, **fields: object) -> Meeting:
        found = Meeting.objects.filter(forum=forum, title=title).first()
        if found is not None:
            return found
        self.created += 1
        return services.do_create_meeting({"forum": forum, "title": title, **fields}, actor=None)

    def session(self, meeting: Meeting, title: str, **fields: object) -> AgendaSession:
        found = meeting.sessions.filter(title=title).first()
        if found is not None:
            return found
        self.created += 1
        return services.do_add_session(meeting, {"title": title, **fields}, actor=None)

    def speaker(self, session: AgendaSession, who: Who, role: str) -> None:
        fields = self.person_fields(who)
        lookup = {"person": fields["person"]} if fields["person"] else {"name": who.name}
        if SessionSpeaker.objects.filter(session=session, role=role, **lookup).exists():
            return
        self.created += 1
        services.do_add_speaker(
            session, {**fields, "stakeholder_group": who.group, "role": role}, actor=None
        )

    def planning_member(self, meeting: Meeting, who: Who, role: str) -> None:
        fields = self.person_fields(who)
        lookup = {"person": fields["person"]} if fields["person"] else {"name": who.name}
        if PlanningMember.objects.filter(meeting=meeting, **lookup).exists():
            return
        self.created += 1
        services.do_add_planning_member(
            meeting, {**fields, "stakeholder_group": who.group, "role": role}, actor=None
        )

    # -- the meetings ---------------------------------------------------------------

    def historic_consultations(self, crcp: Forum) -> None:
        cycles = crcp.cycles.filter(start_year__gte=2018, end_year__lte=2025).order_by("start_year")
        for cycle in cycles:
            year = cycle.end_year
            day, days, participants, refugees = HISTORIC.get(year, (20, 3, None, None))
            source = (
                "Refugee participation from the domain brief; the other figures and the "
                "dates are illustrative."
                if year in FROM_BRIEF
                else "Participation figures and dates are illustrative."
            )
            self.meeting(
                crcp,
                consultation_title(year),
                cycle=cycle,
                kind=MeetingKind.CONSULTATION,
                starts_at=_at(year, 6, day, 9),
                ends_at=_at(year, 6, day + days - 1, 17, 30),
                time_zone="Europe/Zurich",
                format=MeetingFormat.IN_PERSON,
                venue=PALAIS,
                working_languages="en, fr",
                description=(
                    f"Annual consultation of the {cycle.label} cycle, co-chaired by "
                    f"{cycle.government_cochair} and {cycle.ngo_cochair}. {source}"
                ),
                reported_participants=participants,
                reported_refugee_participants=refugees,
            )

    def consultation_2026(self, crcp: Forum) -> None:
        covering = crcp.cycles.filter(start_year__lte=2026, end_year__gte=2026)
        cycle: ConsultationCycle | None = (
            covering.filter(end_year=2026).first() or covering.order_by("start_year").first()
        )
        meeting = self.meeting(
            crcp,
            "CRCP 2026",
            cycle=cycle,
            kind=MeetingKind.CONSULTATION,
            starts_at=_at(2026, 6, 16, 9, 30),
            ends_at=_at(2026, 6, 17, 17, 30),
            time_zone="Europe/Zurich",
            format=MeetingFormat.HYBRID,
            venue=PALAIS,
            online_url="https://example.org/crcp-2026",
            working_languages="en, ar, fr",
            description=(
                "The 2026 Consultations on Resettlement and Complementary Pathways, in "
                "Geneva and online, with interpretation in Arabic and French. " + ILLUSTRATIVE
            ),
            registration_open=True,
            registration_closes_at=_at(2026, 6, 5, 23, 59),
            capacity=600,
            requires_approval=True,
        )
        for day, start, end, title, room, people in AGENDA_2026:
            session = self.session(
                meeting,
                title,
                starts_at=_at(2026, 6, day, *start),
                ends_at=_at(2026, 6, day, *end),
                room=room,
                description=ILLUSTRATIVE,
            )
            for who, role in people:
                self.speaker(session, who, role)
        for who, role in PLANNING_2026:
            self.planning_member(meeting, who, role)

    def wgr_meetings(self, wgr: Forum) -> None:
        online = "https://example.org/wgr"
        rows = (
            ("WGR meeting, October 2025", _at(2025, 10, 14, 13), _at(2025, 10, 14, 16), False),
            ("WGR meeting, February 2026", _at(2026, 2, 10, 9, 30), _at(2026, 2, 10, 17), True),
            ("WGR meeting, December 2026", _at(2026, 12, 8, 13), _at(2026, 12, 8, 16), False),
        )
        for title, starts, ends, hybrid in rows:
            self.meeting(
                wgr,
                title,
                kind=MeetingKind.WGR,
                starts_at=starts,
                ends_at=ends,
                time_zone="Europe/Zurich",
                format=MeetingFormat.HYBRID if hybrid else MeetingFormat.ONLINE,
                venue=PALAIS if hybrid else "",
                online_url=online,
                working_languages="en",
                description="Preparing the annual consultations. " + ILLUSTRATIVE,
            )

    def pscg_meeting(self, pscg: Forum) -> None:
        self.meeting(
            pscg,
            "PSCG meeting on priority situations, December 2026",
            kind=MeetingKind.PSCG,
            starts_at=_at(2026, 12, 15, 14),
            ends_at=_at(2026, 12, 15, 17),
            time_zone="Europe/Zurich",
            format=MeetingFormat.ONLINE,
            online_url="https://example.org/pscg",
            working_languages="en",
            description=(
                "Places pledged for the priority situations and practice on processing "
                "modalities. " + ILLUSTRATIVE
            ),
        )


@transaction.atomic
def load_meetings_demo() -> int:
    """Create the demo meetings that are missing; return how many records were created."""
    loader = _Loader()
    crcp = Forum.objects.filter(acronym="CRCP").first()
    if crcp is not None:
        loader.historic_consultations(crcp)
        loader.consultation_2026(crcp)
    wgr = Forum.objects.filter(acronym="WGR").first()
    if wgr is not None:
        loader.wgr_meetings(wgr)
    pscg = Forum.objects.filter(acronym="PSCG").first()
    if pscg is not None:
        loader.pscg_meeting(pscg)
    return loader.created
