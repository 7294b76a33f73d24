"""Forms of the case pipeline: filters, moves, members, medical, orientation, travel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from resettle.cases.forms import ShareForm
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country, Organisation
from resettle.needs.models import Priority
from resettle.pipeline.models import (
    MOVE_LABELS,
    CaseFile,
    FamilyMember,
    Module,
    Outcome,
    Relationship,
    Sex,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class CaseFileFilterForm(FilterForm):
    """Filters of the case file list."""

    stage = forms.ChoiceField(label=_("Stage"), choices=_any(Stage.choices))
    state = forms.ModelChoiceField(
        label=_("Resettlement State"), queryset=Country.objects.none(), to_field_name="iso3"
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=20)
    priority = forms.ChoiceField(label=_("Priority"), choices=_any(Priority.choices))
    overdue = forms.BooleanField(label=_("Overdue only"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the States of the files this user sees: no other State's name leaks.
        states = CaseFile.objects.visible_to(self.user).values("case__referred_state")
        self.fields["state"].queryset = Country.objects.filter(pk__in=states)  # type: ignore[attr-defined]

    def clean_nationality(self) -> str:
        return str(self.cleaned_data.get("nationality") or "").strip().upper()


class BoardFilterForm(FilterForm):
    """Filters of a board (GET parameters): priority, nationality, province, stage.

    Nationalities and provinces are those of the board's own cases (`files`,
    already limited to what the user sees), so no other case's value shows.
    The general board also picks a State (`with_state`).
    """

    priority = forms.ChoiceField(label=_("Priority"), choices=_any(Priority.choices))
    nationality = forms.ChoiceField(label=_("Nationality"))
    province = forms.ChoiceField(label=_("Province"))
    stage = forms.ChoiceField(label=_("Stage"), choices=_any(Stage.choices))

    def __init__(
        self,
        *args: Any,
        files: models.QuerySet[CaseFile],
        with_state: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        nationalities = sorted(set(files.values_list("case__nationality", flat=True)))
        provinces = sorted(set(files.values_list("province", flat=True)))
        self.fields["nationality"].choices = _any([(n, n) for n in nationalities])  # type: ignore[attr-defined]
        self.fields["province"].choices = _any([(p, p) for p in provinces])  # type: ignore[attr-defined]
        if with_state:
            state = forms.ModelChoiceField(
                label=_("Resettlement State"),
                queryset=Country.objects.filter(pk__in=files.values("case__referred_state")),
                to_field_name="iso3",
                required=False,
                empty_label=_("All States"),
            )
            state.widget.attrs["class"] = "form-select"
            self.fields = {"state": state, **self.fields}

    def apply(self, files: models.QuerySet[CaseFile]) -> models.QuerySet[CaseFile]:
        """The files matching the valid filters, the stage aside (it picks the column)."""
        # After is_valid(): the fields in error are left out, the others still apply.
        data = getattr(self, "cleaned_data", {})
        if data.get("state"):
            files = files.filter(case__referred_state=data["state"])
        if data.get("priority"):
            files = files.filter(case__priority=data["priority"])
        if data.get("nationality"):
            files = files.filter(case__nationality=data["nationality"])
        if data.get("province"):
            files = files.filter(province=data["province"])
        return files


class BoardMoveForm(forms.Form):
    """A card's small form: the case and the move (any move: the service judges it)."""

    case = forms.IntegerField(label=_("Case"), min_value=1)
    move = forms.ChoiceField(label=_("Next stage"), choices=list(MOVE_LABELS.items()))
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=2000)


class OpenCaseFileForm(ShareForm):
    """Open the facility's file of a referred case (the referred State then sees the
    family's data: the purpose and the consent of that sharing are asked too)."""

    field_order = ("case", "province", "date", "organisations")

    case = forms.ModelChoiceField(label=_("Case"), queryset=ResettlementCase.objects.none())
    province = forms.CharField(label=_("Province of residence"), max_length=80)
    date = forms.DateField(label=_("Referred on"), required=False, widget=DATE)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Responsible organisations"), queryset=Organisation.objects.all(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = ResettlementCase.objects.filter(  # type: ignore[attr-defined]
            status=CaseStatus.REFERRED, case_file__isnull=True
        ).order_by("reference")


class MoveForm(BootstrapFormMixin, forms.Form):
    """Record the next stage of a case (or hold, withdraw, resume)."""

    move = forms.ChoiceField(label=_("Next stage"))
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.all(), required=False
    )
    note = forms.CharField(
        label=_("Note or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A reason is required to put a case on hold or withdraw it."),
    )

    def __init__(self, *args: Any, moves: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every stage is offered, so an illegal choice gets the service's clear message.
        names = moves or tuple(MOVE_LABELS)
        self.fields["move"].choices = [(m, MOVE_LABELS[m]) for m in names]  # type: ignore[attr-defined]


class MemberForm(BootstrapFormMixin, forms.Form):
    """A family member (name, date of birth and needs are stored encrypted)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Codes separated by commas: ar, ku.")
    )
    interview_required = forms.BooleanField(label=_("Interview required"), required=False)
    medical_needs = forms.CharField(
        label=_("Medical needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MedicalForm(BootstrapFormMixin, forms.Form):
    """A medical assessment's outcome and findings (medical staff)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TravelForm(BootstrapFormMixin, forms.Form):
    """A flight booking."""

    flight = forms.CharField(label=_("Flight"), max_length=40)
    date = forms.DateField(label=_("Flight date"), widget=DATE)
    destination = forms.CharField(label=_("Destination airport"), max_length=80, required=False)


class SessionForm(BootstrapFormMixin, forms.Form):
    """A cultural orientation session."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    modules = forms.MultipleChoiceField(
        label=_("Modules"), choices=Module.choices, widget=forms.CheckboxSelectMultiple
    )
    language = forms.CharField(label=_("Language"), max_length=8)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=120)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )


class AttendanceForm(BootstrapFormMixin, forms.Form):
    """Family members present at a session (by case reference and number)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Family members present"), queryset=FamilyMember.objects.all()
    )


class PurposeForm(BootstrapFormMixin, forms.Form):
    """Why personal data is being read (kept in the access log)."""

    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)


class ReauthForm(BootstrapFormMixin, forms.Form):
    """Confirm your password before exporting personal data."""

    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
