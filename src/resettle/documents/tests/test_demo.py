"""The demo documents: loaded on the demo forums and the 2026 consultation, once."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.urls import reverse

from resettle.demo.services import do_load_demo
from resettle.documents.demo import ILLUSTRATIVE, consultation_2026, load_documents_demo
from resettle.documents.models import Document, DocumentVersion, PresentedDataset
from resettle.forums.models import Forum
from resettle.meetings.models import Meeting, MeetingKind


def _meeting_2026() -> Meeting:
    """The 2026 consultation, from the meetings demo or made here when it has none."""
    meeting = consultation_2026()
    if meeting is not None:
        return meeting
    start = datetime.datetime(2026, 6, 16, 7, 0, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        forum=Forum.objects.get(acronym="CRCP"),
        title="Consultations on Resettlement and Complementary Pathways 2026",
        kind=MeetingKind.CONSULTATION,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2),
        venue="Geneva",
    )


def test_demo_documents_load_once(db: None, media: Path) -> None:
    do_load_demo()  # the base demo (and, once wired in, the apps' demos)
    meeting = _meeting_2026()
    # Start from no documents, whatever the base demo loaded.
    DocumentVersion.objects.all().delete()
    Document.objects.all().delete()
    PresentedDataset.objects.all().delete()
    created = load_documents_demo()
    # 4 documents; 3 + 3 + 1 + 1 versions; the PGRN presented.
    assert created == 4 + 8 + 1
    assert load_documents_demo() == 0
    agenda = Document.objects.get(meeting=meeting, kind="agenda")
    assert agenda.access == "public"
    assert [v.language for v in agenda.variants()] == ["en", "ar", "fr"]
    note = Document.objects.get(meeting=meeting, kind="concept_note")
    assert [(v.language, len(v.versions)) for v in note.variants()] == [("en", 2), ("fr", 1)]
    assert Document.objects.get(meeting=meeting, kind="background_paper").access == "participants"
    steering = Document.objects.get(forum__name="Steering Committee of the Consultations")
    assert (steering.access, steering.meeting) == ("members", None)
    for version in DocumentVersion.objects.all():
        assert ILLUSTRATIVE in version.file.read().decode()
        version.file.close()
    presented = PresentedDataset.objects.get(meeting=meeting)
    assert presented.dataset_version.kind == "needs"
    assert presented.dataset_version.needs.filter(year=2026).exists()
    assert presented.gap_url() == reverse("needs:gap") + f"?version={presented.dataset_version_id}"


def test_demo_skips_what_is_absent(db: None, media: Path) -> None:
    """Without the demo forums and the 2026 meeting, nothing is created."""
    assert load_documents_demo() == 0
    assert not Document.objects.exists()
