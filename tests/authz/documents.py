"""Documents: pages, downloads and API operations (see src/resettle/documents/tests/world.py).

The meeting belongs to the public consultation in this year's cycle; its
organisers are admin, UNHCR (secretariat), the State (chair) and the NGO
(cycle co-chair). The RSF user is a participant (approved registration); the
refugee-led organisation is a member of the consultation, not a participant.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from authz import EVERYONE, Case, Listed, W, api_pk, api_write, pk, roles, signed_in
from resettle.documents.services import attach_dataset_unchecked
from resettle.documents.tests.world import setup_documents

ORGANISERS = {"admin": 200, "unhcr": 200, "state": 200, "ngo": 200}
# Participants of the meeting: its organisers and the registered RSF user.
PARTICIPANTS = roles(404, rsf=200, **ORGANISERS)
# Members of the public consultation: the State, the NGO, the refugee-led organisation.
CONSULTATION_MEMBERS = roles(404, refugee=200, **ORGANISERS)
# Members of the members-only working group.
WGR_MEMBERS = roles(404, **ORGANISERS)
# Pages for organisers of the meeting; others who see the document get 403.
ORGANISE = signed_in(403, **ORGANISERS)
ORGANISE_POST = signed_in(403, admin=302, unhcr=302, state=302, ngo=302)
# The list shows each document to those who may see it.
LISTED = (
    Listed("public_doc", EVERYONE),
    Listed("participants_doc", PARTICIPANTS),
    Listed("members_doc", CONSULTATION_MEMBERS),
    Listed("wgr_doc", WGR_MEMBERS),
)


def _docs(w: W) -> None:
    setup_documents(w)


def _presented(w: W) -> None:
    setup_documents(w)
    w.presented = attach_dataset_unchecked(w.dataset, meeting=w.meeting, actor=None)


def _new_document(w: W, u: Any) -> dict[str, Any]:
    return {
        "meeting": w.meeting.pk,
        "title": "Report of the consultations",
        "kind": "report",
        "access": "participants",
        "language": "fr",
        "file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4"),
    }


def _new_version(w: W, u: Any) -> dict[str, Any]:
    return {"language": "ar", "file": SimpleUploadedFile("agenda-ar.txt", "جدول".encode())}


def _edit(w: W, u: Any) -> dict[str, Any]:
    return {"title": "Agenda (revised)", "kind": "agenda", "access": "public"}


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "documents:document_list": [
        Case("GET", EVERYONE, query="?kind=agenda", setup=_docs),
        Case("GET", EVERYONE, setup=_docs, lists=LISTED, label="scoped"),
    ],
    "documents:document_detail": [
        Case("GET", EVERYONE, args=pk("public_doc"), setup=_docs),
        Case("GET", PARTICIPANTS, args=pk("participants_doc"), setup=_docs, label="participants"),
        Case("GET", CONSULTATION_MEMBERS, args=pk("members_doc"), setup=_docs, label="members"),
        Case("GET", WGR_MEMBERS, args=pk("wgr_doc"), setup=_docs, label="members-only forum"),
    ],
    "documents:download": [
        Case("GET", EVERYONE, args=pk("public_doc"), query="?lang=ar", setup=_docs),
        # The issue: a participant sees participant-only documents, a visitor does not.
        Case(
            "GET",
            PARTICIPANTS,
            args=pk("participants_doc"),
            query="?lang=en&version=1",
            setup=_docs,
            label="participants",
        ),
        Case(
            "GET",
            CONSULTATION_MEMBERS,
            args=pk("members_doc"),
            setup=_docs,
            label="members",
        ),
        Case(
            "GET",
            roles(404),
            args=pk("public_doc"),
            query="?lang=en&version=9",
            setup=_docs,
            label="a version that does not exist",
        ),
    ],
    "documents:document_add": [
        Case("GET", ORGANISE, setup=_docs),
        Case("GET", ORGANISE, query="?meeting={meeting.pk}", setup=_docs, label="for a meeting"),
        # A document and its first file: two audit entries.
        Case("POST", ORGANISE_POST, data=_new_document, setup=_docs, writes=2),
    ],
    "documents:document_edit": [
        Case("GET", ORGANISE, args=pk("public_doc"), setup=_docs),
        Case("POST", ORGANISE_POST, args=pk("public_doc"), data=_edit, setup=_docs, writes=True),
    ],
    "documents:version_upload": [
        Case("GET", ORGANISE, args=pk("public_doc"), setup=_docs),
        Case(
            "POST",
            ORGANISE_POST,
            args=pk("public_doc"),
            data=_new_version,
            setup=_docs,
            writes=True,
        ),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, state=302, ngo=302, rsf=403),
            args=pk("participants_doc"),
            data=_new_version,
            setup=_docs,
            writes=True,
            label="participants",
        ),
    ],
    "documents:document_delete": [
        Case("GET", ORGANISE, args=pk("public_doc"), setup=_docs),
        # The document and its one version: two audit entries.
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, state=302, ngo=302, rsf=403),
            args=pk("participants_doc"),
            setup=_docs,
            writes=2,
        ),
    ],
    "documents:attach_dataset": [
        Case("GET", ORGANISE, args=pk("meeting"), setup=_docs),
        Case(
            "POST",
            ORGANISE_POST,
            args=pk("meeting"),
            data=lambda w, u: {"dataset_version": w.dataset.pk, "note": "PGRN"},
            setup=_docs,
            writes=True,
        ),
    ],
    "documents:detach_dataset": [
        Case("POST", ORGANISE_POST, args=pk("presented"), setup=_presented, writes=True),
    ],
    # ---- API ----
    ("GET", "/api/v1/documents"): [
        Case("GET", EVERYONE, query="?kind=agenda", setup=_docs),
        Case("GET", EVERYONE, setup=_docs, lists=LISTED, label="scoped"),
    ],
    ("GET", "/api/v1/documents/{pk}"): [
        Case("GET", EVERYONE, args=api_pk("public_doc"), setup=_docs),
        Case(
            "GET",
            PARTICIPANTS,
            args=api_pk("participants_doc"),
            setup=_docs,
            label="participants",
        ),
        Case("GET", WGR_MEMBERS, args=api_pk("wgr_doc"), setup=_docs, label="members-only"),
    ],
    # Uploads are multipart (see the app's test_api.py); a JSON body lacks the file.
    ("POST", "/api/v1/documents"): [
        Case(
            "POST",
            api_write(422),
            data=lambda w, u: {"meeting_id": w.meeting.pk, "title": "T", "kind": "report"},
            setup=_docs,
            label="JSON without a file",
        )
    ],
    ("POST", "/api/v1/documents/{pk}/versions"): [
        Case(
            "POST",
            api_write(422),
            args=api_pk("public_doc"),
            data=lambda w, u: {"language": "en"},
            setup=_docs,
            label="JSON without a file",
        )
    ],
    ("PATCH", "/api/v1/documents/{pk}"): [
        Case(
            "PATCH",
            api_write(403, **ORGANISERS),
            args=api_pk("public_doc"),
            data=lambda w, u: {"title": "Agenda (revised)"},
            setup=_docs,
            writes=True,
        ),
        Case(
            "PATCH",
            api_write(404, rsf=403, **ORGANISERS),
            args=api_pk("participants_doc"),
            data=lambda w, u: {"title": "Changed"},
            setup=_docs,
            writes=True,
            label="participants",
        ),
    ],
    ("DELETE", "/api/v1/documents/{pk}"): [
        Case(
            "DELETE",
            api_write(404, rsf=403, **ORGANISERS),
            args=api_pk("participants_doc"),
            setup=_docs,
            writes=2,
        )
    ],
    ("GET", "/api/v1/documents/presented-datasets"): [
        Case("GET", EVERYONE, query="?meeting_id={meeting.pk}", setup=_presented)
    ],
    ("POST", "/api/v1/documents/presented-datasets"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201, ngo=201),
            data=lambda w, u: {"meeting_id": w.meeting.pk, "dataset_version_id": w.dataset.pk},
            setup=_docs,
            writes=True,
        )
    ],
    ("DELETE", "/api/v1/documents/presented-datasets/{pk}"): [
        Case(
            "DELETE",
            api_write(403, **ORGANISERS),
            args=api_pk("presented"),
            setup=_presented,
            writes=True,
        )
    ],
}
