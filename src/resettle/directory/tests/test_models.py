"""The directory's models: countries, organisations and their parents, contacts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from resettle.directory.models import Country, Organisation, OrganisationKind, Person


def test_countries_are_loaded_with_three_names_and_unhcr_codes(db: None) -> None:
    assert Country.objects.count() >= 249
    deu = Country.objects.get(iso3="DEU")
    assert (deu.iso2, deu.numeric, deu.name_en, deu.name_fr) == (
        "DE",
        "276",
        "Germany",
        "Allemagne",
    )
    assert deu.name_ar == "ألمانيا"
    assert (deu.unhcr_code, deu.unhcr_region) == ("GFR", "Europe")
    # UNHCR's own codes differ from ISO: UNHCR's AUS is Austria.
    assert Country.objects.get(iso3="AUT").unhcr_code == "AUS"
    assert not Country.objects.filter(name_ar="").exists()
    assert not Country.objects.filter(name_fr="").exists()


def test_country_name_follows_the_active_language(deu: Country) -> None:
    with translation.override("ar"):
        assert str(deu) == "ألمانيا"
    with translation.override("fr"):
        assert deu.name == "Allemagne"
    with translation.override("en"):
        assert deu.name == "Germany"
    assert deu.get_absolute_url() == "/directory/countries/DEU/"


def test_country_code_must_be_three_capitals(db: None) -> None:
    country = Country(iso3="xk1", iso2="XK", name_en="K", name_ar="K", name_fr="K")
    with pytest.raises(ValidationError) as exc:
        country.full_clean()
    assert "iso3" in exc.value.message_dict


def _org(name: str, parent: Organisation | None = None) -> Organisation:
    return Organisation.objects.create(name=name, kind=OrganisationKind.NGO, parent=parent)


def test_organisation_cannot_be_its_own_parent(db: None) -> None:
    org = _org("Alone")
    org.parent = org
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "parent" in exc.value.message_dict


def test_organisation_parent_cycles_are_refused_at_any_depth(db: None) -> None:
    top = _org("Top")
    middle = _org("Middle", top)
    bottom = _org("Bottom", middle)
    bottom.full_clean()  # a plain chain is fine
    top.parent = middle
    with pytest.raises(ValidationError):
        top.full_clean()
    top.parent = bottom
    with pytest.raises(ValidationError) as exc:
        top.full_clean()
    assert exc.value.message_dict["parent"] == [
        "An organisation cannot be its own parent or ancestor."
    ]
    # A new organisation can sit anywhere in the tree.
    top.parent = None
    Organisation(name="New", kind=OrganisationKind.NGO, parent=bottom).full_clean()


def test_organisation_name_is_unique_within_a_country(deu: Country, can: Country) -> None:
    Organisation.objects.create(name="Red Cross", kind=OrganisationKind.NGO, country=deu)
    Organisation(name="Red Cross", kind=OrganisationKind.NGO, country=can).full_clean()
    with pytest.raises(ValidationError):
        Organisation(name="Red Cross", kind=OrganisationKind.NGO, country=deu).full_clean()


def test_organisation_and_person_strings(ngo_org: Organisation, person: Person) -> None:
    assert str(ngo_org) == "Caritas Germany (CG)"
    assert str(person) == "Anna Schmidt"
    assert person.language_list() == ["de", "en"]


@pytest.mark.parametrize(
    ("languages", "valid"),
    [
        ("en", True),
        ("en, ar,fr", True),
        ("", True),
        ("English", False),
        ("en;fr", False),
    ],
)
def test_person_languages_are_codes(ngo_org: Organisation, languages: str, valid: bool) -> None:
    person = Person(given_name="A", family_name="B", organisation=ngo_org, languages=languages)
    if valid:
        person.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            person.full_clean()
        assert "languages" in exc.value.message_dict


def test_contacts_are_for_signed_in_users_only(world: object) -> None:
    users = world.users  # type: ignore[attr-defined]
    assert not Person.objects.visible_to(None).exists()
    assert Person.objects.visible_to(users["other"]).count() == 1
    assert Organisation.objects.visible_to(None).count() == Organisation.objects.count()
