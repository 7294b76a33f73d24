"""Pages: registering, my registrations, organisers' list with htmx rows, attendance,
invitations, the invitation link, the meeting page's section, privacy, and .ics files."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from resettle.meetings.models import Meeting
from resettle.registrations import services
from resettle.registrations.models import Invitation, Registration, RegistrationStatus

from .conftest import make_meeting

S = RegistrationStatus
HTMX = {"HX-Request": "true"}


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_register_form_prefilled_and_submitted(
    client: Client, world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    url = reverse("registrations:register", args=[meeting.pk])
    signed_in(client, world.users["refugee"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="refugee@example.org"' in html
    assert '<option value="refugee" selected>' in html
    for code in ("en", "ar", "fr"):
        assert f'value="{code}"' in html
    response = client.post(
        url,
        {
            "name": "Amina Yusuf",
            "email": "refugee@example.org",
            "stakeholder_group": "refugee",
            "languages": ["ar", "en"],
            "accessibility_needs": "Arabic interpretation",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    r = Registration.objects.get()
    assert (r.name, r.languages, r.status) == ("Amina Yusuf", "ar, en", "pending")
    assert len(mailoutbox) == 1
    # Registered: the form now says so instead of offering itself again.
    again = client.get(url).content.decode()
    assert "You are already registered for this meeting" in again
    assert "register-form" not in again


def test_register_form_errors_name_the_field(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    signed_in(client, world.users["ngo"])
    url = reverse("registrations:register", args=[meeting.pk])
    response = client.post(url, {"name": "", "email": "nope", "stakeholder_group": "ngo"})
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("name", "email", "languages"):
        assert f'data-field="{field}"' in html
    assert not Registration.objects.exists()


def test_duplicate_registration_message_on_the_form(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    ngo = world.users["ngo"]
    services.do_register(meeting, {}, actor=ngo)
    signed_in(client, ngo)
    response = client.post(
        reverse("registrations:register", args=[meeting.pk]),
        {
            "name": "N",
            "email": "other-address@example.org",
            "stakeholder_group": "ngo",
            "languages": ["en"],
        },
    )
    assert response.status_code == 400
    assert "You are already registered for this meeting" in response.content.decode()
    assert Registration.objects.count() == 1


def test_closed_registration_shows_no_form(client: Client, world: SimpleNamespace) -> None:
    meeting = make_meeting(world.public_forum, registration_open=False)
    signed_in(client, world.users["ngo"])
    html = client.get(reverse("registrations:register", args=[meeting.pk])).content.decode()
    assert "only by invitation" in html and "register-form" not in html


def test_my_registrations_and_cancel(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    ngo = world.users["ngo"]
    r = services.do_register(meeting, {}, actor=ngo)
    services.do_register(meeting, {}, actor=world.users["refugee"])
    signed_in(client, ngo)
    html = client.get(reverse("registrations:mine")).content.decode()
    assert meeting.title in html and "Awaiting approval" in html
    assert html.count("data-registration=") == 1  # only one's own
    response = client.post(
        reverse("registrations:cancel", args=[r.pk]), {"next": reverse("registrations:mine")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("registrations:mine")
    r.refresh_from_db()
    assert r.status == S.CANCELLED


def test_another_participant_cannot_see_or_touch_a_registration(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    r = services.do_register(
        meeting, {"accessibility_needs": "Wheelchair"}, actor=world.users["ngo"]
    )
    signed_in(client, world.users["refugee"])
    assert client.get(reverse("registrations:registration_detail", args=[r.pk])).status_code == 404
    assert client.post(reverse("registrations:cancel", args=[r.pk])).status_code == 404
    r.refresh_from_db()
    assert r.status == S.PENDING
    # Organisers and the person see the personal data.
    for user in (world.users["state"], world.users["ngo"]):
        html = signed_in(Client(), user).get(
            reverse("registrations:registration_detail", args=[r.pk])
        )
        assert "Wheelchair" in html.content.decode()
    # The meeting page shows no one else's data to a participant.
    page = signed_in(Client(), world.users["refugee"]).get(meeting.get_absolute_url())
    assert "Wheelchair" not in page.content.decode()
    assert "ngo@example.org" not in page.content.decode()


def test_organisers_list_counts_and_htmx_rows(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    u = world.users
    a = services.do_register(meeting, {}, actor=u["ngo"])
    b = services.do_register(meeting, {}, actor=u["refugee"])
    services.do_register(meeting, {}, actor=u["rsf"])
    url = reverse("registrations:meeting_registrations", args=[meeting.pk])
    assert signed_in(Client(), u["ngo"]).get(url).status_code == 403
    signed_in(client, u["state"])
    html = client.get(url).content.decode()
    assert 'data-count="pending">Awaiting approval: 2' in html
    assert 'data-count="waitlisted">On the waiting list: 1' in html
    assert 'data-count="seats_left">Seats left: 0' in html

    row = client.post(reverse("registrations:approve", args=[a.pk]), {"row": "list"}, headers=HTMX)
    assert row.status_code == 200
    text = row.content.decode()
    assert text.startswith(f'<tr id="registration-{a.pk}"') and "Approved" in text
    assert 'hx-swap-oob="true"' in text and 'data-count="approved">Approved: 1' in text

    # Without JavaScript: a plain POST, then back to the list.
    plain = client.post(
        reverse("registrations:decline", args=[b.pk]), {"reason": "Full", "next": url}
    )
    assert plain.status_code == 302 and plain["Location"] == url
    b.refresh_from_db()
    assert (b.status, b.decline_reason) == ("declined", "Full")
    filtered = client.get(url + "?status=pending").content.decode()
    assert filtered.count("data-registration=") == 1  # rsf moved up from the waiting list

    error = client.post(reverse("registrations:approve", args=[a.pk]), headers=HTMX)
    assert "Only a registration awaiting approval" in error.content.decode()


def test_attendance_sheet_toggles(client: Client, world: SimpleNamespace, meeting: Meeting) -> None:
    r = services.do_register(meeting, {}, actor=world.users["refugee"])
    services.do_approve_registration(r, actor=world.users["unhcr"])
    signed_in(client, world.users["unhcr"])
    sheet = client.get(reverse("registrations:attendance", args=[meeting.pk])).content.decode()
    assert f'id="present-{r.pk}"' in sheet and "checked" not in sheet
    url = reverse("registrations:toggle_attendance", args=[r.pk])
    row = client.post(url, {"attended": "on", "row": "attendance"}, headers=HTMX).content.decode()
    assert row.startswith(f'<tr id="attendance-{r.pk}"') and " checked" in row
    r.refresh_from_db()
    assert r.attended
    client.post(url, {"row": "attendance"}, headers=HTMX)
    r.refresh_from_db()
    assert not r.attended


def test_invitation_form_names_the_bad_line(
    client: Client, world: SimpleNamespace, meeting: Meeting, mailoutbox: list[Any]
) -> None:
    signed_in(client, world.users["state"])
    url = reverse("registrations:invitations", args=[meeting.pk])
    response = client.post(
        url, {"emails": "ok@example.org\nnot-an-address\nx@example.org, X, martian"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 2: &quot;not-an-address&quot; is not a valid e-mail address." in html
    assert "Line 3: &quot;martian&quot; is not a stakeholder group" in html
    assert not Invitation.objects.exists() and not mailoutbox

    response = client.post(
        url, {"emails": "amina@example.org, Amina Yusuf, refugee\n\nguest@example.org"}
    )
    assert response.status_code == 302
    assert [(i.email, i.name, i.stakeholder_group) for i in Invitation.objects.order_by("pk")] == [
        ("amina@example.org", "Amina Yusuf", "refugee"),
        ("guest@example.org", "", ""),
    ]
    assert len(mailoutbox) == 2
    listing = client.get(url).content.decode()
    assert listing.count("Sent, not yet registered") == 2


def test_invitation_link_asks_to_sign_in_then_prefills(
    client: Client, world: SimpleNamespace, mailoutbox: list[Any]
) -> None:
    meeting = make_meeting(world.public_forum, registration_open=False)
    [invitation] = services.do_invite(
        meeting,
        [services.InviteeSpec("other@example.org", "Olu Adeyemi", "refugee")],
        actor=world.users["state"],
    )
    link = reverse("registrations:invitation", args=[invitation.token])
    anonymous = client.get(link)
    assert anonymous.status_code == 200
    assert "Sign in to register" in anonymous.content.decode()
    assert client.get(reverse("registrations:invitation", args=["nope"])).status_code == 404

    signed_in(client, world.users["other"])
    landing = client.get(link)
    form_url = (
        reverse("registrations:register", args=[meeting.pk]) + f"?invitation={invitation.token}"
    )
    assert landing.status_code == 302 and landing["Location"] == form_url
    form = client.get(form_url).content.decode()
    assert 'value="Olu Adeyemi"' in form and '<option value="refugee" selected>' in form
    response = client.post(
        form_url,
        {
            "invitation": invitation.token,
            "name": "Olu Adeyemi",
            "email": "other@example.org",
            "stakeholder_group": "refugee",
            "languages": ["en"],
        },
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.registration is not None
    assert invitation.registration.user == world.users["other"]


def test_meeting_page_section(client: Client, world: SimpleNamespace, meeting: Meeting) -> None:
    anonymous = client.get(meeting.get_absolute_url()).content.decode()
    assert "Sign in to register" in anonymous
    ngo_page = signed_in(Client(), world.users["ngo"])
    html = ngo_page.get(meeting.get_absolute_url()).content.decode()
    assert reverse("registrations:register", args=[meeting.pk]) in html
    organiser_link = 'href="{}"'.format(
        reverse("registrations:meeting_registrations", args=[meeting.pk])
    )
    assert organiser_link not in html
    services.do_register(meeting, {}, actor=world.users["ngo"])
    html = ngo_page.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="own-registration"' in html and "Awaiting approval" in html
    organiser = signed_in(Client(), world.users["state"]).get(meeting.get_absolute_url())
    text = organiser.content.decode()
    assert organiser_link in text
    assert reverse("registrations:attendance", args=[meeting.pk]) in text
    assert "1 seats left." in text


# ---- iCalendar ---------------------------------------------------------------------


def test_my_ics_is_valid_and_holds_approved_and_pending(
    client: Client, world: SimpleNamespace, meeting: Meeting
) -> None:
    ngo = world.users["ngo"]
    other = make_meeting(world.public_forum, title="Second meeting", capacity=None)
    cancelled = make_meeting(world.public_forum, title="Cancelled one", capacity=None)
    services.do_approve_registration(
        services.do_register(meeting, {}, actor=ngo), actor=world.users["state"]
    )
    services.do_register(other, {}, actor=ngo)
    services.do_cancel_registration(services.do_register(cancelled, {}, actor=ngo), actor=ngo)
    signed_in(client, ngo)
    response = client.get(reverse("registrations:mine_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["summary"]): str(e["status"]) for e in cal.walk("VEVENT")}
    assert events == {meeting.title: "CONFIRMED", "Second meeting": "TENTATIVE"}


def test_private_feed(client: Client, world: SimpleNamespace, meeting: Meeting) -> None:
    ngo = world.users["ngo"]
    services.do_register(meeting, {}, actor=ngo)
    signed_in(client, ngo)
    page = client.post(reverse("registrations:feed_reset"))
    assert page.status_code == 200
    html = page.content.decode()
    address = re.search(r'id="feed-url"[^>]*value="([^"]+)"', html)
    assert address is not None
    path = urlsplit(address.group(1)).path
    assert path.startswith("/registrations/feed/") and path.endswith(".ics")
    feed = Client().get(path)  # a calendar app: no session
    assert feed.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [
        meeting.title
    ]
    client.post(reverse("registrations:feed_reset"))
    assert Client().get(path).status_code == 404  # the old address stops working
    assert Client().get("/registrations/feed/unknown.ics").status_code == 404
