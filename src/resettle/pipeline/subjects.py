"""Data subject access: everything the platform holds about a family or one member.

`do_export_subject` gathers, for a case reference (and optionally one family
member), the case, its sharing records and allocation outcomes, the case file,
the family members with their decrypted personal data, stages, medical
assessments, cultural orientation attendance, travel, the RSF missions and
appointments, the reads of their personal data, earlier exports and erasures,
and the list of audit entries about all of these (who changed what, when:
field names, never values). `export_json` makes one UTF-8 JSON file of it.

The export is recorded as a `SubjectRequest` and, when the case has a case
file, as a `PersonalDataAccess` ("subject"), both audited: who exported whom,
never the data. Rights: platform administrators, or the command line
(`actor=None`; `resettle subject-export`). Erasure is in `erasure.py`.
"""

from __future__ import annotations

import datetime
import getpass
import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.allocation.models import RunAssignment
from resettle.cases.models import ResettlementCase, ShareRecord
from resettle.core.access import require
from resettle.core.audit import actor_label, save_with_audit
from resettle.core.models import AuditEntry
from resettle.pipeline.models import (
    Access,
    Attendance,
    CaseFile,
    FamilyMember,
    MedicalAssessment,
    PersonalDataAccess,
    RequestKind,
    StageEvent,
    SubjectRequest,
    TravelBooking,
)
from resettle.rsf.models import Appointment, MissionCase

FORMAT = "resettle-subject-export/1"


# ---- rights and lookups ------------------------------------------------------------


def can_handle_subject_requests(user: User | None) -> bool:
    """Exports of everything held and erasures: platform administrators only."""
    return user is not None and user.is_active and user.is_platform_admin


def who(actor: User | None, channel: str) -> str:
    """How the actor is named in the request log (the operating system user on the CLI)."""
    if actor is not None:
        return actor_label(actor)
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        login = "unknown"
    return f"{channel}:{login}"[:150]


def find_case(reference: str) -> ResettlementCase:
    """The case with this reference (ValidationError on `reference` otherwise)."""
    case = ResettlementCase.objects.filter(reference=reference.strip()).first()
    if case is None:
        raise ValidationError(
            {"reference": _("No case with the reference %(ref)s.") % {"ref": reference}}
        )
    return case


def case_file_of(case: ResettlementCase) -> CaseFile | None:
    """The facility's case file of a case, if it has one."""
    return CaseFile.objects.filter(case=case).first()


def find_member(case: ResettlementCase, member_id: int | str | None) -> FamilyMember | None:
    """A family member of the case by id (ValidationError on `member` when not of it)."""
    if member_id in (None, ""):
        return None
    text = str(member_id).strip()
    member = (
        FamilyMember.objects.filter(pk=int(text), case_file__case=case).first()
        if text.isdigit()
        else None
    )
    if member is None:
        raise ValidationError(
            {
                "member": _("Case %(ref)s has no family member with id %(id)s.")
                % {"ref": case.reference, "id": member_id}
            }
        )
    return member


# ---- what is held -----------------------------------------------------------------------


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def _case(case: ResettlementCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "persons": case.persons,
        "nationality": case.nationality,
        "country_of_asylum": case.asylum.iso3,
        "priority_situation": case.situation.name if case.situation else None,
        "category": case.category,
        "secondary_category": case.secondary_category,
        "priority": case.priority,
        "submitted_on": _iso(case.submitted_on),
        "needs": case.flags,
        "interview_possible": case.interview_possible,
        "languages": list(case.languages),
        "link_group": case.link_group,
        "status": case.status,
        "referred_to": case.referred_state.iso3 if case.referred_state else None,
        "referred_at": _iso(case.referred_at),
    }


def _case_file(case_file: CaseFile) -> dict[str, Any]:
    return {
        "id": case_file.pk,
        "province": case_file.province,
        "stage": case_file.stage,
        "stage_since": _iso(case_file.stage_since),
        "stage_dates": dict(case_file.stage_dates),
        "held_from": case_file.held_from,
        "hold_or_withdrawal_reason": case_file.reason,
        "responsible_organisations": sorted(o.name for o in case_file.organisations.all()),
        "opened_at": _iso(case_file.opened_at),
        "personal_data_erased_at": _iso(case_file.erased_at),
    }


def _member(member: FamilyMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "position": member.position,
        "name": member.name,
        "date_of_birth": _iso(member.date_of_birth),
        "sex": member.sex,
        "relationship": member.relationship,
        "languages": list(member.languages),
        "interview_required": member.interview_required,
        "minor": member.is_minor,
        "medical_needs": member.medical_needs,
        "accessibility_needs": member.accessibility_needs,
        "personal_data_erased_at": _iso(member.erased_at),
    }


def _missions(case: ResettlementCase) -> list[dict[str, Any]]:
    rows = []
    selected = MissionCase.objects.filter(case=case).select_related(
        "mission", "mission__receiving_state"
    )
    for mc in selected.order_by("mission__start_date", "pk"):
        appointments = Appointment.objects.filter(case=mc).select_related(
            "run", "room", "interpreter"
        )
        rows.append(
            {
                "mission": mc.mission.name,
                "receiving_state": mc.mission.receiving_state.iso3,
                "status": mc.status,
                "province": mc.province,
                "interview_language": mc.language,
                "adults_to_interview": mc.adults,
                "remote": mc.remote,
                "medical_assessment_needed": mc.medical,
                "appointments": [
                    {
                        "schedule_run": a.run_id,
                        "starts": _iso(a.start),
                        "ends": _iso(a.end),
                        "room": a.room.name,
                        "interpreter": a.interpreter.name if a.interpreter else None,
                        "caseworker": a.caseworker_name,
                        "medical_day": _iso(a.medical_day),
                    }
                    for a in appointments.order_by("start")
                ],
            }
        )
    return rows


def held_objects(case: ResettlementCase) -> list[models.Model]:
    """Every record about a case and its family (whose audit entries concern them)."""
    objects: list[models.Model] = [case]
    objects += list(ShareRecord.objects.filter(case=case))
    objects += list(RunAssignment.objects.filter(case=case))
    mission_cases = list(MissionCase.objects.filter(case=case))
    objects += mission_cases
    objects += list(Appointment.objects.filter(case__in=mission_cases))
    case_file = case_file_of(case)
    if case_file is not None:
        objects.append(case_file)
        members = list(case_file.members.all())
        objects += members
        objects += list(case_file.events.all())
        objects += list(case_file.assessments.all())
        objects += list(case_file.bookings.all())
        objects += list(case_file.accesses.all())
        objects += list(Attendance.objects.filter(member__in=members))
    objects += list(SubjectRequest.objects.filter(case=case))
    return objects


def audit_entries(objects: Iterable[models.Model]) -> list[dict[str, Any]]:
    """The audit entries about these objects, oldest first: who, when, what, which fields."""
    by_type: dict[int, list[str]] = {}
    for obj in objects:
        ctype = ContentType.objects.get_for_model(obj)
        by_type.setdefault(ctype.pk, []).append(str(obj.pk))
    condition = models.Q(pk__in=[])
    for ctype_id, ids in by_type.items():
        condition |= models.Q(content_type_id=ctype_id, object_id__in=ids)
    entries = AuditEntry.objects.filter(condition).select_related("content_type")
    return [
        {
            "at": _iso(e.at),
            "who": e.actor_repr,
            "action": e.action,
            "record": f"{e.content_type.app_label}.{e.content_type.model}",
            "record_id": e.object_id,
            "record_name": e.object_repr,
            "fields": [name for name, _before, _after in e.changes()],
        }
        for e in entries.order_by("at", "pk")
    ]


def collect(case: ResettlementCase, member: FamilyMember | None = None) -> dict[str, Any]:
    """Everything held about a case's family, or about one member and their case."""
    case_file = case_file_of(case)
    members = [member] if member is not None else []
    if member is None and case_file is not None:
        members = list(case_file.members.all())
    data: dict[str, Any] = {
        "case": _case(case),
        "sharing_with_states": [
            {
                "state": s.state.iso3,
                "purpose": s.purpose,
                "consent": s.consent,
                "consent_date": _iso(s.consent_date),
                "override_reason": s.override_reason,
                "by": _username(s.actor),
                "at": _iso(s.at),
            }
            for s in ShareRecord.objects.filter(case=case).select_related("state", "actor")
        ],
        "allocation": [
            {
                "run": a.run.name,
                "year": a.run.year,
                "outcome": a.reason,
                "state": a.state.iso3 if a.state else None,
                "pledge_line": a.line_key,
            }
            for a in RunAssignment.objects.filter(case=case).select_related("run", "state")
        ],
        "case_file": _case_file(case_file) if case_file is not None else None,
        "family_members": [_member(m) for m in members],
        "stages": [],
        "medical_assessments": [],
        "orientation": [],
        "travel": [],
        "rsf_missions": _missions(case),
        # Meeting registrations are people signing up to forums' meetings; none is
        # linked to a case or a family member (see docs/data-protection.md).
        "registrations": [],
        "personal_data_reads": [],
    }
    if case_file is not None:
        data["stages"] = [
            {
                "stage": e.stage,
                "from_stage": e.from_stage,
                "resumed": e.resumed,
                "date": _iso(e.date),
                "organisation": e.organisation.name if e.organisation else None,
                "note": e.note,
                "by": _username(e.by),
                "recorded_at": _iso(e.recorded_at),
            }
            for e in StageEvent.objects.filter(case_file=case_file).select_related(
                "organisation", "by"
            )
        ]
        data["medical_assessments"] = [
            {
                "date": _iso(a.date),
                "outcome": a.outcome,
                "findings": a.findings,
                "by": _username(a.by),
            }
            for a in MedicalAssessment.objects.filter(case_file=case_file).select_related("by")
        ]
        data["orientation"] = [
            {
                "member": row.member.position,
                "session_date": _iso(row.session.date),
                "modules": list(row.session.modules),
                "language": row.session.language,
                "present": row.present,
            }
            for row in Attendance.objects.filter(member__in=members)
            .select_related("session", "member")
            .order_by("session__date", "member__position")
        ]
        data["travel"] = [
            {"flight": b.flight, "date": _iso(b.date), "destination": b.destination}
            for b in TravelBooking.objects.filter(case_file=case_file)
        ]
        data["personal_data_reads"] = [
            {
                "at": _iso(r.at),
                "who": r.user_repr,
                "what": r.what,
                "channel": r.channel,
                "purpose": r.purpose,
            }
            for r in PersonalDataAccess.objects.filter(case_file=case_file).order_by("at", "pk")
        ]
    data["subject_requests"] = [
        {
            "kind": r.kind,
            "scope": r.scope,
            "origin": r.origin,
            "member": r.member.position if r.member is not None else None,
            "reason": r.reason,
            "records_changed": r.counts,
            "who": r.actor_repr,
            "at": _iso(r.at),
        }
        for r in SubjectRequest.objects.filter(case=case)
        .select_related("member")
        .order_by("at", "pk")
    ]
    data["audit_entries"] = audit_entries(held_objects(case))
    return data


# ---- the export --------------------------------------------------------------------------


@transaction.atomic
def do_export_subject(
    case: ResettlementCase,
    *,
    member: FamilyMember | None = None,
    actor: User | None,
    channel: str = "admin",
) -> dict[str, Any]:
    """Everything held about a family (or one member), the export recorded and audited."""
    if actor is not None:
        require(can_handle_subject_requests(actor), "subject requests")
    now = timezone.now()
    body = collect(case, member)
    name = who(actor, channel)
    save_with_audit(
        SubjectRequest(),
        {
            "kind": RequestKind.EXPORT,
            "case": case,
            "member": member,
            "actor": actor if actor is not None and actor.pk else None,
            "actor_repr": name,
            "channel": channel[:10],
            "at": now,
        },
        actor=actor,
    )
    case_file = case_file_of(case)
    if case_file is not None:
        save_with_audit(
            PersonalDataAccess(),
            {
                "case_file": case_file,
                "user": actor if actor is not None and actor.pk else None,
                "user_repr": name,
                "at": now,
                "what": Access.SUBJECT,
                "channel": channel[:10],
                "purpose": "",
            },
            actor=actor,
        )
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "exported_by": name,
        "subject": {
            "case": case.reference,
            "member": member.position if member is not None else None,
        },
        **body,
    }


def export_json(data: dict[str, Any]) -> bytes:
    """One UTF-8 JSON file (names in their own script, not escaped)."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")
