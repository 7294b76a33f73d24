"""Pages that show or change personal data: family members, medical details, exports.

Showing names, dates of birth or medical details is a POST that logs the read
(a GET writes nothing anywhere in the project); exporting needs a fresh login.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts import sessions
from resettle.accounts.services_mfa import check_password_again
from resettle.core.views_generic import apply_validation_error
from resettle.pipeline import access, forms, reauth, services
from resettle.pipeline.views import _user


@login_required
@require_POST
def personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's names and dates of birth (the read is logged)."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    form = forms.PurposeForm(request.POST)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    rows = services.read_personal_data(case_file, user=user, purpose=purpose)
    return render(
        request,
        "pipeline/personal_data.html",
        {"object": case_file, "rows": rows, "fresh": reauth.is_fresh(request)},
    )


@login_required
@require_POST
def medical(request: HttpRequest, pk: int) -> HttpResponse:
    """Medical details: medical staff and the referred State only (the read is logged)."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    if not access.can_see_medical(user, case_file):
        raise PermissionDenied
    form = forms.PurposeForm(request.POST)
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    data = services.read_medical(case_file, user=user, purpose=purpose)
    return render(request, "pipeline/medical.html", {"object": case_file, "data": data})


@login_required
@require_POST
def export_members(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV file of the family members; a stale login goes to confirm the password first."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    if not reauth.is_fresh(request):
        query = urlencode({"next": case_file.get_absolute_url()})
        return HttpResponseRedirect(f"{reverse('pipeline:reauth')}?{query}")
    data = services.export_members_csv(case_file, user=user)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    name = f"family-{case_file.case.reference}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Confirm your password: exports of personal data need a fresh login."""
    user = _user(request)
    form = forms.ReauthForm(request.POST or None)
    target = request.POST.get("next") or request.GET.get("next") or reverse("pipeline:board")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("pipeline:board")
    if request.method == "POST" and form.is_valid():
        # Throttled and recorded like a login: a stolen session must not guess on.
        try:
            check_password_again(user, form.cleaned_data["password"], sessions.client_ip(request))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            reauth.mark_fresh(request)
            messages.success(request, _("Password confirmed."))
            return HttpResponseRedirect(target)
    return render(
        request,
        "pipeline/reauth.html",
        {"form": form, "next": target, "minutes": reauth.minutes()},
        status=400 if form.errors else 200,
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a family member (facility staff and UNHCR)."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    if not access.can_open_case_file(user):
        raise PermissionDenied
    form = forms.MemberForm(request.POST or None, initial={"interview_required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_member(case_file, form.cleaned_data, actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Family member added."))
            return HttpResponseRedirect(case_file.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Add a family member"), "object": case_file},
        status=400 if form.errors else 200,
    )


@login_required
def medical_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a medical assessment (medical staff)."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    if not access.can_record_medical(user):
        raise PermissionDenied
    form = forms.MedicalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_record_medical_assessment(case_file, form.cleaned_data, actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Medical assessment recorded."))
            return HttpResponseRedirect(case_file.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Record a medical assessment"), "object": case_file},
        status=400 if form.errors else 200,
    )
