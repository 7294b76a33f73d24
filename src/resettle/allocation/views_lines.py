"""Pages of the pledge lines: list, detail, record or edit, delete, import from CSV."""

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
from resettle.allocation import forms, lines_import, services
from resettle.allocation.models import PledgeLine
from resettle.core.access import as_user
from resettle.core.tables import Column
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView


def _codes(value: list[str] | None) -> str:
    return ", ".join(value) if value else str(_("any"))


LINE_COLUMNS = [
    Column(gettext_lazy("Pledge line"), lambda line: line.label or line.pk, link=True),
    Column(gettext_lazy("Year"), "year"),
    Column(gettext_lazy("State"), "state"),
    Column(gettext_lazy("Places"), "capacity"),
    Column(gettext_lazy("Reserved for emergency and urgent"), "reserved_urgent"),
    Column(gettext_lazy("Nationalities"), lambda line: _codes(line.nationalities)),
    Column(gettext_lazy("Priority situations"), lambda line: _codes(line.situations)),
    Column(gettext_lazy("Modality"), "modality"),
]


class LineListView(ObjectListView):
    """The pledge lines: all for UNHCR, a State's own lines for its officials."""

    model = PledgeLine
    columns = LINE_COLUMNS
    search_fields = ("label", "state__name_en", "state__iso3")
    filter_form = forms.PledgeLineFilterForm
    select_related = ("state",)
    create_url_name = "allocation:line_add"
    login_required = True
    title = gettext_lazy("Pledge lines")

    def can_create(self, user: User | None) -> bool:
        return services.can_allocate(user)


class LineDetailView(ObjectDetailView):
    """One pledge line and its criteria."""

    template_name = "allocation/line_detail.html"
    login_required = True

    def get_object(self, request: HttpRequest, **kwargs: Any) -> PledgeLine:
        return services.get_line_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: PledgeLine) -> bool:
        return services.can_allocate(user)


class LineEditView(ObjectEditView):
    """Record or edit a pledge line."""

    form_class = forms.PledgeLineForm
    create_service = staticmethod(services.do_create_line)
    update_service = staticmethod(services.do_update_line)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> PledgeLine | None:
        if "pk" not in kwargs:
            return None
        return services.get_line_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services.can_allocate(user)

    def can_edit(self, user: User, obj: PledgeLine) -> bool:
        return services.can_allocate(user)


@login_required
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove a pledge line."""
    line = services.get_line_for_user(pk, request.user)
    user = as_user(request.user)
    if not services.can_allocate(user):
        raise PermissionDenied
    assert user is not None  # noqa: S101 - can_allocate(None) is False
    if request.method == "POST":
        services.do_delete_line(line, actor=user)
        messages.success(request, _("Pledge line removed."))
        return HttpResponseRedirect(reverse("allocation:line_list"))
    return render(request, "allocation/line_delete.html", {"object": line})


@login_required
def line_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file of pledge lines for a year; refused whole with its report."""
    user = as_user(request.user)
    if not services.can_allocate(user):
        raise PermissionDenied
    form = forms.LineImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        outcome = lines_import.do_import_lines(
            form.cleaned_data["file"].read(), year=form.cleaned_data["year"], actor=user
        )
        if not outcome.errors:
            messages.success(
                request, _("Imported %(count)s pledge lines.") % {"count": outcome.created}
            )
            return HttpResponseRedirect(
                reverse("allocation:line_list") + f"?year={form.cleaned_data['year']}"
            )
        problems = outcome.errors
    status = 422 if problems else (400 if form.errors else 200)
    return render(
        request, "allocation/line_import.html", {"form": form, "problems": problems}, status=status
    )
