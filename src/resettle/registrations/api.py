"""API of the registrations app: one's own registrations, registering and cancelling;
for organisers a meeting's registrations, decisions, attendance and invitations.

Every path starts with /registrations/ so as not to collide with other apps.
"""

import datetime

from django.db import models
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from resettle.core.api_support import WRITE_AUTH, BoundedPagination, api_actor
from resettle.meetings.models import StakeholderGroup
from resettle.registrations import services
from resettle.registrations.models import Invitation, Registration, RegistrationStatus

router = Router(tags=["registrations"])


class RegistrationOut(Schema):
    """A registration; its personal data is only ever sent to the person and organisers."""

    id: int
    meeting_id: int
    meeting_title: str = Field(alias="meeting.title")
    user_id: int | None
    name: str
    email: str
    organisation_id: int | None
    stakeholder_group: str
    languages: list[str]
    accessibility_needs: str
    status: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    attended_at: datetime.datetime | None
    decline_reason: str

    @staticmethod
    def resolve_languages(obj: Registration) -> list[str]:
        return [c.strip() for c in obj.languages.split(",") if c.strip()]


class RegisterIn(Schema):
    """Register yourself: values left out come from your account."""

    name: str | None = Field(None, max_length=200)
    email: str | None = None
    stakeholder_group: StakeholderGroup | None = None
    languages: list[str] | None = None
    accessibility_needs: str = ""
    invitation_token: str | None = None


class DeclineIn(Schema):
    """The reason told to the person (optional)."""

    reason: str = Field("", max_length=1000)


class AttendanceIn(Schema):
    """Present or not."""

    attended: bool


class InvitationOut(Schema):
    """An invitation and what became of it (its token is never sent back)."""

    id: int
    meeting_id: int
    email: str
    name: str
    stakeholder_group: str
    sent_at: datetime.datetime | None
    registration_id: int | None
    state: str

    @staticmethod
    def resolve_state(obj: Invitation) -> str:
        return services.invitation_state(obj)


class InviteeIn(Schema):
    """One address to invite."""

    email: str = Field(min_length=3, max_length=254)
    name: str = Field("", max_length=200)
    stakeholder_group: StakeholderGroup | None = None


class InviteIn(Schema):
    """Several addresses at once (all are invited, or none)."""

    invitees: list[InviteeIn] = Field(min_length=1)


# ---- one's own -----------------------------------------------------------------


@router.get("/registrations/mine", response=list[RegistrationOut], auth=WRITE_AUTH)
@paginate(BoundedPagination)
def my_registrations(request: HttpRequest) -> models.QuerySet[Registration]:
    """Your registrations, every status, newest meeting first."""
    return (
        Registration.objects.filter(user=api_actor(request))
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-created_at")
    )


@router.get("/registrations/{int:pk}", response=RegistrationOut, auth=WRITE_AUTH)
def get_registration(request: HttpRequest, pk: int) -> Registration:
    """One registration: yours, or of a meeting you organise (404 otherwise)."""
    return services.get_registration_for_user(pk, api_actor(request))


@router.post(
    "/registrations/meetings/{int:meeting_pk}", response={201: RegistrationOut}, auth=WRITE_AUTH
)
def register(request: HttpRequest, meeting_pk: int, payload: RegisterIn) -> Status[Registration]:
    """Register for a meeting (approved at once, awaiting approval, or on the waiting list)."""
    user = api_actor(request)
    data = payload.dict(exclude_none=True)
    token = data.pop("invitation_token", "")
    invitation = services.get_invitation_by_token(token) if token else None
    if invitation is not None and invitation.meeting_id == meeting_pk:
        meeting = invitation.meeting
    else:
        meeting = services.get_meeting_for_user(meeting_pk, user)
    return Status(201, services.do_register(meeting, data, actor=user, invitation=invitation))


@router.post("/registrations/{int:pk}/cancel", response=RegistrationOut, auth=WRITE_AUTH)
def cancel(request: HttpRequest, pk: int) -> Registration:
    """Cancel a registration: your own, or one of a meeting you organise."""
    user = api_actor(request)
    registration = services.get_registration_for_user(pk, user)
    return services.do_cancel_registration(registration, actor=user)


# ---- organisers ----------------------------------------------------------------


@router.get(
    "/registrations/meetings/{int:meeting_pk}", response=list[RegistrationOut], auth=WRITE_AUTH
)
@paginate(BoundedPagination)
def meeting_registrations(
    request: HttpRequest, meeting_pk: int, status: RegistrationStatus | None = None
) -> models.QuerySet[Registration]:
    """A meeting's registrations, for its organisers (filter by status)."""
    meeting = services.get_organised_meeting(meeting_pk, api_actor(request))
    qs = Registration.objects.filter(meeting=meeting).select_related("meeting")
    return qs.filter(status=status) if status else qs


@router.post("/registrations/{int:pk}/approve", response=RegistrationOut, auth=WRITE_AUTH)
def approve(request: HttpRequest, pk: int) -> Registration:
    """Approve a registration awaiting approval."""
    user = api_actor(request)
    registration = services.get_registration_for_user(pk, user)
    return services.do_approve_registration(registration, actor=user)


@router.post("/registrations/{int:pk}/decline", response=RegistrationOut, auth=WRITE_AUTH)
def decline(request: HttpRequest, pk: int, payload: DeclineIn) -> Registration:
    """Decline a registration, with an optional reason told to the person."""
    user = api_actor(request)
    registration = services.get_registration_for_user(pk, user)
    return services.do_decline_registration(registration, actor=user, reason=payload.reason)


@router.post("/registrations/{int:pk}/attendance", response=RegistrationOut, auth=WRITE_AUTH)
def attendance(request: HttpRequest, pk: int, payload: AttendanceIn) -> Registration:
    """Mark (or take back) an approved participant's presence."""
    user = api_actor(request)
    registration = services.get_registration_for_user(pk, user)
    if payload.attended:
        return services.do_mark_attendance(registration, actor=user)
    return services.do_unmark_attendance(registration, actor=user)


@router.get(
    "/registrations/meetings/{int:meeting_pk}/invitations",
    response=list[InvitationOut],
    auth=WRITE_AUTH,
)
@paginate(BoundedPagination)
def list_invitations(request: HttpRequest, meeting_pk: int) -> models.QuerySet[Invitation]:
    """A meeting's invitations, for its organisers."""
    meeting = services.get_organised_meeting(meeting_pk, api_actor(request))
    return Invitation.objects.filter(meeting=meeting).select_related("registration")


@router.post(
    "/registrations/meetings/{int:meeting_pk}/invitations",
    response={201: list[InvitationOut]},
    auth=WRITE_AUTH,
)
def invite(request: HttpRequest, meeting_pk: int, payload: InviteIn) -> Status[list[Invitation]]:
    """Invite addresses to a meeting; each gets an e-mail with a link to register."""
    user = api_actor(request)
    meeting = services.get_organised_meeting(meeting_pk, user)
    specs = [
        services.InviteeSpec(
            email=i.email, name=i.name, stakeholder_group=i.stakeholder_group or ""
        )
        for i in payload.invitees
    ]
    return Status(201, services.do_invite(meeting, specs, actor=user))
