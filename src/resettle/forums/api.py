"""API of the forums app: forums, memberships, consultation cycles."""

import datetime
from typing import Annotated, Any

from django.db import models
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from resettle.core.api_support import (
    READ_AUTH,
    WRITE_AUTH,
    BoundedPagination,
    api_actor,
    api_user,
    resolve,
    resolve_many,
)
from resettle.directory.models import Country, Organisation, Person
from resettle.forums import services
from resettle.forums.models import (
    ConsultationCycle,
    Forum,
    ForumAccess,
    ForumKind,
    Membership,
    MembershipRole,
)

router = Router(tags=["forums"])


# ---- forums ------------------------------------------------------------------


class ForumOut(Schema):
    """A forum and its mandate."""

    id: int
    name: str
    acronym: str
    kind: str
    parent_id: int | None
    chair_ids: list[int]
    secretariat_ids: list[int]
    established_year: int | None
    mandate_years: int | None
    access: str
    working_languages: list[str]
    description: str
    terms_of_reference: str

    @staticmethod
    def resolve_chair_ids(obj: Forum) -> list[int]:
        return [o.pk for o in obj.chairs.all()]

    @staticmethod
    def resolve_secretariat_ids(obj: Forum) -> list[int]:
        return [o.pk for o in obj.secretariat.all()]

    @staticmethod
    def resolve_working_languages(obj: Forum) -> list[str]:
        return obj.language_list()


class ForumIn(Schema):
    """A new forum."""

    name: str = Field(min_length=1, max_length=200)
    acronym: str = ""
    kind: ForumKind
    parent_id: int | None = None
    chair_ids: list[int] = []
    secretariat_ids: list[int] = []
    established_year: int | None = None
    mandate_years: int | None = None
    access: ForumAccess = ForumAccess.PUBLIC
    working_languages: str = "en"
    description: str = ""
    terms_of_reference: str = ""


class ForumPatch(Schema):
    """Changes to a forum."""

    name: str | None = Field(None, min_length=1, max_length=200)
    acronym: str | None = None
    kind: ForumKind | None = None
    parent_id: int | None = None
    chair_ids: list[int] | None = None
    secretariat_ids: list[int] | None = None
    established_year: int | None = None
    mandate_years: int | None = None
    access: ForumAccess | None = None
    working_languages: str | None = None
    description: str | None = None
    terms_of_reference: str | None = None


class ForumFilter(FilterSchema):
    """Filters of the forum list."""

    q: Annotated[str | None, FilterLookup(["name__icontains", "acronym__icontains"])] = None
    kind: ForumKind | None = None
    access: ForumAccess | None = None
    parent_id: int | None = None


def _forum_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data:
        data["parent"] = resolve(Forum, user, "parent_id", data.pop("parent_id"))
    for key, field in (("chair_ids", "chairs"), ("secretariat_ids", "secretariat")):
        if key in data:
            data[field] = resolve_many(Organisation, user, key, data.pop(key) or [])
    return data


@router.get("/forums", response=list[ForumOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_forums(request: HttpRequest, filters: Query[ForumFilter]) -> models.QuerySet[Forum]:
    """The forums you may see: public ones, and members-only ones you belong to."""
    qs = Forum.objects.visible_to(api_user(request)).prefetch_related("chairs", "secretariat")
    return filters.filter(qs)


@router.get("/forums/{int:pk}", response=ForumOut, auth=READ_AUTH)
def get_forum(request: HttpRequest, pk: int) -> Forum:
    """One forum."""
    return services.get_forum_for_user(pk, api_user(request))


@router.post("/forums", response={201: ForumOut}, auth=WRITE_AUTH)
def create_forum(request: HttpRequest, payload: ForumIn) -> Status[Forum]:
    """Set up a forum (administrators and UNHCR staff)."""
    return Status(
        201, services.do_create_forum(_forum_fields(request, payload), actor=api_actor(request))
    )


@router.patch("/forums/{int:pk}", response=ForumOut, auth=WRITE_AUTH)
def update_forum(request: HttpRequest, pk: int, payload: ForumPatch) -> Forum:
    """Change a forum you chair or run."""
    forum = services.get_forum_for_user(pk, api_user(request))
    return services.do_update_forum(
        forum, _forum_fields(request, payload), actor=api_actor(request)
    )


# ---- memberships -------------------------------------------------------------


class MembershipOut(Schema):
    """An organisation or person in a forum, with role and mandate."""

    id: int
    forum_id: int
    organisation_id: int | None
    person_id: int | None
    role: str
    start_date: datetime.date
    end_date: datetime.date | None
    notes: str


class MembershipIn(Schema):
    """A new membership: give organisation_id or person_id."""

    forum_id: int
    organisation_id: int | None = None
    person_id: int | None = None
    role: MembershipRole
    start_date: datetime.date
    end_date: datetime.date | None = None
    notes: str = ""


class MembershipPatch(Schema):
    """Changes to a membership."""

    role: MembershipRole | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    notes: str | None = None


class MembershipFilter(FilterSchema):
    """Filters of the membership list."""

    forum_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    role: MembershipRole | None = None


def _membership_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    for key, model, field in (
        ("forum_id", Forum, "forum"),
        ("organisation_id", Organisation, "organisation"),
        ("person_id", Person, "person"),
    ):
        if key in data:
            data[field] = resolve(model, user, key, data.pop(key))
    return data


@router.get("/memberships", response=list[MembershipOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_memberships(
    request: HttpRequest, filters: Query[MembershipFilter]
) -> models.QuerySet[Membership]:
    """Memberships of the forums you may see."""
    return filters.filter(Membership.objects.visible_to(api_user(request)))


@router.get("/memberships/{int:pk}", response=MembershipOut, auth=READ_AUTH)
def get_membership(request: HttpRequest, pk: int) -> Membership:
    """One membership."""
    return services.get_membership_for_user(pk, api_user(request))


@router.post("/memberships", response={201: MembershipOut}, auth=WRITE_AUTH)
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[Membership]:
    """Add a member to a forum you chair or run."""
    return Status(
        201,
        services.do_create_membership(
            _membership_fields(request, payload), actor=api_actor(request)
        ),
    )


@router.patch("/memberships/{int:pk}", response=MembershipOut, auth=WRITE_AUTH)
def update_membership(request: HttpRequest, pk: int, payload: MembershipPatch) -> Membership:
    """Change a membership's role or mandate."""
    membership = services.get_membership_for_user(pk, api_user(request))
    return services.do_update_membership(
        membership, _membership_fields(request, payload), actor=api_actor(request)
    )


# ---- cycles ------------------------------------------------------------------


class CycleOut(Schema):
    """A consultation cycle and its co-chairs."""

    id: int
    forum_id: int
    label: str
    start_year: int
    end_year: int
    state: str = Field(alias="state.iso3")
    government_cochair_id: int
    ngo_cochair_id: int
    theme: str
    unhcr_support: bool
    rag_consulted: bool
    status: str

    @staticmethod
    def resolve_status(obj: ConsultationCycle) -> str:
        return obj.status().value


class CycleIn(Schema):
    """A new cycle: the government and NGO co-chairs come from the chairing State."""

    forum_id: int
    start_year: int = Field(ge=1995, le=2100)
    end_year: int = Field(ge=1995, le=2100)
    state: str = Field(description="ISO alpha-3 code of the chairing State")
    government_cochair_id: int
    ngo_cochair_id: int
    theme: str = ""
    unhcr_support: bool = True
    rag_consulted: bool = True
    notes: str = ""


class CyclePatch(Schema):
    """Changes to a cycle."""

    start_year: int | None = Field(None, ge=1995, le=2100)
    end_year: int | None = Field(None, ge=1995, le=2100)
    state: str | None = None
    government_cochair_id: int | None = None
    ngo_cochair_id: int | None = None
    theme: str | None = None
    unhcr_support: bool | None = None
    rag_consulted: bool | None = None
    notes: str | None = None


class CycleFilter(FilterSchema):
    """Filters of the cycle list."""

    forum_id: int | None = None
    state: Annotated[str | None, FilterLookup("state__iso3")] = None
    start_year: int | None = None


def _cycle_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "forum_id" in data:
        data["forum"] = resolve(Forum, user, "forum_id", data.pop("forum_id"))
    if "state" in data:
        data["state"] = resolve(Country, user, "state", data["state"], lookup="iso3")
    for key in ("government_cochair_id", "ngo_cochair_id"):
        if key in data:
            data[key.removesuffix("_id")] = resolve(Organisation, user, key, data.pop(key))
    return data


@router.get("/cycles", response=list[CycleOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_cycles(
    request: HttpRequest, filters: Query[CycleFilter]
) -> models.QuerySet[ConsultationCycle]:
    """Consultation cycles, newest first."""
    qs = ConsultationCycle.objects.visible_to(api_user(request)).select_related("state")
    return filters.filter(qs)


@router.get("/cycles/{int:pk}", response=CycleOut, auth=READ_AUTH)
def get_cycle(request: HttpRequest, pk: int) -> ConsultationCycle:
    """One cycle."""
    return services.get_cycle_for_user(pk, api_user(request))


@router.post("/cycles", response={201: CycleOut}, auth=WRITE_AUTH)
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status[ConsultationCycle]:
    """Plan a cycle; the NGO co-chair must come from the government co-chair's State."""
    return Status(
        201, services.do_create_cycle(_cycle_fields(request, payload), actor=api_actor(request))
    )


@router.patch("/cycles/{int:pk}", response=CycleOut, auth=WRITE_AUTH)
def update_cycle(request: HttpRequest, pk: int, payload: CyclePatch) -> ConsultationCycle:
    """Change a cycle."""
    cycle = services.get_cycle_for_user(pk, api_user(request))
    return services.do_update_cycle(
        cycle, _cycle_fields(request, payload), actor=api_actor(request)
    )
