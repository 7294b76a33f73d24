"""Forms of the cases app: list filters, the import upload, the terms of sharing a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from resettle.cases.models import CaseStatus, Consent, ResettlementCase, SharePurpose
from resettle.cases.sharing import ShareTerms, share_terms
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country
from resettle.needs.models import Priority, PrioritySituation, SubmissionCategory


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class CaseFilterForm(FilterForm):
    """Filters of the case list (names are queryset lookups)."""

    status = forms.ChoiceField(label=_("Status"), choices=_any(CaseStatus.choices))
    priority = forms.ChoiceField(label=_("Priority"), choices=_any(Priority.choices))
    category = forms.ChoiceField(
        label=_("Primary category"), choices=_any(SubmissionCategory.choices)
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=20)
    asylum__iso3 = forms.CharField(label=_("Country of asylum (ISO code)"), max_length=3)
    situation = forms.ModelChoiceField(
        label=_("Priority situation"), queryset=PrioritySituation.objects.all()
    )
    referred_state = forms.ModelChoiceField(label=_("Referred to"), queryset=Country.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only States this user's cases were referred to: no other State's name leaks.
        states = ResettlementCase.objects.visible_to(self.user).values("referred_state")
        self.fields["referred_state"].queryset = Country.objects.filter(pk__in=states)  # type: ignore[attr-defined]

    def clean_nationality(self) -> str:
        value: str = self.cleaned_data.get("nationality") or ""
        return value.strip().upper()

    def clean_asylum__iso3(self) -> str:
        value: str = self.cleaned_data.get("asylum__iso3") or ""
        return value.strip().upper()


class CaseImportForm(BootstrapFormMixin, forms.Form):
    """A CSV file of cases in the allocation engine's format."""

    file = forms.FileField(
        label=_("CSV file of cases"),
        help_text=_(
            "The allocation engine's cases format: one row per case, with a header. "
            "A file with any problem is refused whole."
        ),
    )


class ShareForm(BootstrapFormMixin, forms.Form):
    """Why a case is shared with a State and on what ground (asked by every sharing form).

    Forms that share a case inherit these fields; `share_terms()` gives the
    checked terms for the service, which checks them again.
    """

    purpose = forms.ChoiceField(
        label=_("Purpose of sharing with the State"),
        choices=[("", "—"), *SharePurpose.choices],
    )
    consent = forms.ChoiceField(label=_("Consent"), choices=[("", "—"), *Consent.choices])
    consent_date = forms.DateField(
        label=_("Consent given on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the family consented to the sharing."),
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("An emergency, for example. Do not name the person."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(name in self.errors for name in ("purpose", "consent", "consent_date")):
            try:
                share_terms(data)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        return data

    def share_terms(self) -> ShareTerms:
        """The checked terms (call after is_valid())."""
        return share_terms(self.cleaned_data)
