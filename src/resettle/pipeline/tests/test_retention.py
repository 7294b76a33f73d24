"""Retention: closed case files lose their medical details after RETENTION_MEDICAL_DAYS and
their personal data after RETENTION_PERSONAL_DAYS; open or recent ones keep everything."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.cases.tests.fixtures import SHARE
from resettle.core.models import AuditEntry, DeniedRequest
from resettle.directory.models import Country
from resettle.pipeline import services, stages
from resettle.pipeline.models import CaseFile, FamilyMember, MedicalAssessment, SubjectRequest
from resettle.pipeline.retention import apply_retention

pytestmark = pytest.mark.django_db

# A day in the recent past: the service refuses stage dates in the future.
TODAY = datetime.date.today() - datetime.timedelta(days=2)


def _closed(reference: str, closed_days_ago: int | None, name: str) -> SimpleNamespace:
    """A referred family of one with medical details, withdrawn that many days before TODAY
    (None: still open)."""
    c = Country.objects.in_bulk(["TUR", "DEU"], field_name="iso3")
    opened = TODAY - datetime.timedelta(days=(closed_days_ago or 0) + 30)
    case = ResettlementCase.objects.create(
        reference=reference,
        persons=1,
        nationality="SYR",
        asylum=c["TUR"],
        category="LPN",
        priority="normal",
        submitted_on=opened - datetime.timedelta(days=10),
        status=CaseStatus.REFERRED,
        referred_state=c["DEU"],
        referred_at=timezone.now(),
    )
    file = services.do_open_case_file(
        case, {"province": "Hatay", "date": opened, **SHARE}, actor=None
    )
    member = services.do_add_member(
        file,
        {
            "name": name,
            "date_of_birth": datetime.date(1980, 5, 17),
            "sex": "M",
            "relationship": "principal",
            "medical_needs": "asthma",
        },
        actor=None,
    )
    assessment = MedicalAssessment(case_file=file, date=opened, outcome=stages.MEDICAL_FIT)
    assessment.findings = "asthma, treated"
    assessment.save()
    if closed_days_ago is not None:
        when = TODAY - datetime.timedelta(days=closed_days_ago)
        services.do_move_case(file, stages.WITHDRAWN, date=when, note="Family withdrew", actor=None)
    return SimpleNamespace(case=case, file=file, member=member, assessment=assessment)


@pytest.fixture
def files(db: Any, world: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        old=_closed("R-OLD", 5 * 365 + 10, "Old Family"),  # past both periods
        year=_closed("R-YEAR", 400, "Year Family"),  # past the medical period only
        recent=_closed("R-RECENT", 100, "Recent Family"),  # within both
        edge=_closed("R-EDGE", 365, "Edge Family"),  # the medical period ends today
        open=_closed("R-OPEN", None, "Open Family"),  # not closed: kept
    )


def _member(ns: SimpleNamespace) -> FamilyMember:
    return FamilyMember.objects.get(pk=ns.member.pk)


def _findings(ns: SimpleNamespace) -> str:
    return MedicalAssessment.objects.get(pk=ns.assessment.pk).findings


def test_a_dry_run_counts_and_changes_nothing(files: SimpleNamespace) -> None:
    entries = AuditEntry.objects.count()
    report = apply_retention(TODAY, dry_run=True)
    assert report.counts == {
        "personal": {
            "case_files": 1,
            "members": 1,
            "findings": 1,
            "notes": 1,
            "reasons": 1,
            "families": 1,
        },
        "medical": {"case_files": 2, "members": 2, "findings": 2},
    }
    assert report.cases == {"personal": ["R-OLD"], "medical": ["R-YEAR", "R-EDGE"]}
    assert AuditEntry.objects.count() == entries
    assert _member(files.old).name == "Old Family" and _findings(files.year) == "asthma, treated"


def test_retention_erases_what_is_due_and_keeps_the_rest(files: SimpleNamespace) -> None:
    report = apply_retention(TODAY)
    assert report.cases == {"personal": ["R-OLD"], "medical": ["R-YEAR", "R-EDGE"]}
    old = _member(files.old)
    assert (old.name, old.date_of_birth, old.medical_needs) == ("[erased #1]", None, "")
    assert CaseFile.objects.get(pk=files.old.file.pk).reason == "[erased]"
    for ns in (files.year, files.edge):
        member = _member(ns)
        assert (member.name, member.medical_needs, _findings(ns)) == (
            ns.member.name,
            "",
            "",
        )
        assert member.date_of_birth == datetime.date(1980, 5, 17)
    for ns in (files.recent, files.open):
        member = _member(ns)
        assert (member.medical_needs, _findings(ns)) == ("asthma", "asthma, treated")
    # Each erasure is recorded with its reason, by the system.
    requests = SubjectRequest.objects.filter(origin="retention").order_by("pk")
    assert [(r.case.reference, r.scope) for r in requests] == [
        ("R-OLD", "personal"),
        ("R-YEAR", "medical"),
        ("R-EDGE", "medical"),
    ]
    assert requests[0].reason.startswith("Retention period over: personal data kept 1825 days")
    assert requests[0].actor is None and requests[0].channel == "cron"


def test_running_it_again_changes_nothing(files: SimpleNamespace) -> None:
    apply_retention(TODAY)
    entries = AuditEntry.objects.count()
    again = apply_retention(TODAY)
    assert again.counts == {} and AuditEntry.objects.count() == entries


def test_the_periods_come_from_the_settings(files: SimpleNamespace, settings: Any) -> None:
    settings.RETENTION_MEDICAL_DAYS = 50
    settings.RETENTION_PERSONAL_DAYS = 390
    report = apply_retention(TODAY)
    assert report.cases == {"personal": ["R-OLD", "R-YEAR"], "medical": ["R-RECENT", "R-EDGE"]}
    assert _member(files.open).medical_needs == "asthma"


def _denied(last_at: datetime.datetime, path: str) -> DeniedRequest:
    return DeniedRequest.objects.create(
        window=last_at.replace(minute=0, second=0, microsecond=0),
        first_at=last_at,
        last_at=last_at,
        client="ip:192.0.2.7",
        ip="192.0.2.7",
        method="GET",
        path=path,
        status=404,
    )


def test_the_command_reports_counts_per_kind(files: SimpleNamespace) -> None:
    # The record of denied requests: 180 days kept, counted from the start of today.
    start = datetime.datetime.combine(TODAY, datetime.time.min, tzinfo=datetime.UTC)
    _denied(start - datetime.timedelta(days=180, seconds=1), "/old/")
    _denied(start - datetime.timedelta(days=180), "/kept/")
    out = io.StringIO()
    call_command("retention", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        "personal data (1825 days after closure): would erase 1 case_files, 1 families, "
        "1 findings, 1 members, 1 notes, 1 reasons",
        "medical data (365 days after closure): would erase 2 case_files, 2 findings, 2 members",
        "denied requests (180 days): would delete 1 rows",
    ]
    assert DeniedRequest.objects.count() == 2
    out = io.StringIO()
    call_command("retention", "--date", TODAY.isoformat(), "-v", "2", stdout=out)
    assert "medical: R-YEAR, R-EDGE" in out.getvalue()
    assert "denied requests (180 days): deleted 1 rows" in out.getvalue()
    assert list(DeniedRequest.objects.values_list("path", flat=True)) == ["/kept/"]
    again = io.StringIO()
    call_command("retention", "--date", TODAY.isoformat(), stdout=again)
    assert again.getvalue().splitlines() == [
        "personal data (1825 days after closure): erased 0 case_files",
        "medical data (365 days after closure): erased 0 case_files",
        "denied requests (180 days): deleted 0 rows",
    ]
