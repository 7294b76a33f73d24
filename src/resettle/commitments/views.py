"""Pages of the commitments app: the public list and its exports, a commitment with its
progress history, the edit forms, and one's own organisation's commitments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from resettle.accounts.models import User
from resettle.commitments import exports, forms, services
from resettle.commitments.models import (
    Commitment,
    CommitmentQuerySet,
    CommitmentStatus,
    Supporter,
)
from resettle.core.access import as_user
from resettle.core.views_generic import (
    PAGE_SIZE,
    ObjectDetailView,
    ObjectEditView,
    apply_validation_error,
    form_data,
)
from resettle.forums.models import Forum


def status_counts(qs: CommitmentQuerySet) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the order of the choices."""
    found = dict(
        qs.order_by()
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
        .values_list("status", "n")
    )
    return [(value, str(label), found.get(value, 0)) for value, label in CommitmentStatus.choices]


def _annotated(qs: CommitmentQuerySet, user: User | None) -> list[dict[str, Any]]:
    """Rows for a table: the commitment, whether overdue, and its forum if visible."""
    today = timezone.localdate()
    visible = set(Forum.objects.visible_to(user).values_list("pk", flat=True))
    return [
        {
            "object": c,
            "overdue": c.is_overdue(today),
            "next_due": c.next_update_due(),
            "forum": c.forum if c.forum_id in visible else None,
        }
        for c in qs
    ]


def _list_queryset(user: User | None) -> CommitmentQuerySet:
    return (
        Commitment.objects.visible_to(user)
        .select_related("forum", "cycle", "situation")
        .prefetch_related("organisations")
    )


def commitment_list(request: HttpRequest) -> HttpResponse:
    """Commitments and pledges: public ones for everyone, filtered, with counts and exports."""
    user = as_user(request.user)
    form = forms.CommitmentFilterForm(request.GET or None, user=user)
    qs = form.apply(_list_queryset(user))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "filter_form": form,
            "rows": _annotated(page.object_list, user),  # type: ignore[arg-type]
            "page": page,
            "counts": status_counts(qs),
            "querystring": params.urlencode(),
            "formats": exports.FORMATS,
            "can_create": services.can_create_commitment(user),
        },
    )


def commitment_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered list as CSV, XLSX, JSON or HXL."""
    if fmt not in exports.FORMATS:
        raise Http404("format")
    user = as_user(request.user)
    form = forms.CommitmentFilterForm(request.GET or None, user=user)
    qs = form.apply(_list_queryset(user))
    filters = {k: v for k, v in request.GET.items() if v}
    return exports.export(qs, fmt, user, filters)


def my_commitments(request: HttpRequest) -> HttpResponse:
    """The commitments of the user's organisation, overdue ones first."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    today = timezone.localdate()
    org = user.organisation
    qs = Commitment.objects.of_organisation(org) if org is not None else Commitment.objects.none()
    qs = qs.select_related("forum", "cycle", "situation").prefetch_related("organisations")
    overdue = list(qs.overdue(today))
    others = list(qs.not_overdue(today))
    return render(
        request,
        "commitments/my_commitments.html",
        {
            "organisation": org,
            "overdue_rows": _annotated(overdue, user),  # type: ignore[arg-type]
            "other_rows": _annotated(others, user),  # type: ignore[arg-type]
            "counts": status_counts(qs),
            "can_create": services.can_create_commitment(user),
        },
    )


class CommitmentDetailView(ObjectDetailView):
    """A commitment, its progress history and (for those allowed) the update form."""

    template_name = "commitments/commitment_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Commitment:
        return services.get_commitment_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Commitment) -> bool:
        return services.can_edit_commitment(user, obj)

    def extra_context(self, request: HttpRequest, obj: Commitment) -> dict[str, Any]:
        user = as_user(request.user)
        may_report = services.can_add_progress_update(user, obj)
        return {
            **_detail_context(obj, user),
            "update_form": forms.ProgressUpdateForm(
                initial={"status": obj.status, "date": timezone.localdate()}, user=user
            )
            if may_report
            else None,
        }


def _detail_context(obj: Commitment, user: User | None) -> dict[str, Any]:
    forum_visible = (
        obj.forum_id is not None and Forum.objects.visible_to(user).filter(pk=obj.forum_id).exists()
    )
    return {
        "organisations": obj.organisations.select_related("country"),
        "updates": obj.updates.select_related("author"),
        "forum_visible": forum_visible,
        # A supporter that is not public is named only to those who may see it.
        "supporter_visible": obj.supporter_id is not None
        and Supporter.objects.visible_to(user).filter(pk=obj.supporter_id).exists(),
        "overdue": obj.is_overdue(),
        "next_due": obj.next_update_due(),
    }


class CommitmentEditView(ObjectEditView):
    """Record or edit a commitment."""

    form_class = forms.CommitmentForm
    create_service = staticmethod(services.do_create_commitment)
    update_service = staticmethod(services.do_update_commitment)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Commitment | None:
        if "pk" not in kwargs:
            return None
        return services.get_commitment_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services.can_create_commitment(user)

    def can_edit(self, user: User, obj: Commitment) -> bool:
        return services.can_edit_commitment(user, obj)


@require_http_methods(["GET", "POST"])
def add_progress_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress on a commitment (the form is also on the commitment's page)."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    commitment = services.get_commitment_for_user(pk, user)
    if not services.can_add_progress_update(user, commitment):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.ProgressUpdateForm(request.POST, user=user)
        if form.is_valid():
            try:
                update = services.do_add_progress_update(commitment, form_data(form), actor=user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Progress update added."))
                return HttpResponseRedirect(update.get_absolute_url())
        status = 400
    else:
        form = forms.ProgressUpdateForm(
            initial={"status": commitment.status, "date": timezone.localdate()}, user=user
        )
        status = 200
    return render(
        request,
        "commitments/progress_update_form.html",
        {"object": commitment, "update_form": form},
        status=status,
    )
