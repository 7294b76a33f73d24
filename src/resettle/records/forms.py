"""Forms of the records app: the inline forms of a meeting's records and the list filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Organisation
from resettle.forums.models import Forum
from resettle.meetings.models import AgendaSession, Meeting
from resettle.records.models import ActionPoint, ActionStatus, Decision, Minutes, meeting_date


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingFormMixin:
    """Limit the session and decision choices to those of the form's meeting."""

    fields: dict[str, forms.Field]

    def limit_to(self, meeting: Meeting) -> None:
        if "session" in self.fields:
            field: Any = self.fields["session"]
            field.queryset = AgendaSession.objects.filter(meeting=meeting)
            field.empty_label = _("Whole meeting")
        if "decision" in self.fields:
            dec: Any = self.fields["decision"]
            dec.queryset = Decision.objects.filter(meeting=meeting)
            dec.label_from_instance = lambda d: f"{d.number}. {d.text[:60]}"


class DecisionForm(MeetingFormMixin, BootstrapFormMixin, forms.ModelForm[Decision]):
    """Record or correct a decision."""

    class Meta:
        model = Decision
        fields = ["session", "text", "decided_at"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "decided_at": _date_widget()}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(meeting)
        self.fields["decided_at"].required = False
        self.fields["decided_at"].help_text = _("Leave empty for the day of the meeting.")


class ActionPointForm(MeetingFormMixin, BootstrapFormMixin, forms.ModelForm[ActionPoint]):
    """Record or edit an action point."""

    class Meta:
        model = ActionPoint
        fields = ["text", "owner", "due_date", "decision", "notes"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "due_date": _date_widget(),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(meeting)
        self.meeting = meeting
        owner: Any = self.fields["owner"]
        owner.queryset = Organisation.objects.select_related("country")
        owner.error_messages["required"] = _("Choose the organisation that owns this action point.")

    def clean_due_date(self) -> datetime.date | None:
        # The service checks this too; checking here as well shows this error
        # together with the form's own (a missing owner) in one round.
        due: datetime.date | None = self.cleaned_data.get("due_date")
        start = meeting_date(self.meeting)
        if due is not None and due < start:
            raise forms.ValidationError(
                _("The due date cannot be before the meeting (%(date)s).")
                % {"date": start.isoformat()}
            )
        return due

    def _post_clean(self) -> None:
        # The service validates against the meeting: the form's instance has
        # no meeting yet, so the model's own checks would not apply.
        pass


class MinutesForm(MeetingFormMixin, BootstrapFormMixin, forms.ModelForm[Minutes]):
    """Write the minutes of a meeting or session in one language."""

    class Meta:
        model = Minutes
        fields = ["session", "language", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(meeting)
        names = dict(settings.LANGUAGES)
        codes = meeting.language_list or ["en"]
        self.fields["language"] = forms.ChoiceField(
            label=_("Language"),
            choices=[(c, names.get(c, c)) for c in codes],
            widget=forms.Select(attrs={"class": "form-select"}),
        )

    def _post_clean(self) -> None:
        # Creating or replacing is the service's business (one per session and
        # language): the form's own uniqueness check would refuse a replacement.
        pass


class StatusForm(BootstrapFormMixin, forms.Form):
    """Report an action point's status, with a note."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput())
    at_meeting = forms.IntegerField(required=False, widget=forms.HiddenInput())


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class ActionPointFilterForm(FilterForm):
    """Filters of the action point list."""

    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.all())
    owner = forms.ModelChoiceField(label=_("Owner organisation"), queryset=Organisation.objects)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Any")),
            ("still_open", _("Open or in progress")),
            *ActionStatus.choices,
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"))
    mine = forms.BooleanField(label=_("My organisation's action points"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forum: Any = self.fields["forum"]
        forum.queryset = Forum.objects.visible_to(self.user)
        owner: Any = self.fields["owner"]
        # Offer only the owners of action points this user may see.
        seen = ActionPoint.objects.visible_to(self.user).values("owner")
        owner.queryset = Organisation.objects.filter(pk__in=seen)
        if self.user is None:
            del self.fields["mine"]
