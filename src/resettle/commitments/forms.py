"""Forms of the commitments app: the commitment, a progress update, the list's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resettle.commitments import services
from resettle.commitments.models import (
    Commitment,
    CommitmentQuerySet,
    CommitmentSource,
    CommitmentStatus,
    CommitmentUpdate,
    Supporter,
)
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country, Organisation
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.models import Meeting
from resettle.needs.models import PrioritySituation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommitmentForm(BootstrapFormMixin, forms.ModelForm[Commitment]):
    """Record or edit a commitment (its status changes through progress updates)."""

    class Meta:
        model = Commitment
        fields = [
            "source",
            "organisations",
            "supporter",
            "title",
            "description",
            "target",
            "target_number",
            "target_unit",
            "amount",
            "currency",
            "deadline",
            "status",
            "forum",
            "cycle",
            "meeting",
            "situation",
            "grf_pledge_id",
            "is_public",
        ]
        widgets = {
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        orgs = self.fields["organisations"]
        if services.acts_for_all(user):
            orgs.queryset = Organisation.objects.select_related("country")  # type: ignore[attr-defined]
        else:
            # One's own organisation, and those already on a joint commitment.
            own = Q(pk=user.organisation_id) if user is not None else Q(pk__in=[])
            if self.instance.pk:
                own |= Q(pk__in=self.instance.organisations.values("pk"))
            orgs.queryset = Organisation.objects.filter(own).select_related("country")  # type: ignore[attr-defined]
            if not self.instance.pk and user is not None and user.organisation_id:
                self.initial.setdefault("organisations", [user.organisation_id])
        self.fields["forum"].queryset = Forum.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = ConsultationCycle.objects.visible_to(user).select_related(  # type: ignore[attr-defined]
            "forum"
        )
        self.fields["meeting"].queryset = Meeting.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["situation"].queryset = PrioritySituation.objects.all()  # type: ignore[attr-defined]
        self.fields["supporter"].queryset = Supporter.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["organisations"].required = False  # a GROW supporter may stand alone
        if self.instance.pk:
            # The status follows the progress updates once the commitment exists.
            del self.fields["status"]


class ProgressUpdateForm(BootstrapFormMixin, forms.ModelForm[CommitmentUpdate]):
    """Report progress on a commitment."""

    class Meta:
        model = CommitmentUpdate
        fields = ["date", "status", "progress", "progress_number"]
        widgets = {"date": DATE, "progress": forms.Textarea(attrs={"rows": 3})}


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class CommitmentFilterForm(FilterForm):
    """Filters of the commitment list, its export and its API."""

    q = forms.CharField(label=_("Search"))
    source = forms.ChoiceField(label=_("Source"), choices=_any(CommitmentSource.choices))
    status = forms.ChoiceField(label=_("Status"), choices=_any(CommitmentStatus.choices))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    country = forms.ModelChoiceField(
        label=_("Country of the organisation"),
        queryset=Country.objects.all(),
        to_field_name="iso3",
    )
    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.all())
    cycle = forms.ModelChoiceField(
        label=_("Consultation cycle"), queryset=ConsultationCycle.objects.all()
    )
    situation = forms.ModelChoiceField(
        label=_("Priority situation"), queryset=PrioritySituation.objects.all()
    )
    overdue = forms.BooleanField(label=_("Update overdue"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer what commitments name, and only forums the visitor may see.
        committing = Organisation.objects.filter(commitments__isnull=False).distinct()
        self.fields["organisation"].queryset = committing  # type: ignore[attr-defined]
        self.fields["country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            pk__in=committing.values("country")
        )
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = ConsultationCycle.objects.visible_to(  # type: ignore[attr-defined]
            self.user
        ).select_related("forum")

    def apply(
        self, qs: CommitmentQuerySet, today: datetime.date | None = None
    ) -> CommitmentQuerySet:
        """The commitments matching the valid filters (all of them if none is valid)."""
        if not self.is_valid():
            return qs
        return apply_filters(qs, self.cleaned_data, today)


def apply_filters(
    qs: CommitmentQuerySet, values: dict[str, Any], today: datetime.date | None = None
) -> CommitmentQuerySet:
    """Filter commitments by the values of CommitmentFilterForm (or the API's query)."""
    if values.get("q"):
        text = values["q"].strip()
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(target__icontains=text)
            | Q(grf_pledge_id__icontains=text)
        )
    for name in ("source", "status", "forum", "cycle", "situation", "supporter"):
        if values.get(name):
            qs = qs.filter(**{name: values[name]})
    if values.get("organisation"):
        qs = qs.of_organisation(values["organisation"])
    if values.get("country"):
        ids = Commitment.objects.filter(organisations__country=values["country"]).values("pk")
        qs = qs.filter(pk__in=ids)
    if values.get("overdue"):
        qs = qs.overdue(today)
    return qs
