"""The documents API: reads by access level, multipart uploads, datasets presented."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.test import Client

from resettle.accounts.models import User
from resettle.documents.models import Document, PresentedDataset
from resettle.documents.tests.world import upload

BASE = "/api/v1/documents"
Bearer = Callable[[User | None], dict[str, str]]


def test_anonymous_reads_public_documents_only(docs: SimpleNamespace, client: Client) -> None:
    listed = client.get(BASE).json()
    assert [d["id"] for d in listed["items"]] == [docs.public_doc.pk]
    assert client.get(f"{BASE}/{docs.participants_doc.pk}").status_code == 404
    detail = client.get(f"{BASE}/{docs.public_doc.pk}").json()
    assert detail["kind"] == "agenda" and detail["meeting_id"] == docs.meeting.pk
    variants = {v["language"]: v for v in detail["variants"]}
    assert set(variants) == {"en", "ar"}
    assert variants["en"]["current"]["number"] == 2
    assert [v["number"] for v in variants["en"]["versions"]] == [2, 1]
    assert variants["ar"]["language_name"] == "العربيّة"
    url = variants["en"]["versions"][1]["download_url"]
    assert url.endswith("?lang=en&version=1")
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"Agenda (en)"  # type: ignore[attr-defined]


def test_a_participant_reads_participant_documents(
    docs: SimpleNamespace, client: Client, bearer: Bearer
) -> None:
    headers = bearer(docs.users["rsf"])
    ids = {d["id"] for d in client.get(f"{BASE}?limit=50", headers=headers).json()["items"]}
    assert ids == {docs.public_doc.pk, docs.participants_doc.pk}
    filtered = client.get(
        f"{BASE}?access=participants&meeting_id={docs.meeting.pk}", headers=headers
    )
    assert [d["id"] for d in filtered.json()["items"]] == [docs.participants_doc.pk]
    arabic = client.get(f"{BASE}?language=ar", headers=headers).json()
    assert [d["id"] for d in arabic["items"]] == [docs.public_doc.pk]


def test_create_a_document_with_multipart(
    docs: SimpleNamespace, client: Client, bearer: Bearer
) -> None:
    response = client.post(
        BASE,
        {
            "meeting_id": docs.meeting.pk,
            "title": "Statement of the co-chairs",
            "kind": "report",
            "access": "participants",
            "language": "ar",
            "note": "first",
            "file": upload("بيان.pdf", b"%PDF"),
        },
        headers=bearer(docs.users["ngo"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["forum_id"] == docs.public_forum.pk and body["access"] == "participants"
    assert body["variants"][0]["current"]["original_name"] == "بيان.pdf"
    assert body["variants"][0]["current"]["content_type"] == "application/pdf"


def test_create_refusals(docs: SimpleNamespace, client: Client, bearer: Bearer) -> None:
    fields = {"meeting_id": docs.meeting.pk, "title": "T", "kind": "report", "language": "en"}
    refused = client.post(BASE, {**fields, "file": upload()}, headers=bearer(docs.users["rsf"]))
    assert refused.status_code == 403
    bad = client.post(
        BASE, {**fields, "file": upload("x.exe")}, headers=bearer(docs.users["admin"])
    )
    assert bad.status_code == 422
    assert [e["loc"][-1] for e in bad.json()["detail"]] == ["file"]
    hidden = client.post(
        BASE,
        {"forum_id": docs.members_forum.pk, "title": "T", "kind": "other", "file": upload()},
        headers=bearer(docs.users["refugee"]),
    )
    assert hidden.status_code == 422
    assert [e["loc"][-1] for e in hidden.json()["detail"]] == ["forum_id"]
    assert client.post(BASE, {**fields, "file": upload()}).status_code == 401
    assert not Document.objects.filter(title="T").exists()


def test_upload_a_version(docs: SimpleNamespace, client: Client, bearer: Bearer) -> None:
    url = f"{BASE}/{docs.public_doc.pk}/versions"
    response = client.post(
        url, {"language": "fr", "file": upload("ordre.odt")}, headers=bearer(docs.users["state"])
    )
    assert response.status_code == 201, response.content
    assert (response.json()["language"], response.json()["number"]) == ("fr", 1)
    again = client.post(
        url, {"language": "en", "file": upload("a.txt")}, headers=bearer(docs.users["state"])
    )
    assert again.json()["number"] == 3
    refused = client.post(
        url, {"language": "en", "file": upload()}, headers=bearer(docs.users["refugee"])
    )
    assert refused.status_code == 403
    hidden = client.post(
        f"{BASE}/{docs.wgr_doc.pk}/versions",
        {"language": "en", "file": upload()},
        headers=bearer(docs.users["refugee"]),
    )
    assert hidden.status_code == 404


def _json(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return client.generic(
        method, path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_patch_and_delete(docs: SimpleNamespace, client: Client, bearer: Bearer) -> None:
    state = bearer(docs.users["state"])
    patched = _json(client, "PATCH", f"{BASE}/{docs.public_doc.pk}", {"access": "members"}, state)
    assert patched.status_code == 200 and patched.json()["access"] == "members"
    invalid = _json(
        client,
        "PATCH",
        f"{BASE}/{docs.wgr_doc.pk}",
        {"access": "participants"},
        bearer(docs.users["ngo"]),
    )
    assert invalid.status_code == 422
    assert (
        _json(
            client, "DELETE", f"{BASE}/{docs.public_doc.pk}", None, bearer(docs.users["refugee"])
        ).status_code
        == 403
    )
    assert _json(client, "DELETE", f"{BASE}/{docs.public_doc.pk}", None, state).status_code == 200
    assert not Document.objects.filter(pk=docs.public_doc.pk).exists()


def test_attach_a_dataset(docs: SimpleNamespace, client: Client, bearer: Bearer) -> None:
    body = {"meeting_id": docs.meeting.pk, "dataset_version_id": docs.dataset.pk, "note": "PGRN"}
    attached = _json(
        client, "POST", f"{BASE}/presented-datasets", body, bearer(docs.users["state"])
    )
    assert attached.status_code == 201
    assert attached.json()["gap_url"].endswith(f"?version={docs.dataset.pk}")
    again = _json(client, "POST", f"{BASE}/presented-datasets", body, bearer(docs.users["state"]))
    assert again.status_code == 422
    assert [e["loc"][-1] for e in again.json()["detail"]] == ["dataset_version_id"]
    refused = _json(client, "POST", f"{BASE}/presented-datasets", body, bearer(docs.users["rsf"]))
    assert refused.status_code == 403
    listed = client.get(f"{BASE}/presented-datasets?meeting_id={docs.meeting.pk}").json()
    assert [p["dataset_version_id"] for p in listed["items"]] == [docs.dataset.pk]
    pk = attached.json()["id"]
    assert (
        _json(
            client, "DELETE", f"{BASE}/presented-datasets/{pk}", None, bearer(docs.users["ngo"])
        ).status_code
        == 200
    )
    assert not PresentedDataset.objects.exists()
