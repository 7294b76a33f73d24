"""Meetings of the forums: consultations, WGR and PSCG meetings, network meetings;
their agenda, speakers and moderators, and planning committees.

Who may see a meeting follows its forum (see forums.models.ForumQuerySet).
Stakeholder groups are shared by speakers, planning committees and
registrations, so that refugee participation can be counted across them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Organisation, Person
from resettle.forums.models import ConsultationCycle, Forum

if TYPE_CHECKING:
    from resettle.accounts.models import User


class StakeholderGroup(models.TextChoices):
    """The group a participant speaks for."""

    STATE = "state", _("State")
    NGO = "ngo", _("NGO")
    UNHCR = "unhcr", _("UNHCR")
    IOM = "iom", _("IOM")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    REFUGEE = "refugee", _("Refugee representative")
    OTHER = "other", _("Other")


class MeetingKind(models.TextChoices):
    """What sort of meeting."""

    CONSULTATION = "consultation", _("Annual consultation")
    WGR = "wgr", _("Working Group on Resettlement meeting")
    PSCG = "pscg", _("Priority Situations Core Group meeting")
    STEERING = "steering", _("Steering Committee meeting")
    RAG = "rag", _("Refugee Advisory Group meeting")
    NETWORK = "network", _("Network or working group meeting")
    OTHER = "other", _("Other meeting")


class MeetingFormat(models.TextChoices):
    """Where people meet."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


LANGUAGE_CODES = RegexValidator(
    r"^([a-z]{2,3})(\s*,\s*[a-z]{2,3})*$",
    _("Give language codes separated by commas, such as: en, ar, fr."),
)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """A meeting is seen by whoever sees its forum."""

    def visible_to(self, user: User | None) -> MeetingQuerySet:
        """The meetings of the forums this user may see."""
        return self.filter(forum__in=Forum.objects.visible_to(user))


class Meeting(models.Model):
    """A meeting of a forum, in a consultation cycle where it has one."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings"
    )
    cycle = models.ForeignKey(
        ConsultationCycle,
        verbose_name=_("consultation cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("The time zone of the venue, such as Europe/Zurich for Geneva."),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    working_languages = models.CharField(
        _("working languages"),
        max_length=60,
        default="en",
        help_text=_("Language codes separated by commas: en, ar, fr."),
        validators=[LANGUAGE_CODES],
    )
    description = models.TextField(_("description"), blank=True)
    # Registration settings.
    registration_open = models.BooleanField(_("registration open"), default=False)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    requires_approval = models.BooleanField(
        _("registrations need the organisers' approval"), default=True
    )
    # Participation figures reported for meetings held before the platform kept
    # registration lists; participation indicators use registrations when there
    # are any and fall back on these.
    reported_participants = models.PositiveIntegerField(
        _("reported participants"),
        null=True,
        blank=True,
        help_text=_(
            "For a meeting held before registrations were kept here: the number of "
            "participants reported at the time. Leave empty when registrations are recorded."
        ),
    )
    reported_refugee_participants = models.PositiveIntegerField(
        _("reported refugee participants"),
        null=True,
        blank=True,
        help_text=_(
            "For a meeting held before registrations were kept here: the number of refugee "
            "representatives reported at the time (for example 4 at the ATCR 2018)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        """The working languages as a list of codes."""
        return [c.strip() for c in self.working_languages.split(",") if c.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = str(_("The meeting cannot end before it starts."))
        if self.cycle is not None and self.forum_id and self.cycle.forum_id != self.forum_id:
            errors["cycle"] = str(_("The cycle must belong to the meeting's forum."))
        if self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not self.online_url:
            errors["online_url"] = str(_("An online or hybrid meeting needs its online link."))
        if self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not self.venue:
            errors["venue"] = str(_("An in-person or hybrid meeting needs its venue."))
        if self.time_zone and self.time_zone not in available_timezones():
            errors["time_zone"] = str(_("Unknown time zone."))
        if (
            self.reported_participants is not None
            and self.reported_refugee_participants is not None
            and self.reported_refugee_participants > self.reported_participants
        ):
            errors["reported_refugee_participants"] = str(
                _("Refugee participants cannot outnumber all participants.")
            )
        if errors:
            raise ValidationError(errors)


class AgendaSession(models.Model):
    """One session or time slot of a meeting's agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("agenda session")
        verbose_name_plural = _("agenda sessions")
        ordering = ["meeting", "position", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The session cannot end before it starts.")})


class SpeakerRole(models.TextChoices):
    """What a person does in a session."""

    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")


class SessionSpeaker(models.Model):
    """A speaker or moderator of a session, with the stakeholder group they speak for."""

    session = models.ForeignKey(
        AgendaSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="speakers"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("When the person is not in contacts.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["session", "role", "position", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The person's name, or the name given."""
        return str(self.person) if self.person_id else self.name

    @property
    def is_refugee(self) -> bool:
        """Whether the speaker speaks as a refugee representative."""
        return self.stakeholder_group == StakeholderGroup.REFUGEE

    def clean(self) -> None:
        if not self.person_id and not self.name.strip():
            raise ValidationError({"name": _("Choose a contact or give a name.")})


class PlanningMember(models.Model):
    """A member of a meeting's planning committee (refugees take part from the start)."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="planning_members",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    role = models.CharField(_("role in the committee"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("planning committee member")
        verbose_name_plural = _("planning committee members")
        ordering = ["meeting", "stakeholder_group", "pk"]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.name

    @property
    def is_refugee(self) -> bool:
        """Whether the member sits as a refugee representative."""
        return self.stakeholder_group == StakeholderGroup.REFUGEE

    def clean(self) -> None:
        if not self.person_id and not self.name.strip():
            raise ValidationError({"name": _("Choose a contact or give a name.")})
