"""The library's API: search, an item, multipart upload."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.test import Client

from resettle.accounts.models import User
from resettle.library.models import LibraryItem
from resettle.library.tests.corpus import build_corpus, ids
from resettle.library.tests.test_extract import make_docx

pytestmark = pytest.mark.django_db


def test_search(client: Client, world: SimpleNamespace) -> None:
    corpus = build_corpus(world)
    body = client.get("/api/v1/library/search", {"q": "integration"}).json()
    assert [h["item"]["id"] for h in body["hits"]] == ids(
        corpus, "fr_integration", "fr_parrainage", "en_sponsorship"
    )
    assert body["total"] == 3
    assert body["hits"][0]["title_html"].startswith("L&#x27;<mark>intégration</mark>")
    kinds = {f["value"]: f["count"] for f in body["facets"]["kinds"]}
    assert kinds == {"practice_note": 2, "handbook": 1}
    filtered = client.get("/api/v1/library/search", {"q": "integration", "theme": "sponsorship"})
    assert [h["item"]["id"] for h in filtered.json()["hits"]] == ids(
        corpus, "fr_parrainage", "en_sponsorship"
    )


def test_item_detail_and_access(
    client: Client, world: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    corpus = build_corpus(world)
    assert client.get(f"/api/v1/library/items/{corpus.en_forum.pk}").status_code == 404
    body = client.get(
        f"/api/v1/library/items/{corpus.en_forum.pk}", headers=bearer(world.users["ngo"])
    ).json()
    assert body["forum_ids"] == [world.members_forum.pk]
    assert body["access"] == "forum_members" and body["has_file"] is False


def test_create_multipart(
    client: Client, world: SimpleNamespace, bearer: Callable[[User | None], dict[str, str]]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = bearer(world.users["state"])
    response = client.post(
        "/api/v1/library/items",
        {
            "title": "Selection mission guide",
            "kind": "handbook",
            "themes": "processing,remote_interviewing",
            "languages": "en,fr",
            "forum_ids": str(world.members_forum.pk),
            "access": "forum_members",
            "file": SimpleUploadedFile("guide.docx", make_docx(["Selection missions abroad"])),
        },
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["themes"] == ["processing", "remote_interviewing"]
    assert body["languages"] == ["en", "fr"] and body["original_name"] == "guide.docx"
    item = LibraryItem.objects.get(pk=body["id"])
    assert item.owner == world.state_org
    found = client.get("/api/v1/library/search", {"q": "missions"}, headers=headers).json()
    assert [h["item"]["id"] for h in found["hits"]] == [item.pk]
    assert client.get("/api/v1/library/search", {"q": "missions"}).json()["total"] == 0
    bad = client.post(
        "/api/v1/library/items",
        {"title": "Bad", "kind": "report", "file": SimpleUploadedFile("x.pdf", b"nope")},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "file"]
    hidden = client.post(
        "/api/v1/library/items",
        {"title": "T", "kind": "report", "body": "x", "forum_ids": "999999"},
        headers=headers,
    )
    assert hidden.status_code == 422
    assert hidden.json()["detail"][0]["loc"] == ["body", "forum_ids"]
