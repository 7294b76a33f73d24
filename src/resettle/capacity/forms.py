"""Forms of capacity building: assessments with their scores, technical assistance,
training modules, versions, deliveries and results, GROW supporters, list filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.capacity import access, scale, stages
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
SCORE_FIELDS = ("score_", "evidence_", "note_")


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


def nest_scores(data: dict[str, Any]) -> dict[str, Any]:
    """Flat form values (score_legal, evidence_legal, note_legal...) as the service's
    {"scores": {dimension: {score, evidence, note}}}."""
    out = {k: v for k, v in data.items() if not k.startswith(SCORE_FIELDS)}
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


@dataclass(frozen=True)
class DimensionGroup:
    """What the form's fieldset of one dimension shows: its name, whether it is core,
    what 0 and 4 mean on it, and its score, evidence and note fields."""

    key: str
    label: str
    core: bool
    scale: str
    score: forms.BoundField
    evidence: forms.BoundField
    note: forms.BoundField

    @property
    def has_errors(self) -> bool:
        """Whether one of the dimension's fields is in error."""
        return bool(self.score.errors or self.evidence.errors or self.note.errors)


class AssessmentForm(BootstrapFormMixin, forms.ModelForm[Assessment]):
    """An assessment: the State, date, assessor, status, and a score (0-4), the
    evidence and a note for each dimension, grouped by dimension in the template
    (capacity/assessment_form.html). Every error on a dimension's field names the
    dimension, whether the form or the service finds it."""

    class Meta:
        model = Assessment
        fields = ["country", "assessed_on", "assessor", "status", "summary"]
        widgets = {"assessed_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._validated = False
        self.fields["assessor"].required = False
        self.fields["assessor"].help_text = _("Your organisation if left empty.")
        existing = {s.dimension: s for s in self.instance.scores.all()} if self.instance.pk else {}
        for dim in Dimension:
            row = existing.get(dim.value)
            named = {"dimension": dim.label}
            # A score once given can be changed but not removed (the service's rule):
            # only a dimension not scored yet offers "not scored yet".
            unscored = [] if row is not None else [("", _("Not scored yet"))]
            self.fields[f"score_{dim.value}"] = forms.TypedChoiceField(
                label=_("%(dimension)s: score") % named,
                choices=[*unscored, *scale.level_choices()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "invalid_choice": _("%(dimension)s: choose a score from 0 to 4.") % named
                },
            )
            self.fields[f"evidence_{dim.value}"] = forms.CharField(
                label=_("%(dimension)s: evidence") % named,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "dir": "auto"}),
            )
            self.fields[f"note_{dim.value}"] = forms.CharField(
                label=_("%(dimension)s: note") % named,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "dir": "auto"}),
            )
            if row is not None:
                self.initial.setdefault(f"score_{dim.value}", str(row.score))
                self.initial.setdefault(f"evidence_{dim.value}", row.evidence)
                self.initial.setdefault(f"note_{dim.value}", row.note)

    # ---- what the template shows ----

    def general_fields(self) -> list[forms.BoundField]:
        """The assessment's own fields (State, date, assessor, status, summary)."""
        return [self[name] for name in self.fields if not name.startswith(SCORE_FIELDS)]

    def dimension_groups(self) -> list[DimensionGroup]:
        """One group per dimension, in the order of stages.DIMENSIONS."""
        groups = []
        for dim in Dimension:
            low, high = scale.ANCHORS[dim.value]
            groups.append(
                DimensionGroup(
                    key=dim.value,
                    label=str(dim.label),
                    core=dim.value in stages.CORE_DIMENSIONS,
                    scale=_("0: %(low)s. 4: %(high)s.") % {"low": low, "high": high},
                    score=self[f"score_{dim.value}"],
                    evidence=self[f"evidence_{dim.value}"],
                    note=self[f"note_{dim.value}"],
                )
            )
        return groups

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for each field error, in the order of the form, for the
        list at the top of the page. A dimension's messages name the dimension
        already; the others are prefixed with their field's label."""
        out: list[tuple[str, str]] = []
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                message = str(error)
                if name.startswith(SCORE_FIELDS):
                    anchor = f"#group_{name}" if name.startswith("score_") else f"#id_{name}"
                    out.append((anchor, message))
                else:
                    text = _("%(field)s: %(error)s") % {"field": field.label, "error": message}
                    out.append((f"#id_{name}", str(text)))
        return out

    # ---- errors found after validation (by the service) are marked like the others ----

    def full_clean(self) -> None:
        super().full_clean()
        self._validated = True

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if not self._validated:
            return  # BootstrapFormMixin.full_clean marks the errors found while cleaning
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", "").split():
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                    attrs["aria-invalid"] = "true"
                    attrs["aria-describedby"] = f"id_{name}_error"


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
