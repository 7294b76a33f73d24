"""Rules of the meetings services: who may do what, validation, agenda order, audit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditAction, AuditEntry
from resettle.meetings import services
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker

from .conftest import geneva


def _titles(meeting: Meeting) -> list[str]:
    return [s.title for s in services.ordered_sessions(meeting)]


def _new_meeting(world: SimpleNamespace, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "forum": world.public_forum,
        "title": "WGR spring meeting",
        "kind": "wgr",
        "starts_at": geneva(2030, 3, 4, 9),
        "ends_at": geneva(2030, 3, 4, 17),
        "time_zone": "Europe/Zurich",
        "format": "online",
        "online_url": "https://example.org/wgr",
        "working_languages": "en, fr",
    }
    data.update(changes)
    return data


# ---- reads -------------------------------------------------------------------


def test_meeting_is_visible_iff_its_forum_is(
    world: SimpleNamespace, meeting: Meeting, hidden_meeting: Meeting
) -> None:
    assert services.get_meeting_for_user(meeting.pk, None) == meeting
    with pytest.raises(Http404):
        services.get_meeting_for_user(hidden_meeting.pk, None)
    with pytest.raises(Http404):
        services.get_meeting_for_user(hidden_meeting.pk, world.users["refugee"])
    assert services.get_meeting_for_user(hidden_meeting.pk, world.users["ngo"]) == hidden_meeting
    with pytest.raises(Http404):
        services.get_meeting_for_user(999_999, world.users["admin"])


# ---- meetings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("unhcr", True),
        ("state", True),  # chairs the consultation
        ("ngo", False),  # an ordinary member of it
        ("refugee", False),
        ("other", False),
    ],
)
def test_create_meeting_is_for_the_forums_organisers(
    world: SimpleNamespace, role: str, allowed: bool
) -> None:
    actor = world.users[role]
    if allowed:
        meeting = services.do_create_meeting(_new_meeting(world), actor=actor)
        entry = AuditEntry.objects.get(object_id=str(meeting.pk), action=AuditAction.CREATE)
        assert entry.actor == actor
    else:
        with pytest.raises(PermissionDenied):
            services.do_create_meeting(_new_meeting(world), actor=actor)
        assert not Meeting.objects.exists()


def test_create_meeting_names_the_fields_in_error(world: SimpleNamespace) -> None:
    data = _new_meeting(
        world,
        format="hybrid",
        venue="",
        ends_at=geneva(2030, 3, 3, 9),
        time_zone="Mars/Olympus",
        reported_participants=10,
        reported_refugee_participants=12,
    )
    with pytest.raises(ValidationError) as exc:
        services.do_create_meeting(data, actor=world.users["unhcr"])
    assert {"venue", "ends_at", "time_zone", "reported_refugee_participants"} <= set(
        exc.value.error_dict
    )
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


def test_cycle_must_belong_to_the_forum(world: SimpleNamespace) -> None:
    data = _new_meeting(world, forum=world.members_forum, cycle=world.cycle)
    with pytest.raises(ValidationError) as exc:
        services.do_create_meeting(data, actor=world.users["admin"])
    assert "cycle" in exc.value.error_dict


def test_reported_participation_is_kept(world: SimpleNamespace) -> None:
    data = _new_meeting(world, reported_participants=480, reported_refugee_participants=4)
    meeting = services.do_create_meeting(data, actor=world.users["unhcr"])
    meeting.refresh_from_db()
    assert (meeting.reported_participants, meeting.reported_refugee_participants) == (480, 4)


def test_cycle_cochair_organises_the_cycles_meeting(
    world: SimpleNamespace, meeting: Meeting
) -> None:
    ngo = world.users["ngo"]  # co-chairs the cycle, is an ordinary member of the forum
    services.do_update_meeting(meeting, {"description": "Agenda soon"}, actor=ngo)
    assert Meeting.objects.get(pk=meeting.pk).description == "Agenda soon"
    with pytest.raises(PermissionDenied):
        services.do_update_meeting(meeting, {"title": "x"}, actor=world.users["refugee"])
    # Moving it to a forum whose meetings the co-chair does not organise is refused.
    with pytest.raises(PermissionDenied):
        services.do_update_meeting(
            meeting, {"forum": world.members_forum, "cycle": None}, actor=world.users["state"]
        )


# ---- agenda ------------------------------------------------------------------


def test_add_session_appends_and_checks_times(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    unhcr = world.users["unhcr"]
    year = meeting.starts_at.year
    added = services.do_add_session(
        meeting,
        {"title": "Closing", "starts_at": geneva(year, 6, 17, 16), "position": 0},
        actor=unhcr,
    )
    assert added.position == 3 and _titles(meeting)[-1] == "Closing"
    with pytest.raises(ValidationError) as exc:
        services.do_add_session(
            meeting,
            {"title": "Too late", "starts_at": geneva(year, 6, 18, 9)},
            actor=unhcr,
        )
    assert "starts_at" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.do_add_session(
            meeting, {"title": "No start", "ends_at": geneva(year, 6, 16, 10)}, actor=unhcr
        )
    assert "starts_at" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.do_add_session(meeting, {"title": ""}, actor=unhcr)
    assert "title" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.do_add_session(meeting, {"title": "x"}, actor=world.users["refugee"])


def test_update_session_keeps_its_place_and_checks_times(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    year = meeting.starts_at.year
    services.do_update_session(
        sessions[1], {"title": "PGRN", "room": "XX", "position": 0}, actor=world.users["state"]
    )
    assert _titles(meeting) == ["Opening", "PGRN", "Pathways"]
    with pytest.raises(ValidationError) as exc:
        services.do_update_session(
            sessions[1], {"ends_at": geneva(year, 6, 16, 8)}, actor=world.users["state"]
        )
    assert set(exc.value.error_dict) == {"ends_at"}
    with pytest.raises(PermissionDenied):
        services.do_update_session(sessions[1], {"title": "x"}, actor=world.users["other"])


def test_move_session_up_and_down(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    unhcr = world.users["unhcr"]
    before = AuditEntry.objects.count()
    services.do_move_session(sessions[2], "up", actor=unhcr)
    assert _titles(meeting) == ["Opening", "Pathways", "Needs"]
    assert AuditEntry.objects.count() == before + 2  # the two sessions that swapped
    services.do_move_session(sessions[0], "down", actor=unhcr)
    assert _titles(meeting) == ["Pathways", "Opening", "Needs"]
    # At either end nothing moves and nothing is written.
    before = AuditEntry.objects.count()
    services.do_move_session(sessions[1], "down", actor=unhcr)  # "Needs" is last
    services.do_move_session(sessions[2], "up", actor=unhcr)  # "Pathways" is first
    assert _titles(meeting) == ["Pathways", "Opening", "Needs"]
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValidationError):
        services.do_move_session(sessions[0], "sideways", actor=unhcr)
    with pytest.raises(PermissionDenied):
        services.do_move_session(sessions[0], "up", actor=world.users["refugee"])


def test_reorder_sessions_takes_the_full_order(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    unhcr = world.users["unhcr"]
    a, b, c = (s.pk for s in sessions)
    services.do_reorder_sessions(meeting, [c, a, b], actor=unhcr)
    assert _titles(meeting) == ["Pathways", "Opening", "Needs"]
    for bad in ([c, a], [c, a, b, b], [c, a, 999_999]):
        with pytest.raises(ValidationError) as exc:
            services.do_reorder_sessions(meeting, bad, actor=unhcr)
        assert "order" in exc.value.error_dict
    assert _titles(meeting) == ["Pathways", "Opening", "Needs"]
    with pytest.raises(PermissionDenied):
        services.do_reorder_sessions(meeting, [a, b, c], actor=world.users["refugee"])


def test_delete_session_removes_its_speakers_with_audit(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    unhcr = world.users["unhcr"]
    services.do_add_speaker(
        sessions[0], {"name": "Amani Yusuf", "stakeholder_group": "refugee"}, actor=unhcr
    )
    before = AuditEntry.objects.count()
    services.do_delete_session(sessions[0], actor=unhcr)
    assert _titles(meeting) == ["Needs", "Pathways"]
    assert not SessionSpeaker.objects.exists()
    assert AuditEntry.objects.count() == before + 2
    with pytest.raises(PermissionDenied):
        services.do_delete_session(sessions[1], actor=world.users["rsf"])


# ---- speakers and planning committee -----------------------------------------


def test_speakers_and_moderators(
    world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    state = world.users["state"]
    moderator = services.do_add_speaker(
        sessions[0],
        {"person": world.person, "stakeholder_group": "ngo", "role": "moderator"},
        actor=state,
    )
    refugee = services.do_add_speaker(
        sessions[0],
        {"name": "Amani Yusuf", "organisation": world.refugee_org, "stakeholder_group": "refugee"},
        actor=state,
    )
    assert refugee.is_refugee and not moderator.is_refugee
    assert (moderator.position, refugee.position) == (0, 1)
    assert moderator.display_name == "Anna Schmidt"
    with pytest.raises(ValidationError) as exc:
        services.do_add_speaker(sessions[0], {"stakeholder_group": "state"}, actor=state)
    assert "name" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.do_add_speaker(sessions[0], {"name": "X", "stakeholder_group": ""}, actor=state)
    assert "stakeholder_group" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.do_add_speaker(
            sessions[0], {"name": "X", "stakeholder_group": "ngo"}, actor=world.users["other"]
        )
    with pytest.raises(PermissionDenied):
        services.do_remove_speaker(refugee, actor=world.users["refugee"])
    services.do_remove_speaker(refugee, actor=state)
    assert list(SessionSpeaker.objects.all()) == [moderator]


def test_planning_committee(world: SimpleNamespace, meeting: Meeting) -> None:
    unhcr = world.users["unhcr"]
    member = services.do_add_planning_member(
        meeting,
        {"name": "Esther Nyandeng", "stakeholder_group": "refugee", "role": "RAG"},
        actor=unhcr,
    )
    assert member.is_refugee and member.meeting == meeting
    with pytest.raises(ValidationError):
        services.do_add_planning_member(meeting, {"stakeholder_group": "state"}, actor=unhcr)
    with pytest.raises(PermissionDenied):
        services.do_add_planning_member(
            meeting, {"name": "X", "stakeholder_group": "ngo"}, actor=world.users["refugee"]
        )
    with pytest.raises(PermissionDenied):
        services.do_remove_planning_member(member, actor=world.users["other"])
    services.do_remove_planning_member(member, actor=unhcr)
    assert not PlanningMember.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 1


def test_children_of_hidden_meetings_are_404(
    world: SimpleNamespace, hidden_meeting: Meeting
) -> None:
    session = AgendaSession.objects.create(meeting=hidden_meeting, title="Closed")
    speaker = SessionSpeaker.objects.create(session=session, name="X", stakeholder_group="ngo")
    member = PlanningMember.objects.create(
        meeting=hidden_meeting, name="Y", stakeholder_group="refugee"
    )
    refugee = world.users["refugee"]
    for getter, obj in (
        (services.get_session_for_user, session),
        (services.get_speaker_for_user, speaker),
        (services.get_planning_member_for_user, member),
    ):
        with pytest.raises(Http404):
            getter(obj.pk, refugee)
        assert getter(obj.pk, world.users["ngo"]) == obj
