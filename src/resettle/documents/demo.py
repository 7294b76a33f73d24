"""Demo documents of the 2026 consultation (CRCP) and of the Steering Committee.

Every file is generated here as a short text or Markdown file that says it is
illustrative: none of these documents was published. Loading again creates
nothing: documents are found by forum, meeting and title, versions by
language and number, the presented dataset by meeting and dataset version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from resettle.core.audit import save_with_audit
from resettle.documents.models import Document, DocumentAccess, DocumentKind, PresentedDataset
from resettle.documents.services import add_version_unchecked, attach_dataset_unchecked
from resettle.forums.models import Forum
from resettle.meetings.models import Meeting, MeetingKind
from resettle.needs.models import DatasetKind, DatasetVersion, VersionStatus

STEERING_COMMITTEE = "Steering Committee of the Consultations"
ILLUSTRATIVE = "Illustrative demo document: not a published text."

# Text of each language, per version: what an illustrative file says.
_AGENDA = {
    "en": "# Agenda (illustrative)\n\n1. Opening by the co-chairs\n2. Projected Global "
    "Resettlement Needs 2026\n3. Refugee participation\n4. Complementary pathways\n"
    "5. Closing\n",
    "ar": "# جدول الأعمال (توضيحي)\n\n1. الافتتاح\n2. الاحتياجات العالمية المتوقعة لإعادة "
    "التوطين 2026\n3. مشاركة اللاجئين\n4. المسارات التكميلية\n5. الختام\n",
    "fr": "# Ordre du jour (illustratif)\n\n1. Ouverture par les coprésidents\n2. Besoins "
    "mondiaux projetés de réinstallation 2026\n3. Participation des réfugiés\n"
    "4. Voies complémentaires\n5. Clôture\n",
}


@dataclass(frozen=True)
class FileSpec:
    """One version of one language: its file name and text."""

    language: str
    number: int
    name: str
    text: str


@dataclass(frozen=True)
class DocSpec:
    """A demo document and its files, in the order they are uploaded."""

    title: str
    kind: str
    access: str
    files: tuple[FileSpec, ...]
    on_meeting: bool = True


def _text(body: str) -> str:
    return f"{body}\n\n---\n{ILLUSTRATIVE}\n"


MEETING_DOCUMENTS = (
    DocSpec(
        "Agenda of the 2026 consultations",
        DocumentKind.AGENDA,
        DocumentAccess.PUBLIC,
        tuple(
            FileSpec(lang, 1, f"agenda-2026-{lang}.md", _text(body))
            for lang, body in _AGENDA.items()
        ),
    ),
    DocSpec(
        "Concept note: partnerships for resettlement and complementary pathways",
        DocumentKind.CONCEPT_NOTE,
        DocumentAccess.PUBLIC,
        (
            FileSpec("en", 1, "concept-note-2026.md", _text("# Concept note (first draft)")),
            FileSpec("fr", 1, "note-conceptuelle-2026.md", _text("# Note conceptuelle")),
            FileSpec(
                "en",
                2,
                "concept-note-2026-rev1.md",
                _text("# Concept note (revised after the Steering Committee's comments)"),
            ),
        ),
    ),
    DocSpec(
        "Background paper: processing capacity in priority situations",
        DocumentKind.BACKGROUND_PAPER,
        DocumentAccess.PARTICIPANTS,
        (
            FileSpec(
                "en",
                1,
                "background-paper-2026.txt",
                _text("Background paper for participants of the 2026 consultations."),
            ),
        ),
    ),
)

STEERING_DOCUMENT = DocSpec(
    "Steering Committee paper: continuity between cycles",
    DocumentKind.BACKGROUND_PAPER,
    DocumentAccess.MEMBERS,
    (
        FileSpec(
            "en",
            1,
            "steering-continuity.md",
            _text("# Continuity between cycles\n\nOptions for the Steering Committee."),
        ),
    ),
    on_meeting=False,
)


def consultation_2026() -> Meeting | None:
    """The 2026 consultation meeting of the CRCP, if the meetings demo created it."""
    meetings = Meeting.objects.filter(forum__acronym="CRCP", starts_at__year=2026)
    return (
        meetings.filter(kind=MeetingKind.CONSULTATION).order_by("starts_at").first()
        or meetings.order_by("starts_at").first()
    )


def pgrn_2026() -> DatasetVersion | None:
    """The latest imported needs version holding 2026 figures (the demo's pgrn series)."""
    versions = DatasetVersion.objects.filter(
        kind=DatasetKind.NEEDS, status=VersionStatus.DONE, needs__year=2026
    ).distinct()
    return versions.filter(series="pgrn").order_by("-number").first() or (
        versions.order_by("-created_at").first()
    )


def _load(spec: DocSpec, forum: Forum, meeting: Meeting | None) -> int:
    created = 0
    document = Document.objects.filter(forum=forum, meeting=meeting, title=spec.title).first()
    if document is None:
        document = Document(forum=forum, meeting=meeting, title=spec.title)
        document = save_with_audit(
            document,
            {
                "cycle": meeting.cycle if meeting is not None else None,
                "kind": spec.kind,
                "access": spec.access,
            },
            actor=None,
        )
        created += 1
    for file in spec.files:
        if document.versions.filter(language=file.language, number=file.number).exists():
            continue
        upload = ContentFile(file.text.encode("utf-8"), name=file.name)
        add_version_unchecked(document, upload, file.language, actor=None, note=ILLUSTRATIVE)
        created += 1
    return created


@transaction.atomic
def load_documents_demo() -> int:
    """Create the demo documents and the PGRN presented in 2026; how many records."""
    created = 0
    meeting = consultation_2026()
    if meeting is not None:
        for spec in MEETING_DOCUMENTS:
            created += _load(spec, meeting.forum, meeting)
        version = pgrn_2026()
        if (
            version is not None
            and not PresentedDataset.objects.filter(
                meeting=meeting, dataset_version=version
            ).exists()
        ):
            attach_dataset_unchecked(
                version,
                meeting=meeting,
                note="The Projected Global Resettlement Needs 2026, presented in the opening "
                "session (illustrative link).",
                actor=None,
            )
            created += 1
    steering = Forum.objects.filter(name=STEERING_COMMITTEE).first()
    if steering is not None:
        created += _load(STEERING_DOCUMENT, steering, None)
    return created
