"""Business rules for minutes, decisions and action points.

Organisers of a meeting (meetings.access.can_organise_meeting) record its
minutes, decisions and action points. The owner organisation of an action
point may report its status; so may the organisers of a later meeting of the
same forum to which it was carried over ("done at this meeting").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import AgendaSession, Meeting
from resettle.records.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ActionPoint,
    ActionPointQuerySet,
    ActionPointUpdate,
    ActionStatus,
    Decision,
    Minutes,
    meeting_date,
)

# ---- reads -------------------------------------------------------------------


def get_meeting_for_user(pk: int | str, user: Any) -> Meeting:
    """A meeting the user may see (404 otherwise)."""
    return get_visible(Meeting, user, pk=pk)


def get_decision_for_user(pk: int | str, user: Any) -> Decision:
    """A decision of a meeting the user may see (404 otherwise)."""
    return get_visible(Decision, user, pk=pk)


def get_action_point_for_user(pk: int | str, user: Any) -> ActionPoint:
    """An action point of a meeting the user may see (404 otherwise)."""
    return get_visible(ActionPoint, user, pk=pk)


def get_minutes_for_user(pk: int | str, user: Any) -> Minutes:
    """Minutes of a meeting the user may see (404 otherwise)."""
    return get_visible(Minutes, user, pk=pk)


def carried_action_points(meeting: Meeting) -> ActionPointQuerySet:
    """The action points a meeting inherits from the earlier meetings of its forum.

    An action point agreed at an earlier meeting of the same forum (one that
    started before this one) is carried over when it was still open at this
    meeting's start: either it is open or in progress now, or it was closed
    at this meeting or a later one. When it was closed between meetings (no
    closing meeting recorded), its closing date decides: closed on or after
    the day this meeting starts still counts as open at the start, so what
    was ticked off on the day shows here as done rather than vanishing.

    The rule reads only the action point's current state, not its history: an
    item closed before this meeting and reopened afterwards is shown (open),
    which is what its owner now has to do. Points agreed at this meeting
    itself are not "carried"; the meeting's page lists them separately.
    """
    start = meeting.starts_at
    closed_here_or_later = Q(closed_at_meeting__starts_at__gte=start)
    closed_since_between_meetings = Q(
        closed_at_meeting__isnull=True, closed_on__gte=meeting_date(meeting)
    )
    qs: ActionPointQuerySet = ActionPoint.objects.filter(
        meeting__forum=meeting.forum_id, meeting__starts_at__lt=start
    ).filter(Q(status__in=OPEN_STATUSES) | closed_here_or_later | closed_since_between_meetings)
    return qs.select_related("meeting", "owner", "decision", "closed_at_meeting").order_by(
        "meeting__starts_at", "due_date", "pk"
    )


# ---- rules -------------------------------------------------------------------


def can_record(user: Any, meeting: Meeting) -> bool:
    """Whether the user records this meeting's minutes, decisions and action points."""
    return can_organise_meeting(user, meeting)


def _carried_to(action_point: ActionPoint, meeting: Meeting | None) -> bool:
    return (
        meeting is not None
        and meeting.pk != action_point.meeting_id
        and carried_action_points(meeting).filter(pk=action_point.pk).exists()
    )


def can_edit_action_point(user: Any, action_point: ActionPoint) -> bool:
    """Whether the user may change what an action point says (its text, owner, due date)."""
    return can_organise_meeting(user, action_point.meeting)


def can_update_status(
    user: Any, action_point: ActionPoint, at_meeting: Meeting | None = None
) -> bool:
    """Whether the user may report an action point's status.

    Organisers of the meeting that agreed it; users of its owner organisation;
    and organisers of a later meeting it is carried over to (`at_meeting`).
    """
    u = as_user(user)
    if u is None or not u.is_active:
        return False
    if u.organisation_id is not None and u.organisation_id == action_point.owner_id:
        return True
    if can_organise_meeting(u, action_point.meeting):
        return True
    return (
        at_meeting is not None
        and _carried_to(action_point, at_meeting)
        and can_organise_meeting(u, at_meeting)
    )


def _session_in(meeting: Meeting, session: AgendaSession | None) -> None:
    if session is not None and session.meeting_id != meeting.pk:
        raise ValidationError({"session": _("The session must be a session of this meeting.")})


# ---- minutes -----------------------------------------------------------------


@transaction.atomic
def do_record_minutes(
    meeting: Meeting,
    *,
    text: str,
    language: str,
    session: AgendaSession | None = None,
    actor: User,
) -> Minutes:
    """Write the minutes of a meeting or session in a language (creating or replacing them)."""
    require(can_record(actor, meeting), "minutes")
    _session_in(meeting, session)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the minutes.")})
    existing = Minutes.objects.filter(meeting=meeting, session=session, language=language).first()
    minutes = existing or Minutes(meeting=meeting, session=session, language=language)
    return save_with_audit(minutes, {"text": text, "recorded_by": actor}, actor=actor)


# ---- decisions ---------------------------------------------------------------

_DECISION_FIELDS = ("session", "text", "decided_at")


def _only(data: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    return dict(data)


@transaction.atomic
def do_record_decision(meeting: Meeting, data: Mapping[str, Any], *, actor: User) -> Decision:
    """Record a decision of a meeting; it gets the meeting's next number."""
    require(can_record(actor, meeting), "decision")
    fields = _only(data, _DECISION_FIELDS)
    _session_in(meeting, fields.get("session"))
    if not str(fields.get("text") or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    if fields.get("decided_at") is None:
        fields["decided_at"] = meeting_date(meeting)
    # Lock the meeting so two recorders cannot take the same number (PostgreSQL;
    # SQLite serialises writers anyway). The unique constraint is the last guard.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    last = Decision.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
    fields.update(meeting=meeting, number=last + 1, recorded_by=actor)
    return save_with_audit(Decision(), fields, actor=actor)


@transaction.atomic
def do_update_decision(decision: Decision, data: Mapping[str, Any], *, actor: User) -> Decision:
    """Correct a decision's text, session or date (its number stays)."""
    require(can_record(actor, decision.meeting), "decision")
    fields = _only(data, _DECISION_FIELDS)
    if "session" in fields:
        _session_in(decision.meeting, fields["session"])
    if "text" in fields and not str(fields["text"] or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    if "decided_at" in fields and fields["decided_at"] is None:
        fields["decided_at"] = meeting_date(decision.meeting)
    return save_with_audit(decision, fields, actor=actor)


@transaction.atomic
def do_delete_decision(decision: Decision, *, actor: User) -> None:
    """Remove a decision recorded in error.

    The other decisions keep their numbers: they may already be cited. Action
    points that followed from it stay, no longer linked to a decision.
    """
    require(can_record(actor, decision.meeting), "decision")
    for action_point in decision.action_points.all():
        save_with_audit(action_point, {"decision": None}, actor=actor)
    delete_with_audit(decision, actor=actor)


# ---- action points -----------------------------------------------------------

_ACTION_FIELDS = ("text", "owner", "due_date", "decision", "notes")


def _check_action_fields(meeting: Meeting, fields: Mapping[str, Any], *, creating: bool) -> None:
    errors: dict[str, str] = {}
    if (creating or "owner" in fields) and fields.get("owner") is None:
        errors["owner"] = _("Choose the organisation that owns this action point.")
    if (creating or "text" in fields) and not str(fields.get("text") or "").strip():
        errors["text"] = _("Say what is to be done.")
    due = fields.get("due_date")
    if due is not None and due < meeting_date(meeting):
        errors["due_date"] = _("The due date cannot be before the meeting (%(date)s).") % {
            "date": meeting_date(meeting).isoformat()
        }
    decision = fields.get("decision")
    if decision is not None and decision.meeting_id != meeting.pk:
        errors["decision"] = _("The decision must be one of this meeting's decisions.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_add_action_point(meeting: Meeting, data: Mapping[str, Any], *, actor: User) -> ActionPoint:
    """Record an action point agreed at a meeting: what, which organisation, by when."""
    require(can_record(actor, meeting), "action point")
    fields = _only(data, _ACTION_FIELDS)
    _check_action_fields(meeting, fields, creating=True)
    fields.update(meeting=meeting, status=ActionStatus.OPEN)
    return save_with_audit(ActionPoint(), fields, actor=actor)


@transaction.atomic
def do_update_action_point(
    action_point: ActionPoint,
    data: Mapping[str, Any],
    *,
    actor: User,
    note: str = "",
    at_meeting: Meeting | None = None,
    on: datetime.date | None = None,
) -> ActionPoint:
    """Change an action point, or report its status.

    A change of status (or a note) adds an entry to its history. Closing it
    (done or dropped) records the day and, given `at_meeting`, the meeting at
    which it was closed; reopening it clears both. Only organisers change
    what it says; its owner organisation and the organisers of a meeting it is
    carried to may report its status.
    """
    fields = _only(data, (*_ACTION_FIELDS, "status"))
    status = fields.get("status", action_point.status)
    status_changes = status != action_point.status
    if set(fields) - {"status"}:
        require(can_edit_action_point(actor, action_point), "action point")
    elif not can_update_status(actor, action_point, at_meeting):
        raise PermissionDenied("action point")
    elsewhere = at_meeting is not None and at_meeting.pk != action_point.meeting_id
    if elsewhere and not _carried_to(action_point, at_meeting):
        raise ValidationError(
            {"at_meeting": _("This action point is not carried over to that meeting.")}
        )
    _check_action_fields(action_point.meeting, fields, creating=False)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    day = on or timezone.localdate()
    if status_changes:
        if status in CLOSED_STATUSES:
            fields["closed_on"] = day
            fields["closed_at_meeting"] = at_meeting
        else:
            fields["closed_on"] = None
            fields["closed_at_meeting"] = None
    saved = save_with_audit(action_point, fields, actor=actor)
    if status_changes or note.strip():
        save_with_audit(
            ActionPointUpdate(),
            {
                "action_point": saved,
                "date": day,
                "status": status,
                "note": note.strip(),
                "author": actor,
                "meeting": at_meeting,
            },
            actor=actor,
        )
    return saved


def action_points_of_organisation(user: Any) -> ActionPointQuerySet:
    """The action points owned by the user's organisation, on meetings the user may see."""
    u = as_user(user)
    if u is None or u.organisation_id is None:
        return ActionPoint.objects.none()
    return ActionPoint.objects.visible_to(u).filter(owner=u.organisation_id)
