"""Pipeline services: opening files, moves, members, encryption, medical, travel."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from resettle.core.models import AuditEntry
from resettle.pipeline import queries, services, stages
from resettle.pipeline.models import CaseFile, FamilyMember, PersonalDataAccess, StageEvent
from resettle.pipeline.tests.fixtures import BORN, MEDICAL, NAME, make_pipeline_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(world: SimpleNamespace) -> SimpleNamespace:
    return make_pipeline_world(world)


def test_the_name_is_encrypted_in_the_database(pw: SimpleNamespace) -> None:
    table = FamilyMember._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name_sealed, date_of_birth_sealed, medical_needs_sealed FROM {table}"  # noqa: S608
            " WHERE id = %s",
            [pw.member_deu.pk],
        )
        raw = cursor.fetchone()
    joined = " ".join(raw)
    assert NAME not in joined and "Haddad" not in joined
    assert BORN.isoformat() not in joined and "diabetes" not in joined
    member = FamilyMember.objects.get(pk=pw.member_deu.pk)
    assert (member.name, member.date_of_birth, member.medical_needs) == (NAME, BORN, MEDICAL)
    # Nor does the audit log hold it in clear.
    for entry in AuditEntry.objects.for_object(member):
        assert NAME not in str(entry.after) and NAME not in entry.object_repr


def test_adults_and_languages_for_the_scheduler(pw: SimpleNamespace) -> None:
    assert pw.file_deu.adults() == 1
    assert pw.file_deu.interviewees() == 1
    assert pw.file_deu.languages() == ["ar", "tr"]
    assert FamilyMember.objects.get(pk=pw.child_deu.pk).is_minor


@pytest.mark.parametrize("current", [s for s in stages.STAGES])
def test_every_illegal_move_is_refused_naming_the_stages(pw: SimpleNamespace, current: str) -> None:
    CaseFile.objects.filter(pk=pw.file_deu.pk).update(
        stage=current, held_from=stages.INTERVIEWED if current == stages.ON_HOLD else ""
    )
    case_file = CaseFile.objects.get(pk=pw.file_deu.pk)
    allowed = set(stages.allowed_moves(current))
    for move in [*stages.STAGES, stages.RESUME]:
        if move in allowed:
            continue
        with pytest.raises(ValidationError) as exc:
            services.do_move_case(case_file, move, note="why", actor=pw.users["rsf"])
        message = exc.value.message_dict["move"][0]
        assert "P-DEU-1" in message and "Allowed next stages" in message
        from resettle.pipeline.models import MOVE_LABELS

        assert str(MOVE_LABELS[current]) in message
        for a in allowed:
            assert str(MOVE_LABELS[a]) in message
    assert StageEvent.objects.filter(case_file=case_file).count() == 4


def test_hold_needs_a_reason_and_resume_goes_back(pw: SimpleNamespace) -> None:
    rsf = pw.users["rsf"]
    with pytest.raises(ValidationError) as exc:
        services.do_move_case(pw.file_deu, stages.ON_HOLD, actor=rsf)
    assert "note" in exc.value.message_dict
    services.do_move_case(pw.file_deu, stages.ON_HOLD, note="Family relocated", actor=rsf)
    pw.file_deu.refresh_from_db()
    assert (pw.file_deu.stage, pw.file_deu.held_from) == (stages.ON_HOLD, stages.INTERVIEWED)
    assert pw.file_deu.reason == "Family relocated"
    event = services.do_move_case(pw.file_deu, stages.RESUME, actor=rsf)
    pw.file_deu.refresh_from_db()
    assert event.resumed and pw.file_deu.stage == stages.INTERVIEWED
    assert pw.file_deu.held_from == ""


def test_the_referred_state_records_its_decision_only(pw: SimpleNamespace) -> None:
    state = pw.users["state"]
    services.do_move_case(pw.file_deu, stages.ACCEPTED, actor=state)
    with pytest.raises(PermissionDenied):
        services.do_move_case(pw.file_deu, stages.MEDICAL_FIT, actor=state)
    with pytest.raises(PermissionDenied):  # Canada's case is not Germany's to decide
        services.do_move_case(pw.file_can, stages.ACCEPTED_FOR_MISSION, actor=state)


def test_future_and_backdated_moves_are_refused(pw: SimpleNamespace) -> None:
    rsf = pw.users["rsf"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.do_move_case(pw.file_deu, stages.ACCEPTED, date=tomorrow, actor=rsf)
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.do_move_case(
            pw.file_deu, stages.ACCEPTED, date=datetime.date(2000, 1, 1), actor=rsf
        )


def test_another_states_official_gets_404(pw: SimpleNamespace) -> None:
    state = pw.users["state"]
    assert services.get_case_file_for_user(pw.file_deu.pk, state) == pw.file_deu
    with pytest.raises(Http404):
        services.get_case_file_for_user(pw.file_can.pk, state)
    for role in ("ngo", "refugee", "other", "anonymous"):
        with pytest.raises(Http404):
            services.get_case_file_for_user(pw.file_deu.pk, pw.users[role])


def test_personal_reads_are_logged(pw: SimpleNamespace) -> None:
    rsf = pw.users["rsf"]
    rows = services.read_personal_data(pw.file_deu, user=rsf, purpose="travel")
    assert rows[0]["name"] == NAME and rows[0]["date_of_birth"] == BORN
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.what, log.case_file, log.purpose) == (
        rsf,
        "personal",
        pw.file_deu,
        "travel",
    )


def test_medical_details_for_medical_staff_and_the_state_only(pw: SimpleNamespace) -> None:
    for role in ("rsf", "unhcr", "admin"):
        with pytest.raises(PermissionDenied):
            services.read_medical(pw.file_deu, user=pw.users[role])
    for user in (pw.medic, pw.users["state"]):
        data = services.read_medical(pw.file_deu, user=user)
        assert data["members"][0]["medical_needs"] == MEDICAL
    assert PersonalDataAccess.objects.filter(what="medical").count() == 2


def _to_exit_permission(pw: SimpleNamespace) -> None:
    rsf = pw.users["rsf"]
    services.do_move_case(pw.file_deu, stages.ACCEPTED, actor=rsf)
    with pytest.raises(PermissionDenied):
        services.do_record_medical_assessment(
            pw.file_deu, {"outcome": stages.MEDICAL_FIT}, actor=rsf
        )
    assessment = services.do_record_medical_assessment(
        pw.file_deu,
        {"outcome": stages.MEDICAL_FIT, "findings": "No contraindication"},
        actor=pw.medic,
    )
    assert "contraindication" not in assessment.findings_sealed
    members = list(pw.file_deu.members.all())
    assert not services.orientation_complete(pw.file_deu)
    assert services.do_record_attendance(pw.session, members, actor=rsf) == 2
    assert services.orientation_complete(pw.file_deu)
    services.do_move_case(pw.file_deu, stages.ORIENTATION_COMPLETED, actor=rsf)
    services.do_move_case(pw.file_deu, stages.EXIT_PERMISSION, note="EP-1", actor=rsf)


def test_from_decision_to_departure(pw: SimpleNamespace) -> None:
    _to_exit_permission(pw)
    rsf = pw.users["rsf"]
    pw.file_deu.refresh_from_db()
    booking = services.do_book_travel(
        pw.file_deu, {"flight": "TK 1523", "date": timezone.localdate()}, actor=rsf
    )
    assert booking.flight == "TK 1523"
    services.do_move_case(pw.file_deu, stages.DEPARTED, actor=rsf)
    pw.file_deu.refresh_from_db()
    assert pw.file_deu.stage == stages.DEPARTED
    assert stages.DEPARTED in pw.file_deu.stage_dates
    flows = queries.departure_flows()
    assert len(flows) == 1
    row = flows[0]
    assert (row.origin, row.asylum, row.resettlement_state, row.departed) == (
        "SYR",
        "TUR",
        "DEU",
        3,
    )
    # Submitted 200 days ago: more than six months.
    assert row.departed_within_6_months == 0


def test_travel_needs_exit_permission(pw: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as exc:
        services.do_book_travel(
            pw.file_deu, {"flight": "TK 1", "date": timezone.localdate()}, actor=pw.users["rsf"]
        )
    assert "flight" in exc.value.message_dict


def test_departures_import_into_needs(pw: SimpleNamespace) -> None:
    from resettle.needs.models import DatasetVersion

    assert queries.do_import_departures(actor=None) is None  # nobody departed yet
    _to_exit_permission(pw)
    rsf = pw.users["rsf"]
    pw.file_deu.refresh_from_db()
    services.do_book_travel(
        pw.file_deu, {"flight": "TK 1", "date": timezone.localdate()}, actor=rsf
    )
    services.do_move_case(pw.file_deu, stages.DEPARTED, actor=rsf)
    with pytest.raises(PermissionDenied):
        queries.do_import_departures(actor=rsf)
    result = queries.do_import_departures(actor=pw.users["unhcr"])
    assert result is not None and result.imported and result.rows == 1
    version = DatasetVersion.objects.get(series=queries.DEPARTURES_SERIES)
    assert version.kind == "flows"
    again = queries.do_import_departures(actor=None)
    assert again is not None and not again.imported


def test_opening_needs_a_referred_case(pw: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        services.do_open_case_file(pw.case_deu, {"province": "X"}, actor=pw.users["rsf"])
    with pytest.raises(PermissionDenied):
        services.do_open_case_file(pw.case_deu, {"province": "X"}, actor=pw.users["ngo"])
