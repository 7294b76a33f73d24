"""Authorization rows of the governance app (see tests/test_authorization_matrix.py).

Every case builds the governance objects of resettle.governance.tests.factories
on the world: a public Steering Committee run by UNHCR's secretariat, the RAG
(the refugee-led organisation is its member), a recommendation owned by the
German NGO, advice to the public consultation (whose chair is the State, whose
cycle the State and the NGO co-chair) and advice to the members-only group.
"""

from __future__ import annotations

from authz import (
    EVERYONE,
    MEMBERS_ONLY,
    TODAY,
    Case,
    Listed,
    W,
    api_pk,
    api_write,
    edit_form,
    pk,
    signed_in,
)
from resettle.governance import forms as gov_forms
from resettle.governance.tests.factories import add_governance

S = add_governance
# Who manages the Steering Committee's recommendations: administrators and UNHCR.
MANAGERS = {"admin": 200, "unhcr": 200}
# ... and who may report progress: those, and the owner organisation (the German NGO).
UPDATERS = {**MANAGERS, "ngo": 200}
# Who may give advice for the RAG: its members (the refugee-led organisation), administrators.
ADVISERS = {"admin": 200, "refugee": 200}
# Who answers advice to the consultation: its chair and secretariat, the cycle's co-chairs.
ANSWERERS = {"admin": 200, "unhcr": 200, "state": 200, "ngo": 200}


def _hidden_recommendation(w: W) -> None:
    """The governance world, and a recommendation of the members-only working group."""
    from resettle.governance.models import Recommendation

    add_governance(w)
    w.members_recommendation = Recommendation.objects.create(
        forum=w.members_forum, topic="participation", title="Rotate the co-chair"
    )


# The lists show what belongs to the members-only forum to those who see it.
RECOMMENDATIONS = (
    Listed("recommendation", EVERYONE),
    Listed("members_recommendation", MEMBERS_ONLY),
)
ADVICE = (Listed("advice", EVERYONE), Listed("members_advice", MEMBERS_ONLY))


def _posted(ok: dict[str, int], code: int) -> dict[str, int]:
    return {role: code for role in ok}


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "governance:steering_committee": [Case("GET", EVERYONE, setup=S)],
    "governance:recommendation_list": [
        Case("GET", EVERYONE, setup=S, query="?topic=participation&status=in_progress"),
        Case(
            "GET",
            EVERYONE,
            setup=_hidden_recommendation,
            lists=RECOMMENDATIONS,
            label="scoped",
        ),
    ],
    "governance:recommendation_detail": [Case("GET", EVERYONE, setup=S, args=pk("recommendation"))],
    "governance:recommendation_add": [
        # Offered to whoever manages some forum's recommendations: the State chairs the
        # consultation, the NGO co-chairs the working group.
        Case("GET", signed_in(403, admin=200, unhcr=200, state=200, ngo=200), setup=S),
        Case(
            "POST",
            # The NGO does not run the consultation: it is not among the form's choices.
            signed_in(403, admin=302, unhcr=302, state=302, ngo=400),
            setup=S,
            data=lambda w, u: {
                "forum": w.public_forum.pk,
                "topic": "format",
                "title": "Shorter plenaries",
                "status": "proposed",
                "progress": 0,
            },
            writes=True,
        ),
    ],
    "governance:recommendation_edit": [
        Case("GET", signed_in(403, **MANAGERS), setup=S, args=pk("recommendation")),
        Case(
            "POST",
            signed_in(403, **_posted(MANAGERS, 302)),
            setup=S,
            args=pk("recommendation"),
            data=edit_form(gov_forms.RecommendationForm, "recommendation", title="Changed"),
            writes=True,
        ),
    ],
    "governance:recommendation_progress": [
        Case("GET", signed_in(403, **UPDATERS), setup=S, args=pk("recommendation")),
        Case(
            "POST",
            signed_in(403, **_posted(UPDATERS, 302)),
            setup=S,
            args=pk("recommendation"),
            data=lambda w, u: {"status": "in_progress", "progress": 55},
            writes=True,
        ),
    ],
    "governance:milestone_add": [
        Case("GET", signed_in(403, **UPDATERS), setup=S, args=pk("recommendation")),
        Case(
            "POST",
            signed_in(403, **_posted(UPDATERS, 302)),
            setup=S,
            args=pk("recommendation"),
            data=lambda w, u: {"title": "Pilot session"},
            writes=True,
        ),
    ],
    "governance:milestone_edit": [
        Case("GET", signed_in(403, **UPDATERS), setup=S, args=pk("milestone")),
        Case(
            "POST",
            signed_in(403, **_posted(UPDATERS, 302)),
            setup=S,
            args=pk("milestone"),
            data=lambda w, u: {"title": "Guidance note", "done_on": TODAY},
            writes=True,
        ),
    ],
    "governance:evidence_add": [
        Case("GET", signed_in(403, **UPDATERS), setup=S, args=pk("recommendation")),
        Case(
            "POST",
            signed_in(403, **_posted(UPDATERS, 302)),
            setup=S,
            args=pk("recommendation"),
            data=lambda w, u: {"description": "Report", "url": "https://example.org/r"},
            writes=True,
        ),
    ],
    "governance:rag_advice_list": [
        Case("GET", EVERYONE, setup=S, query="?status=open"),
        Case("GET", EVERYONE, setup=S, lists=ADVICE, label="scoped"),
    ],
    "governance:rag_advice_detail": [
        Case("GET", EVERYONE, setup=S, args=pk("advice")),
        Case("GET", MEMBERS_ONLY, setup=S, args=pk("members_advice"), label="members-only"),
    ],
    "governance:rag_advice_add": [
        Case("GET", signed_in(403, **ADVISERS), setup=S),
        Case(
            "POST",
            signed_in(403, **_posted(ADVISERS, 302)),
            setup=S,
            data=lambda w, u: {
                "source": w.rag.pk,
                "target_forum": w.public_forum.pk,
                "subject": "Childcare at the venue",
                "advice": "Offer childcare.",
                "given_on": TODAY,
            },
            writes=True,
        ),
    ],
    "governance:rag_advice_edit": [
        Case("GET", signed_in(403, **ADVISERS), setup=S, args=pk("advice")),
        Case(
            "POST",
            signed_in(403, **_posted(ADVISERS, 302)),
            setup=S,
            args=pk("advice"),
            data=edit_form(gov_forms.AdviceForm, "advice", subject="Changed"),
            writes=True,
        ),
    ],
    "governance:rag_advice_answer": [
        Case("GET", signed_in(403, **ANSWERERS), setup=S, args=pk("advice")),
        Case(
            "POST",
            signed_in(403, **_posted(ANSWERERS, 302)),
            setup=S,
            args=pk("advice"),
            data=lambda w, u: {"answer": "Agreed.", "answered_on": TODAY, "status": "answered"},
            writes=True,
        ),
    ],
    "governance:participation": [Case("GET", EVERYONE, setup=S)],
    "governance:participation_csv": [Case("GET", EVERYONE, setup=S)],
    "governance:participation_cycle": [Case("GET", EVERYONE, setup=S, args=pk("cycle"))],
    "governance:participation_forum": [
        Case("GET", EVERYONE, setup=S, args=pk("public_forum")),
        Case("GET", MEMBERS_ONLY, setup=S, args=pk("members_forum"), label="members-only"),
    ],
    "governance:rotation_planner": [Case("GET", EVERYONE, setup=S, query="?years=6&count=2")],
    "governance:handover": [Case("GET", EVERYONE, setup=S, args=pk("cycle"))],
    # -- API --
    ("GET", "/api/v1/governance/recommendations"): [
        Case("GET", EVERYONE, setup=S, query="?topic=participation"),
        Case(
            "GET",
            EVERYONE,
            setup=_hidden_recommendation,
            lists=RECOMMENDATIONS,
            label="scoped",
        ),
    ],
    ("GET", "/api/v1/governance/recommendations/{pk}"): [
        Case("GET", EVERYONE, setup=S, args=api_pk("recommendation"))
    ],
    ("POST", "/api/v1/governance/recommendations"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201),
            setup=S,
            data=lambda w, u: {"forum_id": w.steering.pk, "topic": "continuity", "title": "Plan"},
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/governance/recommendations/{pk}"): [
        Case(
            "PATCH",
            api_write(403, **MANAGERS),
            setup=S,
            args=api_pk("recommendation"),
            data=lambda w, u: {"title": "Changed"},
            writes=True,
        )
    ],
    ("POST", "/api/v1/governance/recommendations/{pk}/progress"): [
        Case(
            "POST",
            api_write(403, **UPDATERS),
            setup=S,
            args=api_pk("recommendation"),
            data=lambda w, u: {"progress": 55},
            writes=True,
        )
    ],
    ("POST", "/api/v1/governance/recommendations/{pk}/milestones"): [
        Case(
            "POST",
            api_write(403, **_posted(UPDATERS, 201)),
            setup=S,
            args=api_pk("recommendation"),
            data=lambda w, u: {"title": "Pilot"},
            writes=True,
        )
    ],
    ("PATCH", "/api/v1/governance/milestones/{pk}"): [
        Case(
            "PATCH",
            api_write(403, **UPDATERS),
            setup=S,
            args=api_pk("milestone"),
            data=lambda w, u: {"done_on": TODAY},
            writes=True,
        )
    ],
    ("POST", "/api/v1/governance/recommendations/{pk}/evidence"): [
        Case(
            "POST",
            api_write(403, **_posted(UPDATERS, 201)),
            setup=S,
            args=api_pk("recommendation"),
            data=lambda w, u: {"description": "Report", "url": "https://example.org/r"},
            writes=True,
        )
    ],
    ("GET", "/api/v1/governance/rag-advice"): [
        Case("GET", EVERYONE, setup=S, query="?status=open"),
        Case("GET", EVERYONE, setup=S, lists=ADVICE, label="scoped"),
    ],
    ("GET", "/api/v1/governance/rag-advice/{pk}"): [
        Case("GET", EVERYONE, setup=S, args=api_pk("advice")),
        Case("GET", MEMBERS_ONLY, setup=S, args=api_pk("members_advice"), label="members-only"),
    ],
    ("POST", "/api/v1/governance/rag-advice"): [
        Case(
            "POST",
            api_write(403, **_posted(ADVISERS, 201)),
            setup=S,
            data=lambda w, u: {
                "source_id": w.rag.pk,
                "target_forum_id": w.public_forum.pk,
                "subject": "Childcare",
                "advice": "Offer childcare.",
                "given_on": TODAY,
            },
            writes=True,
        ),
        # Who may not see the members-only group gets 422 (an unknown id), before any right.
        Case(
            "POST",
            api_write(403, admin=201, refugee=422, rsf=422, other=422),
            setup=S,
            data=lambda w, u: {
                "source_id": w.rag.pk,
                "target_forum_id": w.members_forum.pk,
                "subject": "Seats",
                "advice": "Two seats.",
                "given_on": TODAY,
            },
            writes=True,
            label="a forum the user may not see",
        ),
    ],
    ("PATCH", "/api/v1/governance/rag-advice/{pk}"): [
        Case(
            "PATCH",
            api_write(403, **ADVISERS),
            setup=S,
            args=api_pk("advice"),
            data=lambda w, u: {"subject": "Changed"},
            writes=True,
        )
    ],
    ("POST", "/api/v1/governance/rag-advice/{pk}/answer"): [
        Case(
            "POST",
            api_write(403, **ANSWERERS),
            setup=S,
            args=api_pk("advice"),
            data=lambda w, u: {"answer": "Agreed.", "answered_on": TODAY},
            writes=True,
        )
    ],
    ("GET", "/api/v1/governance/participation/cycles/{pk}"): [
        Case("GET", EVERYONE, setup=S, args=api_pk("cycle"))
    ],
    ("GET", "/api/v1/governance/participation/forums/{pk}"): [
        Case("GET", EVERYONE, setup=S, args=api_pk("public_forum")),
        Case("GET", MEMBERS_ONLY, setup=S, args=api_pk("members_forum"), label="members-only"),
    ],
}
