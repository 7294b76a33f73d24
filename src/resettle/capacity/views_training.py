"""Pages of the CRISP training package: the catalogue, language versions,
deliveries with participants' results, and the report of gains by module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.capacity import charts, forms, services_training, tables
from resettle.capacity.models import (
    ModuleVersion,
    ParticipantResult,
    TrainingDelivery,
    TrainingModule,
)
from resettle.core.access import as_user
from resettle.core.views_generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    form_data,
)


class ModuleListView(ObjectListView):
    """The training package's modules (public)."""

    model = TrainingModule
    columns = tables.MODULE_COLUMNS
    search_fields = ("code", "title", "description")
    filter_form = forms.ModuleFilterForm
    create_url_name = "capacity:module_add"
    title = gettext_lazy("CRISP training package")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("versions")

    def can_create(self, user: User | None) -> bool:
        return services_training.can_manage_training(user)


class ModuleDetailView(ObjectDetailView):
    """A module with its language versions (and, for signed-in users, its deliveries)."""

    template_name = "capacity/module_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TrainingModule:
        return services_training.get_module_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: TrainingModule) -> bool:
        return services_training.can_manage_training(user)

    def extra_context(self, request: HttpRequest, obj: TrainingModule) -> dict[str, Any]:
        user = as_user(request.user)
        return {
            "versions": obj.versions.all(),
            "deliveries": TrainingDelivery.objects.visible_to(user).filter(module=obj)
            if user
            else None,
        }


class ModuleEditView(ObjectEditView):
    """Add or edit a module of the package."""

    form_class = forms.ModuleForm
    create_service = staticmethod(services_training.do_create_module)
    update_service = staticmethod(services_training.do_update_module)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TrainingModule | None:
        if "pk" not in kwargs:
            return None
        return services_training.get_module_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services_training.can_manage_training(user)

    def can_edit(self, user: User, obj: TrainingModule) -> bool:
        return services_training.can_manage_training(user)


class VersionEditView(ObjectEditView):
    """Add or edit a module's version in a language."""

    form_class = forms.VersionForm
    create_service = staticmethod(services_training.do_create_version)
    update_service = staticmethod(services_training.do_update_version)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> ModuleVersion | None:
        if "pk" not in kwargs:
            return None
        return services_training.get_version_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services_training.can_manage_training(user)

    def can_edit(self, user: User, obj: ModuleVersion) -> bool:
        return services_training.can_manage_training(user)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        module = TrainingModule.objects.filter(pk=request.GET.get("module") or 0).first()
        return {"module": module} if module else {}


def version_document(request: HttpRequest, pk: int) -> FileResponse:
    """A language version's uploaded document (the catalogue is public)."""
    version = services_training.get_version_for_user(pk, request.user)
    if not version.document:
        raise Http404("no document")
    return FileResponse(
        version.document.open("rb"), as_attachment=True, filename=Path(version.document.name).name
    )


class DeliveryListView(ObjectListView):
    """Deliveries of the training package (signed-in users)."""

    model = TrainingDelivery
    columns = tables.DELIVERY_COLUMNS
    search_fields = ("module__title", "module__code", "place", "feedback")
    filter_form = forms.DeliveryFilterForm
    select_related = ("module", "country")
    create_url_name = "capacity:delivery_add"
    login_required = True

    def can_create(self, user: User | None) -> bool:
        return services_training.can_manage_training(user)


class DeliveryDetailView(ObjectDetailView):
    """A delivery: trainers, participants, scores and feedback; participants' own
    results for CRISP staff."""

    template_name = "capacity/delivery_detail.html"
    login_required = True

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TrainingDelivery:
        return services_training.get_delivery_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: TrainingDelivery) -> bool:
        return services_training.can_manage_training(user)

    def extra_context(self, request: HttpRequest, obj: TrainingDelivery) -> dict[str, Any]:
        user = as_user(request.user)
        see = services_training.can_see_results(user)
        report = services_training.gains_report(TrainingDelivery.objects.filter(pk=obj.pk))
        return {
            "results": ParticipantResult.objects.visible_to(user)
            .filter(delivery=obj)
            .select_related("person")
            if see
            else None,
            "result_form": forms.ResultForm(user=user) if see else None,
            "gain": report[0].mean_gain if report else None,
        }


class DeliveryEditView(ObjectEditView):
    """Record or edit a delivery."""

    form_class = forms.DeliveryForm
    create_service = staticmethod(services_training.do_create_delivery)
    update_service = staticmethod(services_training.do_update_delivery)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TrainingDelivery | None:
        if "pk" not in kwargs:
            return None
        return services_training.get_delivery_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services_training.can_manage_training(user)

    def can_edit(self, user: User, obj: TrainingDelivery) -> bool:
        return services_training.can_manage_training(user)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        module = TrainingModule.objects.filter(pk=request.GET.get("module") or 0).first()
        return {"module": module} if module else {}


@require_POST
def add_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a participant's pre- and post-test scores (CRISP staff)."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    delivery = services_training.get_delivery_for_user(pk, user)
    if not services_training.can_see_results(user):
        raise PermissionDenied
    form = forms.ResultForm(request.POST, user=user)
    if form.is_valid():
        try:
            services_training.do_add_result(delivery, form_data(form), actor=user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Result recorded."))
            return HttpResponseRedirect(delivery.get_absolute_url() + "#results")
    return render(
        request,
        "core/object_edit.html",
        {"form": form, "object": None, "model_name": ParticipantResult._meta.verbose_name},
        status=400,
    )


def gains(request: HttpRequest) -> HttpResponse:
    """Gains by module: mean post- minus pre-test score, deliveries, participants."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = as_user(request.user)
    rows = services_training.gains_report(TrainingDelivery.objects.visible_to(user))
    items = [(f"{r.module.code} {r.module.title}", r.mean_gain) for r in rows]
    plotted = [(label, gain) for label, gain in items if gain is not None]
    svg = charts.gain_bars(
        title=_("Learning gains by training module"),
        desc=_(
            "Mean post-test minus pre-test score, in points out of 100, for each module "
            "with scored deliveries."
        ),
        items=plotted,
        rtl=get_language_bidi(),
    )
    return render(request, "capacity/gains.html", {"rows": rows, "chart": svg if plotted else ""})
