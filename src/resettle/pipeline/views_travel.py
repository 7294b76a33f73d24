"""Pages of cultural orientation sessions and travel bookings (facility staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.core.views_generic import apply_validation_error
from resettle.pipeline import access, forms, services
from resettle.pipeline.models import FamilyMember, OrientationSession
from resettle.pipeline.views import _user


def _staff(request: HttpRequest) -> None:
    if not access.can_manage_pipeline(_user(request)):
        raise PermissionDenied


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """Cultural orientation sessions."""
    _staff(request)
    sessions = OrientationSession.objects.all()[:200]
    return render(request, "pipeline/session_list.html", {"sessions": sessions})


@login_required
def session_add(request: HttpRequest) -> HttpResponse:
    """Plan a cultural orientation session."""
    _staff(request)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.do_create_session(form.cleaned_data, actor=_user(request))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Session planned."))
            return HttpResponseRedirect(session.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Plan a cultural orientation session")},
        status=400 if form.errors else 200,
    )


def _attendance_form(session: OrientationSession, data: object = None) -> forms.AttendanceForm:
    form = forms.AttendanceForm(data)
    form.fields["members"].queryset = FamilyMember.objects.select_related(  # type: ignore[attr-defined]
        "case_file__case"
    ).order_by("case_file__case__reference", "position")
    return form


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session, who attended (by case and number), and the attendance form."""
    session = services.get_session_for_user(pk, request.user)
    return render(
        request,
        "pipeline/session_detail.html",
        {
            "object": session,
            "attendance": session.attendance.select_related("member__case_file__case"),
            "form": _attendance_form(session),
        },
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark family members present at a session."""
    session = services.get_session_for_user(pk, request.user)
    form = _attendance_form(session, request.POST)
    if form.is_valid():
        services.do_record_attendance(session, form.cleaned_data["members"], actor=_user(request))
        messages.success(request, _("Attendance recorded."))
        return HttpResponseRedirect(session.get_absolute_url())
    return render(
        request,
        "pipeline/session_detail.html",
        {"object": session, "attendance": session.attendance.all(), "form": form},
        status=400,
    )


@login_required
def travel_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a flight for a case with exit permission."""
    user = _user(request)
    case_file = services.get_case_file_for_user(pk, user)
    _staff(request)
    form = forms.TravelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_book_travel(case_file, form.cleaned_data, actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Flight booked."))
            return HttpResponseRedirect(case_file.get_absolute_url())
    return render(
        request,
        "pipeline/form.html",
        {"form": form, "title": _("Book a flight"), "object": case_file},
        status=400 if form.errors else 200,
    )
