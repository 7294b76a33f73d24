"""Documents on top of the test world (conftest.py), shared by the app's tests and the
authorization matrix.

- `meeting`: a meeting of the public consultation in this year's cycle. Its
  organisers: admin, UNHCR (secretariat), the State (chair), the NGO (cycle
  co-chair). The RSF user has an approved registration: a participant.
- `public_doc` (en v1, v2 and ar v1), `participants_doc`, `members_doc` (the
  public consultation's members: State, NGO, refugee-led organisation) on the
  meeting; `wgr_doc`: a members document of the members-only working group
  (no meeting).
- `dataset` (public) and `private_dataset`: needs dataset versions.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from resettle.documents.models import Document, DocumentAccess, DocumentKind
from resettle.documents.services import add_version_unchecked, create_document_unchecked
from resettle.meetings.models import Meeting, MeetingKind, StakeholderGroup
from resettle.needs.models import DatasetKind, DatasetVersion, VersionStatus
from resettle.registrations.models import Registration, RegistrationStatus


def upload(name: str = "paper.txt", content: bytes = b"Illustrative text\n") -> SimpleUploadedFile:
    """A small file as a browser would send it."""
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_meeting(w: Any, *, forum: Any = None, cycle: Any = "default") -> Meeting:
    """A meeting of the public consultation (in this year's cycle)."""
    start = timezone.now() + datetime.timedelta(days=30)
    return Meeting.objects.create(
        forum=forum or w.public_forum,
        cycle=w.cycle if cycle == "default" else cycle,
        title="Annual consultations",
        kind=MeetingKind.CONSULTATION,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2),
        time_zone="UTC",
        venue="Palais des Nations, Geneva",
    )


def register(meeting: Meeting, user: Any, status: str = RegistrationStatus.APPROVED) -> None:
    """A registration of a user for a meeting."""
    Registration.objects.create(
        meeting=meeting,
        user=user,
        name=user.username,
        email=user.email,
        stakeholder_group=StakeholderGroup.OTHER,
        status=status,
    )


def make_document(
    forum: Any,
    meeting: Meeting | None,
    access: str,
    title: str,
    *,
    kind: str = DocumentKind.BACKGROUND_PAPER,
    language: str = "en",
    name: str = "paper.txt",
) -> Document:
    """A document with its first file, written without a rights check."""
    return create_document_unchecked(
        {"forum": forum, "meeting": meeting, "title": title, "kind": kind, "access": access},
        upload(name, f"{title} ({language})".encode()),
        language,
        actor=None,
    )


def make_dataset(*, public: bool = True, number: int = 1) -> DatasetVersion:
    """A completed needs dataset version."""
    return DatasetVersion.objects.create(
        kind=DatasetKind.NEEDS,
        series="pgrn" if public else "pgrn-private",
        number=number,
        source="Illustrative",
        checksum=f"{number}{public}",
        status=VersionStatus.DONE,
        is_public=public,
    )


def setup_documents(w: Any) -> SimpleNamespace:
    """Add the meeting, its participant, the documents and the datasets to the world."""
    w.meeting = make_meeting(w)
    register(w.meeting, w.users["rsf"])
    w.public_doc = make_document(
        w.public_forum, w.meeting, DocumentAccess.PUBLIC, "Agenda", kind=DocumentKind.AGENDA
    )
    add_version_unchecked(w.public_doc, upload("agenda-v2.txt", b"v2"), "en", actor=None)
    add_version_unchecked(
        w.public_doc, upload("جدول الأعمال.txt", "جدول".encode()), "ar", actor=None
    )
    w.participants_doc = make_document(
        w.public_forum, w.meeting, DocumentAccess.PARTICIPANTS, "Participants' paper"
    )
    w.members_doc = make_document(
        w.public_forum, w.meeting, DocumentAccess.MEMBERS, "Members' paper"
    )
    w.wgr_doc = make_document(w.members_forum, None, DocumentAccess.MEMBERS, "WGR paper")
    w.dataset = make_dataset()
    w.private_dataset = make_dataset(public=False, number=2)
    return w
