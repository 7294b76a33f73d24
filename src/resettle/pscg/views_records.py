"""Pages of the PSCG's records: targets, practice exchanges and host-country updates
(lists, detail pages, forms and deletion)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.directory.models import Country
from resettle.pscg import forms, services, tables
from resettle.pscg.access import can_edit_pscg
from resettle.pscg.models import (
    INDICATORS,
    HostCountryUpdate,
    PracticeExchange,
    SituationTarget,
    field_label,
)


def _situation_initial(request: HttpRequest) -> dict[str, Any]:
    situation = request.GET.get("situation")
    if not situation:
        return {}
    return {"situation": services.get_situation_for_user(situation, request.user)}


# ---- targets -----------------------------------------------------------------------------


class TargetEditView(ObjectEditView):
    """Set or change a situation's target of places for a year."""

    form_class = forms.TargetForm
    create_service = staticmethod(services.do_create_target)
    update_service = staticmethod(services.do_update_target)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> SituationTarget | None:
        if "pk" not in kwargs:
            return None
        return services.get_target_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return can_edit_pscg(user)

    def can_edit(self, user: User, obj: SituationTarget) -> bool:
        return can_edit_pscg(user)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        initial = _situation_initial(request)
        if request.GET.get("year", "").isdigit():
            initial["year"] = int(request.GET["year"])
        return initial


# ---- practice exchanges -----------------------------------------------------------------


class PracticeListView(ObjectListView):
    """The practice exchanges a visitor may read."""

    model = PracticeExchange
    columns = tables.PRACTICE_COLUMNS
    search_fields = ("title", "summary")
    filter_form = forms.PracticeFilterForm
    select_related = ("situation",)
    create_url_name = "pscg:practice_add"
    title = gettext_lazy("practice exchanges")

    def can_create(self, user: User | None) -> bool:
        return can_edit_pscg(user)


class PracticeDetailView(ObjectDetailView):
    """One practice exchange."""

    template_name = "pscg/practice_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> PracticeExchange:
        return services.get_practice_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: PracticeExchange) -> bool:
        return can_edit_pscg(user)


class PracticeEditView(ObjectEditView):
    """Record or change a practice exchange."""

    form_class = forms.PracticeForm
    create_service = staticmethod(services.do_create_practice)
    update_service = staticmethod(services.do_update_practice)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> PracticeExchange | None:
        if "pk" not in kwargs:
            return None
        return services.get_practice_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return can_edit_pscg(user)

    def can_edit(self, user: User, obj: PracticeExchange) -> bool:
        return can_edit_pscg(user)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return _situation_initial(request)


# ---- host-country updates ---------------------------------------------------------------


class UpdateListView(ObjectListView):
    """The host-country updates a visitor may read."""

    model = HostCountryUpdate
    columns = tables.UPDATE_COLUMNS
    search_fields = ("narrative", "period")
    filter_form = forms.UpdateFilterForm
    select_related = ("situation", "host_country", "author")
    create_url_name = "pscg:update_add"
    title = gettext_lazy("host-country updates")

    def can_create(self, user: User | None) -> bool:
        return can_edit_pscg(user)


class UpdateDetailView(ObjectDetailView):
    """One host-country update."""

    template_name = "pscg/update_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> HostCountryUpdate:
        return services.get_update_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: HostCountryUpdate) -> bool:
        return can_edit_pscg(user)

    def extra_context(self, request: HttpRequest, obj: HostCountryUpdate) -> dict[str, Any]:
        return {"ratings": [(field_label(n), getattr(obj, n)) for n in INDICATORS]}


class UpdateEditView(ObjectEditView):
    """Record or change a host-country update."""

    form_class = forms.UpdateForm
    create_service = staticmethod(services.do_create_update)
    update_service = staticmethod(services.do_update_update)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> HostCountryUpdate | None:
        if "pk" not in kwargs:
            return None
        return services.get_update_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return can_edit_pscg(user)

    def can_edit(self, user: User, obj: HostCountryUpdate) -> bool:
        return can_edit_pscg(user)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        initial = _situation_initial(request)
        host = request.GET.get("host_country", "")
        if host:
            country = Country.objects.filter(iso3=host.upper()).first()
            if country is not None:
                initial["host_country"] = country
        if request.user.is_authenticated and getattr(request.user, "organisation", None):
            initial["author"] = request.user.organisation
        return initial


# ---- deletion -----------------------------------------------------------------------------


class DeleteView(View):
    """Confirm (GET) and delete (POST) a record through its service."""

    getter: Callable[[Any, Any], models.Model]
    service: Callable[..., None]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = as_user(request.user)
        if user is None:
            return redirect_to_login(request.get_full_path())
        obj = type(self).getter(kwargs["pk"], user)
        if not can_edit_pscg(user):
            raise PermissionDenied
        if request.method == "POST":
            back = self.after_delete(obj)
            type(self).service(obj, actor=user)
            messages.success(request, _("Deleted."))
            return HttpResponseRedirect(back)
        return render(request, "pscg/confirm_delete.html", {"object": obj})

    def after_delete(self, obj: Any) -> str:
        raise NotImplementedError


class TargetDeleteView(DeleteView):
    """Delete a target."""

    getter = staticmethod(services.get_target_for_user)
    service = staticmethod(services.do_delete_target)

    def after_delete(self, obj: SituationTarget) -> str:
        return reverse("pscg:situation_detail", args=[obj.situation_id])


class PracticeDeleteView(DeleteView):
    """Delete a practice exchange."""

    getter = staticmethod(services.get_practice_for_user)
    service = staticmethod(services.do_delete_practice)

    def after_delete(self, obj: PracticeExchange) -> str:
        return reverse("pscg:practice_list")


class UpdateDeleteView(DeleteView):
    """Delete a host-country update."""

    getter = staticmethod(services.get_update_for_user)
    service = staticmethod(services.do_delete_update)

    def after_delete(self, obj: HostCountryUpdate) -> str:
        return reverse("pscg:host_country", args=[obj.situation_id, obj.host_country.iso3])
