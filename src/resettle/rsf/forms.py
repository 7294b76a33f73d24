"""Forms of the RSF app: missions, rooms, interpreters, cases, events."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.cases.forms import ShareForm
from resettle.cases.sharing import SHARE_FIELDS
from resettle.core.forms import BootstrapFormMixin
from resettle.rsf.models import (
    Interpreter,
    Mission,
    MissionCase,
    MissionCaseStatus,
    MissionInterpreter,
    Room,
)


def _days_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Days available"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every mission day."),
    )


class CaseworkerForm(BootstrapFormMixin, forms.Form):
    """Name a caseworker of the mission, on all or some of its days."""

    name = forms.CharField(label=_("Name"), max_length=120)
    days = _days_field()

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), d.isoformat()) for d in mission.days()]  # type: ignore[attr-defined]
        self.fields["days"].widget.attrs["class"] = "form-check-input"


class RoomClosureForm(BootstrapFormMixin, forms.Form):
    """Close a facility room for a day."""

    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.all())
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MissionForm(BootstrapFormMixin, forms.ModelForm[Mission]):
    """A mission's details."""

    class Meta:
        model = Mission
        fields = [
            "name",
            "receiving_state",
            "delegation",
            "kind",
            "mode",
            "start_date",
            "end_date",
            "timezone",
            "status",
            "day_start",
            "day_hours",
            "caseworkers",
            "interview_base_minutes",
            "interview_per_adult_minutes",
            "medical_capacity",
            "notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "day_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RoomForm(BootstrapFormMixin, forms.ModelForm[Room]):
    """A facility room."""

    class Meta:
        model = Room
        fields = ["name", "video", "capacity"]


class InterpreterForm(BootstrapFormMixin, forms.Form):
    """An interpreter and the languages they interpret."""

    name = forms.CharField(label=_("Name or organisation"), max_length=120)
    languages = forms.CharField(
        label=_("Languages"), max_length=400, help_text=_("Separated by commas: Arabic, Kurmanji.")
    )


class AssignInterpreterForm(BootstrapFormMixin, forms.Form):
    """Put an interpreter on the mission, on all or some of its days."""

    interpreter = forms.ModelChoiceField(label=_("Interpreter"), queryset=Interpreter.objects.all())
    days = forms.MultipleChoiceField(
        label=_("Days available"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every mission day."),
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), d.isoformat()) for d in mission.days()]  # type: ignore[attr-defined]
        self.fields["days"].widget.attrs["class"] = "form-check-input"
        taken = MissionInterpreter.objects.filter(mission=mission).values("interpreter")
        self.fields["interpreter"].queryset = Interpreter.objects.exclude(pk__in=taken)  # type: ignore[attr-defined]


class SelectCasesForm(ShareForm):
    """Case references to select into the mission, with their province, and the terms of
    sharing them with the mission's State (needed for cases not yet referred to it)."""

    references = forms.CharField(
        label=_("Case references"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more, separated by commas or new lines."),
    )
    province = forms.CharField(label=_("Province of residence"), max_length=60, required=False)

    field_order = ["references", "province", *SHARE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Cases already referred to the mission's State were shared with it then.
        self.fields["purpose"].required = False
        self.fields["consent"].required = False
        self.fields["purpose"].help_text = _(
            "Needed for cases not yet referred to the mission's State: its delegation "
            "will see them."
        )

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if any(data.get(name) for name in SHARE_FIELDS):
            return super().clean()
        return data

    def selection_data(self) -> dict[str, Any]:
        """What the service takes: the province and the sharing terms as given."""
        return {name: self.cleaned_data.get(name) for name in ("province", *SHARE_FIELDS)}


class MissionCaseForm(BootstrapFormMixin, forms.ModelForm[MissionCase]):
    """What a case's interview needs."""

    class Meta:
        model = MissionCase
        fields = ["province", "language", "adults", "remote", "medical", "status"]


class NoShowForm(BootstrapFormMixin, forms.Form):
    """The family that did not come."""

    case = forms.ModelChoiceField(label=_("Case"), queryset=MissionCase.objects.none())

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = MissionCase.objects.filter(  # type: ignore[attr-defined]
            mission=mission, status=MissionCaseStatus.SCHEDULED
        ).select_related("case")


class InterpreterLostForm(BootstrapFormMixin, forms.Form):
    """An interpreter who cannot work on some days."""

    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none()
    )
    days = forms.MultipleChoiceField(label=_("Days"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), d.isoformat()) for d in mission.days()]  # type: ignore[attr-defined]
        self.fields["days"].widget.attrs["class"] = "form-check-input"
        on = MissionInterpreter.objects.filter(mission=mission).values("interpreter")
        self.fields["interpreter"].queryset = Interpreter.objects.filter(pk__in=on)  # type: ignore[attr-defined]
