"""Business rules for meetings, their agenda, speakers and planning committees.

Only a meeting's organisers (meetings.access.can_organise_meeting) change it;
meetings are added to a forum by those who organise that forum's meetings
(meetings.access.can_create_meeting).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.meetings.access import can_create_meeting, can_organise_meeting
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker

M = TypeVar("M", bound=Model)

# ---- reads -------------------------------------------------------------------


def get_meeting_for_user(pk: int | str, user: Any) -> Meeting:
    """A meeting of a forum the user may see (404 otherwise)."""
    return get_visible(Meeting, user, pk=pk)


def get_session_for_user(pk: int | str, user: Any) -> AgendaSession:
    """An agenda session of a meeting the user may see (404 otherwise)."""
    meeting_ids = Meeting.objects.visible_to(_user(user)).values("pk")
    return _get_or_404(AgendaSession.objects.filter(meeting__in=meeting_ids), pk)


def get_speaker_for_user(pk: int | str, user: Any) -> SessionSpeaker:
    """A speaker or moderator of a meeting the user may see (404 otherwise)."""
    meeting_ids = Meeting.objects.visible_to(_user(user)).values("pk")
    return _get_or_404(SessionSpeaker.objects.filter(session__meeting__in=meeting_ids), pk)


def get_planning_member_for_user(pk: int | str, user: Any) -> PlanningMember:
    """A planning committee member of a meeting the user may see (404 otherwise)."""
    meeting_ids = Meeting.objects.visible_to(_user(user)).values("pk")
    return _get_or_404(PlanningMember.objects.filter(meeting__in=meeting_ids), pk)


def _user(user: Any) -> User | None:
    return as_user(user)


def _get_or_404(qs: QuerySet[M], pk: int | str) -> M:
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(str(qs.model._meta.verbose_name)) from exc


def ordered_sessions(meeting: Meeting) -> list[AgendaSession]:
    """The meeting's sessions in agenda order, with their speakers at hand."""
    return list(
        meeting.sessions.order_by("position", "starts_at", "pk").prefetch_related(
            "speakers__person__organisation", "speakers__organisation"
        )
    )


# ---- meetings ----------------------------------------------------------------


@transaction.atomic
def do_create_meeting(data: Mapping[str, Any], *, actor: User | None) -> Meeting:
    """Add a meeting to a forum whose meetings the actor organises (actor None: the system)."""
    forum = data.get("forum")
    if actor is not None:
        require(forum is not None and can_create_meeting(actor, forum), "meeting")
    return save_with_audit(Meeting(), data, actor=actor)


@transaction.atomic
def do_update_meeting(meeting: Meeting, data: Mapping[str, Any], *, actor: User) -> Meeting:
    """Change a meeting the actor organises; moving it needs the right on the new forum too."""
    require(can_organise_meeting(actor, meeting), "meeting")
    new_forum = data.get("forum", meeting.forum)
    if new_forum is not None and new_forum.pk != meeting.forum_id:
        require(can_create_meeting(actor, new_forum), "forum")
    return save_with_audit(meeting, data, actor=actor)


# ---- agenda ------------------------------------------------------------------


def _check_session_times(meeting: Meeting, data: Mapping[str, Any]) -> None:
    """A session's times fall within its meeting's, and it cannot end without a start."""
    starts, ends = data.get("starts_at"), data.get("ends_at")
    errors: dict[str, str] = {}
    if ends is not None and starts is None:
        errors["starts_at"] = _("Give the start of a session that has an end.")
    for name, value in (("starts_at", starts), ("ends_at", ends)):
        if value is not None and not (meeting.starts_at <= value <= meeting.ends_at):
            errors.setdefault(name, _("Sessions take place during the meeting."))
    if errors:
        raise ValidationError(errors)


def _allowed(actor: User | None, meeting: Meeting) -> None:
    # actor None is the system (the demo loader, the command line).
    if actor is not None:
        require(can_organise_meeting(actor, meeting), "meeting")


@transaction.atomic
def do_add_session(
    meeting: Meeting, data: Mapping[str, Any], *, actor: User | None
) -> AgendaSession:
    """Add a session at the end of the agenda."""
    _allowed(actor, meeting)
    fields = {k: v for k, v in data.items() if k not in ("meeting", "position")}
    _check_session_times(meeting, fields)
    last = meeting.sessions.aggregate(m=Max("position"))["m"]
    fields.update(meeting=meeting, position=0 if last is None else last + 1)
    return save_with_audit(AgendaSession(), fields, actor=actor)


@transaction.atomic
def do_update_session(
    session: AgendaSession, data: Mapping[str, Any], *, actor: User
) -> AgendaSession:
    """Change a session's title, description, room or times (not its meeting)."""
    _allowed(actor, session.meeting)
    fields = {k: v for k, v in data.items() if k not in ("meeting", "position")}
    merged = {"starts_at": session.starts_at, "ends_at": session.ends_at, **fields}
    _check_session_times(session.meeting, merged)
    return save_with_audit(session, fields, actor=actor)


def _renumber(sessions: Sequence[AgendaSession], actor: User | None) -> None:
    """Give the sessions positions 0, 1, 2... in this order; audit only those that move."""
    for index, session in enumerate(sessions):
        if session.position != index:
            save_with_audit(session, {"position": index}, actor=actor)


@transaction.atomic
def do_move_session(session: AgendaSession, direction: str, *, actor: User) -> AgendaSession:
    """Move a session one place up or down the agenda (nothing happens at either end)."""
    _allowed(actor, session.meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a session up or down.")})
    sessions = ordered_sessions(session.meeting)
    index = next(i for i, s in enumerate(sessions) if s.pk == session.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(sessions):
        sessions[index], sessions[target] = sessions[target], sessions[index]
        _renumber(sessions, actor)
    session.refresh_from_db()
    return session


@transaction.atomic
def do_reorder_sessions(
    meeting: Meeting, order: Sequence[int], *, actor: User
) -> list[AgendaSession]:
    """Put the agenda in the given order: a list naming every session of the meeting once."""
    _allowed(actor, meeting)
    sessions = {s.pk: s for s in ordered_sessions(meeting)}
    ids = [int(pk) for pk in order]
    if len(ids) != len(set(ids)) or set(ids) != set(sessions):
        raise ValidationError(
            {"order": _("Give every session of this meeting exactly once, in the new order.")}
        )
    ordered = [sessions[pk] for pk in ids]
    _renumber(ordered, actor)
    return ordered


@transaction.atomic
def do_delete_session(session: AgendaSession, *, actor: User) -> None:
    """Remove a session and its speakers from the agenda."""
    _allowed(actor, session.meeting)
    for speaker in session.speakers.all():
        delete_with_audit(speaker, actor=actor)
    delete_with_audit(session, actor=actor)


# ---- speakers and moderators -------------------------------------------------


@transaction.atomic
def do_add_speaker(
    session: AgendaSession, data: Mapping[str, Any], *, actor: User | None
) -> SessionSpeaker:
    """Add a speaker or moderator, with the stakeholder group they speak for."""
    _allowed(actor, session.meeting)
    fields = {k: v for k, v in data.items() if k not in ("session", "position")}
    last = session.speakers.aggregate(m=Max("position"))["m"]
    fields.update(session=session, position=0 if last is None else last + 1)
    return save_with_audit(SessionSpeaker(), fields, actor=actor)


@transaction.atomic
def do_remove_speaker(speaker: SessionSpeaker, *, actor: User) -> None:
    """Take a speaker or moderator off a session."""
    _allowed(actor, speaker.session.meeting)
    delete_with_audit(speaker, actor=actor)


# ---- planning committee ------------------------------------------------------


@transaction.atomic
def do_add_planning_member(
    meeting: Meeting, data: Mapping[str, Any], *, actor: User | None
) -> PlanningMember:
    """Add a member to the meeting's planning committee."""
    _allowed(actor, meeting)
    fields = {k: v for k, v in data.items() if k != "meeting"}
    fields["meeting"] = meeting
    return save_with_audit(PlanningMember(), fields, actor=actor)


@transaction.atomic
def do_remove_planning_member(member: PlanningMember, *, actor: User) -> None:
    """Take a member off the planning committee."""
    _allowed(actor, member.meeting)
    delete_with_audit(member, actor=actor)
