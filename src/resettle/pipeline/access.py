"""Who may do what in the pipeline (plain functions used by services, views, templates)."""

from __future__ import annotations

from resettle.accounts.models import User
from resettle.pipeline import stages
from resettle.pipeline.models import CaseFile, case_file_filter, is_medical_staff, user_state_id


def _active(user: User | None) -> bool:
    return user is not None and user.is_active and user.pk is not None


def can_manage_pipeline(user: User | None) -> bool:
    """Facility staff (role rsf) and administrators move cases, add members, book travel."""
    return _active(user) and user is not None and (user.is_platform_admin or user.role == "rsf")


def can_open_case_file(user: User | None) -> bool:
    """UNHCR refers the cases, so UNHCR staff open case files too (with facility staff)."""
    return can_manage_pipeline(user) or (
        _active(user) and user is not None and user.role == "unhcr"
    )


def is_referred_state(user: User | None, case_file: CaseFile) -> bool:
    """Whether the user is an official of the State the case is referred to."""
    state = user_state_id(user)
    return state is not None and state == case_file.case.referred_state_id


def can_see_state_board(user: User | None, state_id: int) -> bool:
    """A State's board: whoever sees every case file, and that State's own officials.

    Another State's official, and anyone who sees no case file, gets 404 (the
    same answer as for a case file that is not theirs).
    """
    if not _active(user):
        return False
    return case_file_filter(user) is None or user_state_id(user) == state_id


def can_record_move(user: User | None, case_file: CaseFile, move: str) -> bool:
    """Facility staff record every move; the referred State records its decisions."""
    if can_manage_pipeline(user):
        return True
    return move in stages.DECISION_STAGES and is_referred_state(user, case_file)


def can_see_medical(user: User | None, case_file: CaseFile) -> bool:
    """Medical details: medical staff and the referred State's officials only."""
    return is_medical_staff(user) or is_referred_state(user, case_file)


def can_record_medical(user: User | None) -> bool:
    """Medical assessments are recorded by medical staff."""
    return is_medical_staff(user)
