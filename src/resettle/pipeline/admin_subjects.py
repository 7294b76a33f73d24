"""Admin actions for data subject requests: export everything held, erase personal data.

On the case file admin (a whole family) and the family member admin (one
person). Both need a platform administrator and a fresh login (the password
confirmed within PIPELINE_REAUTH_MINUTES, pipeline/reauth.py), like the other
exports of personal data; a stale login is sent to confirm the password and
comes back to the list. Erasing asks for the reason on an intermediate page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.accounts.models import User
from resettle.pipeline import reauth
from resettle.pipeline.erasure import ErasureOutcome, do_erase_subject
from resettle.pipeline.models import CaseFile, ErasureScope, FamilyMember
from resettle.pipeline.subjects import can_handle_subject_requests, do_export_subject, export_json


class EraseForm(forms.Form):
    """Why the personal data is erased, and what is erased."""

    scope = forms.ChoiceField(
        label=gettext_lazy("What to erase"),
        choices=ErasureScope.choices,
        initial=ErasureScope.PERSONAL,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "Kept in the log: say why (the person's request of a date, say); do not name them."
        ),
    )


def _admin(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and can_handle_subject_requests(user) else None


def _stale(request: HttpRequest) -> HttpResponse | None:
    """A redirect to confirm the password when the login is not fresh; None when it is."""
    if reauth.is_fresh(request):
        return None
    messages.warning(
        request,
        _("Confirm your password, then choose the action again: it handles personal data."),
    )
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('pipeline:reauth')}?{query}")


def _json(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _summary(outcome: ErasureOutcome) -> str:
    if not outcome.changed:
        return _("%(case)s: nothing left to erase.") % {"case": outcome.case}
    detail = ", ".join(f"{name}: {n}" for name, n in sorted(outcome.counts.items()))
    return _("%(case)s erased (%(detail)s).") % {"case": outcome.case, "detail": detail}


class SubjectActions:
    """The two actions, for a ModelAdmin whose rows name a family or a member."""

    def _subjects(
        self, queryset: QuerySet[Any]
    ) -> list[tuple[CaseFile, FamilyMember | None]]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _export(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        actor = _admin(request)
        admin_view: Any = self
        if actor is None:
            admin_view.message_user(
                request, _("Only platform administrators export personal data."), messages.ERROR
            )
            return None
        subjects = self._subjects(queryset)
        if len(subjects) != 1:
            admin_view.message_user(
                request, _("Choose one family or one member to export."), messages.ERROR
            )
            return None
        stale = _stale(request)
        if stale is not None:
            return stale
        case_file, member = subjects[0]
        data = do_export_subject(case_file.case, member=member, actor=actor, channel="admin")
        suffix = f"-{member.position}" if member is not None else ""
        return _json(export_json(data), f"subject-{case_file.case.reference}{suffix}.json")

    def _erase(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        actor = _admin(request)
        admin_view: Any = self
        if actor is None:
            admin_view.message_user(
                request, _("Only platform administrators erase personal data."), messages.ERROR
            )
            return None
        stale = _stale(request)
        if stale is not None:
            return stale
        subjects = self._subjects(queryset)
        form = EraseForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_bound and form.is_valid():
            for case_file, member in subjects:
                try:
                    outcome = do_erase_subject(
                        case_file.case,
                        member=member,
                        reason=form.cleaned_data["reason"],
                        scope=form.cleaned_data["scope"],
                        actor=actor,
                        channel="admin",
                    )
                except ValidationError as exc:
                    text = "; ".join(
                        f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
                    )
                    admin_view.message_user(
                        request, f"{case_file.case.reference}: {text}", messages.ERROR
                    )
                else:
                    admin_view.message_user(request, _summary(outcome), messages.SUCCESS)
            return None
        return render(
            request,
            "admin/pipeline/subject_erase.html",
            {
                **admin.site.each_context(request),
                "title": _("Erase personal data"),
                "form": form,
                "subjects": subjects,
                "action": request.POST.get("action", ""),
                "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                "opts": queryset.model._meta,
            },
            status=400 if form.errors else 200,
        )


class CaseFileSubjectActions(SubjectActions):
    """On the case file admin: whole families."""

    def _subjects(self, queryset: QuerySet[Any]) -> list[tuple[CaseFile, FamilyMember | None]]:
        return [(cf, None) for cf in queryset.select_related("case")]

    @admin.action(description=gettext_lazy("Export everything held about the family (JSON)"))
    def export_subject(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """One family's data, decrypted, in one JSON file (audited)."""
        return self._export(request, queryset)

    @admin.action(description=gettext_lazy("Erase the family's personal data"))
    def erase_subject(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """Pseudonymise the families (asks for the reason first)."""
        return self._erase(request, queryset)


class MemberSubjectActions(SubjectActions):
    """On the family member admin: one person at a time (or several, for erasure)."""

    def _subjects(self, queryset: QuerySet[Any]) -> list[tuple[CaseFile, FamilyMember | None]]:
        return [(m.case_file, m) for m in queryset.select_related("case_file__case")]

    @admin.action(description=gettext_lazy("Export everything held about the member (JSON)"))
    def export_subject(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """One member's data and their case's, decrypted, in one JSON file (audited)."""
        return self._export(request, queryset)

    @admin.action(description=gettext_lazy("Erase the members' personal data"))
    def erase_subject(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        """Pseudonymise the members (asks for the reason first)."""
        return self._erase(request, queryset)
