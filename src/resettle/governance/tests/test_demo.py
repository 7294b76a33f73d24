"""The governance demo loader."""

from __future__ import annotations

import pytest

from resettle.demo.services import do_load_demo
from resettle.governance.demo import ADVICE, RECOMMENDATIONS, load_governance_demo
from resettle.governance.models import (
    RagAdvice,
    Recommendation,
    RecommendationStatus,
    RecommendationTopic,
)

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent() -> None:
    assert load_governance_demo() == 0  # nothing to attach to yet
    created = do_load_demo().governance  # the base demo loads governance records too
    assert created > len(RECOMMENDATIONS) + len(ADVICE)
    recs = Recommendation.objects.all()
    assert {r.topic for r in recs} == set(RecommendationTopic.values)
    assert {r.status for r in recs} == set(RecommendationStatus.values)
    assert all(r.forum.name == "Steering Committee of the Consultations" for r in recs)
    assert all("Illustrative" in r.text for r in recs)
    assert sum(r.milestones.count() for r in recs) >= 8
    assert RagAdvice.objects.filter(status="open").count() == 2
    assert RagAdvice.objects.exclude(status="open").count() == 3
    assert all(a.source.acronym == "RAG" for a in RagAdvice.objects.all())
    assert load_governance_demo() == 0
