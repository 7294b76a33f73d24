"""Pages: the list and its filters, the detail, forms with their errors, the meeting section."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from resettle.accounts.models import User
from resettle.documents import services
from resettle.documents.models import Document, PresentedDataset
from resettle.documents.tests.world import upload
from resettle.documents.views_meeting import render_meeting_panel
from resettle.meetings.panels import render_panels


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_list_shows_only_visible_documents_and_filters(docs: SimpleNamespace) -> None:
    anonymous = Client().get(reverse("documents:document_list")).content.decode()
    assert "Agenda" in anonymous and "Participants&#x27; paper" not in anonymous
    assert "WGR paper" not in anonymous
    state = _client(docs.users["state"])
    members = state.get(reverse("documents:document_list") + "?access=members")
    assert {row[0] for row in members.context["rows"]} == {docs.members_doc, docs.wgr_doc}
    arabic = state.get(reverse("documents:document_list") + "?versions__language=ar")
    assert [row[0] for row in arabic.context["rows"]] == [docs.public_doc]
    by_meeting = state.get(
        reverse("documents:document_list") + f"?meeting={docs.meeting.pk}&kind=agenda"
    )
    assert [row[0] for row in by_meeting.context["rows"]] == [docs.public_doc]
    by_forum = state.get(reverse("documents:document_list") + f"?forum={docs.members_forum.pk}")
    assert [row[0] for row in by_forum.context["rows"]] == [docs.wgr_doc]


def test_list_offers_add_to_organisers_only(docs: SimpleNamespace) -> None:
    add = reverse("documents:document_add")
    assert (
        add in _client(docs.users["state"]).get(reverse("documents:document_list")).content.decode()
    )
    assert (
        add
        not in _client(docs.users["rsf"]).get(reverse("documents:document_list")).content.decode()
    )


def test_detail_shows_variants_history_and_upload_form(docs: SimpleNamespace) -> None:
    page = _client(docs.users["ngo"]).get(docs.public_doc.get_absolute_url()).content.decode()
    assert 'data-testid="versions-en"' in page and 'data-testid="versions-ar"' in page
    assert "العربيّة" in page and "agenda-v2.txt" in page
    assert 'data-testid="upload-form"' in page
    visitor = _client(docs.users["refugee"]).get(docs.public_doc.get_absolute_url())
    assert 'data-testid="upload-form"' not in visitor.content.decode()


def test_add_a_document_for_a_meeting(docs: SimpleNamespace) -> None:
    client = _client(docs.users["state"])
    url = reverse("documents:document_add") + f"?meeting={docs.meeting.pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["meeting"] == docs.meeting
    response = client.post(
        url,
        {
            "meeting": docs.meeting.pk,
            "title": "Summary of the consultations",
            "kind": "report",
            "access": "participants",
            "language": "fr",
            "file": upload("résumé.pdf", b"%PDF"),
        },
    )
    doc = Document.objects.get(title="Summary of the consultations")
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert (doc.forum, doc.cycle, doc.access) == (docs.public_forum, docs.cycle, "participants")
    assert doc.versions.get().original_name == "résumé.pdf"


def test_add_form_errors_name_the_field(docs: SimpleNamespace) -> None:
    client = _client(docs.users["state"])
    response = client.post(
        reverse("documents:document_add"),
        {
            "meeting": docs.meeting.pk,
            "title": "Bad",
            "kind": "report",
            "access": "public",
            "language": "zz",
            "file": upload("page.html", b"<script>"),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "language" in errors
    page = response.content.decode()
    assert 'data-field="language"' in page
    response = client.post(
        reverse("documents:document_add"),
        {
            "meeting": docs.meeting.pk,
            "title": "Bad",
            "kind": "report",
            "access": "public",
            "language": "en",
            "file": upload("page.html", b"<script>"),
        },
    )
    assert response.status_code == 400
    assert 'data-field="file"' in response.content.decode()
    assert not Document.objects.filter(title="Bad").exists()


def test_add_is_refused_to_those_who_do_not_organise(docs: SimpleNamespace) -> None:
    url = reverse("documents:document_add") + f"?meeting={docs.meeting.pk}"
    assert _client(docs.users["rsf"]).get(url).status_code == 403
    assert _client(None).get(url).status_code == 302


def test_upload_a_version_page(docs: SimpleNamespace) -> None:
    client = _client(docs.users["unhcr"])
    url = reverse("documents:version_upload", args=[docs.public_doc.pk])
    response = client.post(url, {"language": "ar", "file": upload("v2.txt", b"2")})
    assert response.status_code == 302
    assert docs.public_doc.current_version("ar").number == 2  # type: ignore[union-attr]
    bad = client.post(url, {"language": "ar"})
    assert bad.status_code == 400 and 'data-field="file"' in bad.content.decode()


def test_edit_and_delete_pages(
    docs: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(docs.users["state"])
    edit = reverse("documents:document_edit", args=[docs.public_doc.pk])
    response = client.post(
        edit, {"title": "Agenda (revised)", "kind": "agenda", "access": "public"}
    )
    assert response.status_code == 302
    docs.public_doc.refresh_from_db()
    assert docs.public_doc.title == "Agenda (revised)"
    wgr_edit = reverse("documents:document_edit", args=[docs.wgr_doc.pk])
    bad = _client(docs.users["ngo"]).post(
        wgr_edit, {"title": "WGR", "kind": "other", "access": "participants"}
    )
    assert "access" in bad.context["form"].errors
    delete = reverse("documents:document_delete", args=[docs.public_doc.pk])
    assert client.get(delete).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete)
    assert response.status_code == 302
    assert response["Location"] == docs.meeting.get_absolute_url()
    assert not Document.objects.filter(pk=docs.public_doc.pk).exists()


def _panel(user: Any, meeting: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user if user is not None else AnonymousUser()
    return str(render_meeting_panel(request, meeting))


def test_meeting_section_groups_by_kind_with_language_links(docs: SimpleNamespace) -> None:
    services.do_attach_dataset(docs.dataset, meeting=docs.meeting, actor=docs.users["admin"])
    services.do_attach_dataset(
        docs.private_dataset, meeting=docs.meeting, actor=docs.users["admin"]
    )
    html = _panel(None, docs.meeting)
    assert "Agenda" in html and "Participants&#x27; paper" not in html
    assert "العربيّة" in html and "English" in html
    ar = docs.public_doc.current_version("ar")
    assert ar.download_url().replace("&", "&amp;") in html  # type: ignore[union-attr]
    assert reverse("needs:gap") + f"?version={docs.dataset.pk}" in html
    assert f"?version={docs.private_dataset.pk}" not in html  # a private version, hidden
    assert "attach-dataset" not in html and reverse("documents:document_add") not in html
    organiser = _panel(docs.users["state"], docs.meeting)
    assert f"?version={docs.private_dataset.pk}" in organiser
    assert 'data-testid="attach-dataset"' in organiser
    assert reverse("documents:document_add") + f"?meeting={docs.meeting.pk}" in organiser
    participant = _panel(docs.users["rsf"], docs.meeting)
    assert "Participants&#x27; paper" in participant and "Members&#x27; paper" not in participant
    # Kinds in their order: the agenda before background papers.
    assert participant.index("Agenda") < participant.index("Participants&#x27; paper")


def test_meeting_section_is_registered_on_the_meeting_page(docs: SimpleNamespace) -> None:
    request = RequestFactory().get("/")
    request.user = docs.users["rsf"]
    assert any(
        'data-testid="meeting-documents"' in str(p) for p in render_panels(request, docs.meeting)
    )
    page = _client(docs.users["rsf"]).get(docs.meeting.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="meeting-documents"' in page.content.decode()


def test_attach_and_detach_from_the_meeting_page(docs: SimpleNamespace) -> None:
    client = _client(docs.users["ngo"])
    url = reverse("documents:attach_dataset", args=[docs.meeting.pk])
    response = client.post(url, {"dataset_version": docs.dataset.pk, "note": "PGRN"})
    assert response.status_code == 302
    presented = PresentedDataset.objects.get()
    again = client.post(url, {"dataset_version": docs.dataset.pk})
    assert again.status_code == 400 and 'data-field="dataset_version"' in again.content.decode()
    assert (
        _client(docs.users["rsf"]).post(url, {"dataset_version": docs.dataset.pk}).status_code
        == 403
    )
    detach = reverse("documents:detach_dataset", args=[presented.pk])
    assert client.post(detach).status_code == 302
    assert not PresentedDataset.objects.exists()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pages_render_in_arabic_and_french(docs: SimpleNamespace, language: str) -> None:
    client = _client(docs.users["state"])
    client.cookies["django_language"] = language
    for url in (
        reverse("documents:document_list"),
        docs.public_doc.get_absolute_url(),
        reverse("documents:document_add") + f"?meeting={docs.meeting.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_admin_lists_documents_versions_and_presented(docs: SimpleNamespace) -> None:
    client = _client(User.objects.create_superuser("root", "root@example.org", None))
    for model in ("document", "documentversion", "presenteddataset"):
        assert client.get(f"/admin/documents/{model}/").status_code == 200
    assert client.get(f"/admin/documents/document/{docs.public_doc.pk}/change/").status_code == 200
