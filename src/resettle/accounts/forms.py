"""Forms of logging in and of multi-factor authentication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from resettle.accounts.backends import REFUSED_FLAG
from resettle.accounts.services_mfa import locked_message
from resettle.core.forms import BootstrapFormMixin


class LoginForm(AuthenticationForm):
    """Username and password, behind the login throttle.

    The throttle itself sits in the authentication backend; this form only
    tells a locked-out visitor so (`locked`), instead of "did not match".
    """

    locked = False

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, REFUSED_FLAG, False):
                self.locked = True
                raise ValidationError(locked_message(), code="locked") from None
            raise


class CodeForm(BootstrapFormMixin, forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Authentication code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class EnrolForm(BootstrapFormMixin, forms.Form):
    """The first code of a new authenticator app, which confirms it."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The 6-digit code the app shows once it has the key."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordAgainForm(BootstrapFormMixin, forms.Form):
    """The user's password, asked again before a change to their second factor."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
