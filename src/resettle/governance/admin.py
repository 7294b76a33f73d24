"""Admin for recommendations and RAG advice."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.governance.models import (
    RagAdvice,
    Recommendation,
    RecommendationEvidence,
    RecommendationMilestone,
)


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin[Recommendation]):
    """Steering Committee recommendations."""

    list_display = ("title", "forum", "topic", "owner", "status", "progress", "target_date")
    list_filter = ("topic", "status", "forum")
    search_fields = ("title", "text")


@admin.register(RecommendationMilestone)
class RecommendationMilestoneAdmin(AuditedAdmin[RecommendationMilestone]):
    """Milestones of recommendations."""

    list_display = ("title", "recommendation", "due_date", "done_on")


@admin.register(RecommendationEvidence)
class RecommendationEvidenceAdmin(AuditedAdmin[RecommendationEvidence]):
    """Evidence of recommendations."""

    list_display = ("description", "recommendation", "url", "added_on")


@admin.register(RagAdvice)
class RagAdviceAdmin(AuditedAdmin[RagAdvice]):
    """The RAG advice log."""

    list_display = ("subject", "source", "target_forum", "cycle", "given_on", "status")
    list_filter = ("status", "target_forum")
    search_fields = ("subject", "advice", "answer")
