"""Forms of the governance app: edit forms and list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.forums.models import ConsultationCycle, Forum, ForumKind
from resettle.governance import services
from resettle.governance.models import (
    AdviceStatus,
    RagAdvice,
    Recommendation,
    RecommendationEvidence,
    RecommendationMilestone,
    RecommendationStatus,
    RecommendationTopic,
)

_DATE = forms.DateInput(attrs={"type": "date"})


class RecommendationForm(BootstrapFormMixin, forms.ModelForm[Recommendation]):
    """Record or edit a recommendation."""

    class Meta:
        model = Recommendation
        fields = ["forum", "topic", "title", "text", "owner", "status", "progress", "target_date"]
        widgets = {
            "target_date": _DATE,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forums = Forum.objects.visible_to(self.user)
        allowed = [f.pk for f in forums if services.can_manage_recommendations(self.user, f)]
        self.fields["forum"].queryset = Forum.objects.filter(pk__in=allowed)  # type: ignore[attr-defined]


class ProgressForm(BootstrapFormMixin, forms.ModelForm[Recommendation]):
    """Report a recommendation's progress."""

    class Meta:
        model = Recommendation
        fields = ["status", "progress"]
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100})}


class MilestoneForm(BootstrapFormMixin, forms.ModelForm[RecommendationMilestone]):
    """Add or edit a milestone."""

    class Meta:
        model = RecommendationMilestone
        fields = ["title", "due_date", "done_on"]
        widgets = {"due_date": _DATE, "done_on": _DATE}


class EvidenceForm(BootstrapFormMixin, forms.ModelForm[RecommendationEvidence]):
    """Attach evidence to a recommendation."""

    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = RecommendationEvidence
        fields = ["description", "url"]


class AdviceForm(BootstrapFormMixin, forms.ModelForm[RagAdvice]):
    """Give (or correct) advice of the Refugee Advisory Group."""

    class Meta:
        model = RagAdvice
        fields = ["source", "target_forum", "cycle", "addressee", "subject", "advice", "given_on"]
        widgets = {"given_on": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        groups = [g.pk for g in services.advisory_groups_for(user)]
        self.fields["source"].queryset = Forum.objects.filter(pk__in=groups)  # type: ignore[attr-defined]
        self.fields["target_forum"].queryset = Forum.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = ConsultationCycle.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "forum"
        )


class AnswerForm(BootstrapFormMixin, forms.ModelForm[RagAdvice]):
    """Record the answer to an advice item."""

    class Meta:
        model = RagAdvice
        fields = ["answer", "answered_on", "answered_by", "status"]
        widgets = {"answered_on": _DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answered_on"].required = True
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            c for c in AdviceStatus.choices if c[0] != AdviceStatus.OPEN
        ]


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class RecommendationFilterForm(FilterForm):
    """Filters of the recommendation list."""

    topic = forms.ChoiceField(label=_("Topic"), choices=_any(RecommendationTopic.choices))
    status = forms.ChoiceField(label=_("Status"), choices=_any(RecommendationStatus.choices))
    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only forums the user may see that hold recommendations.
        self.fields["forum"].queryset = (  # type: ignore[attr-defined]
            Forum.objects.visible_to(self.user).filter(recommendations__isnull=False).distinct()
        )


class AdviceFilterForm(FilterForm):
    """Filters of the RAG advice list."""

    status = forms.ChoiceField(label=_("Status"), choices=_any(AdviceStatus.choices))
    target_forum = forms.ModelChoiceField(label=_("To forum"), queryset=Forum.objects.all())
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=ConsultationCycle.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = ConsultationCycle.objects.visible_to(  # type: ignore[attr-defined]
            self.user
        ).select_related("forum")


class PlannerForm(forms.Form):
    """The rotation planner's settings."""

    forum = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Forum.objects.filter(kind=ForumKind.CONSULTATION),
        required=False,
    )
    years = forms.IntegerField(
        label=_("Not chaired within (years)"), min_value=0, max_value=50, required=False
    )
    count = forms.IntegerField(
        label=_("Cycles to propose"), min_value=1, max_value=10, required=False
    )
