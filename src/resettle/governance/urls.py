"""URLs of the governance app."""

from django.urls import path

from resettle.governance import (
    views_advice,
    views_participation,
    views_planning,
    views_recommendations,
)

app_name = "governance"

urlpatterns = [
    path(
        "steering-committee/",
        views_recommendations.steering_committee,
        name="steering_committee",
    ),
    path(
        "recommendations/",
        views_recommendations.recommendation_list,
        name="recommendation_list",
    ),
    path(
        "recommendations/add/",
        views_recommendations.RecommendationEditView.as_view(),
        name="recommendation_add",
    ),
    path(
        "recommendations/<int:pk>/",
        views_recommendations.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views_recommendations.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/progress/",
        views_recommendations.ProgressView.as_view(),
        name="recommendation_progress",
    ),
    path(
        "recommendations/<int:pk>/milestones/add/",
        views_recommendations.milestone_add,
        name="milestone_add",
    ),
    path(
        "milestones/<int:pk>/edit/",
        views_recommendations.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "recommendations/<int:pk>/evidence/add/",
        views_recommendations.evidence_add,
        name="evidence_add",
    ),
    path("rag-advice/", views_advice.AdviceListView.as_view(), name="rag_advice_list"),
    path("rag-advice/add/", views_advice.AdviceEditView.as_view(), name="rag_advice_add"),
    path("rag-advice/<int:pk>/", views_advice.AdviceDetailView.as_view(), name="rag_advice_detail"),
    path(
        "rag-advice/<int:pk>/edit/", views_advice.AdviceEditView.as_view(), name="rag_advice_edit"
    ),
    path(
        "rag-advice/<int:pk>/answer/", views_advice.AnswerView.as_view(), name="rag_advice_answer"
    ),
    path("participation/", views_participation.participation, name="participation"),
    path(
        "participation/export.csv",
        views_participation.participation_csv,
        name="participation_csv",
    ),
    path(
        "participation/cycles/<int:pk>/",
        views_participation.participation_cycle,
        name="participation_cycle",
    ),
    path(
        "participation/forums/<int:pk>/",
        views_participation.participation_forum,
        name="participation_forum",
    ),
    path("rotation-planner/", views_planning.rotation_planner, name="rotation_planner"),
    path("cycles/<int:pk>/handover/", views_planning.handover_pack, name="handover"),
]
