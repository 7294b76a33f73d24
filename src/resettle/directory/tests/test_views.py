"""Directory pages: lists that filter, search and paginate; details with history; forms."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.test import Client

from resettle.core.models import AuditEntry
from resettle.core.views_generic import PAGE_SIZE
from resettle.directory import services
from resettle.directory.models import Country, Organisation, Person, StateProfile


def _count(html: str) -> int:
    match = re.search(r'data-testid="count">(\d+) result', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def test_country_list_searches_filters_and_paginates(client: Client, db: None) -> None:
    total = Country.objects.count()
    first = client.get("/directory/countries/").content.decode()
    assert _count(first) == total
    pages = -(-total // PAGE_SIZE)
    assert f"Page 1 of {pages}" in first
    names = list(Country.objects.values_list("name_en", flat=True))
    assert names[0] in first and names[-1] not in first
    last = client.get(f"/directory/countries/?page={pages}").content.decode()
    assert names[-1] in last and names[0] not in last
    found = client.get("/directory/countries/?q=allemagne").content.decode()
    assert _count(found) == 1 and "Germany" in found
    europe = client.get("/directory/countries/?unhcr_region=Europe").content.decode()
    assert _count(europe) == Country.objects.filter(unhcr_region="Europe").count()
    # The filter is kept in the pagination links.
    assert "unhcr_region=Europe&amp;page=2" in europe


def test_country_list_filters_resettlement_states(client: Client, deu: Country) -> None:
    StateProfile.objects.create(country=deu, programme_stage="established")
    html = client.get(
        "/directory/countries/?state_profile__programme_stage=established"
    ).content.decode()
    assert _count(html) == 1 and "Germany" in html


def test_organisation_list_filters_and_paginates(client: Client, world: SimpleNamespace) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Local Group {i:02}", kind="ngo", country=world.can) for i in range(30)
    )
    total = Organisation.objects.count()
    page1 = client.get("/directory/organisations/").content.decode()
    assert _count(page1) == total
    rows = re.compile(r'href="/directory/organisations/\d+/"')
    assert len(rows.findall(page1)) == PAGE_SIZE
    page2 = client.get("/directory/organisations/?page=2").content.decode()
    assert len(rows.findall(page2)) == total - PAGE_SIZE
    assert "Page 2 of 2" in page2
    german_ngos = client.get("/directory/organisations/?kind=ngo&country=DEU").content.decode()
    assert _count(german_ngos) == 1 and "Caritas Germany" in german_ngos
    searched = client.get("/directory/organisations/?q=bamf").content.decode()
    assert _count(searched) == 1 and "Federal Office" in searched


def test_person_list_needs_login_and_filters(client: Client, world: SimpleNamespace) -> None:
    response = client.get("/directory/people/?q=schmidt")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/directory/people/%3Fq%3Dschmidt"
    client.force_login(world.users["rsf"])
    Person.objects.create(
        given_name="Li",
        family_name="Wei",
        organisation=world.other_org,
        is_refugee_representative=True,
    )
    assert _count(client.get("/directory/people/").content.decode()) == 2
    assert _count(client.get("/directory/people/?q=schmidt").content.decode()) == 1
    reps = client.get("/directory/people/?is_refugee_representative=on").content.decode()
    assert _count(reps) == 1 and "Li Wei" in reps
    by_org = client.get(f"/directory/people/?organisation={world.ngo_org.pk}").content.decode()
    assert _count(by_org) == 1 and "Anna Schmidt" in by_org


def test_organisation_detail_shows_history_to_signed_in_users(
    client: Client, world: SimpleNamespace
) -> None:
    services.do_update_organisation(world.ngo_org, {"acronym": "CARITAS"}, actor=world.users["ngo"])
    url = f"/directory/organisations/{world.ngo_org.pk}/"
    public = client.get(url).content.decode()
    assert "Caritas Germany" in public
    assert 'data-testid="history"' not in public  # history names people: not for anonymous
    assert "Anna Schmidt" not in public  # nor are contacts
    client.force_login(world.users["other"])
    html = client.get(url).content.decode()
    assert 'data-testid="history"' in html
    assert "<del>CG</del> → CARITAS" in html
    assert "Anna Schmidt" in html
    assert "Edit" not in re.sub(r"<title>.*?</title>", "", html)  # not theirs to edit


def test_organisation_detail_lists_memberships_of_visible_forums_only(
    client: Client, world: SimpleNamespace
) -> None:
    url = f"/directory/organisations/{world.ngo_org.pk}/"
    assert "Working Group on Resettlement" not in client.get(url).content.decode()
    client.force_login(world.users["ngo"])
    assert "Working Group on Resettlement" in client.get(url).content.decode()


def test_person_detail_shows_memberships_and_history(
    client: Client, world: SimpleNamespace
) -> None:
    services.do_update_person(world.person, {"title": "Director"}, actor=world.users["ngo"])
    client.force_login(world.users["ngo"])
    html = client.get(f"/directory/people/{world.person.pk}/").content.decode()
    assert "Director" in html and 'data-testid="history"' in html
    assert f'href="/directory/people/{world.person.pk}/edit/"' in html


def test_create_organisation_through_the_form(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["refugee"])
    response = client.post(
        "/directory/organisations/add/",
        {"name": "Refugee Council", "kind": "refugee_led", "country": world.deu.pk},
    )
    org = Organisation.objects.get(name="Refugee Council")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert org.maintained_by == world.refugee_org
    assert AuditEntry.objects.for_object(org).get().actor == world.users["refugee"]
    page = client.get(response["Location"]).content.decode()
    assert "Saved." in page


def test_organisation_form_shows_errors_and_keeps_input(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["ngo"])
    before = Organisation.objects.count()
    response = client.post(
        "/directory/organisations/add/",
        {
            "name": "Caritas Germany",
            "kind": "ngo",
            "country": world.deu.pk,
            "website": "not a url",
            "description": "Typed by hand",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="website"' in html
    assert "Typed by hand" in html
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_organisation_edit_refuses_a_parent_cycle_on_the_parent_field(
    client: Client, world: SimpleNamespace
) -> None:
    child = Organisation.objects.create(name="Caritas Berlin", kind="ngo", parent=world.ngo_org)
    client.force_login(world.users["ngo"])
    response = client.post(
        f"/directory/organisations/{world.ngo_org.pk}/edit/",
        {
            "name": "Caritas Germany",
            "acronym": "CG",
            "kind": "ngo",
            "country": world.deu.pk,
            "parent": child.pk,
        },
    )
    assert response.status_code == 400
    assert 'data-field="parent"' in response.content.decode()
    world.ngo_org.refresh_from_db()
    assert world.ngo_org.parent is None


def test_person_form_offers_only_organisations_one_manages(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["ngo"])
    form = client.get(f"/directory/people/add/?organisation={world.ngo_org.pk}").content.decode()
    assert f'<option value="{world.ngo_org.pk}" selected>' in form
    assert "Canadian Council for Refugees" not in form
    response = client.post(
        "/directory/people/add/",
        {"given_name": "Omar", "family_name": "Haddad", "organisation": world.other_org.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="organisation"' in html and 'value="Omar"' in html
    assert not Person.objects.filter(family_name="Haddad").exists()


def test_state_profile_form(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    response = client.post(
        "/directory/countries/DEU/profile/",
        {"programme_stage": "established", "first_resettlement_year": "1800"},
    )
    assert response.status_code == 400
    assert 'data-field="first_resettlement_year"' in response.content.decode()
    response = client.post(
        "/directory/countries/DEU/profile/",
        {"programme_stage": "established", "first_resettlement_year": "2012"},
    )
    assert response.status_code == 302 and response["Location"] == "/directory/countries/DEU/"
    html = client.get("/directory/countries/DEU/").content.decode()
    assert 'data-testid="state-profile"' in html and "2012" in html


def test_anonymous_edit_pages_go_to_login(client: Client, world: SimpleNamespace) -> None:
    for url in (
        f"/directory/organisations/{world.ngo_org.pk}/edit/",
        "/directory/organisations/add/",
        f"/directory/people/{world.person.pk}/edit/",
        "/directory/countries/DEU/profile/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/login/?next={url}")
        assert client.post(url, {"name": "x"}).status_code == 302
    assert not AuditEntry.objects.exists()
