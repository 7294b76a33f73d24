"""Home page, dashboards, the language switch, and the shared access helpers."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from resettle.accounts.roles import Capability
from resettle.core.access import get_visible, require, require_capability
from resettle.directory.models import StateProfile
from resettle.forums.models import Forum, Membership


def test_home_counts_what_the_visitor_may_see(client: Client, world: SimpleNamespace) -> None:
    html = client.get("/").content.decode()
    assert "Consultations on Resettlement and Complementary Pathways" in html
    assert "Working Group on Resettlement" not in html
    assert world.cycle.get_absolute_url() in html  # the latest cycle
    assert 'href="/login/"' in html


def test_dashboard_per_role(client: Client, world: SimpleNamespace, today: datetime.date) -> None:
    Membership.objects.filter(forum=world.members_forum, organisation=world.state_org).update(
        end_date=today + datetime.timedelta(days=10)
    )
    StateProfile.objects.create(country=world.deu, programme_stage="established")
    client.force_login(world.users["state"])
    html = client.get("/dashboard/").content.decode()
    assert "State official" in html
    assert "Cycles your organisation co-chairs" in html and str(world.cycle) in html
    assert 'data-testid="ending-soon"' in html
    assert 'id="profile-heading"' in html
    assert "Working Group on Resettlement" in html  # its own forums


def test_dashboard_of_the_ngo_cochair_lists_its_cycle(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["ngo"])
    html = client.get("/dashboard/").content.decode()
    assert "Cycles your organisation co-chairs" in html
    assert html.count(world.cycle.get_absolute_url()) == 1


def test_dashboard_of_a_member_of_nothing(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["other"])
    html = client.get("/dashboard/").content.decode()
    assert "Cycles your organisation co-chairs" not in html
    assert "Your organisation is not a member of any forum yet." in html


def test_dashboard_of_an_administrator_without_organisation(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["admin"])
    html = client.get("/dashboard/").content.decode()
    assert "Platform administrator" in html
    assert "Working Group on Resettlement" in html


def test_dashboard_ending_soon_hides_forums_the_user_cannot_see(
    client: Client, world: SimpleNamespace, today: datetime.date
) -> None:
    Membership.objects.filter(forum=world.members_forum, organisation=world.state_org).update(
        end_date=today + datetime.timedelta(days=10)
    )
    client.force_login(world.users["rsf"])
    html = client.get("/dashboard/").content.decode()
    assert 'data-testid="ending-soon"' not in html and "WGR" not in html
    client.force_login(world.users["unhcr"])
    html = client.get("/dashboard/").content.decode()
    assert 'data-testid="ending-soon"' in html and "WGR" in html


def test_arabic_switch_renders_right_to_left(client: Client, db: None) -> None:
    english = client.get("/").content.decode()
    assert 'dir="ltr"' in english and "bootstrap.min.css" in english
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/forums/"})
    assert response.status_code == 302 and response["Location"] == "/forums/"
    html = client.get("/forums/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html and "bootstrap.min.css" not in html
    client.post("/i18n/setlang/", {"language": "fr"})
    french = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in french


def test_language_switch_ignores_unsafe_next(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_unknown_pages_get_the_404_template(client: Client, db: None) -> None:
    response = client.get("/forums/999999/")
    assert response.status_code == 404


# ---- access helpers -------------------------------------------------------------------


def test_get_visible_is_404_for_hidden_absent_and_malformed(world: SimpleNamespace) -> None:
    assert get_visible(Forum, world.users["ngo"], pk=world.members_forum.pk)
    for pk in (world.members_forum.pk, 999999, "x"):
        with pytest.raises(Http404):
            get_visible(Forum, world.users["other"], pk=pk)


def test_require_capability(world: SimpleNamespace) -> None:
    assert require_capability(world.users["unhcr"], Capability.CREATE_FORUM)
    with pytest.raises(PermissionDenied):
        require_capability(world.users["ngo"], Capability.CREATE_FORUM)
    with pytest.raises(PermissionDenied):
        require_capability(None, Capability.CREATE_PERSON)
    inactive = world.users["admin"]
    inactive.is_active = False
    with pytest.raises(PermissionDenied):
        require_capability(inactive, Capability.CREATE_PERSON)
    require(True)
    with pytest.raises(PermissionDenied):
        require(False, "no")


def test_dashboard_lists_the_forums_an_organisation_runs_or_sits_in_now(
    client: Client, world: SimpleNamespace, today: datetime.date
) -> None:
    # UNHCR runs the secretariat of both forums without holding a membership.
    client.force_login(world.users["unhcr"])
    html = client.get("/dashboard/").content.decode()
    assert "Your organisation is not a member of any forum yet." not in html
    assert world.members_forum.get_absolute_url() in html
    # An ended mandate no longer makes the forum the organisation's.
    Membership.objects.filter(forum=world.public_forum, organisation=world.refugee_org).update(
        end_date=today - datetime.timedelta(days=1)
    )
    client.force_login(world.users["refugee"])
    html = client.get("/dashboard/").content.decode()
    assert "Your organisation is not a member of any forum yet." in html
