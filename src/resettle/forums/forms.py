"""Forms of the forums app: edit forms and list filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Organisation, OrganisationKind, Person
from resettle.forums.models import (
    ConsultationCycle,
    Forum,
    ForumAccess,
    ForumKind,
    Membership,
    MembershipRole,
)


class ForumForm(BootstrapFormMixin, forms.ModelForm[Forum]):
    """Set up or edit a forum."""

    class Meta:
        model = Forum
        fields = [
            "name",
            "acronym",
            "kind",
            "parent",
            "chairs",
            "secretariat",
            "established_year",
            "mandate_years",
            "access",
            "working_languages",
            "description",
            "terms_of_reference",
            "terms_document",
        ]
        widgets = {
            "chairs": forms.SelectMultiple(attrs={"size": 6}),
            "secretariat": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]


class MembershipForm(BootstrapFormMixin, forms.ModelForm[Membership]):
    """Add or edit a membership and its mandate."""

    class Meta:
        model = Membership
        fields = ["forum", "organisation", "person", "role", "start_date", "end_date", "notes"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
        self.fields["person"].queryset = Person.objects.visible_to(self.user).select_related(  # type: ignore[attr-defined]
            "organisation"
        )


class CycleForm(BootstrapFormMixin, forms.ModelForm[ConsultationCycle]):
    """Plan or edit a consultation cycle."""

    class Meta:
        model = ConsultationCycle
        fields = [
            "forum",
            "start_year",
            "end_year",
            "state",
            "government_cochair",
            "ngo_cochair",
            "theme",
            "unhcr_support",
            "rag_consulted",
            "notes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user).filter(  # type: ignore[attr-defined]
            kind=ForumKind.CONSULTATION
        )
        self.fields["government_cochair"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.STATE
        ).select_related("country")
        self.fields["ngo_cochair"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.NGO
        ).select_related("country")


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class ForumFilterForm(FilterForm):
    """Filters of the forum list."""

    kind = forms.ChoiceField(label=_("Kind"), choices=_any(ForumKind.choices))
    access = forms.ChoiceField(label=_("Access"), choices=_any(ForumAccess.choices))


class MembershipFilterForm(FilterForm):
    """Filters of the membership list."""

    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=_any(MembershipRole.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only forums the user may see: a hidden forum's name is not theirs to read.
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
