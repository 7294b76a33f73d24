"""GROW: the supporters (companies, foundations, individuals) and their support or
financing commitments, which are commitments of the commitments app."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from resettle.accounts.models import User
from resettle.capacity import forms
from resettle.commitments import services as commitment_services
from resettle.commitments.models import Commitment, CommitmentSource, Supporter
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView


def _totals(commitments: list[Commitment]) -> list[tuple[str, Decimal]]:
    """The amounts committed, summed by currency."""
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for c in commitments:
        if c.amount is not None and c.currency:
            by_currency[c.currency] += c.amount
    return sorted(by_currency.items())


def grow(request: HttpRequest) -> HttpResponse:
    """The GROW page: supporters and their commitments (what the visitor may see)."""
    user = as_user(request.user)
    commitments = list(
        Commitment.objects.visible_to(user)
        .filter(source=CommitmentSource.GROW)
        .select_related("supporter")
        .order_by("supporter__name", "-created_at")
    )
    by_supporter: dict[int, list[Commitment]] = defaultdict(list)
    for c in commitments:
        if c.supporter_id:
            by_supporter[c.supporter_id].append(c)
    supporters = [
        (s, by_supporter.get(s.pk, []))
        for s in Supporter.objects.visible_to(user).select_related("organisation", "country")
    ]
    return render(
        request,
        "capacity/grow.html",
        {
            "supporters": supporters,
            "totals": _totals(commitments),
            "count": len(commitments),
            "can_add_supporter": commitment_services.acts_for_all(user),
            "can_commit": commitment_services.can_create_commitment(user),
        },
    )


class SupporterDetailView(ObjectDetailView):
    """A supporter and its commitments."""

    template_name = "capacity/supporter_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Supporter:
        return commitment_services.get_supporter_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Supporter) -> bool:
        return commitment_services.can_edit_commitment_supporter(user, obj)

    def extra_context(self, request: HttpRequest, obj: Supporter) -> dict[str, Any]:
        commitments = list(
            Commitment.objects.visible_to(as_user(request.user)).filter(supporter=obj)
        )
        return {"commitments": commitments, "totals": _totals(commitments)}


class SupporterEditView(ObjectEditView):
    """Add or edit a GROW supporter."""

    form_class = forms.SupporterForm
    create_service = staticmethod(commitment_services.do_create_supporter)
    update_service = staticmethod(commitment_services.do_update_supporter)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Supporter | None:
        if "pk" not in kwargs:
            return None
        return commitment_services.get_supporter_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return commitment_services.acts_for_all(user)

    def can_edit(self, user: User, obj: Supporter) -> bool:
        return commitment_services.can_edit_commitment_supporter(user, obj)
