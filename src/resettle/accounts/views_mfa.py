"""The user's own second factor: set it up, see it, replace recovery codes, turn it off.

Recovery codes are shown in the response that creates them and stored only
as hashes: they are never written anywhere readable, not even the session.
The QR code is drawn as SVG on the server (segno); no script is needed.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts import otp, sessions
from resettle.accounts.forms import EnrolForm, PasswordAgainForm
from resettle.accounts.models import MfaDevice, User
from resettle.accounts.services_mfa import (
    do_disable_mfa,
    do_enable_mfa,
    do_regenerate_recovery_codes,
    enrolment_uri,
    mfa_required_for,
    unused_codes,
)

# The secret being set up lives in the session until its first code confirms it.
PENDING_KEY = "resettle_mfa_pending_key"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it; narrows the type
    return user


def _apply_errors(form: PasswordAgainForm | EnrolForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _overview(
    request: HttpRequest,
    *,
    regenerate_form: PasswordAgainForm | None = None,
    disable_form: PasswordAgainForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    device = MfaDevice.objects.filter(user=user).first()
    return render(
        request,
        "accounts/mfa.html",
        {
            "device": device,
            "codes_left": unused_codes(user) if device else 0,
            "required": mfa_required_for(user),
            "regenerate_form": regenerate_form or PasswordAgainForm(user=user, prefix="regen"),
            "disable_form": disable_form or PasswordAgainForm(user=user, prefix="disable"),
        },
        status=status,
    )


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    """Whether the user has an authenticator app, and what they can do about it."""
    return _overview(request)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: the key as text and QR code, confirmed by a first code."""
    user = _user(request)
    if MfaDevice.objects.filter(user=user).exists():
        messages.info(request, _("An authenticator app is already set up."))
        return HttpResponseRedirect(reverse("accounts:mfa"))
    secret = request.session.get(PENDING_KEY)
    if request.method == "POST" and not secret:
        messages.error(request, _("The set-up had expired: scan the new code below."))
        return HttpResponseRedirect(reverse("accounts:mfa_enrol"))
    if not secret:
        secret = otp.random_secret()
        request.session[PENDING_KEY] = secret
    form = EnrolForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = do_enable_mfa(
                secret=secret,
                code=form.cleaned_data["code"],
                actor=user,
                keep_session=request.session.session_key,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            del request.session[PENDING_KEY]
            # The first code was given here: this session has passed the second factor.
            request.session[sessions.MFA_STATE] = sessions.MFA_VERIFIED
            messages.success(request, _("Multi-factor authentication is on."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    uri = enrolment_uri(secret, user)
    qr = segno.make(uri, error="m")
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "secret": otp.grouped(secret),
            "uri": uri,
            "qr": qr.svg_data_uri(scale=5, border=2),
            "required": mfa_required_for(user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (password needed); the new ones are shown once."""
    user = _user(request)
    form = PasswordAgainForm(request.POST, user=user, prefix="regen")
    if form.is_valid():
        try:
            codes = do_regenerate_recovery_codes(
                password=form.cleaned_data["password"],
                ip=sessions.client_ip(request),
                actor=user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("New recovery codes made; the old ones no longer work."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return _overview(request, regenerate_form=form, status=400)


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (password needed)."""
    user = _user(request)
    form = PasswordAgainForm(request.POST, user=user, prefix="disable")
    if form.is_valid():
        try:
            do_disable_mfa(
                password=form.cleaned_data["password"],
                ip=sessions.client_ip(request),
                actor=user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            request.session[sessions.MFA_STATE] = sessions.MFA_NONE
            if mfa_required_for(user):
                messages.warning(
                    request,
                    _("Your role requires multi-factor authentication: set up your new app now."),
                )
                return HttpResponseRedirect(reverse("accounts:mfa_enrol"))
            messages.success(request, _("Multi-factor authentication is off."))
            return HttpResponseRedirect(reverse("accounts:mfa"))
    return _overview(request, disable_form=form, status=400)
