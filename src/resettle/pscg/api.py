"""API of the pscg app: priority situations with objective 1, targets, practice
exchanges and host-country updates (all under /api/v1/situations/)."""

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
from resettle.directory.models import Country, Organisation
from resettle.needs.models import PrioritySituation
from resettle.pscg import figures, services
from resettle.pscg.models import (
    HostCountryUpdate,
    PracticeExchange,
    PracticeTopic,
    PscgAccess,
    SituationTarget,
)

router = Router(tags=["pscg"])

# ---- situations ------------------------------------------------------------------------


class AreaOut(Schema):
    """Refugees a situation covers: a population (code) in a country of asylum (ISO3);
    null stands for any."""

    population: str | None
    asylum: str | None


class SituationOut(Schema):
    """A priority situation and the areas it covers."""

    id: int
    name: str
    name_ar: str
    name_fr: str
    description: str
    is_illustrative: bool
    areas: list[AreaOut]

    @staticmethod
    def resolve_areas(obj: PrioritySituation) -> list[dict[str, str | None]]:
        return [
            {
                "population": a.population.code if a.population else None,
                "asylum": a.asylum.iso3 if a.asylum else None,
            }
            for a in obj.areas.all()
        ]


class YearOut(Schema):
    """One year of objective 1: the target and the places earmarked for the situation."""

    year: int
    target: int | None
    pledged: int
    progress: float | None
    remaining: int | None


class StateYearOut(Schema):
    """Places a resettlement State's pledges earmark for the situation in a year."""

    state: str
    year: int
    places: int


class SituationDetailOut(SituationOut):
    """A situation with objective 1: targets and earmarked places by year and by State."""

    objective1: list[YearOut]
    by_state: list[StateYearOut]
    pledge_versions: list[int]


def _situations(user: Any) -> models.QuerySet[PrioritySituation]:
    return PrioritySituation.objects.visible_to(user).prefetch_related(
        "areas__population", "areas__asylum"
    )


@router.get("/situations", response=list[SituationOut], auth=READ_AUTH)
def list_situations(request: HttpRequest) -> models.QuerySet[PrioritySituation]:
    """The priority situations (public)."""
    return _situations(api_user(request))


@router.get("/situations/{int:pk}", response=SituationDetailOut, auth=READ_AUTH)
def get_situation(request: HttpRequest, pk: int) -> PrioritySituation:
    """A situation with objective 1, from the current pledges you may see."""
    user = api_user(request)
    situation = services.get_situation_for_user(pk, user)
    situation = _situations(user).get(pk=situation.pk)
    result = figures.objective1_for_user(situation, user)
    # The figures ride on the instance for the response schema (not saved).
    situation.objective1 = [  # type: ignore[attr-defined]
        {
            "year": y.year,
            "target": y.target,
            "pledged": y.pledged,
            "progress": y.progress,
            "remaining": y.remaining,
        }
        for y in result.years
    ]
    situation.by_state = [  # type: ignore[attr-defined]
        {"state": country.iso3, "year": year, "places": places}
        for country, per_year in result.states
        for year, places in sorted(per_year.items())
    ]
    situation.pledge_versions = [v.pk for v in result.sources.of_kind("pledges")]  # type: ignore[attr-defined]
    return situation


class DeletedOut(Schema):
    """What a deletion removed (200 rather than 204, so the reply says which record went)."""

    deleted: int


# ---- targets ---------------------------------------------------------------------------


class TargetOut(Schema):
    """A situation's target of places for a year."""

    id: int
    situation_id: int
    year: int
    places: int
    note: str
    is_illustrative: bool


class TargetIn(Schema):
    """A new target."""

    situation_id: int
    year: int
    places: int
    note: str = ""
    is_illustrative: bool = False


class TargetPatch(Schema):
    """Changes to a target."""

    year: int | None = None
    places: int | None = None
    note: str | None = None
    is_illustrative: bool | None = None


class TargetFilter(FilterSchema):
    """Filters of the target list."""

    situation_id: int | None = None
    year: int | None = None


def _target_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "situation_id" in data:
        data["situation"] = resolve(
            PrioritySituation, api_user(request), "situation_id", data.pop("situation_id")
        )
    return data


@router.get("/situations/targets", response=list[TargetOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_targets(
    request: HttpRequest, filters: Query[TargetFilter]
) -> models.QuerySet[SituationTarget]:
    """Targets of places per situation and year (public)."""
    return filters.filter(SituationTarget.objects.visible_to(api_user(request)))


@router.get("/situations/targets/{int:pk}", response=TargetOut, auth=READ_AUTH)
def get_target(request: HttpRequest, pk: int) -> SituationTarget:
    """One target."""
    return services.get_target_for_user(pk, api_user(request))


@router.post("/situations/targets", response={201: TargetOut}, auth=WRITE_AUTH)
def create_target(request: HttpRequest, payload: TargetIn) -> Status[SituationTarget]:
    """Set a target (the PSCG's editors, administrators, UNHCR)."""
    target = services.do_create_target(_target_fields(request, payload), actor=api_actor(request))
    return Status(201, target)


@router.patch("/situations/targets/{int:pk}", response=TargetOut, auth=WRITE_AUTH)
def update_target(request: HttpRequest, pk: int, payload: TargetPatch) -> SituationTarget:
    """Change a target."""
    target = services.get_target_for_user(pk, api_user(request))
    return services.do_update_target(
        target, _target_fields(request, payload), actor=api_actor(request)
    )


@router.delete("/situations/targets/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def delete_target(request: HttpRequest, pk: int) -> dict[str, int]:
    """Delete a target."""
    target = services.get_target_for_user(pk, api_user(request))
    services.do_delete_target(target, actor=api_actor(request))
    return {"deleted": pk}


# ---- practice exchanges ------------------------------------------------------------------


class PracticeOut(Schema):
    """A practice exchanged on processing or adjudication."""

    id: int
    situation_id: int | None
    topic: str
    title: str
    summary: str
    organisation_ids: list[int]
    date: datetime.date
    link_url: str
    library_url: str
    access: str
    is_illustrative: bool

    @staticmethod
    def resolve_organisation_ids(obj: PracticeExchange) -> list[int]:
        return [o.pk for o in obj.organisations.all()]


class PracticeIn(Schema):
    """A new practice exchange."""

    situation_id: int | None = None
    topic: PracticeTopic
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1)
    organisation_ids: list[int] = []
    date: datetime.date | None = None
    link_url: str = ""
    library_url: str = ""
    access: PscgAccess = PscgAccess.MEMBERS
    is_illustrative: bool = False


class PracticePatch(Schema):
    """Changes to a practice exchange."""

    situation_id: int | None = None
    topic: PracticeTopic | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = None
    organisation_ids: list[int] | None = None
    date: datetime.date | None = None
    link_url: str | None = None
    library_url: str | None = None
    access: PscgAccess | None = None
    is_illustrative: bool | None = None


class PracticeFilter(FilterSchema):
    """Filters of the practice exchange list."""

    situation_id: int | None = None
    topic: PracticeTopic | None = None
    access: PscgAccess | None = None


def _practice_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if data.get("date", "") is None:
        data.pop("date")
    if "situation_id" in data:
        data["situation"] = resolve(
            PrioritySituation, user, "situation_id", data.pop("situation_id")
        )
    if "organisation_ids" in data:
        data["organisations"] = resolve_many(
            Organisation, user, "organisation_ids", data.pop("organisation_ids") or []
        )
    return {k: v for k, v in data.items() if v is not None or k == "situation"}


@router.get("/situations/practices", response=list[PracticeOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_practices(
    request: HttpRequest, filters: Query[PracticeFilter]
) -> models.QuerySet[PracticeExchange]:
    """Practice exchanges you may read: public ones, and members-only ones for PSCG members."""
    qs = PracticeExchange.objects.visible_to(api_user(request)).prefetch_related("organisations")
    return filters.filter(qs)


@router.get("/situations/practices/{int:pk}", response=PracticeOut, auth=READ_AUTH)
def get_practice(request: HttpRequest, pk: int) -> PracticeExchange:
    """One practice exchange."""
    return services.get_practice_for_user(pk, api_user(request))


@router.post("/situations/practices", response={201: PracticeOut}, auth=WRITE_AUTH)
def create_practice(request: HttpRequest, payload: PracticeIn) -> Status[PracticeExchange]:
    """Record a practice exchange (the PSCG's editors, administrators, UNHCR)."""
    practice = services.do_create_practice(
        _practice_fields(request, payload), actor=api_actor(request)
    )
    return Status(201, practice)


@router.patch("/situations/practices/{int:pk}", response=PracticeOut, auth=WRITE_AUTH)
def update_practice(request: HttpRequest, pk: int, payload: PracticePatch) -> PracticeExchange:
    """Change a practice exchange."""
    practice = services.get_practice_for_user(pk, api_user(request))
    return services.do_update_practice(
        practice, _practice_fields(request, payload), actor=api_actor(request)
    )


@router.delete("/situations/practices/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def delete_practice(request: HttpRequest, pk: int) -> dict[str, int]:
    """Delete a practice exchange."""
    practice = services.get_practice_for_user(pk, api_user(request))
    services.do_delete_practice(practice, actor=api_actor(request))
    return {"deleted": pk}


# ---- host-country updates ----------------------------------------------------------------


class UpdateOut(Schema):
    """The protection environment and other solutions in a host country, at a date."""

    id: int
    situation_id: int
    host_country: str
    date: datetime.date
    period: str
    legal_status: int | None
    freedom_of_movement: int | None
    access_to_work: int | None
    access_to_education: int | None
    non_refoulement: int | None
    local_integration: bool | None
    local_integration_persons: int | None
    complementary_pathways: bool | None
    complementary_pathways_persons: int | None
    voluntary_return: bool | None
    voluntary_return_persons: int | None
    narrative: str
    author_id: int | None
    access: str
    is_illustrative: bool

    @staticmethod
    def resolve_host_country(obj: HostCountryUpdate) -> str:
        return obj.host_country.iso3


class UpdatePatch(Schema):
    """Changes to a host-country update (ratings 1-5; host_country an ISO3 code)."""

    situation_id: int | None = None
    host_country: str | None = None
    date: datetime.date | None = None
    period: str | None = None
    legal_status: int | None = None
    freedom_of_movement: int | None = None
    access_to_work: int | None = None
    access_to_education: int | None = None
    non_refoulement: int | None = None
    local_integration: bool | None = None
    local_integration_persons: int | None = None
    complementary_pathways: bool | None = None
    complementary_pathways_persons: int | None = None
    voluntary_return: bool | None = None
    voluntary_return_persons: int | None = None
    narrative: str | None = None
    author_id: int | None = None
    access: PscgAccess | None = None
    is_illustrative: bool | None = None


class UpdateIn(UpdatePatch):
    """A new host-country update."""

    situation_id: int
    host_country: str
    narrative: str = Field(min_length=1)
    access: PscgAccess = PscgAccess.MEMBERS


class UpdateFilter(FilterSchema):
    """Filters of the host-country update list."""

    situation_id: int | None = None
    host_country: Annotated[str | None, FilterLookup("host_country__iso3__iexact")] = None
    access: PscgAccess | None = None


# Fields that cannot be null in the model: a null in a PATCH leaves them as they are.
_REQUIRED = {"situation_id", "host_country", "date", "narrative", "access", "is_illustrative"}


def _update_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    data = {k: v for k, v in data.items() if v is not None or k not in _REQUIRED}
    if "situation_id" in data:
        data["situation"] = resolve(
            PrioritySituation, user, "situation_id", data.pop("situation_id")
        )
    if "host_country" in data:
        data["host_country"] = resolve(
            Country, user, "host_country", str(data["host_country"]).upper(), lookup="iso3"
        )
    if "author_id" in data:
        data["author"] = resolve(Organisation, user, "author_id", data.pop("author_id"))
    return data


@router.get("/situations/host-updates", response=list[UpdateOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_updates(
    request: HttpRequest, filters: Query[UpdateFilter]
) -> models.QuerySet[HostCountryUpdate]:
    """Host-country updates you may read, newest first."""
    qs = HostCountryUpdate.objects.visible_to(api_user(request)).select_related("host_country")
    return filters.filter(qs)


@router.get("/situations/host-updates/{int:pk}", response=UpdateOut, auth=READ_AUTH)
def get_update(request: HttpRequest, pk: int) -> HostCountryUpdate:
    """One host-country update."""
    return services.get_update_for_user(pk, api_user(request))


@router.post("/situations/host-updates", response={201: UpdateOut}, auth=WRITE_AUTH)
def create_update(request: HttpRequest, payload: UpdateIn) -> Status[HostCountryUpdate]:
    """Record a host-country update (the PSCG's editors, administrators, UNHCR)."""
    update = services.do_create_update(_update_fields(request, payload), actor=api_actor(request))
    return Status(201, update)


@router.patch("/situations/host-updates/{int:pk}", response=UpdateOut, auth=WRITE_AUTH)
def update_update(request: HttpRequest, pk: int, payload: UpdatePatch) -> HostCountryUpdate:
    """Change a host-country update."""
    update = services.get_update_for_user(pk, api_user(request))
    return services.do_update_update(
        update, _update_fields(request, payload), actor=api_actor(request)
    )


@router.delete("/situations/host-updates/{int:pk}", response=DeletedOut, auth=WRITE_AUTH)
def delete_update(request: HttpRequest, pk: int) -> dict[str, int]:
    """Delete a host-country update."""
    update = services.get_update_for_user(pk, api_user(request))
    services.do_delete_update(update, actor=api_actor(request))
    return {"deleted": pk}
