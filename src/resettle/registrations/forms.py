"""Forms of the registrations app: registering, inviting, declining."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin
from resettle.meetings.models import Meeting, StakeholderGroup
from resettle.registrations.services import InviteeSpec

LANGUAGE_NAMES = {"en": _("English"), "ar": _("Arabic"), "fr": _("French")}


class RegisterForm(BootstrapFormMixin, forms.Form):
    """Register for a meeting: prefilled from the account, languages among the meeting's."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=StakeholderGroup.choices
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The working languages you will follow the meeting in."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Interpretation, sign language, step-free access, a quiet room… "
            "Only the organisers see this."
        ),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages.choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in meeting.language_list
        ]
        # Bootstrap's mixin gives the checkbox group "form-control"; the template
        # draws each box with form-check classes instead.
        self.fields["languages"].widget.attrs.pop("class", None)


def parse_invitee_lines(text: str) -> list[InviteeSpec]:
    """Read "e-mail[, name[, stakeholder group]]" lines; errors name the line.

    The stakeholder group may be given by its code (refugee) or its English
    label (Refugee representative).
    """
    groups = {value: value for value in StakeholderGroup.values}
    groups.update({str(label).lower(): value for value, label in StakeholderGroup.choices})
    specs: list[InviteeSpec] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        email, name = parts[0], parts[1] if len(parts) > 1 else ""
        group_text = ", ".join(parts[2:]).strip().lower() if len(parts) > 2 else ""
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                gettext('Line %(n)s: "%(email)s" is not a valid e-mail address.')
                % {"n": number, "email": email}
            )
            continue
        group = ""
        if group_text:
            group = groups.get(group_text, "")
            if not group:
                errors.append(
                    gettext(
                        'Line %(n)s: "%(group)s" is not a stakeholder group (use one of: %(all)s).'
                    )
                    % {"n": number, "group": group_text, "all": ", ".join(StakeholderGroup.values)}
                )
                continue
        specs.append(InviteeSpec(email=email, name=name, stakeholder_group=group))
    if errors:
        raise ValidationError(errors)
    if not specs:
        raise ValidationError(gettext("Give at least one e-mail address."))
    return specs


class InviteForm(BootstrapFormMixin, forms.Form):
    """Invite several people at once: one e-mail address per line."""

    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}),
        help_text=_(
            "One per line: e-mail, then optionally a name and a stakeholder group, "
            "separated by commas. Example: amina@example.org, Amina Yusuf, refugee"
        ),
    )

    def clean_emails(self) -> list[InviteeSpec]:
        return parse_invitee_lines(self.cleaned_data["emails"])


class DeclineForm(BootstrapFormMixin, forms.Form):
    """The organisers' optional reason for declining, told to the person."""

    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)
