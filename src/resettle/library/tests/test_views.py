"""Pages of the library: search with facets, detail, upload with extraction, edit,
delete, checked downloads, Arabic (right to left)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from resettle.core.models import AuditEntry
from resettle.library.models import LibraryItem
from resettle.library.tests.corpus import build_corpus
from resettle.library.tests.test_extract import make_docx, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(world: SimpleNamespace) -> SimpleNamespace:
    return build_corpus(world)


def test_search_page_ranks_marks_and_counts(client: Client, corpus: SimpleNamespace) -> None:
    response = client.get("/library/", {"q": "réfugiés réinstallés"})
    assert response.status_code == 200
    page = response.content.decode()
    first = page.index(f'data-id="{corpus.fr_integration.pk}"')
    second = page.index(f'data-id="{corpus.fr_parrainage.pk}"')
    assert first < second
    assert "<mark>réfugiés</mark> <mark>réinstallés</mark>" in page
    assert 'data-facet="kinds"' in page and 'data-testid="total"' in page


def test_search_page_in_arabic_is_right_to_left(client: Client, corpus: SimpleNamespace) -> None:
    client.cookies["django_language"] = "ar"
    response = client.get("/library/", {"q": "إِعَادَةُ التَّوْطِينِ"}, HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "<mark>إعادة</mark> <mark>التوطين</mark>" in page  # the title, as written
    assert f'data-id="{corpus.ar_integration.pk}"' in page


def test_facet_links_filter(client: Client, corpus: SimpleNamespace) -> None:
    page = client.get("/library/", {"q": "integration", "kind": "handbook"}).content.decode()
    assert f'data-id="{corpus.en_sponsorship.pk}"' in page
    assert f'data-id="{corpus.fr_integration.pk}"' not in page
    assert client.get("/library/", {"year": "not a year"}).status_code == 400


def test_upload_each_file_type_extracts_and_indexes(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["ngo"])
    files = {
        "pdf": make_pdf("Pdfword guidance on resettlement"),
        "docx": make_docx(["Docxword guidance", "on integration"]),
        "html": b"<html><body><script>scriptword()</script><p>Htmlword guidance</p></body></html>",
    }
    for extension, content in files.items():
        response = client.post(
            "/library/add/",
            {
                "title": f"Guide ({extension})",
                "kind": "document",
                "access": "public",
                "text_language": "en",
                "file": SimpleUploadedFile(f"guide.{extension}", content),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        item = LibraryItem.objects.get(title=f"Guide ({extension})")
        assert item.owner == world.ngo_org and item.created_by == world.users["ngo"]
        word = f"{extension}word"
        assert word in item.extracted_text.lower()
        found = client.get("/library/", {"q": word}).content.decode()
        assert f'data-id="{item.pk}"' in found
        download = client.get(f"/library/{item.pk}/download/")
        assert download.status_code == 200
        assert download["Content-Disposition"] == f'attachment; filename="guide.{extension}"'
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == content
    assert "scriptword" not in LibraryItem.objects.get(title="Guide (html)").extracted_text


def test_upload_errors_name_the_field(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["state"])
    base = {"title": "T", "kind": "document", "access": "public", "text_language": "en"}
    cases = [
        ({"file": SimpleUploadedFile("a.txt", b"text")}, "file", "not accepted"),
        ({"file": SimpleUploadedFile("a.pdf", b"not a pdf")}, "file", "cannot be read as PDF"),
        ({}, "file", "Upload a file"),
        ({"body": "x", "access": "forum_members"}, "forums", "Choose the forums"),
    ]
    for extra, field, message in cases:
        response = client.post("/library/add/", {**base, **extra})
        assert response.status_code == 400
        page = response.content.decode()
        assert f'data-field="{field}"' in page and message in page
    assert not LibraryItem.objects.exists()


def test_edit_and_delete_by_the_owning_organisation(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.users["ngo"])
    client.post(
        "/library/add/",
        {
            "title": "Mentoring note",
            "kind": "practice_note",
            "access": "public",
            "text_language": "en",
            "body": "Mentors help newcomers.",
        },
    )
    item = LibraryItem.objects.get(title="Mentoring note")
    response = client.post(
        f"/library/{item.pk}/edit/",
        {
            "title": "Mentoring note",
            "kind": "practice_note",
            "access": "members",
            "text_language": "en",
            "body": "Volunteers help newcomers.",
        },
    )
    assert response.status_code == 302
    assert Client().get(f"/library/{item.pk}/").status_code == 404  # now members only
    assert client.get("/library/", {"q": "volunteers"}).content.decode().count("data-id=") == 1
    assert AuditEntry.objects.filter(object_id=str(item.pk)).count() == 2
    other = Client()
    other.force_login(world.users["state"])
    assert other.post(f"/library/{item.pk}/delete/").status_code == 403
    assert client.post(f"/library/{item.pk}/delete/").status_code == 302
    assert not LibraryItem.objects.filter(pk=item.pk).exists()


def test_detail_hides_members_only_forums(client: Client, corpus: SimpleNamespace) -> None:
    page = client.get(f"/library/{corpus.fr_integration.pk}/").content.decode()
    assert "Accompagner" in page
    assert client.get(f"/library/{corpus.en_members.pk}/").status_code == 404
    assert client.get(f"/library/{corpus.en_members.pk}/download/").status_code == 404


def test_visitor_cannot_add(client: Client, world: Any) -> None:
    response = client.get("/library/add/")
    assert response.status_code == 302 and "/login/" in response["Location"]
