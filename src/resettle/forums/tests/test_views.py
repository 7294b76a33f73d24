"""Forum pages: lists, details with members and history, edit forms, the rotation."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

from django.test import Client
from django.utils import translation

from resettle.core.models import AuditEntry
from resettle.forums import services
from resettle.forums.models import ConsultationCycle, Forum, Membership, MembershipRole


def _count(html: str) -> int:
    match = re.search(r'data-testid="count">(\d+) result', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def test_forum_list_filters_searches_and_hides_members_only(
    client: Client, world: SimpleNamespace
) -> None:
    html = client.get("/forums/").content.decode()
    assert _count(html) == 1 and "Working Group on Resettlement" not in html
    client.force_login(world.users["ngo"])
    assert _count(client.get("/forums/").content.decode()) == 2
    assert _count(client.get("/forums/?access=members").content.decode()) == 1
    assert _count(client.get("/forums/?kind=consultation").content.decode()) == 1
    assert _count(client.get("/forums/?q=working").content.decode()) == 1
    assert _count(client.get("/forums/?q=nothing-like-this").content.decode()) == 0


def test_forum_list_paginates(client: Client, db: None) -> None:
    Forum.objects.bulk_create(Forum(name=f"Group {i:02}", kind="network") for i in range(30))
    page2 = client.get("/forums/?q=group&page=2").content.decode()
    assert "Page 2 of 2" in page2 and "Group 29" in page2 and "Group 00" not in page2
    assert 'href="?q=group&amp;page=1"' in page2


def test_membership_list_filter_offers_visible_forums_only(
    client: Client, world: SimpleNamespace
) -> None:
    html = client.get("/forums/memberships/").content.decode()
    assert _count(html) == 3
    assert "Working Group on Resettlement" not in html  # not even in the filter's options
    client.force_login(world.users["state"])
    filtered = client.get(f"/forums/memberships/?forum={world.members_forum.pk}").content.decode()
    assert _count(filtered) == 2
    assert _count(client.get("/forums/memberships/?role=chair").content.decode()) == 1


def test_forum_detail_shows_members_mandates_and_history(
    client: Client, world: SimpleNamespace, today: datetime.date
) -> None:
    forum = world.public_forum
    Membership.objects.create(
        forum=forum,
        organisation=world.other_org,
        role=MembershipRole.OBSERVER,
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=100),
    )
    services.do_update_membership(
        world.public_membership,
        {"end_date": today + datetime.timedelta(days=20)},
        actor=world.users["state"],
    )
    services.do_update_forum(forum, {"description": "Annual"}, actor=world.users["unhcr"])
    client.force_login(world.users["state"])
    html = client.get(f"/forums/{forum.pk}/").content.decode()
    ending = html[html.index('data-testid="ending-soon"') :]
    assert "Caritas Germany" in ending[: ending.index("</div>")]
    assert "Past members" in html and "Canadian Council for Refugees" in html
    assert world.cycle.label in html
    assert 'data-testid="history"' in html
    assert f'href="/forums/{forum.pk}/edit/"' in html  # the chair may edit
    assert "Plan a cycle" in html


def test_membership_detail_shows_its_history(client: Client, world: SimpleNamespace) -> None:
    services.do_update_membership(
        world.public_membership, {"notes": "Rotating seat"}, actor=world.users["admin"]
    )
    client.force_login(world.users["ngo"])
    html = client.get(f"/forums/memberships/{world.public_membership.pk}/").content.decode()
    assert "Rotating seat" in html and 'data-testid="history"' in html and "admin" in html


def test_cycle_form_refuses_an_ngo_from_another_state_and_keeps_the_input(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["unhcr"])
    year = world.cycle.start_year + 1
    before = (ConsultationCycle.objects.count(), AuditEntry.objects.count())
    response = client.post(
        "/forums/cycles/add/",
        {
            "forum": world.public_forum.pk,
            "start_year": year,
            "end_year": year,
            "state": world.deu.pk,
            "government_cochair": world.state_org.pk,
            "ngo_cochair": world.other_org.pk,
            "theme": "Community sponsorship",
            "unhcr_support": "on",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = dict(re.findall(r'data-field="(\w+)">(.*?)</div></div>', html))
    assert list(errors) == ["ngo_cochair"]
    assert "Germany" in errors["ngo_cochair"] and "Canada" in errors["ngo_cochair"]
    assert 'value="Community sponsorship"' in html  # what the user typed is kept
    assert f'<option value="{world.other_org.pk}" selected>' in html
    assert (ConsultationCycle.objects.count(), AuditEntry.objects.count()) == before


def test_cycle_form_plans_a_cycle(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["unhcr"])
    year = world.cycle.start_year + 1
    response = client.post(
        "/forums/cycles/add/",
        {
            "forum": world.public_forum.pk,
            "start_year": year,
            "end_year": year + 1,
            "state": world.can.pk,
            "government_cochair": world.can_state_org.pk,
            "ngo_cochair": world.other_org.pk,
            "theme": "Pathways",
        },
    )
    cycle = ConsultationCycle.objects.get(start_year=year)
    assert response.status_code == 302 and response["Location"] == f"/forums/cycles/{cycle.pk}/"
    assert not cycle.unhcr_support  # an unticked box is False
    html = client.get(response["Location"]).content.decode()
    assert "Pathways" in html and 'data-testid="history"' in html


def test_cycle_add_prefills_the_forum(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    html = client.get(f"/forums/cycles/add/?forum={world.public_forum.pk}").content.decode()
    assert f'<option value="{world.public_forum.pk}" selected>' in html
    # Only consultations can hold cycles.
    assert "Working Group on Resettlement" not in html


def test_membership_form_errors_keep_input(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    before = Membership.objects.count()
    response = client.post(
        f"/forums/memberships/add/?forum={world.public_forum.pk}",
        {
            "forum": world.public_forum.pk,
            "organisation": world.other_org.pk,
            "person": world.person.pk,
            "role": "observer",
            "start_date": "2025-03-01",
            "end_date": "2025-01-01",
            "notes": "Typed notes",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="organisation"' in html or 'data-field="end_date"' in html
    assert "Typed notes" in html and 'value="2025-03-01"' in html
    assert Membership.objects.count() == before


def test_forum_edit_saves_and_shows_the_message(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    response = client.post(
        f"/forums/{world.public_forum.pk}/edit/",
        {
            "name": world.public_forum.name,
            "acronym": "CRCP",
            "kind": "consultation",
            "chairs": [world.state_org.pk, world.ngo_org.pk],
            "secretariat": [world.unhcr_org.pk],
            "access": "public",
            "working_languages": "en, fr",
            "description": "Annual",
        },
    )
    assert response.status_code == 302
    world.public_forum.refresh_from_db()
    assert world.public_forum.language_list() == ["en", "fr"]
    assert set(world.public_forum.chairs.all()) == {world.state_org, world.ngo_org}
    [entry] = AuditEntry.objects.for_object(world.public_forum)
    assert entry.after is not None and len(entry.after["chairs"]) == 2
    assert "Changes saved." in client.get(response["Location"]).content.decode()


def test_anonymous_edit_pages_go_to_login(client: Client, world: SimpleNamespace) -> None:
    for url in (
        "/forums/add/",
        f"/forums/{world.members_forum.pk}/edit/",
        "/forums/memberships/add/",
        f"/forums/memberships/{world.public_membership.pk}/edit/",
        "/forums/cycles/add/",
        f"/forums/cycles/{world.cycle.pk}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"/login/?next={url}"), url


def test_rotation_lists_cycles_with_status(
    client: Client, world: SimpleNamespace, today: datetime.date
) -> None:
    ConsultationCycle.objects.create(
        forum=world.public_forum,
        start_year=today.year - 3,
        end_year=today.year - 2,
        state=world.can,
        government_cochair=world.can_state_org,
        ngo_cochair=world.other_org,
    )
    html = client.get("/forums/cycles/rotation/").content.decode()
    table = html[html.index('data-testid="rotation"') :]
    assert table.index("Canada") < table.index("Germany")  # oldest first
    assert "Past" in table and "Current" in table
    assert "Working Group" not in html


def test_history_shows_dates_and_yes_or_no_in_the_readers_language(
    client: Client, world: SimpleNamespace
) -> None:
    """A change of a date or a yes/no field reads as the language writes it, not as stored."""
    services.do_update_membership(
        world.public_membership,
        {"end_date": datetime.date(2031, 5, 28)},
        actor=world.users["admin"],
    )
    entry = AuditEntry.objects.for_object(world.public_membership).latest("at")
    changes = {field: (old, new) for field, old, new in entry.readable_changes()}
    assert changes["mandate end"][1] == datetime.date(2031, 5, 28)
    client.force_login(world.users["ngo"])
    url = f"/forums/memberships/{world.public_membership.pk}/"
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    history = english[english.index('data-testid="history"') :]
    assert "2031-05-28" not in history and "May 28, 2031" in history
    french = client.get(url, headers={"Accept-Language": "fr"}).content.decode()
    assert "28 mai 2031" in french[french.index('data-testid="history"') :]

    cycle = world.cycle
    services.do_update_cycle(
        cycle, {"rag_consulted": not cycle.rag_consulted}, actor=world.users["admin"]
    )
    entry = AuditEntry.objects.for_object(cycle).latest("at")
    with translation.override("en"):  # the page requests above left French active
        changes = {field: (old, new) for field, old, new in entry.readable_changes()}
    assert changes["Refugee Advisory Group consulted"] in (("Yes", "No"), ("No", "Yes"))
