"""The pledge form: State officials record their own State's pledge, each change a version.

Against the real database of the run (SQLite, or PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.core.models import AuditAction, AuditEntry
from resettle.directory.models import Country, Organisation
from resettle.needs import gap_queries, pledges, services
from resettle.needs.models import DatasetVersion, PathwayPlaces, Pledge, PledgeBreakdown

pytestmark = pytest.mark.django_db

URL = "/needs/pledges/record/"


def form_data(**changes: Any) -> dict[str, Any]:
    """A complete pledge form for Germany, 2025."""
    data: dict[str, Any] = {
        "state": "DEU",
        "year": "2025",
        "end_year": "",
        "persons": "6500",
        "emergency_urgent_places": "650",
        "unallocated_places": "500",
        "modality": "interview",
        "status": "in_progress",
        "breakdown_1_kind": "nationality",
        "breakdown_1_value": "syr",
        "breakdown_1_persons": "3000",
        "breakdown_2_kind": "region",
        "breakdown_2_value": "middle east and north africa",
        "breakdown_2_persons": "4000",
        "pathway_labour": "200",
        "pathway_sponsorship": "50",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def counts() -> dict[str, int]:
    return {
        "versions": DatasetVersion.objects.count(),
        "pledges": Pledge.objects.count(),
        "breakdowns": PledgeBreakdown.objects.count(),
        "pathways": PathwayPlaces.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pledged_by_state(user: User, year: int, **sources: Any) -> dict[str, int]:
    view = gap_queries.gap_view(
        gap_queries.sources_for(user, **sources), year, gap_queries.Cut.STATE
    )
    return {row.key: row.figures.pledged for row in view.states}


@pytest.fixture
def can_official(can_state_org: Organisation) -> User:
    """An official of Canada's government."""
    return User.objects.create_user("ircc", role=Role.STATE, organisation=can_state_org)


def test_a_state_official_records_then_changes_their_pledge(state_user: User) -> None:
    client = client_for(state_user)
    assert client.get(URL).status_code == 200

    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:pledge_list") + "?state=DEU&year=2025"
    first = DatasetVersion.objects.get(series="pledges-DEU")
    assert first.number == 1 and first.created_by == state_user
    pledge = Pledge.objects.get(version=first)
    assert (pledge.persons, pledge.emergency_urgent_places, pledge.modality) == (
        6500,
        650,
        "interview",
    )
    assert {(b.kind, b.value): b.persons for b in pledge.breakdowns.all()} == {
        ("nationality", "SYR"): 3000,
        ("region", "Middle East and North Africa"): 4000,
    }
    assert {w.pathway: w.persons for w in pledge.pathways.all()} == {
        "labour": 200,
        "sponsorship": 50,
    }
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.LOAD and entry.actor == state_user
    before = pledged_by_state(state_user, 2025)

    # The form comes back filled with the current pledge.
    page = client.get(URL + "?state=DEU&year=2025").content.decode()
    assert 'value="6500"' in page and 'value="SYR"' in page

    response = client.post(URL, form_data(persons="7000"))
    assert response.status_code == 302
    second = DatasetVersion.objects.get(series="pledges-DEU", number=2)
    assert Pledge.objects.get(version=second).persons == 7000
    assert AuditEntry.objects.count() == 2
    after = pledged_by_state(state_user, 2025)
    assert (before["DEU"], after["DEU"]) == (6500, 7000)
    # Version 1 is untouched: the gap as of it still shows 6500.
    assert Pledge.objects.get(version=first).persons == 6500
    assert pledged_by_state(state_user, 2025, as_of=first)["DEU"] == 6500

    # The list shows the current pledge, with a link to change it.
    listing = client.get(reverse("needs:pledge_list") + "?state=DEU&year=2025")
    text = listing.content.decode()
    assert listing.status_code == 200 and "7,000" in text and "Record a pledge" in text


def test_a_pledge_for_another_year_keeps_the_states_other_pledges(state_user: User) -> None:
    deu = Country.objects.get(iso3="DEU")
    pledges.do_record_pledge(deu, {"year": 2025, "persons": 100}, actor=state_user)
    result = services.do_record_pledge(deu, {"year": 2026, "persons": 200}, actor=state_user)

    assert result.version.number == 2
    rows = Pledge.objects.filter(version=result.version).values_list("year", "persons")
    assert sorted(rows) == [(2025, 100), (2026, 200)]


def test_the_same_figures_make_no_new_version(state_user: User) -> None:
    deu = Country.objects.get(iso3="DEU")
    pledges.do_record_pledge(deu, {"year": 2025, "persons": 100}, actor=state_user)
    again = pledges.do_record_pledge(deu, {"year": 2025, "persons": 100}, actor=state_user)
    assert again.outcome == "unchanged" and DatasetVersion.objects.count() == 1


def test_another_states_official_is_refused(state_user: User, can_official: User) -> None:
    before = counts()
    response = client_for(can_official).post(URL, form_data())
    assert response.status_code == 403
    assert counts() == before
    with pytest.raises(PermissionDenied):
        pledges.do_record_pledge(
            Country.objects.get(iso3="DEU"), {"year": 2025, "persons": 1}, actor=can_official
        )
    assert counts() == before


def test_unhcr_records_any_states_pledge_and_others_may_not(
    unhcr_user: User, ngo_user: User
) -> None:
    assert client_for(unhcr_user).post(URL, form_data(state="CAN")).status_code == 302
    assert DatasetVersion.objects.filter(series="pledges-CAN").exists()
    assert client_for(ngo_user).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"persons": "-1"}, "persons"),
        ({"persons": "many"}, "persons"),
        ({"end_year": "2024"}, "end_year"),
        ({"emergency_urgent_places": "7000"}, "emergency_urgent_places"),
        ({"breakdown_1_value": "XYZ"}, "breakdown_1_value"),
        ({"breakdown_2_value": "Atlantis"}, "breakdown_2_value"),
        ({"breakdown_1_persons": "7000"}, "breakdown_1_persons"),
        ({"breakdown_3_kind": "asylum", "breakdown_3_value": "TUR"}, "breakdown_3_persons"),
        ({"breakdown_3_value": "TUR", "breakdown_3_persons": "5"}, "breakdown_3_kind"),
        ({"pathway_family": "-3"}, "pathway_family"),
    ],
)
def test_bad_input_names_the_field_keeps_the_values_and_writes_nothing(
    state_user: User, changes: dict[str, str], field: str
) -> None:
    before = counts()
    response = client_for(state_user).post(URL, form_data(**changes))

    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert f'id="id_{field}_error"' in page
    form = response.context["form"]
    assert field in form.errors
    for name, value in changes.items():  # typed values are kept
        assert form[name].value() == value, name
        shown = f'value="{value}" selected' if name.endswith("_kind") else f'value="{value}"'
        assert shown in page, name
    assert counts() == before


def test_the_service_names_the_fields() -> None:
    admin = User.objects.create_user("root", role=Role.ADMIN)
    deu = Country.objects.get(iso3="DEU")
    with pytest.raises(ValidationError) as caught:
        pledges.do_record_pledge(
            deu,
            {
                "year": 2025,
                "persons": 10,
                "breakdowns": [
                    {"kind": "nationality", "value": "SYR", "persons": 8},
                    {"kind": "nationality", "value": "AFG", "persons": 8},
                ],
                "pathways": {"labour": -1},
            },
            actor=admin,
        )
    assert set(caught.value.message_dict) == {"breakdown_1_persons", "pathway_labour"}
    assert not DatasetVersion.objects.exists()
