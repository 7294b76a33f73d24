"""Forms of capacity building: assessments with their scores, technical assistance,
training modules, versions, deliveries and results, GROW supporters, list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.capacity import access, stages
from resettle.capacity.models import (
    Assessment,
    AssessmentStatus,
    AssistanceStatus,
    Dimension,
    ModuleVersion,
    ParticipantResult,
    ProviderKind,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.commitments.models import Supporter
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country, Organisation, Person, ProgrammeStage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE_CHOICES = [("", "—"), *[(str(i), str(i)) for i in range(stages.MIN_SCORE, 5)]]


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


def nest_scores(data: dict[str, Any]) -> dict[str, Any]:
    """Flat form values (score_legal, evidence_legal, note_legal...) as the service's
    {"scores": {dimension: {score, evidence, note}}}."""
    out = {k: v for k, v in data.items() if not k.startswith(("score_", "evidence_", "note_"))}
    scores: dict[str, dict[str, Any]] = {}
    for dim in stages.DIMENSIONS:
        if f"score_{dim}" not in data:
            continue
        raw = data.get(f"score_{dim}")
        scores[dim] = {
            "score": None if raw is None or raw == "" else int(raw),
            "evidence": data.get(f"evidence_{dim}", ""),
            "note": data.get(f"note_{dim}", ""),
        }
    out["scores"] = scores
    return out


class AssessmentForm(BootstrapFormMixin, forms.ModelForm[Assessment]):
    """An assessment: the State, date, assessor, status, and a score (0-4), the
    evidence and a note for each dimension."""

    class Meta:
        model = Assessment
        fields = ["country", "assessed_on", "assessor", "status", "summary"]
        widgets = {"assessed_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].required = False
        self.fields["assessor"].help_text = _("Your organisation if left empty.")
        existing = {s.dimension: s for s in self.instance.scores.all()} if self.instance.pk else {}
        for dim in Dimension:
            row = existing.get(dim.value)
            self.fields[f"score_{dim.value}"] = forms.TypedChoiceField(
                label=_("%(dimension)s: score") % {"dimension": dim.label},
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("0 nothing in place … 4 fully in place and reviewed."),
            )
            self.fields[f"evidence_{dim.value}"] = forms.CharField(
                label=_("%(dimension)s: evidence") % {"dimension": dim.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"note_{dim.value}"] = forms.CharField(
                label=_("%(dimension)s: note") % {"dimension": dim.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            if row is not None:
                self.initial.setdefault(f"score_{dim.value}", str(row.score))
                self.initial.setdefault(f"evidence_{dim.value}", row.evidence)
                self.initial.setdefault(f"note_{dim.value}", row.note)
        # BootstrapFormMixin styled the fields present at its __init__; style these too.
        for name, field in self.fields.items():
            if name.startswith(("score_", "evidence_", "note_")):
                css = "form-select" if name.startswith("score_") else "form-control"
                field.widget.attrs.setdefault("class", css)


class AssistanceForm(BootstrapFormMixin, forms.ModelForm[TechnicalAssistance]):
    """A technical-assistance request, its plan and outcome."""

    class Meta:
        model = TechnicalAssistance
        fields = [
            "country",
            "dimension",
            "title",
            "description",
            "provider_kind",
            "provider",
            "status",
            "requested_on",
            "start_date",
            "end_date",
            "outcome",
        ]
        widgets = {
            "requested_on": DATE,
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["provider"].queryset = Organisation.objects.select_related("country")  # type: ignore[attr-defined]
        if user is not None and not access.is_crisp_staff(user):
            own = access.official_country_id(user)
            if own is not None and not self.instance.pk:
                self.fields["country"].queryset = Country.objects.filter(pk=own)  # type: ignore[attr-defined]
                self.initial.setdefault("country", own)
                # A State asks; UNHCR, IOM or the provider move the status on.
                del self.fields["status"]


class ModuleForm(BootstrapFormMixin, forms.ModelForm[TrainingModule]):
    """A module of the training package."""

    class Meta:
        model = TrainingModule
        fields = ["code", "title", "description", "dimension", "duration_hours"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class VersionForm(BootstrapFormMixin, forms.ModelForm[ModuleVersion]):
    """A module in one language: a link to its document or the document itself."""

    class Meta:
        model = ModuleVersion
        fields = ["module", "language", "title", "link", "document"]


class DeliveryForm(BootstrapFormMixin, forms.ModelForm[TrainingDelivery]):
    """A delivery of a module."""

    class Meta:
        model = TrainingDelivery
        fields = [
            "module",
            "date",
            "online",
            "place",
            "country",
            "trainer_organisations",
            "trainers",
            "participant_count",
            "participants",
            "pre_test_mean",
            "post_test_mean",
            "feedback_score",
            "feedback",
        ]
        widgets = {
            "date": DATE,
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "trainer_organisations": forms.SelectMultiple(attrs={"size": 5}),
            "trainers": forms.SelectMultiple(attrs={"size": 5}),
            "participants": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(self.user).select_related("organisation")
        self.fields["trainers"].queryset = people  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]


class ResultForm(BootstrapFormMixin, forms.ModelForm[ParticipantResult]):
    """One participant's pre- and post-test scores."""

    class Meta:
        model = ParticipantResult
        fields = ["person", "label", "pre_score", "post_score"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(self.user)  # type: ignore[attr-defined]


class SupporterForm(BootstrapFormMixin, forms.ModelForm[Supporter]):
    """A GROW supporter."""

    class Meta:
        model = Supporter
        fields = ["name", "kind", "organisation", "country", "website", "description", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


# ---- list filters ----------------------------------------------------------------


class AssessmentFilterForm(FilterForm):
    """Filters of the assessment list."""

    country = forms.ModelChoiceField(
        label=_("State"), queryset=Country.objects.all(), to_field_name="iso3"
    )
    status = forms.ChoiceField(label=_("Status"), choices=_any(AssessmentStatus.choices))
    derived_stage = forms.ChoiceField(
        label=_("Derived stage"), choices=_any(ProgrammeStage.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            capacity_assessments__isnull=False
        ).distinct()


class AssistanceFilterForm(FilterForm):
    """Filters of the technical-assistance list."""

    country = forms.ModelChoiceField(
        label=_("State"), queryset=Country.objects.all(), to_field_name="iso3"
    )
    status = forms.ChoiceField(label=_("Status"), choices=_any(AssistanceStatus.choices))
    dimension = forms.ChoiceField(label=_("Dimension"), choices=_any(Dimension.choices))
    provider_kind = forms.ChoiceField(label=_("Provider"), choices=_any(ProviderKind.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            technical_assistance__isnull=False
        ).distinct()


class ModuleFilterForm(FilterForm):
    """Filters of the training catalogue."""

    dimension = forms.ChoiceField(label=_("Dimension"), choices=_any(Dimension.choices))


class DeliveryFilterForm(FilterForm):
    """Filters of the delivery list."""

    module = forms.ModelChoiceField(label=_("Module"), queryset=TrainingModule.objects.all())
    country = forms.ModelChoiceField(
        label=_("State"), queryset=Country.objects.all(), to_field_name="iso3"
    )
    online = forms.BooleanField(label=_("Online only"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            training_deliveries__isnull=False
        ).distinct()
