"""The signed-in user's own account page: profile and API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from resettle.accounts import services
from resettle.accounts.models import ApiToken, User
from resettle.accounts.services_mfa import has_mfa
from resettle.core.forms import BootstrapFormMixin


class TokenForm(BootstrapFormMixin, forms.Form):
    """Name a new API token."""

    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=90,
        help_text=gettext_lazy("Each token expires; create a new one when yours does."),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it; narrows the type
    return user


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's organisation, role and API tokens; a form to create a token."""
    user = _user(request)
    new_token: str | None = None
    form = TokenForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        new_token = services.do_create_api_token(
            name=form.cleaned_data["name"], days=form.cleaned_data["days"], actor=user
        )
        form = TokenForm(user=user)
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": user.api_tokens.order_by("-created_at"),
            "mfa_on": has_mfa(user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's token is a 404)."""
    user = _user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.do_revoke_api_token(token, actor=user)
    messages.success(request, _("Token revoked."))
    return HttpResponseRedirect(reverse("accounts:account"))
