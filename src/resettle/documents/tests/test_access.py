"""Who sees which document, and downloads: the access matrix per access level."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from resettle.documents.models import Document
from resettle.documents.services import create_document_unchecked
from resettle.documents.tests.world import register, upload
from resettle.forums.models import Membership
from resettle.registrations.models import RegistrationStatus

ROLES = ("anonymous", "admin", "unhcr", "state", "ngo", "refugee", "rsf", "other")
# Who sees each document of the world (see world.py).
SEES = {
    "public_doc": set(ROLES),
    # Organisers (admin, UNHCR, the chairing State, the co-chairing NGO) and the participant.
    "participants_doc": {"admin", "unhcr", "state", "ngo", "rsf"},
    # Members of the public consultation (State, NGO, refugee-led org), UNHCR, admin.
    "members_doc": {"admin", "unhcr", "state", "ngo", "refugee"},
    # Members of the members-only working group.
    "wgr_doc": {"admin", "unhcr", "state", "ngo"},
}


def _client(user: object) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_follows_the_access_level(docs: SimpleNamespace, role: str) -> None:
    user = docs.users[role]
    seen = set(Document.objects.visible_to(user).values_list("pk", flat=True))
    expected = {getattr(docs, name).pk for name, roles in SEES.items() if role in roles}
    assert seen == expected


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_download_are_404_for_what_one_may_not_see(
    docs: SimpleNamespace, role: str
) -> None:
    client = _client(docs.users[role])
    for name, roles in SEES.items():
        doc = getattr(docs, name)
        detail = client.get(reverse("documents:document_detail", args=[doc.pk]))
        download = client.get(reverse("documents:download", args=[doc.pk]) + "?lang=en")
        want = 200 if role in roles else 404
        assert (name, detail.status_code) == (name, want)
        assert (name, download.status_code) == (name, want)
        if want == 200:
            assert b"".join(download.streaming_content)  # type: ignore[attr-defined]


def test_a_participant_sees_participant_documents_a_visitor_does_not(
    docs: SimpleNamespace,
) -> None:
    url = reverse("documents:download", args=[docs.participants_doc.pk])
    participant = _client(docs.users["rsf"]).get(url)
    assert participant.status_code == 200
    assert b"".join(participant.streaming_content) == b"Participants' paper (en)"  # type: ignore[attr-defined]
    assert _client(docs.users["other"]).get(url).status_code == 404
    assert _client(None).get(url).status_code == 404


def test_a_pending_registration_is_not_participation(docs: SimpleNamespace) -> None:
    register(docs.meeting, docs.users["other"], status=RegistrationStatus.PENDING)
    assert not Document.objects.visible_to(docs.users["other"]).filter(pk=docs.participants_doc.pk)


def test_an_ended_mandate_closes_member_documents(docs: SimpleNamespace) -> None:
    refugee = docs.users["refugee"]
    assert Document.objects.visible_to(refugee).filter(pk=docs.members_doc.pk).exists()
    Membership.objects.filter(forum=docs.public_forum, organisation=docs.refugee_org).update(
        end_date=docs.today - datetime.timedelta(days=1)
    )
    assert not Document.objects.visible_to(refugee).filter(pk=docs.members_doc.pk).exists()


def test_a_public_document_of_a_members_only_forum_is_for_its_members(
    docs: SimpleNamespace,
) -> None:
    docs.wgr_doc.access = "public"
    docs.wgr_doc.save()
    assert not Document.objects.visible_to(None).filter(pk=docs.wgr_doc.pk).exists()
    assert not Document.objects.visible_to(docs.users["refugee"]).filter(pk=docs.wgr_doc.pk)
    assert Document.objects.visible_to(docs.users["state"]).filter(pk=docs.wgr_doc.pk).exists()


def test_download_picks_language_and_version(docs: SimpleNamespace) -> None:
    client = Client()
    url = reverse("documents:download", args=[docs.public_doc.pk])
    latest = client.get(url + "?lang=en")
    assert b"".join(latest.streaming_content) == b"v2"  # type: ignore[attr-defined]
    first = client.get(url + "?lang=en&version=1")
    assert b"".join(first.streaming_content) == b"Agenda (en)"  # type: ignore[attr-defined]
    arabic = client.get(url + "?lang=ar")
    assert b"".join(arabic.streaming_content) == "جدول".encode()  # type: ignore[attr-defined]
    assert client.get(url + "?lang=en&version=3").status_code == 404
    assert client.get(url + "?lang=fr").status_code == 404
    assert client.get(url + "?lang=en&version=x").status_code == 404
    # Without a language: the page's language if the document has it.
    client.cookies["django_language"] = "ar"
    assert b"".join(client.get(url).streaming_content) == "جدول".encode()  # type: ignore[attr-defined]


def test_download_headers(docs: SimpleNamespace) -> None:
    response = Client().get(
        reverse("documents:download", args=[docs.public_doc.pk]) + "?lang=ar&version=1"
    )
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # A non-ASCII name is given RFC 5987-encoded.
    assert f"filename*=utf-8''{quote('جدول الأعمال.txt')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    ascii_name = Client().get(
        reverse("documents:download", args=[docs.public_doc.pk]) + "?lang=en&version=2"
    )
    b"".join(ascii_name.streaming_content)  # type: ignore[attr-defined]
    assert ascii_name["Content-Disposition"] == 'attachment; filename="agenda-v2.txt"'


def test_files_are_not_linked_through_media_urls(docs: SimpleNamespace) -> None:
    version = docs.public_doc.versions.get(language="ar")
    assert version.file.name.startswith(f"documents/{docs.public_doc.pk}/")
    assert "جدول" not in version.file.name  # a random stored name, not the original
    page = Client().get(docs.public_doc.get_absolute_url()).content.decode()
    assert "/media/" not in page
    assert version.download_url() in page.replace("&amp;", "&")


def test_cycle_cochairs_see_the_cycle_documents_they_manage(docs: SimpleNamespace) -> None:
    # A members document of the cycle, without a meeting; the NGO co-chairs the cycle
    # and, once its membership is gone, sees the document as its co-chair only.
    doc = create_document_unchecked(
        {
            "forum": docs.public_forum,
            "cycle": docs.cycle,
            "title": "Cycle paper",
            "kind": "other",
            "access": "members",
        },
        upload(),
        "en",
        actor=None,
    )
    Membership.objects.filter(forum=docs.public_forum, organisation=docs.ngo_org).delete()
    assert Document.objects.visible_to(docs.users["ngo"]).filter(pk=doc.pk).exists()
    assert not Document.objects.visible_to(docs.users["rsf"]).filter(pk=doc.pk).exists()
