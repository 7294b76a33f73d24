"""Pages of the cases app: the case list, a case, importing cases from CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.accounts.models import User
from resettle.cases import forms, services, tables
from resettle.cases.models import ResettlementCase
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectListView


class CaseListView(ObjectListView):
    """The cases a user may see: all for UNHCR, a State's referred cases for its officials."""

    model = ResettlementCase
    columns = tables.CASE_COLUMNS
    search_fields = ("reference", "nationality", "link_group")
    filter_form = forms.CaseFilterForm
    select_related = ("asylum", "referred_state")
    login_required = True
    title = gettext_lazy("Resettlement cases")
    template_name = "cases/case_list.html"


class CaseDetailView(ObjectDetailView):
    """One case: its family size, needs, categories, status and linked cases."""

    template_name = "cases/case_detail.html"
    login_required = True

    def get_object(self, request: HttpRequest, **kwargs: Any) -> ResettlementCase:
        return services.get_case_for_user(kwargs["pk"], request.user)

    def extra_context(self, request: HttpRequest, obj: ResettlementCase) -> dict[str, Any]:
        user = as_user(request.user)
        visible = ResettlementCase.objects.visible_to(user)
        context: dict[str, Any] = {
            "linked": visible.filter(pk__in=obj.linked_cases().values("pk")),
            "can_manage": services.can_manage_cases(user),
            "shares": obj.shares.select_related("state", "actor")[:50],
        }
        if services.can_manage_cases(user):
            # The runs that considered this case, newest first (allocation reads cases).
            context["assignments"] = obj.assignments.select_related("run", "state").order_by(
                "-run__created_at"
            )[:10]
        return context


def _manager(request: HttpRequest) -> User:
    user = as_user(request.user)
    if not services.can_manage_cases(user):
        raise PermissionDenied
    assert user is not None  # noqa: S101 - can_manage_cases(None) is False
    return user


@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file of cases; a file with any problem is refused whole with its report."""
    user = _manager(request)
    form = forms.CaseImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        outcome = services.do_import_cases(form.cleaned_data["file"].read(), actor=user)
        if not outcome.refused:
            messages.success(request, _("Imported %(count)s cases.") % {"count": outcome.created})
            return HttpResponseRedirect(reverse("cases:case_list"))
        problems = outcome.errors
    status = 422 if problems else (400 if form.errors else 200)
    return render(
        request, "cases/case_import.html", {"form": form, "problems": problems}, status=status
    )
