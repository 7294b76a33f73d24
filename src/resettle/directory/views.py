"""Pages of the directory: countries, organisations and contacts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from resettle.accounts.models import User
from resettle.accounts.roles import Capability
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.directory import forms, services, tables
from resettle.directory.models import Country, Organisation, Person, StateProfile
from resettle.forums.models import Membership


class CountryListView(ObjectListView):
    """All countries, with UNHCR codes and regions."""

    model = Country
    columns = tables.COUNTRY_COLUMNS
    search_fields = ("name_en", "name_ar", "name_fr", "iso3", "unhcr_code")
    filter_form = forms.CountryFilterForm


class CountryDetailView(ObjectDetailView):
    """A country: its organisations and, for a resettlement State, its profile."""

    template_name = "directory/country_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Country:
        return services.get_country_for_user(kwargs["iso3"], request.user)

    def can_edit(self, user: User | None, obj: Country) -> bool:
        return services.can_edit_state_profile(user, obj)

    def extra_context(self, request: HttpRequest, obj: Country) -> dict[str, Any]:
        return {
            "profile": StateProfile.objects.filter(country=obj).first(),
            "organisations": obj.organisations.order_by("name"),
        }


class StateProfileEditView(ObjectEditView):
    """Create or edit the resettlement profile of a State."""

    form_class = forms.StateProfileForm

    def get_object(self, request: HttpRequest, **kwargs: Any) -> StateProfile:
        country = services.get_country_for_user(kwargs["iso3"], request.user)
        self.country = country
        return StateProfile.objects.filter(country=country).first() or StateProfile(country=country)

    def can_create(self, user: User) -> bool:
        return services.can_edit_state_profile(user, self.country)

    def can_edit(self, user: User, obj: StateProfile) -> bool:
        return services.can_edit_state_profile(user, self.country)

    @staticmethod
    def update_service(obj: StateProfile, data: dict[str, Any], *, actor: User) -> StateProfile:
        return services.do_save_state_profile(obj.country, data, actor=actor)


class OrganisationListView(ObjectListView):
    """The directory of organisations."""

    model = Organisation
    columns = tables.ORGANISATION_COLUMNS
    search_fields = ("name", "acronym", "description")
    filter_form = forms.OrganisationFilterForm
    select_related = ("country", "parent")
    create_url_name = "directory:organisation_add"

    def can_create(self, user: User | None) -> bool:
        return user is not None and user.can(Capability.CREATE_ORGANISATION)


class OrganisationDetailView(ObjectDetailView):
    """An organisation, its sub-organisations, contacts and forum memberships."""

    template_name = "directory/organisation_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Organisation:
        return services.get_organisation_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Organisation) -> bool:
        return services.can_manage_organisation(user, obj)

    def extra_context(self, request: HttpRequest, obj: Organisation) -> dict[str, Any]:
        return {
            "children": obj.children.order_by("name"),
            "people": Person.objects.visible_to(
                request.user if isinstance(request.user, User) else None
            ).filter(organisation=obj),
            "memberships": Membership.objects.visible_to(
                request.user if isinstance(request.user, User) else None
            )
            .filter(organisation=obj)
            .select_related("forum"),
        }


class OrganisationEditView(ObjectEditView):
    """Add or edit an organisation."""

    form_class = forms.OrganisationForm
    create_service = staticmethod(services.do_create_organisation)
    update_service = staticmethod(services.do_update_organisation)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Organisation | None:
        if "pk" not in kwargs:
            return None
        return services.get_organisation_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return user.can(Capability.CREATE_ORGANISATION)

    def can_edit(self, user: User, obj: Organisation) -> bool:
        return services.can_manage_organisation(user, obj)


class PersonListView(ObjectListView):
    """Contacts (signed-in users only)."""

    model = Person
    columns = tables.PERSON_COLUMNS
    search_fields = ("given_name", "family_name", "title", "organisation__name")
    filter_form = forms.PersonFilterForm
    select_related = ("organisation",)
    create_url_name = "directory:person_add"
    login_required = True

    def can_create(self, user: User | None) -> bool:
        return user is not None and user.can(Capability.CREATE_PERSON)


class PersonDetailView(ObjectDetailView):
    """A contact and the forums they sit in."""

    template_name = "directory/person_detail.html"
    login_required = True

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Person:
        return services.get_person_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Person) -> bool:
        return services.can_edit_person(user, obj)

    def extra_context(self, request: HttpRequest, obj: Person) -> dict[str, Any]:
        user = request.user if isinstance(request.user, User) else None
        return {
            "memberships": Membership.objects.visible_to(user)
            .filter(person=obj)
            .select_related("forum")
        }


class PersonEditView(ObjectEditView):
    """Add or edit a contact."""

    form_class = forms.PersonForm
    create_service = staticmethod(services.do_create_person)
    update_service = staticmethod(services.do_update_person)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Person | None:
        if "pk" not in kwargs:
            return None
        return services.get_person_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return user.can(Capability.CREATE_PERSON) and (
            user.is_platform_admin or user.organisation_id is not None
        )

    def can_edit(self, user: User, obj: Person) -> bool:
        return services.can_edit_person(user, obj)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        org = request.GET.get("organisation")
        return {"organisation": get_object_or_404(Organisation, pk=org)} if org else {}
