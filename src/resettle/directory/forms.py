"""Forms of the directory: edit forms and list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import (
    Country,
    Organisation,
    OrganisationKind,
    Person,
    ProgrammeStage,
    StateProfile,
    UnhcrRegion,
)


def _with_blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class OrganisationForm(BootstrapFormMixin, forms.ModelForm[Organisation]):
    """Add or edit an organisation."""

    # A website typed without a scheme is taken as https (Django 6's default).
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "country", "parent", "website", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name_en")  # type: ignore[attr-defined]


class PersonForm(BootstrapFormMixin, forms.ModelForm[Person]):
    """Add or edit a contact; only organisations the user manages are offered."""

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "organisation",
            "title",
            "email",
            "languages",
            "is_refugee_representative",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        qs = Organisation.objects.all()
        if user is not None and not user.is_platform_admin:
            own = user.organisation_id
            qs = qs.filter(pk=own) | qs.filter(maintained_by=own) if own else qs.none()
        self.fields["organisation"].queryset = qs  # type: ignore[attr-defined]


class StateProfileForm(BootstrapFormMixin, forms.ModelForm[StateProfile]):
    """Edit a resettlement State's profile."""

    class Meta:
        model = StateProfile
        fields = ["programme_stage", "first_resettlement_year", "notes"]


class OrganisationFilterForm(FilterForm):
    """Filters of the organisation list."""

    kind = forms.ChoiceField(label=_("Kind"), choices=_with_blank(OrganisationKind.choices))
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(organisations__isnull=False).distinct(),
        to_field_name="iso3",
    )


class PersonFilterForm(FilterForm):
    """Filters of the contact list."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(people__isnull=False).distinct(),
    )
    is_refugee_representative = forms.BooleanField(label=_("Refugee representatives only"))


class CountryFilterForm(FilterForm):
    """Filters of the country list."""

    unhcr_region = forms.ChoiceField(
        label=_("UNHCR region"), choices=_with_blank(UnhcrRegion.choices)
    )
    state_profile__programme_stage = forms.ChoiceField(
        label=_("Resettlement programme"), choices=_with_blank(ProgrammeStage.choices)
    )
