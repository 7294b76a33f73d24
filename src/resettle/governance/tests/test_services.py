"""Rules of recommendations and RAG advice."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from resettle.core.models import AuditEntry
from resettle.governance import services
from resettle.governance.models import AdviceStatus, RagAdvice, Recommendation

pytestmark = pytest.mark.django_db


def test_managers_of_recommendations(gw: SimpleNamespace) -> None:
    u = gw.users
    allowed = {
        name for name, user in u.items() if services.can_manage_recommendations(user, gw.steering)
    }
    # The State is an ordinary member of the committee: it does not manage its recommendations.
    assert allowed == {"admin", "unhcr"}


def test_owner_organisation_may_report_progress_only(gw: SimpleNamespace) -> None:
    ngo = gw.users["ngo"]
    rec = services.do_update_recommendation_progress(gw.recommendation, {"progress": 60}, actor=ngo)
    assert rec.progress == 60
    assert AuditEntry.objects.filter(object_id=str(rec.pk), action="update").count() == 1
    with pytest.raises(PermissionDenied):
        services.do_update_recommendation(gw.recommendation, {"title": "X"}, actor=ngo)
    with pytest.raises(ValidationError) as exc:
        services.do_update_recommendation_progress(gw.recommendation, {"title": "X"}, actor=ngo)
    assert "title" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.do_update_recommendation_progress(
            gw.recommendation, {"progress": 70}, actor=gw.users["state"]
        )


def test_progress_is_a_percentage(gw: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_update_recommendation_progress(
            gw.recommendation, {"progress": 101}, actor=gw.users["unhcr"]
        )
    assert "progress" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_update_recommendation_progress(
            gw.recommendation, {"status": "implemented", "progress": 90}, actor=gw.users["unhcr"]
        )
    assert "progress" in exc.value.message_dict
    done = services.do_update_recommendation_progress(
        gw.recommendation, {"status": "implemented", "progress": 100}, actor=gw.users["unhcr"]
    )
    assert not done.is_open


def test_create_recommendation_and_children(gw: SimpleNamespace) -> None:
    unhcr = gw.users["unhcr"]
    rec = services.do_create_recommendation(
        {"forum": gw.steering, "topic": "continuity", "title": "A multi-year workplan"},
        actor=unhcr,
    )
    m = services.do_create_milestone(rec, {"title": "Draft"}, actor=unhcr)
    services.do_update_milestone(m, {"done_on": gw.today}, actor=unhcr)
    ev = services.do_add_evidence(
        rec, {"description": "Workplan", "url": "https://example.org/plan"}, actor=unhcr
    )
    m.refresh_from_db()
    assert m.is_done and ev.recommendation == rec
    with pytest.raises(PermissionDenied):
        services.do_create_recommendation(
            {"forum": gw.steering, "topic": "other", "title": "No"}, actor=gw.users["state"]
        )
    with pytest.raises(PermissionDenied):
        services.do_create_milestone(rec, {"title": "No"}, actor=gw.users["ngo"])


def test_recommendations_follow_forum_visibility(gw: SimpleNamespace) -> None:
    hidden = Recommendation.objects.create(forum=gw.members_forum, topic="other", title="Internal")
    assert Recommendation.objects.visible_to(None).filter(pk=hidden.pk).count() == 0
    with pytest.raises(Http404):
        services.get_recommendation_for_user(hidden.pk, gw.users["refugee"])
    assert services.get_recommendation_for_user(hidden.pk, gw.users["state"]) == hidden


def test_giving_advice(gw: SimpleNamespace) -> None:
    allowed = {n for n, u in gw.users.items() if services.can_give_advice(u, gw.rag)}
    assert allowed == {"admin", "refugee"}
    advice = services.do_give_advice(
        {
            "source": gw.rag,
            "target_forum": gw.public_forum,
            "subject": "Childcare",
            "advice": "Offer childcare at the venue.",
            "given_on": gw.today,
            "status": "answered",  # ignored: an answer is given by the addressee
        },
        actor=gw.users["refugee"],
    )
    assert advice.status == AdviceStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.do_give_advice(
            {
                "source": gw.rag,
                "target_forum": gw.public_forum,
                "subject": "x",
                "advice": "y",
                "given_on": gw.today,
            },
            actor=gw.users["ngo"],
        )
    # Advice comes from an advisory group, not any forum.
    with pytest.raises(ValidationError) as exc:
        services.do_give_advice(
            {
                "source": gw.steering,
                "target_forum": gw.public_forum,
                "subject": "x",
                "advice": "y",
                "given_on": gw.today,
            },
            actor=None,
        )
    assert "source" in exc.value.message_dict


def test_answering_advice(gw: SimpleNamespace) -> None:
    allowed = {n for n, u in gw.users.items() if services.can_answer_advice(u, gw.advice)}
    # The consultation's chair and secretariat, and the cycle's co-chairs and planners.
    assert allowed == {"admin", "unhcr", "state", "ngo"}
    with pytest.raises(PermissionDenied):
        services.do_answer_advice(gw.advice, {"answer": "No"}, actor=gw.users["refugee"])
    with pytest.raises(ValidationError) as exc:
        services.do_answer_advice(gw.advice, {"answer": "Yes"}, actor=gw.users["state"])
    assert "answered_on" in exc.value.message_dict
    answered = services.do_answer_advice(
        gw.advice,
        {"answer": "Interpretation will be provided.", "answered_on": gw.today},
        actor=gw.users["state"],
    )
    assert answered.status == AdviceStatus.ANSWERED
    assert answered.answered_by == gw.state_org
    assert answered.is_answered
    # Once answered, the RAG can no longer correct it.
    assert not services.can_edit_advice(gw.users["refugee"], answered)


def test_answer_cannot_precede_advice(gw: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_answer_advice(
            gw.advice,
            {"answer": "Yes", "answered_on": gw.today - datetime.timedelta(days=30)},
            actor=gw.users["unhcr"],
        )
    assert "answered_on" in exc.value.message_dict


def test_advice_visibility(gw: SimpleNamespace) -> None:
    assert set(RagAdvice.objects.visible_to(None)) == {gw.advice}
    assert set(RagAdvice.objects.visible_to(gw.users["ngo"])) == {gw.advice, gw.members_advice}
    with pytest.raises(Http404):
        services.get_advice_for_user(gw.members_advice.pk, gw.users["refugee"])
