"""Rules of the records services: rights, numbering, validation, status history, audit."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditEntry
from resettle.records import services
from resettle.records.models import ActionPoint, ActionStatus, Decision, Minutes, meeting_date

pytestmark = pytest.mark.django_db


def _ap(w: SimpleNamespace, **extra: object) -> ActionPoint:
    data = {"text": "Share the mapping", "owner": w.ngo_org, **extra}
    return services.do_add_action_point(w.first, data, actor=w.users["state"])


def test_decisions_are_numbered_per_meeting(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    d1 = services.do_record_decision(w.first, {"text": "One"}, actor=state)
    d2 = services.do_record_decision(w.first, {"text": "Two", "session": w.session}, actor=state)
    other = services.do_record_decision(w.second, {"text": "Elsewhere"}, actor=state)
    assert (d1.number, d2.number, other.number) == (1, 2, 1)
    assert d1.decided_at == meeting_date(w.first)
    assert d1.recorded_by == state
    services.do_delete_decision(d2, actor=state)
    assert services.do_record_decision(w.first, {"text": "Three"}, actor=state).number == 2
    # Deleting an earlier one keeps the later numbers (they may be cited).
    services.do_delete_decision(d1, actor=state)
    assert list(Decision.objects.filter(meeting=w.first).values_list("number", flat=True)) == [2]
    assert AuditEntry.objects.filter(content_type__model="decision").count() == 6


@pytest.mark.parametrize("role", ["ngo", "refugee", "rsf", "other"])
def test_only_organisers_record(rec: SimpleNamespace, role: str) -> None:
    w = rec
    user = w.users[role]
    with pytest.raises(PermissionDenied):
        services.do_record_decision(w.first, {"text": "No"}, actor=user)
    with pytest.raises(PermissionDenied):
        services.do_record_minutes(w.first, text="x", language="en", actor=user)
    with pytest.raises(PermissionDenied):
        services.do_add_action_point(w.first, {"text": "x", "owner": w.ngo_org}, actor=user)
    assert not Decision.objects.exists() and not Minutes.objects.exists()


@pytest.mark.parametrize("role", ["admin", "unhcr", "state"])
def test_organisers_record(rec: SimpleNamespace, role: str) -> None:
    w = rec
    d = services.do_record_decision(w.first, {"text": "Yes"}, actor=w.users[role])
    assert d.number == 1


def test_update_decision_keeps_number(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    d = services.do_record_decision(w.first, {"text": "Draft"}, actor=state)
    services.do_update_decision(d, {"text": "Final"}, actor=state)
    d.refresh_from_db()
    assert (d.number, d.text) == (1, "Final")
    with pytest.raises(PermissionDenied):
        services.do_update_decision(d, {"text": "Mine"}, actor=w.users["ngo"])
    with pytest.raises(ValidationError) as err:
        services.do_update_decision(d, {"session": w.other_session}, actor=state)
    assert "session" in err.value.error_dict


def test_session_must_belong_to_the_meeting(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    with pytest.raises(ValidationError) as err:
        services.do_record_decision(w.first, {"text": "x", "session": w.other_session}, actor=state)
    assert err.value.message_dict["session"] == ["The session must be a session of this meeting."]
    with pytest.raises(ValidationError) as err:
        services.do_record_minutes(
            w.first, text="x", language="en", session=w.other_session, actor=state
        )
    assert "session" in err.value.error_dict


def test_minutes_create_then_replace(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    m1 = services.do_record_minutes(w.first, text="Draft", language="en", actor=state)
    m2 = services.do_record_minutes(w.first, text="Final", language="en", actor=state)
    fr = services.do_record_minutes(w.first, text="Version", language="fr", actor=state)
    s = services.do_record_minutes(w.first, text="S", language="en", session=w.session, actor=state)
    assert m1.pk == m2.pk and len({m1.pk, fr.pk, s.pk}) == 3
    assert Minutes.objects.get(pk=m1.pk).text == "Final"
    with pytest.raises(ValidationError) as err:
        services.do_record_minutes(w.first, text="  ", language="en", actor=state)
    assert "text" in err.value.error_dict


def test_action_point_validation_names_fields(rec: SimpleNamespace) -> None:
    w = rec
    state = w.users["state"]
    before = meeting_date(w.first) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        services.do_add_action_point(
            w.first, {"text": "x", "owner": None, "due_date": before}, actor=state
        )
    messages = err.value.message_dict
    assert set(messages) == {"owner", "due_date"}
    assert "before the meeting" in messages["due_date"][0]
    assert messages["owner"] == ["Choose the organisation that owns this action point."]
    other_decision = services.do_record_decision(w.second, {"text": "d"}, actor=state)
    with pytest.raises(ValidationError) as err:
        services.do_add_action_point(
            w.first, {"text": "x", "owner": w.ngo_org, "decision": other_decision}, actor=state
        )
    assert "decision" in err.value.error_dict
    assert not ActionPoint.objects.exists()


def test_status_changes_write_history(rec: SimpleNamespace) -> None:
    w = rec
    ap = _ap(w, due_date=meeting_date(w.first) + datetime.timedelta(days=30))
    assert ap.status == ActionStatus.OPEN and ap.is_overdue()
    ngo = w.users["ngo"]  # a user of the owner organisation
    n = AuditEntry.objects.count()
    services.do_update_action_point(ap, {"status": "in_progress"}, note="Started", actor=ngo)
    assert AuditEntry.objects.count() == n + 2  # the point and its history entry
    day = w.today
    services.do_update_action_point(ap, {"status": "done"}, actor=ngo, on=day)
    ap.refresh_from_db()
    assert (ap.status, ap.closed_on, ap.closed_at_meeting) == ("done", day, None)
    assert not ap.is_overdue()
    history = list(ap.updates.values_list("status", "note", "author__username"))
    assert history == [("in_progress", "Started", "ngo"), ("done", "", "ngo")]
    # Reopening clears the closing date.
    services.do_update_action_point(ap, {"status": "open"}, actor=w.users["state"])
    ap.refresh_from_db()
    assert (ap.status, ap.closed_on) == ("open", None)
    # A note alone is history too, without a change of status.
    services.do_update_action_point(ap, {}, note="Reminder sent", actor=ngo)
    assert ap.updates.count() == 4


def test_who_may_report_status(rec: SimpleNamespace) -> None:
    w = rec
    ap = _ap(w)
    for role in ("refugee", "rsf", "other"):
        with pytest.raises(PermissionDenied):
            services.do_update_action_point(ap, {"status": "done"}, actor=w.users[role])
    # The owner reports its status but does not rewrite the action point.
    with pytest.raises(PermissionDenied):
        services.do_update_action_point(ap, {"text": "Something else"}, actor=w.users["ngo"])
    services.do_update_action_point(ap, {"text": "Share the full mapping"}, actor=w.users["state"])
    ap.refresh_from_db()
    assert ap.text == "Share the full mapping" and ap.updates.count() == 0


def test_done_at_a_later_meeting(rec: SimpleNamespace) -> None:
    w = rec
    ap = _ap(w)
    services.do_update_action_point(
        ap, {"status": "done"}, at_meeting=w.second, actor=w.users["unhcr"]
    )
    ap.refresh_from_db()
    assert ap.closed_at_meeting == w.second
    assert ap.updates.get().meeting == w.second
    # A meeting of another forum is not one it is carried to.
    ap2 = _ap(w, text="Another")
    with pytest.raises(ValidationError) as err:
        services.do_update_action_point(
            ap2, {"status": "done"}, at_meeting=w.wgr_meeting, actor=w.users["admin"]
        )
    assert "at_meeting" in err.value.error_dict


def test_visibility_follows_the_meeting(rec: SimpleNamespace) -> None:
    w = rec
    d = services.do_record_decision(w.wgr_meeting, {"text": "Hidden"}, actor=w.users["unhcr"])
    assert services.get_decision_for_user(d.pk, w.users["ngo"]) == d
    for role in ("anonymous", "refugee", "other"):
        with pytest.raises(Http404):
            services.get_decision_for_user(d.pk, w.users[role])
