"""Forms of the pscg app: edit forms and list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country
from resettle.needs.models import PrioritySituation
from resettle.pscg.models import (
    HostCountryUpdate,
    PracticeExchange,
    PracticeTopic,
    PscgAccess,
    SituationTarget,
)


class TargetForm(BootstrapFormMixin, forms.ModelForm[SituationTarget]):
    """Set or change a situation's target of places for a year."""

    class Meta:
        model = SituationTarget
        fields = ["situation", "year", "places", "note", "is_illustrative"]


class PracticeForm(BootstrapFormMixin, forms.ModelForm[PracticeExchange]):
    """Record or change a practice exchange."""

    link_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    library_url = forms.URLField(
        label=_("Knowledge library entry"),
        required=False,
        assume_scheme="https",
        help_text=_("The entry in the knowledge library, once it exists."),
    )

    class Meta:
        model = PracticeExchange
        fields = [
            "title",
            "topic",
            "situation",
            "summary",
            "organisations",
            "date",
            "link_url",
            "library_url",
            "access",
            "is_illustrative",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "organisations": forms.SelectMultiple(attrs={"size": 8}),
        }


class UpdateForm(BootstrapFormMixin, forms.ModelForm[HostCountryUpdate]):
    """Record or change a host-country update."""

    class Meta:
        model = HostCountryUpdate
        fields = [
            "situation",
            "host_country",
            "date",
            "period",
            "legal_status",
            "freedom_of_movement",
            "access_to_work",
            "access_to_education",
            "non_refoulement",
            "local_integration",
            "local_integration_persons",
            "complementary_pathways",
            "complementary_pathways_persons",
            "voluntary_return",
            "voluntary_return_persons",
            "narrative",
            "author",
            "access",
            "is_illustrative",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class PracticeFilterForm(FilterForm):
    """Filters of the practice exchanges list."""

    topic = forms.ChoiceField(label=_("Topic"), choices=_any(PracticeTopic.choices))
    situation = forms.ModelChoiceField(
        label=_("Priority situation"), queryset=PrioritySituation.objects.all()
    )
    access = forms.ChoiceField(label=_("Access"), choices=_any(PscgAccess.choices))


class UpdateFilterForm(FilterForm):
    """Filters of the host-country updates list."""

    situation = forms.ModelChoiceField(
        label=_("Priority situation"), queryset=PrioritySituation.objects.all()
    )
    host_country = forms.ModelChoiceField(
        label=_("Host country"),
        queryset=Country.objects.filter(pk__in=[]),
    )
    access = forms.ChoiceField(label=_("Access"), choices=_any(PscgAccess.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only countries that have updates: the full list of 250 is of no help here.
        self.fields["host_country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            pk__in=HostCountryUpdate.objects.visible_to(self.user).values("host_country")
        )
