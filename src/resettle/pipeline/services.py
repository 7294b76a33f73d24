"""Business rules of the case pipeline: case files, moves, members, medical, travel.

Reads of personal data (names, dates of birth, medical details, exports) go
through `read_*` functions that log a `PersonalDataAccess` (itself audited)
in the same transaction as the read.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.cases.models import CaseStatus, ResettlementCase
from resettle.cases.sharing import record_share, share_terms
from resettle.core.access import as_user, get_visible, require
from resettle.core.audit import actor_label, save_with_audit
from resettle.directory.models import Organisation
from resettle.pipeline import access, stages
from resettle.pipeline.models import (
    MOVE_LABELS,
    Access,
    Attendance,
    CaseFile,
    FamilyMember,
    MedicalAssessment,
    MedicalStaff,
    Module,
    OrientationSession,
    PersonalDataAccess,
    StageEvent,
    TravelBooking,
)

# ---- reads -------------------------------------------------------------------


def get_case_file_for_user(pk: int | str, user: Any) -> CaseFile:
    """A case file the user may see (404 otherwise, absent and hidden alike)."""
    return get_visible(CaseFile, user, pk=pk)


def get_session_for_user(pk: int | str, user: Any) -> OrientationSession:
    """An orientation session (facility staff and administrators; 404 otherwise)."""
    if not access.can_manage_pipeline(as_user(user)):
        raise Http404("session")
    session = OrientationSession.objects.filter(pk=pk).first()
    if session is None:
        raise Http404("session")
    return session


def _log_access(
    case_file: CaseFile, user: User, what: str, *, channel: str, purpose: str = ""
) -> PersonalDataAccess:
    return save_with_audit(
        PersonalDataAccess(),
        {
            "case_file": case_file,
            "user": user,
            "user_repr": actor_label(user),
            "at": timezone.now(),
            "what": what,
            "channel": channel,
            "purpose": purpose[:200],
        },
        actor=user,
    )


def _member_row(member: FamilyMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "position": member.position,
        "name": member.name,
        "date_of_birth": member.date_of_birth,
        "sex": member.sex,
        "relationship": member.relationship,
        "languages": list(member.languages),
        "interview_required": member.interview_required,
        "accessibility_needs": member.accessibility_needs,
    }


@transaction.atomic
def read_personal_data(
    case_file: CaseFile, *, user: User, channel: str = "web", purpose: str = ""
) -> list[dict[str, Any]]:
    """The family members with names and dates of birth, the read logged.

    The caller got `case_file` through get_case_file_for_user: whoever sees a
    case file may see its family (facility, UNHCR, administrators, medical
    staff, the referred State).
    """
    get_case_file_for_user(case_file.pk, user)
    _log_access(case_file, user, Access.PERSONAL, channel=channel, purpose=purpose)
    return [_member_row(m) for m in case_file.members.all()]


@transaction.atomic
def read_medical(
    case_file: CaseFile, *, user: User, channel: str = "web", purpose: str = ""
) -> dict[str, Any]:
    """Medical details (assessments' findings, members' medical needs), the read logged."""
    require(access.can_see_medical(user, case_file), "medical")
    _log_access(case_file, user, Access.MEDICAL, channel=channel, purpose=purpose)
    return {
        "assessments": [
            {"id": a.pk, "date": a.date, "outcome": a.outcome, "findings": a.findings}
            for a in case_file.assessments.all()
        ],
        "members": [
            {"id": m.pk, "position": m.position, "medical_needs": m.medical_needs}
            for m in case_file.members.all()
        ],
    }


EXPORT_HEADER = (
    "case",
    "position",
    "name",
    "date_of_birth",
    "sex",
    "relationship",
    "languages",
    "interview_required",
)


@transaction.atomic
def export_members_csv(case_file: CaseFile, *, user: User, purpose: str = "") -> bytes:
    """A CSV file of a case's family members (the caller checked the fresh login)."""
    get_case_file_for_user(case_file.pk, user)
    _log_access(case_file, user, Access.EXPORT, channel="web", purpose=purpose)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for m in case_file.members.all():
        born = m.date_of_birth
        writer.writerow(
            [
                case_file.case.reference,
                m.position,
                m.name,
                born.isoformat() if born else "",
                m.sex,
                m.relationship,
                " ".join(m.languages),
                "yes" if m.interview_required else "no",
            ]
        )
    return out.getvalue().encode("utf-8")


# ---- case files ---------------------------------------------------------------


@transaction.atomic
def do_open_case_file(
    case: ResettlementCase,
    data: Mapping[str, Any],
    *,
    actor: User | None,
) -> CaseFile:
    """Open the facility's file of a referred case (stage: referred by UNHCR).

    `data`: province (required), date (of the referral, default the case's
    referral date), organisations, organisation (responsible for the referral),
    is_illustrative, and the terms of sharing the family's data with the
    referred State, who sees the case file (cases/sharing.py): purpose,
    consent, consent_date or override_reason. A sharing record is written.
    """
    if actor is not None:
        require(access.can_open_case_file(actor), "pipeline")
    if case.status != CaseStatus.REFERRED or case.referred_state is None:
        raise ValidationError({"case": _("Only a case referred to a State can be followed.")})
    if CaseFile.objects.filter(case=case).exists():
        raise ValidationError({"case": _("This case already has a case file.")})
    terms = share_terms(data)
    when: datetime.date = data.get("date") or (
        timezone.localdate(case.referred_at) if case.referred_at else timezone.localdate()
    )
    case_file = save_with_audit(
        CaseFile(),
        {
            "case": case,
            "province": (data.get("province") or "").strip(),
            "stage": stages.REFERRED,
            "stage_since": when,
            "stage_dates": {stages.REFERRED: when.isoformat()},
            "is_illustrative": bool(data.get("is_illustrative")),
        },
        m2m={"organisations": list(data.get("organisations") or [])},
        actor=actor,
    )
    save_with_audit(
        StageEvent(),
        {
            "case_file": case_file,
            "stage": stages.REFERRED,
            "date": when,
            "organisation": data.get("organisation"),
            "note": data.get("note", ""),
            "by": actor if actor is not None and actor.pk else None,
        },
        actor=actor,
    )
    record_share(case, case.referred_state, terms, actor=actor)
    return case_file


def illegal_move_message(case_file: CaseFile, exc: stages.IllegalMove) -> str:
    """The refusal, naming the current stage and the allowed next stages."""
    if exc.missing_reason:
        return _("Putting a case on hold or withdrawing it needs a reason.")
    current = str(MOVE_LABELS.get(exc.current, exc.current))
    target = str(MOVE_LABELS.get(exc.target, exc.target))
    allowed = ", ".join(str(MOVE_LABELS.get(a, a)) for a in exc.allowed) or _("none (final stage)")
    return _(
        "Case %(case)s is at stage “%(current)s” and cannot move to “%(target)s”. "
        "Allowed next stages: %(allowed)s."
    ) % {"case": case_file.case.reference, "current": current, "target": target, "allowed": allowed}


@transaction.atomic
def do_move_case(
    case_file: CaseFile,
    move: str,
    *,
    date: datetime.date | None = None,
    organisation: Organisation | None = None,
    note: str = "",
    actor: User | None,
) -> StageEvent:
    """Move a case to its next stage (or hold, withdraw, resume), recording the event.

    Refuses illegal moves (ValidationError on `move` naming the current and
    allowed stages), a hold or withdrawal without a reason (`note`), a date
    in the future or before the current stage's date (`date`).
    """
    case_file = CaseFile.objects.select_for_update().select_related("case").get(pk=case_file.pk)
    if actor is not None:
        require(access.can_record_move(actor, case_file, move), "pipeline")
    try:
        target = stages.next_stage(
            case_file.stage, move, held_from=case_file.held_from, reason=note
        )
    except stages.IllegalMove as exc:
        field = "note" if exc.missing_reason else "move"
        raise ValidationError({field: illegal_move_message(case_file, exc)}) from exc
    when = date or timezone.localdate()
    if when > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if when < case_file.stage_since:
        raise ValidationError(
            {
                "date": _("The date cannot be before the current stage's date (%(date)s).")
                % {"date": case_file.stage_since.isoformat()}
            }
        )
    event = save_with_audit(
        StageEvent(),
        {
            "case_file": case_file,
            "stage": target,
            "from_stage": case_file.stage,
            "resumed": move == stages.RESUME,
            "date": when,
            "organisation": organisation,
            "note": note.strip(),
            "by": actor if actor is not None and actor.pk else None,
        },
        actor=actor,
    )
    dates = dict(case_file.stage_dates)
    dates.setdefault(target, when.isoformat())
    fields: dict[str, Any] = {"stage": target, "stage_since": when, "stage_dates": dates}
    if move == stages.ON_HOLD:
        fields.update(held_from=case_file.stage, reason=note.strip())
    elif move == stages.WITHDRAWN:
        fields.update(held_from="", reason=note.strip())
    elif move == stages.RESUME:
        fields.update(held_from="", reason="")
    save_with_audit(case_file, fields, actor=actor)
    return event


@transaction.atomic
def do_update_case_file(case_file: CaseFile, data: Mapping[str, Any], *, actor: User) -> CaseFile:
    """Change the province or the responsible organisations (facility staff)."""
    require(access.can_manage_pipeline(actor), "pipeline")
    fields = {k: data[k] for k in ("province",) if k in data}
    m2m = {"organisations": list(data["organisations"])} if "organisations" in data else None
    return save_with_audit(case_file, fields, actor=actor, m2m=m2m)


# ---- family members -------------------------------------------------------------


MEMBER_FIELDS = (
    "name",
    "date_of_birth",
    "sex",
    "relationship",
    "languages",
    "interview_required",
    "medical_needs",
    "accessibility_needs",
    "is_illustrative",
)


@transaction.atomic
def do_add_member(
    case_file: CaseFile, data: Mapping[str, Any], *, actor: User | None
) -> FamilyMember:
    """Add a family member (facility staff; UNHCR too, who referred the case)."""
    if actor is not None:
        require(access.can_open_case_file(actor), "pipeline")
    name = str(data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the family member's name.")})
    born = data.get("date_of_birth")
    if born is not None and born > timezone.localdate():
        raise ValidationError({"date_of_birth": _("The date of birth cannot be in the future.")})
    if case_file.members.count() >= case_file.case.persons:
        raise ValidationError(
            {
                "name": _("The case has %(n)s persons, all of them recorded.")
                % {"n": case_file.case.persons}
            }
        )
    last = case_file.members.order_by("-position").values_list("position", flat=True).first()
    member = FamilyMember(case_file=case_file, position=(last or 0) + 1)
    member.name = name
    member.date_of_birth = born
    member.medical_needs = str(data.get("medical_needs") or "")
    member.accessibility_needs = str(data.get("accessibility_needs") or "")
    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = [p.strip().lower() for p in languages.replace(";", ",").split(",") if p.strip()]
    adult = member.is_adult() if born is not None else data.get("relationship") != "child"
    return save_with_audit(
        member,
        {
            "sex": data.get("sex", ""),
            "relationship": data.get("relationship", ""),
            "languages": list(languages),
            "interview_required": bool(data.get("interview_required", True)),
            "is_minor": not adult,
            "is_illustrative": bool(data.get("is_illustrative")),
        },
        actor=actor,
    )


# ---- medical ----------------------------------------------------------------------


@transaction.atomic
def do_record_medical_assessment(
    case_file: CaseFile,
    data: Mapping[str, Any],
    *,
    actor: User | None,
) -> MedicalAssessment:
    """Record a medical assessment (medical staff) and move the case to its outcome."""
    if actor is not None:
        require(access.can_record_medical(actor), "medical")
    outcome = str(data.get("outcome") or "")
    when = data.get("date") or timezone.localdate()
    assessment = MedicalAssessment(case_file=case_file)
    assessment.findings = str(data.get("findings") or "")
    saved = save_with_audit(
        assessment,
        {"date": when, "outcome": outcome, "by": actor if actor is not None and actor.pk else None},
        actor=actor,
    )
    # The stage shows only the outcome; the findings stay in the assessment.
    _move_as_system(case_file, outcome, when, actor)
    return saved


def _move_as_system(
    case_file: CaseFile, move: str, when: datetime.date, actor: User | None
) -> StageEvent:
    """A move that follows from a record the actor was allowed to make."""
    event = do_move_case(case_file, move, date=when, actor=None)
    if actor is not None and actor.pk:
        StageEvent.objects.filter(pk=event.pk).update(by=actor)
    return event


# ---- cultural orientation ------------------------------------------------------------


@transaction.atomic
def do_create_session(data: Mapping[str, Any], *, actor: User | None) -> OrientationSession:
    """Plan a cultural orientation session (facility staff)."""
    if actor is not None:
        require(access.can_manage_pipeline(actor), "pipeline")
    modules = list(data.get("modules") or [])
    unknown = [m for m in modules if m not in Module.values]
    if not modules or unknown:
        raise ValidationError({"modules": _("Choose modules of the curriculum.")})
    return save_with_audit(
        OrientationSession(),
        {
            "date": data.get("date"),
            "modules": modules,
            "language": str(data.get("language") or "").strip().lower(),
            "facilitator": str(data.get("facilitator") or "").strip(),
            "organisation": data.get("organisation"),
            "is_illustrative": bool(data.get("is_illustrative")),
        },
        actor=actor,
    )


@transaction.atomic
def do_record_attendance(
    session: OrientationSession,
    members: Iterable[FamilyMember],
    *,
    present: bool = True,
    actor: User | None,
) -> int:
    """Mark family members present (or absent) at a session; returns entries changed."""
    if actor is not None:
        require(access.can_manage_pipeline(actor), "pipeline")
    changed = 0
    for member in members:
        row = Attendance.objects.filter(session=session, member=member).first()
        if row is None:
            save_with_audit(
                Attendance(),
                {"session": session, "member": member, "present": present},
                actor=actor,
            )
            changed += 1
        elif row.present != present:
            save_with_audit(row, {"present": present}, actor=actor)
            changed += 1
    return changed


def orientation_complete(case_file: CaseFile) -> bool:
    """Whether every family member attended at least one session."""
    members = list(case_file.members.values_list("pk", flat=True))
    if not members:
        return False
    attended = set(
        Attendance.objects.filter(member_id__in=members, present=True).values_list(
            "member_id", flat=True
        )
    )
    return attended >= set(members)


# ---- travel -----------------------------------------------------------------------------


@transaction.atomic
def do_book_travel(
    case_file: CaseFile, data: Mapping[str, Any], *, actor: User | None
) -> TravelBooking:
    """Book a flight for a case with exit permission (moves it to travel booked)."""
    if actor is not None:
        require(access.can_manage_pipeline(actor), "pipeline")
    if case_file.stage != stages.EXIT_PERMISSION:
        raise ValidationError(
            {"flight": _("Travel is booked once the exit permission is granted.")}
        )
    booking = save_with_audit(
        TravelBooking(),
        {
            "case_file": case_file,
            "flight": str(data.get("flight") or "").strip(),
            "date": data.get("date"),
            "destination": str(data.get("destination") or "").strip(),
        },
        actor=actor,
    )
    do_move_case(
        case_file,
        stages.TRAVEL_BOOKED,
        date=data.get("booked_on"),
        note=booking.flight,
        actor=actor,
    )
    return booking


# ---- medical staff --------------------------------------------------------------------


@transaction.atomic
def do_add_medical_staff(user: User, *, actor: User | None, note: str = "") -> MedicalStaff:
    """Put a user on the medical staff list (administrators)."""
    if actor is not None and not actor.is_platform_admin:
        raise PermissionDenied("medical staff")
    existing = MedicalStaff.objects.filter(user=user).first()
    if existing is not None:
        return save_with_audit(existing, {"active": True}, actor=actor)
    return save_with_audit(MedicalStaff(), {"user": user, "note": note}, actor=actor)
