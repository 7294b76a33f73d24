"""Meeting pages: list and filters, detail in the meeting's time zone, forms, agenda editor
(plain POST and htmx fragment), panels of other apps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.http import HttpRequest
from django.test import Client

from resettle.core.models import AuditEntry
from resettle.meetings import panels, services
from resettle.meetings.models import AgendaSession, Meeting, PlanningMember, SessionSpeaker

from .conftest import geneva

HTMX = {"HX-Request": "true"}


def _count(html: str) -> int:
    match = re.search(r'data-testid="count">(\d+) result', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def _agenda(html: str) -> list[str]:
    return re.findall(r'data-testid="session-title">([^<]*)<', html)


def _titles(meeting: Meeting) -> list[str]:
    return [s.title for s in services.ordered_sessions(meeting)]


# ---- list --------------------------------------------------------------------


def test_list_filters_and_hides_members_only_meetings(
    client: Client, world: SimpleNamespace, meeting: Meeting, hidden_meeting: Meeting
) -> None:
    Meeting.objects.create(
        forum=world.public_forum,
        title="ATCR 2018",
        kind="consultation",
        starts_at=geneva(2018, 6, 25, 9),
        ends_at=geneva(2018, 6, 27, 17),
        time_zone="Europe/Zurich",
        venue="Palais des Nations",
        reported_refugee_participants=4,
    )
    html = client.get("/meetings/").content.decode()
    assert _count(html) == 2 and "WGR online" not in html
    assert _count(client.get("/meetings/?year=2018").content.decode()) == 1
    assert _count(client.get(f"/meetings/?cycle={world.cycle.pk}").content.decode()) == 1
    assert _count(client.get("/meetings/?kind=wgr").content.decode()) == 0
    assert _count(client.get("/meetings/?when=past").content.decode()) >= 1
    assert _count(client.get("/meetings/?q=atcr").content.decode()) == 1
    # The forum's meetings, by query string (the forum page links here).
    members = f"/meetings/?forum={world.members_forum.pk}"
    client.force_login(world.users["ngo"])
    assert _count(client.get(members).content.decode()) == 1
    assert _count(client.get(f"/meetings/?forum={world.public_forum.pk}").content.decode()) == 2
    client.force_login(world.users["refugee"])
    assert 'href="/meetings/add/"' not in client.get("/meetings/").content.decode()
    client.force_login(world.users["unhcr"])
    assert 'href="/meetings/add/"' in client.get("/meetings/").content.decode()


def test_upcoming_and_past(client: Client, world: SimpleNamespace) -> None:
    year = world.today.year
    for title, y in (("Next", year + 1), ("Last", year - 1)):
        Meeting.objects.create(
            forum=world.public_forum,
            title=title,
            kind="wgr",
            starts_at=geneva(y, 3, 1, 9),
            ends_at=geneva(y, 3, 1, 12),
            venue="Geneva",
        )
    upcoming = client.get("/meetings/?when=upcoming").content.decode()
    assert "Next" in upcoming and "Last" not in upcoming
    past = client.get("/meetings/?when=past").content.decode()
    assert "Last" in past and ">Next<" not in past


# ---- detail ------------------------------------------------------------------


@pytest.fixture
def panel() -> Iterator[None]:
    """A section registered the way the registrations app registers its own."""

    def render(request: HttpRequest, meeting: Meeting) -> str:
        return f'<section data-testid="test-panel">Panel for {meeting.pk}</section>'

    panels.register("zz-test", render, order=999)
    yield
    panels._PANELS.pop("zz-test")


def test_detail_in_the_meetings_time_zone_with_agenda_and_committee(
    client: Client,
    world: SimpleNamespace,
    meeting: Meeting,
    sessions: list[AgendaSession],
    panel: None,
) -> None:
    SessionSpeaker.objects.create(
        session=sessions[0], name="Amani Yusuf", stakeholder_group="refugee"
    )
    SessionSpeaker.objects.create(
        session=sessions[0], person=world.person, stakeholder_group="ngo", role="moderator"
    )
    PlanningMember.objects.create(
        meeting=meeting, name="Esther Nyandeng", stakeholder_group="refugee"
    )
    PlanningMember.objects.create(meeting=meeting, name="Karl Neumann", stakeholder_group="state")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    # 09:00 in Geneva although the site's time zone is UTC, and the zone is named.
    when = re.search(r'data-testid="when">(.*?)<', html, re.S)
    assert when and "9 a.m." in when.group(1) and "(Europe/Zurich)" in when.group(1)
    assert "Hybrid" in html and "Palais des Nations" in html and "https://example.org/live" in html
    assert _agenda(html) == ["Opening", "Needs", "Pathways"]
    assert "Moderator:" in html and "Anna Schmidt" in html
    # One refugee speaker and one refugee committee member, each marked.
    assert html.count('data-testid="refugee"') == 2
    assert "Refugee representative" in html
    assert f"Panel for {meeting.pk}" in html
    assert f'href="/meetings/{meeting.pk}/agenda/"' not in html  # not an organiser


def test_detail_is_404_for_hidden_meetings(
    client: Client, world: SimpleNamespace, hidden_meeting: Meeting
) -> None:
    assert client.get(f"/meetings/{hidden_meeting.pk}/").status_code == 404
    client.force_login(world.users["refugee"])
    assert client.get(f"/meetings/{hidden_meeting.pk}/").status_code == 404
    client.force_login(world.users["ngo"])
    assert client.get(f"/meetings/{hidden_meeting.pk}/").status_code == 200


# ---- forms -------------------------------------------------------------------


def _meeting_post(world: SimpleNamespace, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "forum": world.public_forum.pk,
        "cycle": world.cycle.pk,
        "title": "CRCP special session",
        "kind": "consultation",
        "time_zone": "Asia/Amman",
        "starts_at": "2030-06-16T09:00",
        "ends_at": "2030-06-16T17:00",
        "format": "in_person",
        "venue": "Dead Sea",
        "working_languages": "en, ar",
        "requires_approval": "on",
    }
    data.update(changes)
    return data


def test_add_meeting_reads_times_in_its_zone(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    form = client.get(f"/meetings/add/?forum={world.public_forum.pk}").content.decode()
    # Only forums the user organises are offered.
    assert world.public_forum.name in form and ">Working Group on Resettlement<" not in form
    response = client.post("/meetings/add/", _meeting_post(world))
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="CRCP special session")
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.starts_at.isoformat() == "2030-06-16T06:00:00+00:00"  # 09:00 in Amman
    edit = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="2030-06-16T09:00"' in edit


def test_meeting_form_names_fields_in_error(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["unhcr"])
    response = client.post(
        "/meetings/add/",
        _meeting_post(world, forum=world.members_forum.pk, format="online", online_url=""),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="online_url"' in html and 'data-field="cycle"' in html
    assert not Meeting.objects.exists()


def test_meeting_form_is_refused_to_non_organisers(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    client.force_login(world.users["refugee"])
    assert client.get("/meetings/add/").status_code == 403
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 403
    assert client.post(f"/meetings/{meeting.pk}/edit/", _meeting_post(world)).status_code == 403


# ---- agenda editor -----------------------------------------------------------


def test_editor_without_javascript(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    client.force_login(world.users["unhcr"])
    editor = f"/meetings/{meeting.pk}/agenda/"
    assert client.get(editor).status_code == 200
    year = meeting.starts_at.year
    for title in ("Opening", "Closing"):
        response = client.post(
            f"{editor}sessions/add/",
            {"title": title, "starts_at": f"{year}-06-16T09:00", "room": "XX"},
        )
        assert response.status_code == 302 and response["Location"] == editor
    first, second = services.ordered_sessions(meeting)
    # Typed in Geneva time (summer: UTC+2).
    assert first.starts_at == geneva(year, 6, 16, 9)
    response = client.post(f"/meetings/sessions/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert _titles(meeting) == ["Closing", "Opening"]
    # The numbered order, as typed in the position boxes.
    client.post(f"{editor}reorder/", {f"position_{first.pk}": "1", f"position_{second.pk}": "2"})
    assert _titles(meeting) == ["Opening", "Closing"]
    assert _agenda(client.get(editor).content.decode()) == ["Opening", "Closing"]
    # A session outside the meeting's days: the page comes back with the error on the field.
    response = client.post(
        f"{editor}sessions/add/", {"title": "Later", "starts_at": f"{year}-07-01T09:00"}
    )
    assert response.status_code == 400
    assert 'data-field="starts_at"' in response.content.decode()


def test_editor_htmx_answers_with_the_fragment(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    client.force_login(world.users["state"])
    response = client.post(
        f"/meetings/sessions/{sessions[2].pk}/move/", {"direction": "up"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda-editor"') and "<html" not in html
    assert _agenda(html) == ["Opening", "Pathways", "Needs"]
    assert _titles(meeting) == ["Opening", "Pathways", "Needs"]
    # A form with errors comes back inside the fragment (htmx swaps 200 answers only).
    response = client.post(
        f"/meetings/sessions/{sessions[0].pk}/speakers/add/",
        {"role": "speaker", "stakeholder_group": "refugee"},
        headers=HTMX,
    )
    assert response.status_code == 200 and 'data-field="name"' in response.content.decode()
    response = client.post(
        f"/meetings/sessions/{sessions[0].pk}/speakers/add/",
        {"role": "speaker", "name": "Amani Yusuf", "stakeholder_group": "refugee"},
        headers=HTMX,
    )
    assert 'data-testid="refugee"' in response.content.decode()
    speaker = SessionSpeaker.objects.get()
    client.post(f"/meetings/speakers/{speaker.pk}/remove/", headers=HTMX)
    assert not SessionSpeaker.objects.exists()
    response = client.post(
        f"/meetings/{meeting.pk}/planning/add/",
        {"name": "Esther Nyandeng", "stakeholder_group": "refugee", "role": "RAG"},
        headers=HTMX,
    )
    assert "Esther Nyandeng" in response.content.decode()
    member = PlanningMember.objects.get()
    client.post(f"/meetings/planning/{member.pk}/remove/", headers=HTMX)
    client.post(f"/meetings/sessions/{sessions[1].pk}/delete/", headers=HTMX)
    assert not PlanningMember.objects.exists()
    assert _titles(meeting) == ["Opening", "Pathways"]
    response = client.post(f"/meetings/{meeting.pk}/agenda/reorder/", {"order": "1"}, headers=HTMX)
    assert response.status_code == 200 and 'data-field="order"' in response.content.decode()


def test_session_edit_page(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    client.force_login(world.users["ngo"])  # co-chair of the meeting's cycle
    url = f"/meetings/sessions/{sessions[0].pk}/edit/"
    page = client.get(url).content.decode()
    year = meeting.starts_at.year
    assert f'value="{year}-06-16T09:00"' in page
    response = client.post(
        url, {"title": "Welcome", "starts_at": f"{year}-06-16T09:30", "ends_at": ""}
    )
    assert response.status_code == 302
    session = AgendaSession.objects.get(pk=sessions[0].pk)
    assert session.title == "Welcome" and session.starts_at == geneva(year, 6, 16, 9, 30)
    assert AuditEntry.objects.filter(object_id=str(session.pk)).count() == 1


def test_editor_is_for_organisers_only(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    url = f"/meetings/{meeting.pk}/agenda/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.users["refugee"])
    assert client.get(url).status_code == 403
    response = client.post(f"/meetings/sessions/{sessions[0].pk}/move/", {"direction": "down"})
    assert response.status_code == 403
    assert _titles(meeting) == ["Opening", "Needs", "Pathways"]


def test_pages_render_right_to_left_in_arabic(
    client: Client, world: SimpleNamespace, meeting: Meeting, sessions: list[AgendaSession]
) -> None:
    client.cookies["django_language"] = "ar"
    client.force_login(world.users["unhcr"])
    for url in (
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/agenda/",
        "/meetings/",
        "/meetings/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'dir="rtl"' in response.content.decode(), url
