"""API of the cases app: resettlement cases (read only; imports go through the web or CLI).

UNHCR staff and administrators see every case; a State official sees the
cases referred to their State; everyone else sees none (404 for one case).
"""

import datetime
from typing import Annotated

from django.db import models
from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from resettle.cases import services
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.core.api_support import READ_AUTH, BoundedPagination, api_user
from resettle.needs.models import Priority, SubmissionCategory

router = Router(tags=["cases"])


class CaseOut(Schema):
    """A resettlement case (no personal identifiers)."""

    id: int
    reference: str
    persons: int
    nationality: str
    asylum: str
    situation: str | None
    category: str
    secondary_category: str
    priority: str
    submitted_on: datetime.date
    flags: list[str]
    languages: list[str]
    link_group: str
    interview_possible: bool
    status: str
    referred_state: str | None
    referred_at: datetime.datetime | None

    @staticmethod
    def resolve_asylum(obj: ResettlementCase) -> str:
        return obj.asylum.iso3

    @staticmethod
    def resolve_situation(obj: ResettlementCase) -> str | None:
        return obj.situation.name if obj.situation else None

    @staticmethod
    def resolve_referred_state(obj: ResettlementCase) -> str | None:
        return obj.referred_state.iso3 if obj.referred_state else None


class CaseFilter(FilterSchema):
    """Filters of the case list."""

    status: CaseStatus | None = None
    priority: Priority | None = None
    category: SubmissionCategory | None = None
    nationality: str | None = None
    asylum: Annotated[str | None, FilterLookup("asylum__iso3")] = None
    referred_state: Annotated[str | None, FilterLookup("referred_state__iso3")] = None
    link_group: str | None = None


@router.get("/cases", response=list[CaseOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_cases(
    request: HttpRequest, filters: Query[CaseFilter]
) -> models.QuerySet[ResettlementCase]:
    """The cases you may see."""
    qs = ResettlementCase.objects.visible_to(api_user(request)).select_related(
        "asylum", "situation", "referred_state"
    )
    return filters.filter(qs)


@router.get("/cases/{int:pk}", response=CaseOut, auth=READ_AUTH)
def get_case(request: HttpRequest, pk: int) -> ResettlementCase:
    """One case (404 when it is not yours to see)."""
    return services.get_case_for_user(pk, api_user(request))


class ShareIn(Schema):
    """The terms of sharing cases with a State: purpose, and consent (with its date)
    or an override with its reason. Purposes: resettlement, selection_mission,
    medical, travel; consent: given or override."""

    purpose: str
    consent: str
    consent_date: datetime.date | None = None
    override_reason: str = ""
