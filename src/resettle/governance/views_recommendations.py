"""Pages of the Steering Committee: its members and its recommendations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView
from resettle.forums.models import Forum
from resettle.governance import forms, services
from resettle.governance.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationTopic,
)
from resettle.governance.views_common import child_form


def steering_committee(request: HttpRequest) -> HttpResponse:
    """The Steering Committee: current members and their mandates, past members."""
    user = as_user(request.user)
    days = settings.MANDATE_WARNING_DAYS
    committees = []
    for forum in services.steering_committees(user):
        members = forum.memberships.select_related("organisation", "person__organisation")
        ending = set(members.ending_within(days).values_list("pk", flat=True))
        current = [(m, m.pk in ending) for m in members.current().order_by("end_date", "pk")]
        status_counts: Counter[str] = Counter(
            Recommendation.objects.filter(forum=forum).values_list("status", flat=True)
        )
        committees.append(
            {
                "forum": forum,
                "current": current,
                "ending_count": len(ending),
                "past": members.past().order_by("-end_date", "pk"),
                "statuses": [
                    (label, status_counts.get(value, 0), value)
                    for value, label in RecommendationStatus.choices
                ],
                "can_manage": services.can_manage_recommendations(user, forum),
            }
        )
    return render(
        request,
        "governance/steering_committee.html",
        {"committees": committees, "warning_days": days},
    )


def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Recommendations grouped by topic, with their progress, filtered."""
    user = as_user(request.user)
    qs = Recommendation.objects.visible_to(user).select_related("forum", "owner")
    form = forms.RecommendationFilterForm(request.GET or None, user=user)
    if form.is_valid():
        for name, value in form.cleaned_data.items():
            if value not in (None, ""):
                qs = qs.filter(**{name: value})
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(text__icontains=query))
    by_topic: dict[str, list[Recommendation]] = {}
    for rec in qs.order_by("topic", "target_date", "pk"):
        by_topic.setdefault(rec.topic, []).append(rec)
    groups = [
        (label, by_topic[value])
        for value, label in RecommendationTopic.choices
        if value in by_topic
    ]
    can_add = user is not None and any(
        services.can_manage_recommendations(user, f) for f in Forum.objects.visible_to(user)
    )
    return render(
        request,
        "governance/recommendation_list.html",
        {
            "groups": groups,
            "count": sum(len(r) for _l, r in groups),
            "filter_form": form,
            "query": query,
            "can_add": can_add,
        },
    )


class RecommendationDetailView(ObjectDetailView):
    """A recommendation with its milestones and evidence."""

    template_name = "governance/recommendation_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Recommendation:
        return services.get_recommendation_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Recommendation) -> bool:
        return services.can_manage_recommendations(user, obj.forum)

    def extra_context(self, request: HttpRequest, obj: Recommendation) -> dict[str, Any]:
        user = as_user(request.user)
        return {
            "milestones": obj.milestones.all(),
            "evidence": obj.evidence.all(),
            "can_update": services.can_update_progress(user, obj),
        }


class RecommendationEditView(ObjectEditView):
    """Record or edit a recommendation."""

    form_class = forms.RecommendationForm
    create_service = staticmethod(services.do_create_recommendation)
    update_service = staticmethod(services.do_update_recommendation)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Recommendation | None:
        if "pk" not in kwargs:
            return None
        return services.get_recommendation_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return any(
            services.can_manage_recommendations(user, f) for f in Forum.objects.visible_to(user)
        )

    def can_edit(self, user: User, obj: Recommendation) -> bool:
        return services.can_manage_recommendations(user, obj.forum)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        forum_id = request.GET.get("forum")
        if forum_id:
            return {
                "forum": Forum.objects.visible_to(as_user(request.user)).filter(pk=forum_id).first()
            }
        committees = services.steering_committees(request.user)
        return {"forum": committees[0]} if committees else {}


class ProgressView(ObjectEditView):
    """Report a recommendation's progress (managers and the owner organisation's users)."""

    form_class = forms.ProgressForm
    update_service = staticmethod(services.do_update_recommendation_progress)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Recommendation:
        return services.get_recommendation_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return False

    def can_edit(self, user: User, obj: Recommendation) -> bool:
        return services.can_update_progress(user, obj)


def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a milestone to a recommendation."""
    rec = services.get_recommendation_for_user(pk, request.user)
    return child_form(
        request,
        form_class=forms.MilestoneForm,
        allowed=lambda u: services.can_update_progress(u, rec),
        save=lambda data, actor: services.do_create_milestone(rec, data, actor=actor),
        success_url=rec.get_absolute_url(),
    )


def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a milestone, or mark it done."""
    milestone = services.get_milestone_for_user(pk, request.user)
    rec = milestone.recommendation
    return child_form(
        request,
        form_class=forms.MilestoneForm,
        allowed=lambda u: services.can_update_progress(u, rec),
        save=lambda data, actor: services.do_update_milestone(milestone, data, actor=actor),
        success_url=rec.get_absolute_url(),
        instance=milestone,
    )


def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach evidence to a recommendation."""
    rec = services.get_recommendation_for_user(pk, request.user)
    return child_form(
        request,
        form_class=forms.EvidenceForm,
        allowed=lambda u: services.can_update_progress(u, rec),
        save=lambda data, actor: services.do_add_evidence(rec, data, actor=actor),
        success_url=reverse("governance:recommendation_detail", args=[rec.pk]),
    )
