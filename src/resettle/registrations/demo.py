"""Demo registrations: the 2026 consultation's participants, the demo users' own
registrations, and a few invitations.

All people, e-mail addresses and needs below are invented (illustrative demo
content). The 2026 consultation has already taken place when the demo is
loaded, so its registrations are written directly with save_with_audit (the
registration service would rightly refuse a meeting whose registration is
closed). Idempotent: a registration is found by (meeting, e-mail), an
invitation by (meeting, e-mail); only missing ones are created.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from resettle.accounts.models import User
from resettle.core.audit import save_with_audit
from resettle.directory.models import Organisation
from resettle.meetings.models import Meeting, StakeholderGroup
from resettle.registrations.models import Invitation, Registration, RegistrationStatus

G = StakeholderGroup
S = RegistrationStatus
NOTE = "Illustrative demo content."

# name, stakeholder group, organisation acronym, languages, status, attended, accessibility
PARTICIPANTS: tuple[tuple[str, str, str, str, str, bool, str], ...] = (
    ("Amina Yusuf", G.REFUGEE, "", "en, ar", S.APPROVED, True, "Arabic interpretation"),
    ("Hassan Al-Khatib", G.REFUGEE, "", "ar", S.APPROVED, True, ""),
    ("Nour Haddad", G.REFUGEE, "", "ar, en", S.APPROVED, True, "Step-free access (wheelchair)"),
    ("Farid Rahimi", G.REFUGEE, "", "en", S.APPROVED, True, ""),
    ("Mariam Osman", G.REFUGEE, "", "en, fr", S.APPROVED, False, ""),
    ("Abdi Warsame", G.REFUGEE, "", "en", S.APPROVED, True, ""),
    ("Layla Darwish", G.REFUGEE, "", "ar", S.APPROVED, True, "A quiet room for breaks"),
    ("Jean-Paul Habimana", G.REFUGEE, "", "fr", S.APPROVED, True, ""),
    ("Zahra Ahmadi", G.REFUGEE, "", "en", S.PENDING, False, ""),
    ("Mohammed Saleh", G.REFUGEE, "", "ar", S.WAITLISTED, False, ""),
    ("Esperance Uwase", G.REFUGEE, "", "fr, en", S.APPROVED, False, ""),
    ("Karim Nassar", G.REFUGEE, "", "ar, fr", S.CANCELLED, False, ""),
    ("Sofia Lindqvist", G.STATE, "", "en", S.APPROVED, True, ""),
    ("Pierre Martin", G.STATE, "", "fr", S.APPROVED, True, ""),
    ("Rachel Thompson", G.STATE, "", "en", S.PENDING, False, ""),
    ("Diego Fernández", G.NGO, "", "en, fr", S.APPROVED, True, ""),
    ("Ingrid Hansen", G.NGO, "", "en", S.APPROVED, False, ""),
    ("Lucas Moreau", G.NGO, "", "fr", S.DECLINED, False, ""),
    ("Grace Wanjiru", G.UNHCR, "UNHCR", "en", S.APPROVED, True, ""),
    ("Omar Farouk", G.UNHCR, "UNHCR", "en, ar", S.APPROVED, True, ""),
    ("Elena Petrova", G.IOM, "IOM", "en", S.APPROVED, True, ""),
    ("Tom Becker", G.PRIVATE_SECTOR, "", "en", S.WAITLISTED, False, ""),
    ("Aisha Bello", G.ACADEMIA, "", "en", S.APPROVED, False, "Captions for online sessions"),
    ("Chen Wei", G.ACADEMIA, "", "en", S.CANCELLED, False, ""),
    ("Maria Rossi", G.OTHER, "", "en, fr", S.DECLINED, False, ""),
)

# Invitations: e-mail, name, group, whether the invitee registered (their e-mail above).
INVITATIONS: tuple[tuple[str, str, str], ...] = (
    ("amina.yusuf@example.org", "Amina Yusuf", G.REFUGEE),
    ("layla.darwish@example.org", "Layla Darwish", G.REFUGEE),
    ("speaker.guest@example.org", "Guest speaker (illustrative)", G.ACADEMIA),
    ("youth.delegate@example.org", "", G.REFUGEE),
)


def _email(name: str) -> str:
    plain = name.lower().replace("'", "").replace(" ", ".").replace("á", "a").replace("é", "e")
    return f"{plain}@example.org"


def _find_2026_consultation() -> Meeting | None:
    return (
        Meeting.objects.filter(forum__acronym="CRCP", starts_at__year=2026)
        .order_by("starts_at")
        .first()
    )


class _Loader:
    def __init__(self) -> None:
        self.created = 0

    def registration(self, meeting: Meeting, email: str, **fields: Any) -> Registration:
        # A demo account's registration is found by its account: its owner may
        # have changed the account's e-mail since the first load.
        user = fields.get("user")
        same = {"user": user} if user is not None else {"email__iexact": email}
        found = Registration.objects.filter(meeting=meeting, **same).first()
        if found is not None:
            return found
        decided = meeting.starts_at - datetime.timedelta(days=20)
        status = fields.get("status", S.APPROVED)
        values = {
            "meeting": meeting,
            "email": email,
            "decided_at": decided if status in (S.APPROVED, S.DECLINED) else None,
            **fields,
        }
        self.created += 1
        return save_with_audit(Registration(), values, actor=None)

    def invitation(self, meeting: Meeting, email: str, name: str, group: str) -> None:
        if Invitation.objects.filter(meeting=meeting, email__iexact=email).exists():
            return
        registration = Registration.objects.filter(meeting=meeting, email__iexact=email).first()
        save_with_audit(
            Invitation(),
            {
                "meeting": meeting,
                "email": email,
                "name": name,
                "stakeholder_group": group,
                "sent_at": meeting.starts_at - datetime.timedelta(days=45),
                "registration": registration,
            },
            actor=None,
        )
        self.created += 1

    def consultation(self, meeting: Meeting) -> None:
        for name, group, acronym, languages, status, attended, needs in PARTICIPANTS:
            org = Organisation.objects.filter(acronym=acronym).first() if acronym else None
            self.registration(
                meeting,
                _email(name),
                name=name,
                stakeholder_group=group,
                organisation=org,
                languages=languages,
                accessibility_needs=f"{needs} ({NOTE})" if needs else "",
                status=status,
                attended_at=meeting.starts_at if attended and status == S.APPROVED else None,
                decline_reason=(
                    f"The room is limited to one delegate per organisation. ({NOTE})"
                    if status == S.DECLINED
                    else ""
                ),
            )
        for email, name, group in INVITATIONS:
            self.invitation(meeting, email, name, group)

    def demo_user(
        self, meeting: Meeting, user: User, *, status: str, attended: bool, needs: str = ""
    ) -> None:
        group = {
            "state": G.STATE,
            "ngo": G.NGO,
            "refugee": G.REFUGEE,
            "unhcr": G.UNHCR,
        }.get(user.role, G.OTHER)
        self.registration(
            meeting,
            user.email or f"{user.username}@example.org",
            user=user,
            name=user.get_full_name() or user.username,
            organisation=user.organisation,
            stakeholder_group=group,
            languages=meeting.working_languages,
            accessibility_needs=needs,
            status=status,
            attended_at=meeting.starts_at if attended else None,
        )


@transaction.atomic
def load_registrations_demo() -> int:
    """Create the demo registrations and invitations that are missing; return how many."""
    loader = _Loader()
    consultation = _find_2026_consultation()
    users = {u.username: u for u in User.objects.filter(username__in=["state", "ngo", "refugee"])}
    if consultation is not None:
        loader.consultation(consultation)
        for username, user in users.items():
            needs = f"Arabic interpretation ({NOTE})" if username == "refugee" else ""
            loader.demo_user(consultation, user, status=S.APPROVED, attended=True, needs=needs)
    # An upcoming meeting, so the demo users also have a registration still to come.
    upcoming = (
        Meeting.objects.filter(forum__acronym="WGR", starts_at__year=2026, starts_at__month=12)
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        for username in ("state", "ngo"):
            if username in users:
                loader.demo_user(upcoming, users[username], status=S.PENDING, attended=False)
    return loader.created
