"""Erasure: after it, no table holds the family's names or dates of birth, the statistics
still add up, the audit trail is kept, and erasing again changes nothing."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from resettle.core.models import AuditEntry
from resettle.pipeline import queries
from resettle.pipeline.erasure import REDACTED, do_erase_subject, pseudonym
from resettle.pipeline.models import (
    CaseFile,
    FamilyMember,
    MedicalAssessment,
    PersonalDataAccess,
    StageEvent,
    SubjectRequest,
)
from resettle.pipeline.subjects import do_export_subject
from resettle.pipeline.tests.fixtures import BORN, NAME
from resettle.pipeline.tests.subject_world import (
    ARABIC,
    PLAIN_NOTE,
    make_subject_world,
    plaintext_hits,
    sealed_hits,
)

pytestmark = pytest.mark.django_db

REASON = "Request of the principal applicant, 5 January 2026"
EVERY_MODEL = list(apps.get_models(include_auto_created=True))


@pytest.fixture
def sw(world: SimpleNamespace) -> SimpleNamespace:
    return make_subject_world(world)


def _figures() -> tuple[object, ...]:
    """What the indicators, the gap's departures and the scheduler read."""
    files = CaseFile.objects.all()
    return (
        queries.compute_indicators(files),
        queries.departure_flows(),
        sorted((f.pk, f.stage, f.adults(), f.interviewees(), f.members.count()) for f in files),
        sorted((f.pk, tuple(sorted(f.stage_dates.items())), f.stage_since) for f in files),
        sorted(
            (m.pk, m.sex, m.relationship, tuple(m.languages), m.is_minor)
            for m in FamilyMember.objects.all()
        ),
    )


def test_before_erasure_names_are_sealed_and_the_scan_sees_them(sw: SimpleNamespace) -> None:
    """The controls: nothing in clear anywhere, yet the sealed columns hold it all."""
    assert plaintext_hits(EVERY_MODEL, sw.secrets) == {}
    # The plaintext scan does read the tables: the case reference is there in clear.
    assert "cases_resettlementcase" in plaintext_hits(EVERY_MODEL, ["P-DEU-1"])
    hits = sealed_hits(EVERY_MODEL, sw.secrets)
    for column in (
        "pipeline_familymember.name_sealed",
        "pipeline_familymember.date_of_birth_sealed",
        "pipeline_casefile.reason_sealed",
        "pipeline_stageevent.note_sealed",
        "pipeline_medicalassessment.findings_sealed",
        "pipeline_personaldataaccess.purpose_sealed",
    ):
        assert column in hits, column


def test_erasing_a_family_leaves_its_names_and_birth_dates_nowhere(sw: SimpleNamespace) -> None:
    do_export_subject(sw.case_deu, actor=sw.users["admin"])  # an export on the record too
    figures = _figures()
    entries = AuditEntry.objects.count()

    outcome = do_erase_subject(sw.case_deu, reason=REASON, actor=sw.users["admin"])

    assert outcome.counts == {
        "members": 3,
        "findings": 1,
        "notes": 2,
        "reasons": 1,
        "purposes": 1,
        "families": 1,
    }
    # Every text column of every table, and every encrypted column decrypted.
    assert plaintext_hits(EVERY_MODEL, sw.secrets) == {}
    assert sealed_hits(EVERY_MODEL, sw.secrets) == {}
    # The statistics add up as before.
    assert _figures() == figures
    members = list(FamilyMember.objects.filter(case_file=sw.file_deu))
    assert [m.name for m in members] == [pseudonym(m) for m in members]
    assert all(m.date_of_birth is None and m.erased_at for m in members)
    assert [m.medical_needs + m.accessibility_needs for m in members] == ["", "", ""]
    file = CaseFile.objects.get(pk=sw.file_deu.pk)
    assert file.erased_at is not None and file.reason == REDACTED
    assert {e.note for e in file.events.all()} == {"", REDACTED}
    assert MedicalAssessment.objects.get(pk=sw.assessment.pk).findings == ""
    assert MedicalAssessment.objects.get(pk=sw.assessment.pk).outcome == "medical_fit"
    # The other families are untouched.
    assert FamilyMember.objects.get(pk=sw.member_can.pk).name == "Farid Rahimi"
    # The trail is kept and grows: each change and the request, with its reason.
    assert AuditEntry.objects.count() > entries
    request = SubjectRequest.objects.get(kind="erasure")
    assert (request.reason, request.scope, request.actor) == (
        REASON,
        "personal",
        sw.users["admin"],
    )
    assert AuditEntry.objects.for_object(request).get().after["reason"] == REASON


def test_erasing_again_changes_and_writes_nothing(sw: SimpleNamespace) -> None:
    do_erase_subject(sw.case_deu, reason=REASON, actor=None, channel="cli")
    entries, requests = AuditEntry.objects.count(), SubjectRequest.objects.count()
    names = list(FamilyMember.objects.values_list("name_sealed", flat=True))

    again = do_erase_subject(sw.case_deu, reason=REASON, actor=None, channel="cli")

    assert again.changed == 0 and again.request is None
    assert (AuditEntry.objects.count(), SubjectRequest.objects.count()) == (entries, requests)
    assert list(FamilyMember.objects.values_list("name_sealed", flat=True)) == names


def test_erasing_one_member_keeps_the_rest_of_the_family(sw: SimpleNamespace) -> None:
    outcome = do_erase_subject(
        sw.case_deu, member=sw.member_deu, reason=REASON, actor=sw.users["admin"]
    )
    assert outcome.counts == {"members": 1, "findings": 1, "notes": 1, "reasons": 1, "purposes": 1}
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == "[erased #1]"
    assert FamilyMember.objects.get(pk=sw.child_deu.pk).name == "Yusuf Haddad"
    assert FamilyMember.objects.get(pk=sw.grandmother.pk).name == ARABIC
    notes = [e.note for e in StageEvent.objects.filter(case_file=sw.file_deu).order_by("pk")]
    assert PLAIN_NOTE in notes and REDACTED in notes  # only the note naming her
    assert PersonalDataAccess.objects.get(case_file=sw.file_deu).purpose == REDACTED
    secrets = [NAME, "Amal", BORN.isoformat(), BORN.strftime("%d/%m/%Y")]
    assert plaintext_hits(EVERY_MODEL, secrets) == {}
    assert sealed_hits(EVERY_MODEL, secrets) == {}
    assert CaseFile.objects.get(pk=sw.file_deu.pk).erased_at is None  # the family stays


def test_medical_scope_removes_only_medical_details(sw: SimpleNamespace) -> None:
    outcome = do_erase_subject(sw.case_deu, reason=REASON, scope="medical", actor=None)
    assert outcome.counts == {"members": 2, "findings": 1}
    member = FamilyMember.objects.get(pk=sw.member_deu.pk)
    assert (member.name, member.date_of_birth, member.medical_needs) == (NAME, BORN, "")
    assert FamilyMember.objects.get(pk=sw.grandmother.pk).accessibility_needs == ""


def test_a_reason_naming_the_person_is_refused_and_nothing_changes(sw: SimpleNamespace) -> None:
    entries = AuditEntry.objects.count()
    for reason in (f"{NAME} asked", f"born {BORN.isoformat()}", "  "):
        with pytest.raises(ValidationError) as caught:
            do_erase_subject(sw.case_deu, reason=reason, actor=sw.users["admin"])
        assert list(caught.value.message_dict) == ["reason"]
    assert AuditEntry.objects.count() == entries
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME


def test_only_administrators_erase(sw: SimpleNamespace) -> None:
    for role in ("rsf", "unhcr", "state"):
        with pytest.raises(PermissionDenied):
            do_erase_subject(sw.case_deu, reason=REASON, actor=sw.users[role])
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME


def test_a_failure_half_way_leaves_everything_as_it_was(sw: SimpleNamespace) -> None:
    """One transaction: findings sealed with a key no longer configured stop the erasure
    after the members were changed, and the members come back."""
    stranger = Fernet(Fernet.generate_key()).encrypt(b"unreadable").decode()
    MedicalAssessment.objects.filter(pk=sw.assessment.pk).update(findings_sealed=stranger)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValueError, match="unknown key"):
        do_erase_subject(sw.case_deu, reason=REASON, actor=sw.users["admin"])
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).date_of_birth == BORN
    assert AuditEntry.objects.count() == entries
    assert not SubjectRequest.objects.exists()


def test_a_case_without_case_file_or_a_stranger_member_is_refused(sw: SimpleNamespace) -> None:
    from resettle.cases.models import ResettlementCase

    bare = ResettlementCase.objects.create(
        reference="P-NONE",
        persons=1,
        nationality="SYR",
        asylum=sw.case_deu.asylum,
        category="LPN",
        priority="normal",
        submitted_on=sw.case_deu.submitted_on,
    )
    with pytest.raises(ValidationError) as caught:
        do_erase_subject(bare, reason=REASON, actor=None)
    assert "reference" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        do_erase_subject(sw.case_deu, member=sw.member_can, reason=REASON, actor=None)
    assert "member" in caught.value.message_dict


# ---- the command ------------------------------------------------------------------------


def test_the_command_erases_with_yes(sw: SimpleNamespace) -> None:
    out = io.StringIO()
    call_command(
        "subject-erase", "P-DEU-1", "--member", str(sw.child_deu.pk), "--reason", REASON,
        "--yes", stdout=out,
    )  # fmt: skip
    # Texts naming the family (Haddad) go too: over-redaction is the safe side.
    assert out.getvalue() == (
        "Erased: P-DEU-1 (personal): 1 findings, 1 members, 1 notes, 1 purposes, 1 reasons\n"
    )
    assert FamilyMember.objects.get(pk=sw.child_deu.pk).name == "[erased #2]"
    request = SubjectRequest.objects.get()
    assert request.channel == "cli" and request.actor_repr.startswith("cli:")
    again = io.StringIO()
    call_command("subject-erase", "P-DEU-1", "--member", str(sw.child_deu.pk),
                 "--reason", REASON, "--yes", stdout=again)  # fmt: skip
    assert "nothing left to erase" in again.getvalue()


def test_the_command_asks_for_the_reference(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("P-DEU-2\n"))
    with pytest.raises(CommandError, match="nothing was erased"):
        call_command("subject-erase", "P-DEU-1", "--reason", REASON, stdout=io.StringIO())
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME
    monkeypatch.setattr(sys, "stdin", io.StringIO("P-DEU-1\n"))
    call_command("subject-erase", "P-DEU-1", "--reason", REASON, stdout=io.StringIO())
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == "[erased #1]"


def test_the_command_names_the_field_in_error(sw: SimpleNamespace) -> None:
    with pytest.raises(CommandError, match="reference: No case with the reference NOPE"):
        call_command("subject-erase", "NOPE", "--reason", REASON, "--yes")
    for wrong in ("999999", "two"):
        with pytest.raises(CommandError, match="member: Case P-DEU-1 has no family member"):
            call_command("subject-erase", "P-DEU-1", "--member", wrong, "--reason", REASON)
    with pytest.raises(CommandError, match="reason: The reason must not name"):
        call_command("subject-erase", "P-DEU-1", "--reason", f"{NAME} asked", "--yes")
