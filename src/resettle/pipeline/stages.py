"""The stages of a case through the Resettlement Support Facility, and the legal moves.

Pure: no Django. The service turns an `IllegalMove` into a translated
ValidationError naming the current stage and the allowed next stages.

A case moves forward one stage at a time. From any stage that is not final it
may be put on hold or withdrawn (both need a reason); a case on hold resumes
at the stage it was held from. An interview no-show sends the case back to be
scheduled again.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERRED = "referred"
ACCEPTED_FOR_MISSION = "accepted_for_mission"
INTERVIEW_SCHEDULED = "interview_scheduled"
NO_SHOW = "no_show"
INTERVIEWED = "interviewed"
PENDING_SECURITY = "pending_security"
ACCEPTED = "accepted"
REJECTED = "rejected"
MEDICAL_FIT = "medical_fit"
MEDICAL_UNFIT = "medical_unfit"
MEDICAL_FOLLOW_UP = "medical_follow_up"
ORIENTATION_COMPLETED = "orientation_completed"
EXIT_PERMISSION = "exit_permission"
TRAVEL_BOOKED = "travel_booked"
DEPARTED = "departed"
WITHDRAWN = "withdrawn"
ON_HOLD = "on_hold"
# Not a stage: the move that takes a case off hold, back where it was.
RESUME = "resume"

# In pipeline order (the board's columns).
STAGES: tuple[str, ...] = (
    REFERRED,
    ACCEPTED_FOR_MISSION,
    INTERVIEW_SCHEDULED,
    NO_SHOW,
    INTERVIEWED,
    PENDING_SECURITY,
    ACCEPTED,
    REJECTED,
    MEDICAL_FOLLOW_UP,
    MEDICAL_UNFIT,
    MEDICAL_FIT,
    ORIENTATION_COMPLETED,
    EXIT_PERMISSION,
    TRAVEL_BOOKED,
    DEPARTED,
    ON_HOLD,
    WITHDRAWN,
)

FINAL: frozenset[str] = frozenset({DEPARTED, REJECTED, WITHDRAWN})
MEDICAL_STAGES: frozenset[str] = frozenset({MEDICAL_FIT, MEDICAL_UNFIT, MEDICAL_FOLLOW_UP})
DECISION_STAGES: frozenset[str] = frozenset({ACCEPTED, REJECTED, PENDING_SECURITY})
# Moves that need a reason.
NEEDS_REASON: frozenset[str] = frozenset({ON_HOLD, WITHDRAWN})

FORWARD: dict[str, tuple[str, ...]] = {
    REFERRED: (ACCEPTED_FOR_MISSION,),
    ACCEPTED_FOR_MISSION: (INTERVIEW_SCHEDULED,),
    INTERVIEW_SCHEDULED: (INTERVIEWED, NO_SHOW),
    NO_SHOW: (INTERVIEW_SCHEDULED,),
    INTERVIEWED: (ACCEPTED, REJECTED, PENDING_SECURITY),
    PENDING_SECURITY: (ACCEPTED, REJECTED),
    ACCEPTED: (MEDICAL_FIT, MEDICAL_UNFIT, MEDICAL_FOLLOW_UP),
    MEDICAL_FOLLOW_UP: (MEDICAL_FIT, MEDICAL_UNFIT),
    # An unfit family may be assessed again once treated.
    MEDICAL_UNFIT: (MEDICAL_FOLLOW_UP, MEDICAL_FIT),
    MEDICAL_FIT: (ORIENTATION_COMPLETED,),
    ORIENTATION_COMPLETED: (EXIT_PERMISSION,),
    EXIT_PERMISSION: (TRAVEL_BOOKED,),
    TRAVEL_BOOKED: (DEPARTED,),
    DEPARTED: (),
    REJECTED: (),
    WITHDRAWN: (),
    ON_HOLD: (),
}

# Days a case may stay in a stage before it counts as overdue (facility practice;
# None: no limit).
LIMIT_DAYS: dict[str, int | None] = {
    REFERRED: 60,
    ACCEPTED_FOR_MISSION: 90,
    INTERVIEW_SCHEDULED: 30,
    NO_SHOW: 14,
    INTERVIEWED: 60,
    PENDING_SECURITY: 120,
    ACCEPTED: 45,
    MEDICAL_FOLLOW_UP: 60,
    MEDICAL_UNFIT: 180,
    MEDICAL_FIT: 45,
    ORIENTATION_COMPLETED: 45,
    EXIT_PERMISSION: 45,
    TRAVEL_BOOKED: 30,
    ON_HOLD: 90,
    DEPARTED: None,
    REJECTED: None,
    WITHDRAWN: None,
}


@dataclass(frozen=True)
class IllegalMove(Exception):
    """A move the pipeline does not allow from the current stage."""

    current: str
    target: str
    allowed: tuple[str, ...]
    missing_reason: bool = False

    def __str__(self) -> str:
        if self.missing_reason:
            return f"moving to {self.target} needs a reason"
        allowed = ", ".join(self.allowed) or "none"
        return f"cannot move from {self.current} to {self.target}; allowed: {allowed}"


def allowed_moves(current: str) -> tuple[str, ...]:
    """The moves allowed from a stage (stage names, or RESUME when on hold)."""
    if current == ON_HOLD:
        return (RESUME, WITHDRAWN)
    if current in FINAL:
        return ()
    return (*FORWARD[current], ON_HOLD, WITHDRAWN)


def next_stage(current: str, move: str, *, held_from: str = "", reason: str = "") -> str:
    """The stage a move leads to, or IllegalMove.

    `held_from` is the stage a case on hold was held from (where RESUME goes).
    """
    if current not in FORWARD:
        raise IllegalMove(current, move, ())
    allowed = allowed_moves(current)
    if move not in allowed:
        raise IllegalMove(current, move, allowed)
    if move in NEEDS_REASON and not reason.strip():
        raise IllegalMove(current, move, allowed, missing_reason=True)
    if move == RESUME:
        if held_from not in FORWARD or held_from in FINAL or held_from == ON_HOLD:
            raise IllegalMove(current, move, (WITHDRAWN,))
        return held_from
    return move


def is_overdue(stage: str, days_in_stage: int) -> bool:
    """Whether a case has stayed longer in its stage than the facility aims for."""
    limit = LIMIT_DAYS.get(stage)
    return limit is not None and days_in_stage > limit
