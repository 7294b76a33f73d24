"""Logging in: the password, then (for users with an authenticator app) the code.

The password step is Django's LoginView with a throttled form. A user with an
authenticator app is signed in after it with the session marked "pending":
`MfaRequiredMiddleware` lets such a session reach nothing but the code page
(and logging out) until a code is accepted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resettle.accounts import sessions, sso, throttle
from resettle.accounts.forms import CodeForm, LoginForm
from resettle.accounts.models import LoginStage, User
from resettle.accounts.services_mfa import locked_message, unused_codes, verify_code
from resettle.core.security import content_security_policy


class LoginView(auth_views.LoginView):
    """Step one: username and password (locked out after too many failures)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if sso.enabled():
            context["sso_url"] = sso.login_url()
            context["sso_name"] = sso.button_label()
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        origin = sso.provider_origin()
        if origin and isinstance(response, TemplateResponse):
            # The single sign-on form is sent to our own origin, which redirects
            # to the provider's: browsers check that redirect against form-action.
            request = self.request

            def allow_provider(rendered: HttpResponse) -> HttpResponse:
                nonce = getattr(request, "csp_nonce", None)
                policy = content_security_policy(getattr(nonce, "value", None))
                rendered["Content-Security-Policy"] = policy.replace(
                    "form-action 'self'", f"form-action 'self' {origin}"
                )
                return rendered

            response.add_post_render_callback(allow_provider)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if self.request.session.get(sessions.MFA_STATE) != sessions.MFA_PENDING:
            throttle.clear(form.get_user().get_username())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "locked", False):
            response.status_code = 429
        return response

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if self.request.session.get(sessions.MFA_STATE) == sessions.MFA_PENDING:
            return reverse("accounts:verify") + "?" + urlencode({"next": url})
        return url


def _next_url(request: HttpRequest) -> str:
    """Where to go once logged in: a safe `next`, or the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, or a recovery code."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it; narrows the type
    if request.session.get(sessions.MFA_STATE) != sessions.MFA_PENDING:
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        ip = sessions.client_ip(request)
        username = user.get_username()
        if throttle.is_locked(username, ip):
            throttle.record(username, ip, stage=LoginStage.CODE, refused=True)
            form.add_error("code", locked_message())
            status = 429
        else:
            kind = verify_code(user, form.cleaned_data["code"])
            if kind is None:
                throttle.record(username, ip, stage=LoginStage.CODE)
                form.add_error("code", _("That code is not valid. Try again."))
            else:
                request.session[sessions.MFA_STATE] = sessions.MFA_VERIFIED
                # A new session key now that the session carries more trust.
                sessions.cycle(request.session, user)
                throttle.clear(username)
                if kind == "recovery":
                    left = unused_codes(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code: %(count)s is left. Make new ones "
                            "on your account page if you are running short.",
                            "You used a recovery code: %(count)s are left. Make new ones "
                            "on your account page if you are running short.",
                            left,
                        )
                        % {"count": left},
                    )
                return HttpResponseRedirect(_next_url(request))
    elif form.errors:
        status = 400
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )
