"""API of the directory: countries, organisations, contacts."""

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
)
from resettle.directory import services
from resettle.directory.models import (
    Country,
    Organisation,
    OrganisationKind,
    Person,
    ProgrammeStage,
    UnhcrRegion,
)

router = Router(tags=["directory"])


# ---- countries ---------------------------------------------------------------


class CountryOut(Schema):
    """A country with its names in the three languages and UNHCR's code."""

    iso3: str
    iso2: str
    numeric: str
    name_en: str
    name_ar: str
    name_fr: str
    unhcr_code: str
    unhcr_region: str
    programme_stage: str | None = Field(None, alias="state_profile.programme_stage")


class CountryIn(Schema):
    """A new country (administrators)."""

    iso3: str
    iso2: str
    numeric: str = ""
    name_en: str
    name_ar: str
    name_fr: str
    unhcr_code: str = ""
    unhcr_region: UnhcrRegion | None = None


class CountryPatch(Schema):
    """Corrections to a country (administrators)."""

    name_en: str | None = None
    name_ar: str | None = None
    name_fr: str | None = None
    unhcr_code: str | None = None
    unhcr_region: UnhcrRegion | None = None


class CountryFilter(FilterSchema):
    """Filters of the country list."""

    q: Annotated[
        str | None,
        FilterLookup(["name_en__icontains", "name_ar__icontains", "name_fr__icontains", "iso3"]),
    ] = None
    unhcr_region: UnhcrRegion | None = None
    programme_stage: Annotated[
        ProgrammeStage | None, FilterLookup("state_profile__programme_stage")
    ] = None


def _country_fields(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if "unhcr_region" in data:
        data["unhcr_region"] = data["unhcr_region"] or ""
    return data


@router.get("/countries", response=list[CountryOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_countries(request: HttpRequest, filters: Query[CountryFilter]) -> models.QuerySet[Country]:
    """All countries of ISO 3166-1, filterable by region and programme stage."""
    qs = Country.objects.visible_to(api_user(request)).select_related("state_profile")
    return filters.filter(qs)


@router.get("/countries/{iso3}", response=CountryOut, auth=READ_AUTH)
def get_country(request: HttpRequest, iso3: str) -> Country:
    """One country by ISO alpha-3 code."""
    return services.get_country_for_user(iso3, api_user(request))


@router.post("/countries", response={201: CountryOut}, auth=WRITE_AUTH)
def create_country(request: HttpRequest, payload: CountryIn) -> Status[Country]:
    """Add a country or territory (administrators)."""
    return Status(
        201, services.do_create_country(_country_fields(payload), actor=api_actor(request))
    )


@router.patch("/countries/{iso3}", response=CountryOut, auth=WRITE_AUTH)
def update_country(request: HttpRequest, iso3: str, payload: CountryPatch) -> Country:
    """Correct a country's names, UNHCR code or region (administrators)."""
    country = services.get_country_for_user(iso3, api_user(request))
    return services.do_update_country(country, _country_fields(payload), actor=api_actor(request))


# ---- organisations -----------------------------------------------------------


class OrganisationOut(Schema):
    """An organisation of the directory."""

    id: int
    name: str
    acronym: str
    kind: str
    country: str | None = Field(None, alias="country.iso3")
    parent_id: int | None
    website: str
    description: str


class OrganisationIn(Schema):
    """A new organisation."""

    name: str = Field(min_length=1, max_length=200)
    acronym: str = ""
    kind: OrganisationKind
    country: str | None = Field(None, description="ISO alpha-3 code")
    parent_id: int | None = None
    website: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    """Changes to an organisation."""

    name: str | None = Field(None, min_length=1, max_length=200)
    acronym: str | None = None
    kind: OrganisationKind | None = None
    country: str | None = None
    parent_id: int | None = None
    website: str | None = None
    description: str | None = None


class OrganisationFilter(FilterSchema):
    """Filters of the organisation list."""

    q: Annotated[str | None, FilterLookup(["name__icontains", "acronym__icontains"])] = None
    kind: OrganisationKind | None = None
    country: Annotated[str | None, FilterLookup("country__iso3")] = None
    parent_id: int | None = None


def _organisation_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    user = api_user(request)
    data = payload.dict(exclude_unset=True)
    if "country" in data:
        data["country"] = resolve(Country, user, "country", data["country"], lookup="iso3")
    if "parent_id" in data:
        data["parent"] = resolve(Organisation, user, "parent_id", data.pop("parent_id"))
    return data


@router.get("/organisations", response=list[OrganisationOut], auth=READ_AUTH)
@paginate(BoundedPagination)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilter]
) -> models.QuerySet[Organisation]:
    """The directory of organisations."""
    qs = Organisation.objects.visible_to(api_user(request)).select_related("country")
    return filters.filter(qs)


@router.get("/organisations/{int:pk}", response=OrganisationOut, auth=READ_AUTH)
def get_organisation(request: HttpRequest, pk: int) -> Organisation:
    """One organisation."""
    return services.get_organisation_for_user(pk, api_user(request))


@router.post("/organisations", response={201: OrganisationOut}, auth=WRITE_AUTH)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    """Add an organisation; your organisation maintains its record."""
    data = _organisation_fields(request, payload)
    return Status(201, services.do_create_organisation(data, actor=api_actor(request)))


@router.patch("/organisations/{int:pk}", response=OrganisationOut, auth=WRITE_AUTH)
def update_organisation(request: HttpRequest, pk: int, payload: OrganisationPatch) -> Organisation:
    """Change an organisation you manage."""
    org = services.get_organisation_for_user(pk, api_user(request))
    data = _organisation_fields(request, payload)
    return services.do_update_organisation(org, data, actor=api_actor(request))


# ---- people ------------------------------------------------------------------


class PersonOut(Schema):
    """A contact (signed-in users only)."""

    id: int
    given_name: str
    family_name: str
    organisation_id: int
    title: str
    email: str
    languages: str
    is_refugee_representative: bool


class PersonIn(Schema):
    """A new contact."""

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    organisation_id: int
    title: str = ""
    email: str = ""
    languages: str = ""
    is_refugee_representative: bool = False


class PersonPatch(Schema):
    """Changes to a contact."""

    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    organisation_id: int | None = None
    title: str | None = None
    email: str | None = None
    languages: str | None = None
    is_refugee_representative: bool | None = None


class PersonFilter(FilterSchema):
    """Filters of the contact list."""

    q: Annotated[str | None, FilterLookup(["given_name__icontains", "family_name__icontains"])] = (
        None
    )
    organisation_id: int | None = None
    is_refugee_representative: bool | None = None


def _person_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if "organisation_id" in data:
        data["organisation"] = resolve(
            Organisation, api_user(request), "organisation_id", data.pop("organisation_id")
        )
    return data


@router.get("/people", response=list[PersonOut], auth=WRITE_AUTH)
@paginate(BoundedPagination)
def list_people(request: HttpRequest, filters: Query[PersonFilter]) -> models.QuerySet[Person]:
    """Contacts (needs a session or token)."""
    return filters.filter(Person.objects.visible_to(api_user(request)))


@router.get("/people/{int:pk}", response=PersonOut, auth=WRITE_AUTH)
def get_person(request: HttpRequest, pk: int) -> Person:
    """One contact."""
    return services.get_person_for_user(pk, api_user(request))


@router.post("/people", response={201: PersonOut}, auth=WRITE_AUTH)
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    """Add a contact to an organisation you manage."""
    data = _person_fields(request, payload)
    return Status(201, services.do_create_person(data, actor=api_actor(request)))


@router.patch("/people/{int:pk}", response=PersonOut, auth=WRITE_AUTH)
def update_person(request: HttpRequest, pk: int, payload: PersonPatch) -> Person:
    """Change a contact of an organisation you manage."""
    person = services.get_person_for_user(pk, api_user(request))
    return services.do_update_person(
        person, _person_fields(request, payload), actor=api_actor(request)
    )
