"""Subject access: everything held about a family in one UTF-8 JSON file, audited without
the data; the admin actions need an administrator and a fresh login."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client

from resettle.accounts.models import User
from resettle.core.models import AuditEntry
from resettle.pipeline import reauth
from resettle.pipeline.erasure import do_erase_subject
from resettle.pipeline.models import FamilyMember, PersonalDataAccess, SubjectRequest
from resettle.pipeline.subjects import do_export_subject, export_json
from resettle.pipeline.tests.fixtures import BORN, MEDICAL, NAME
from resettle.pipeline.tests.subject_world import (
    ARABIC,
    make_subject_world,
    plaintext_hits,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world: SimpleNamespace) -> SimpleNamespace:
    return make_subject_world(world)


def test_the_export_holds_everything_about_the_family(sw: SimpleNamespace) -> None:
    data = do_export_subject(sw.case_deu, actor=sw.users["admin"])
    assert data["format"] == "resettle-subject-export/1"
    assert data["subject"] == {"case": "P-DEU-1", "member": None}
    assert data["case"]["reference"] == "P-DEU-1" and data["case"]["referred_to"] == "DEU"
    members = {m["position"]: m for m in data["family_members"]}
    assert members[1]["name"] == NAME and members[1]["date_of_birth"] == BORN.isoformat()
    assert members[1]["medical_needs"] == MEDICAL
    assert members[3]["name"] == ARABIC and members[3]["accessibility_needs"] == "wheelchair"
    assert data["case_file"]["stage"] == "on_hold"
    assert NAME in data["case_file"]["hold_or_withdrawal_reason"]
    assert [s["stage"] for s in data["stages"]][-3:] == ["accepted", "medical_fit", "on_hold"]
    assert data["medical_assessments"][0]["findings"].endswith(MEDICAL)
    assert {(o["member"], o["present"]) for o in data["orientation"]} == {(1, True), (2, True)}
    assert [m["mission"] for m in data["rsf_missions"]] == ["Board mission of Germany"]
    assert data["sharing_with_states"][0]["purpose"] == "resettlement"
    assert data["personal_data_reads"][0]["purpose"] == f"phone call with {NAME}"
    assert data["registrations"] == []
    # The audit trail about them: who changed what, when, by field name only.
    records = {e["record"] for e in data["audit_entries"]}
    assert {"pipeline.familymember", "pipeline.stageevent", "cases.sharerecord"} <= records
    created = next(
        e
        for e in data["audit_entries"]
        if e["record"] == "pipeline.familymember" and e["record_id"] == str(sw.member_deu.pk)
    )
    assert created["action"] == "create" and "name_sealed" in created["fields"]


def test_one_members_export_leaves_the_others_out(sw: SimpleNamespace) -> None:
    data = do_export_subject(sw.case_deu, member=sw.child_deu, actor=None, channel="cli")
    assert [m["name"] for m in data["family_members"]] == ["Yusuf Haddad"]
    assert [o["member"] for o in data["orientation"]] == [2]
    assert NAME not in json.dumps([data["family_members"], data["orientation"]])


def test_the_export_is_recorded_and_audited_without_the_data(sw: SimpleNamespace) -> None:
    admin = sw.users["admin"]
    before = AuditEntry.objects.count()
    body = export_json(do_export_subject(sw.case_deu, actor=admin))
    assert ARABIC.encode("utf-8") in body  # UTF-8, not \\u escapes
    assert json.loads(body.decode("utf-8"))["family_members"][2]["name"] == ARABIC
    request = SubjectRequest.objects.get()
    assert (request.kind, request.case, request.actor, request.channel) == (
        "export",
        sw.case_deu,
        admin,
        "admin",
    )
    read = PersonalDataAccess.objects.get(what="subject")
    assert (read.user, read.case_file) == (admin, sw.file_deu)
    assert AuditEntry.objects.count() == before + 2  # the request and the read
    assert plaintext_hits([AuditEntry, SubjectRequest, PersonalDataAccess], sw.secrets) == {}


def test_an_export_after_erasure_shows_the_pseudonyms_and_the_erasure(sw: SimpleNamespace) -> None:
    do_erase_subject(sw.case_deu, reason="Request of 5 January 2026", actor=None)
    data = do_export_subject(sw.case_deu, actor=None)
    assert [m["name"] for m in data["family_members"]] == [
        "[erased #1]",
        "[erased #2]",
        "[erased #3]",
    ]
    assert data["subject_requests"][0]["kind"] == "erasure"
    assert data["subject_requests"][0]["reason"] == "Request of 5 January 2026"
    assert NAME not in json.dumps(data, ensure_ascii=False)


def test_only_administrators_export(sw: SimpleNamespace) -> None:
    for role in ("rsf", "unhcr", "state"):
        with pytest.raises(PermissionDenied):
            do_export_subject(sw.case_deu, actor=sw.users[role])
    assert not SubjectRequest.objects.exists()


def test_the_command_writes_one_utf8_json_file(sw: SimpleNamespace, tmp_path: Path) -> None:
    out = tmp_path / "subject.json"
    err = io.StringIO()
    call_command("subject-export", "P-DEU-1", "--out", str(out), stderr=err)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["family_members"][2]["name"] == ARABIC
    assert SubjectRequest.objects.get().actor_repr.startswith("cli:")
    with pytest.raises(CommandError, match="exists already"):
        call_command("subject-export", "P-DEU-1", "--out", str(out))
    stdout = io.StringIO()
    call_command("subject-export", "P-DEU-1", "--member", str(sw.child_deu.pk), stdout=stdout)
    assert json.loads(stdout.getvalue())["subject"] == {"case": "P-DEU-1", "member": 2}
    with pytest.raises(CommandError, match="reference: No case with the reference NOPE"):
        call_command("subject-export", "NOPE")


# ---- the admin actions -------------------------------------------------------------------


def _staff_admin(sw: SimpleNamespace) -> Client:
    dpo = User.objects.create_user(
        "dpo", None, None, role="admin", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(dpo)  # a login: fresh
    sw.dpo = dpo
    return client


def _go_stale(client: Client) -> None:
    session = client.session
    session[reauth.SESSION_KEY] = time.time() - 3600
    session.save()


def test_the_admin_export_needs_a_fresh_login(sw: SimpleNamespace) -> None:
    client = _staff_admin(sw)
    url = "/admin/pipeline/casefile/"
    form = {"action": "export_subject", "_selected_action": [sw.file_deu.pk]}
    _go_stale(client)
    stale = client.post(url, form)
    assert stale.status_code == 302 and stale["Location"].startswith("/pipeline/confirm-password/")
    assert not SubjectRequest.objects.exists()

    reauth_session = client.session
    reauth_session[reauth.SESSION_KEY] = time.time()
    reauth_session.save()
    response = client.post(url, form)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="subject-P-DEU-1.json"' in response["Content-Disposition"]
    assert json.loads(response.content)["family_members"][0]["name"] == NAME
    assert SubjectRequest.objects.get().actor == sw.dpo


def test_the_admin_export_takes_one_family(sw: SimpleNamespace) -> None:
    client = _staff_admin(sw)
    response = client.post(
        "/admin/pipeline/casefile/",
        {"action": "export_subject", "_selected_action": [sw.file_deu.pk, sw.file_can.pk]},
        follow=True,
    )
    assert "Choose one family or one member to export." in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_the_admin_erasure_asks_the_reason_then_erases(sw: SimpleNamespace) -> None:
    client = _staff_admin(sw)
    url = "/admin/pipeline/familymember/"
    chosen = {"action": "erase_subject", "_selected_action": [sw.member_deu.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and b'data-testid="erase"' in page.content
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME  # nothing yet

    empty = client.post(url, {**chosen, "confirm": "yes", "scope": "personal", "reason": ""})
    assert empty.status_code == 400 and b"This field is required" in empty.content
    naming = client.post(
        url, {**chosen, "confirm": "yes", "scope": "personal", "reason": f"{NAME} asked"}
    )
    assert naming.status_code == 302
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == NAME  # refused
    done = client.post(
        url,
        {**chosen, "confirm": "yes", "scope": "personal", "reason": "Her request of 5 Jan"},
        follow=True,
    )
    assert "P-DEU-1 erased" in done.content.decode()
    assert FamilyMember.objects.get(pk=sw.member_deu.pk).name == "[erased #1]"
    assert SubjectRequest.objects.get(kind="erasure").actor == sw.dpo


def test_the_admin_actions_refuse_other_staff(sw: SimpleNamespace) -> None:
    clerk = User.objects.create_user("clerk", None, None, role="rsf", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(content_type__app_label="pipeline"))
    client = Client()
    client.force_login(clerk)
    response = client.post(
        "/admin/pipeline/casefile/",
        {"action": "export_subject", "_selected_action": [sw.file_deu.pk]},
        follow=True,
    )
    assert "Only platform administrators export personal data." in response.content.decode()
    assert not SubjectRequest.objects.exists()
