"""Rules of documents: version numbers per language, files, rights, audit, datasets."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from resettle.core.models import AuditEntry
from resettle.documents import services
from resettle.documents.models import Document, DocumentVersion, PresentedDataset
from resettle.documents.tests.world import make_meeting, upload
from resettle.forums.models import ConsultationCycle


def _data(w: SimpleNamespace, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": w.meeting,
        "title": "Report of the consultations",
        "kind": "report",
        "access": "public",
        **extra,
    }


def test_versions_are_numbered_per_language(docs: SimpleNamespace) -> None:
    state = docs.users["state"]
    doc = services.do_create_document(_data(docs), upload("r.pdf"), "en", actor=state)
    assert doc.forum == docs.public_forum and doc.cycle == docs.cycle  # from the meeting
    assert doc.created_by == state
    v2 = services.do_upload_version(doc, upload("r2.pdf"), "en", actor=state)
    fr1 = services.do_upload_version(doc, upload("r-fr.pdf"), "fr", actor=state)
    v3 = services.do_upload_version(doc, upload("r3.pdf"), "EN", actor=state, note="final")
    assert (v2.language, v2.number) == ("en", 2)
    assert (fr1.language, fr1.number) == ("fr", 1)
    assert (v3.language, v3.number, v3.note) == ("en", 3, "final")
    assert doc.current_version("en") == v3
    variants = doc.variants()
    assert [(v.language, [x.number for x in v.versions]) for v in variants] == [
        ("en", [3, 2, 1]),
        ("fr", [1]),
    ]
    assert variants[1].language_name == "Français"


def test_a_version_records_its_file(docs: SimpleNamespace) -> None:
    content = b"%PDF-1.4 illustrative"
    doc = services.do_create_document(
        _data(docs), upload("Rapport final.PDF", content), "fr", actor=docs.users["admin"]
    )
    version = doc.versions.get()
    assert version.original_name == "Rapport final.PDF"
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.content_type == "application/pdf"  # ours, not the browser's claim
    assert version.uploaded_by == docs.users["admin"]
    assert version.file.name.startswith(f"documents/{doc.pk}/")
    assert version.file.name.endswith(".pdf") and "Rapport" not in version.file.name
    assert Path(version.file.path).read_bytes() == content


def test_creating_writes_an_audit_entry_for_the_document_and_its_file(
    docs: SimpleNamespace,
) -> None:
    before = AuditEntry.objects.count()
    services.do_create_document(_data(docs), upload(), "en", actor=docs.users["state"])
    assert AuditEntry.objects.count() == before + 2


@pytest.mark.parametrize(
    "name", ["page.html", "script.js", "archive.zip", "noextension", "image.svg", "a.exe"]
)
def test_refused_extensions_name_the_file_field(docs: SimpleNamespace, name: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_create_document(_data(docs), upload(name), "en", actor=docs.users["state"])
    assert "file" in exc.value.message_dict
    assert "Accepted" in exc.value.message_dict["file"][0]
    assert not Document.objects.filter(title="Report of the consultations").exists()


@pytest.mark.parametrize(
    "name", ["a.pdf", "a.docx", "a.xlsx", "a.pptx", "a.odt", "a.ods", "a.odp", "a.txt"]
)
def test_accepted_extensions(docs: SimpleNamespace, name: str) -> None:
    services.do_create_document(_data(docs), upload(name), "en", actor=docs.users["state"])


def test_size_limit_from_settings(docs: SimpleNamespace, settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 10
    doc = docs.public_doc
    with pytest.raises(ValidationError) as exc:
        services.do_upload_version(
            doc, upload("big.txt", b"x" * 11), "en", actor=docs.users["admin"]
        )
    assert "too large" in exc.value.message_dict["file"][0]
    services.do_upload_version(doc, upload("ok.txt", b"x" * 10), "en", actor=docs.users["admin"])


def test_empty_and_missing_files_are_refused(docs: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_upload_version(
            docs.public_doc, upload("e.txt", b""), "en", actor=docs.users["admin"]
        )
    assert "empty" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.do_upload_version(docs.public_doc, None, "en", actor=docs.users["admin"])
    assert "file" in exc.value.message_dict


@pytest.mark.parametrize("code", ["xx", "english", "", "e"])
def test_language_must_be_iso_639_1(docs: SimpleNamespace, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_upload_version(docs.public_doc, upload(), code, actor=docs.users["admin"])
    assert "language" in exc.value.message_dict


def test_other_iso_languages_are_accepted(docs: SimpleNamespace) -> None:
    version = services.do_upload_version(docs.public_doc, upload(), "de", actor=docs.users["admin"])
    assert version.language == "de"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("unhcr", True),
        ("state", True),  # chairs the forum
        ("ngo", True),  # co-chairs the meeting's cycle
        ("refugee", False),  # a member, not an organiser
        ("rsf", False),  # a participant, not an organiser
        ("other", False),
    ],
)
def test_who_uploads_to_a_meeting(docs: SimpleNamespace, role: str, allowed: bool) -> None:
    user = docs.users[role]
    assert services.can_manage_document(user, docs.public_doc) is allowed
    if allowed:
        services.do_upload_version(docs.public_doc, upload(), "en", actor=user)
    else:
        with pytest.raises(PermissionDenied):
            services.do_upload_version(docs.public_doc, upload(), "en", actor=user)
        with pytest.raises(PermissionDenied):
            services.do_create_document(_data(docs), upload(), "en", actor=user)
        with pytest.raises(PermissionDenied):
            services.do_delete_document(docs.public_doc, actor=user)
        with pytest.raises(PermissionDenied):
            services.do_update_document(docs.public_doc, {"title": "X"}, actor=user)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("unhcr", True), ("ngo", True), ("state", False), ("refugee", False)],
)
def test_who_uploads_a_forum_document(docs: SimpleNamespace, role: str, allowed: bool) -> None:
    """Without a meeting: those who run the forum (the working group's NGO co-chair)."""
    user = docs.users[role]
    data = {"forum": docs.members_forum, "title": "Terms", "kind": "other", "access": "members"}
    if allowed:
        services.do_create_document(data, upload(), "en", actor=user)
    else:
        with pytest.raises(PermissionDenied):
            services.do_create_document(data, upload(), "en", actor=user)


def test_place_rules(docs: SimpleNamespace) -> None:
    admin = docs.users["admin"]
    with pytest.raises(ValidationError) as exc:
        services.do_create_document(
            {"forum": docs.public_forum, "title": "P", "kind": "other", "access": "participants"},
            upload(),
            "en",
            actor=admin,
        )
    assert "access" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_create_document(
            _data(docs, forum=docs.members_forum), upload(), "en", actor=admin
        )
    assert "meeting" in exc.value.message_dict
    next_cycle = ConsultationCycle.objects.create(
        forum=docs.public_forum,
        start_year=docs.today.year + 1,
        end_year=docs.today.year + 1,
        state=docs.deu,
        government_cochair=docs.state_org,
        ngo_cochair=docs.ngo_org,
    )
    with pytest.raises(ValidationError) as exc:
        services.do_create_document(
            _data(docs, cycle=next_cycle, title="Elsewhere"), upload(), "en", actor=admin
        )
    assert "cycle" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.do_create_document({"title": "No forum"}, upload(), "en", actor=admin)
    assert "forum" in exc.value.message_dict


def test_update_changes_title_kind_and_access_only(docs: SimpleNamespace) -> None:
    doc = services.do_update_document(
        docs.public_doc,
        {"title": "Revised agenda", "access": "members", "forum": docs.members_forum},
        actor=docs.users["state"],
    )
    doc.refresh_from_db()
    assert (doc.title, doc.access, doc.forum) == ("Revised agenda", "members", docs.public_forum)


def test_delete_removes_versions_and_files_after_commit(
    docs: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    names = [v.file.name for v in docs.public_doc.versions.all()]
    assert all(default_storage.exists(n) for n in names)
    before = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_delete_document(docs.public_doc, actor=docs.users["ngo"])
    assert not Document.objects.filter(pk=docs.public_doc.pk).exists()
    assert not DocumentVersion.objects.filter(document_id=docs.public_doc.pk).exists()
    assert AuditEntry.objects.count() == before + 4  # three versions and the document
    assert not any(default_storage.exists(n) for n in names)


def test_attach_and_detach_a_dataset(docs: SimpleNamespace) -> None:
    state = docs.users["state"]
    presented = services.do_attach_dataset(docs.dataset, meeting=docs.meeting, actor=state)
    assert (
        presented.gap_url() == f"/needs/gap/?version={docs.dataset.pk}"
        or presented.gap_url().endswith(f"?version={docs.dataset.pk}")
    )
    with pytest.raises(ValidationError) as exc:
        services.do_attach_dataset(docs.dataset, meeting=docs.meeting, actor=state)
    assert "dataset_version" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.do_attach_dataset(
            docs.private_dataset, meeting=docs.meeting, actor=docs.users["rsf"]
        )
    with pytest.raises(PermissionDenied):
        services.do_detach_dataset(presented, actor=docs.users["refugee"])
    services.do_detach_dataset(presented, actor=state)
    assert not PresentedDataset.objects.exists()


def test_a_dataset_can_be_presented_in_a_cycle(docs: SimpleNamespace) -> None:
    presented = services.do_attach_dataset(docs.dataset, cycle=docs.cycle, actor=docs.users["ngo"])
    assert presented.cycle == docs.cycle
    with pytest.raises(ValidationError):
        services.do_attach_dataset(
            docs.dataset, meeting=docs.meeting, cycle=docs.cycle, actor=docs.users["admin"]
        )
    with pytest.raises(PermissionDenied):
        services.do_attach_dataset(docs.private_dataset, cycle=docs.cycle, actor=docs.users["rsf"])


def test_presented_datasets_follow_the_version_visibility(docs: SimpleNamespace) -> None:
    admin = docs.users["admin"]
    services.do_attach_dataset(docs.dataset, meeting=docs.meeting, actor=admin)
    services.do_attach_dataset(docs.private_dataset, meeting=docs.meeting, actor=admin)
    anonymous = PresentedDataset.objects.visible_to(None)
    assert [p.dataset_version for p in anonymous] == [docs.dataset]
    assert PresentedDataset.objects.visible_to(docs.users["other"]).count() == 2
    wgr = make_meeting(docs, forum=docs.members_forum, cycle=None)
    services.do_attach_dataset(docs.dataset, meeting=wgr, actor=admin)
    assert not PresentedDataset.objects.visible_to(docs.users["other"]).filter(meeting=wgr)
