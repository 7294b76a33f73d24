"""Forms of the meetings app: the meeting, agenda session, speaker and committee forms,
and the list filters.

Dates and times are typed in the meeting's own time zone (that of its venue),
whatever the time zone of the person typing them.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Person
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.access import organised_forums
from resettle.meetings.models import (
    AgendaSession,
    Meeting,
    MeetingKind,
    PlanningMember,
    SessionSpeaker,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _zone(name: str) -> datetime.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def in_zone(value: datetime.datetime | None, zone: datetime.tzinfo) -> datetime.datetime | None:
    """The wall-clock time typed in a form, read in the given zone.

    Django reads a typed date and time in the active time zone; the meeting's
    zone is what the organiser meant.
    """
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, zone)


def wall_clock(value: datetime.datetime | None, zone: datetime.tzinfo) -> Any:
    """A stored time as the naive wall-clock time in the given zone, for a form's input."""
    if value is None:
        return None
    return value.astimezone(zone).replace(tzinfo=None)


class MeetingForm(BootstrapFormMixin, forms.ModelForm[Meeting]):
    """Add or edit a meeting; forums limited to those the user organises."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(z, z) for z in sorted(available_timezones())],
        initial="Europe/Zurich",
        help_text=_("The time zone of the venue; dates and times are typed in it."),
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = [
            "forum",
            "cycle",
            "title",
            "kind",
            "time_zone",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "online_url",
            "working_languages",
            "description",
            "registration_open",
            "registration_closes_at",
            "capacity",
            "requires_approval",
            "reported_participants",
            "reported_refugee_participants",
        ]
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "registration_closes_at": _datetime_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forums = organised_forums(self.user)
        current = self.instance.forum_id if self.instance.pk else None
        forum_q = Q(pk__in=forums.values("pk"))
        if current:
            # A cycle co-chair organises the meeting without organising its forum.
            forum_q |= Q(pk=current)
        self.fields["forum"].queryset = Forum.objects.filter(forum_q)  # type: ignore[attr-defined]
        forum_id = self.data.get("forum") or self.initial.get("forum") or current
        if isinstance(forum_id, Forum):
            forum_id = forum_id.pk
        cycles = ConsultationCycle.objects.select_related("forum")
        if str(forum_id or "").isdigit():
            cycles = cycles.filter(forum_id=int(str(forum_id)))
        else:
            cycles = cycles.filter(forum__in=self.fields["forum"].queryset)  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]
        if self.instance.pk:
            zone = _zone(self.instance.time_zone)
            for name in ("starts_at", "ends_at", "registration_closes_at"):
                self.initial[name] = wall_clock(getattr(self.instance, name), zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = _zone(data.get("time_zone") or "UTC")
        for name in ("starts_at", "ends_at", "registration_closes_at"):
            if data.get(name) is not None:
                data[name] = in_zone(data[name], zone)
        return data


class SessionForm(BootstrapFormMixin, forms.ModelForm[AgendaSession]):
    """Add or edit an agenda session; times in the meeting's time zone."""

    class Meta:
        model = AgendaSession
        fields = ["title", "starts_at", "ends_at", "room", "description"]
        widgets = {
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        self.meeting = meeting
        self.zone = _zone(meeting.time_zone)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("starts_at", "ends_at"):
                self.initial[name] = wall_clock(getattr(self.instance, name), self.zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = in_zone(data[name], self.zone)
        return data


class SpeakerForm(BootstrapFormMixin, forms.ModelForm[SessionSpeaker]):
    """Add a speaker or moderator to a session."""

    class Meta:
        model = SessionSpeaker
        fields = ["role", "person", "name", "organisation", "stakeholder_group"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(self.user).select_related(  # type: ignore[attr-defined]
            "organisation"
        )


class PlanningMemberForm(BootstrapFormMixin, forms.ModelForm[PlanningMember]):
    """Add a member to a meeting's planning committee."""

    class Meta:
        model = PlanningMember
        fields = ["person", "name", "organisation", "stakeholder_group", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(self.user).select_related(  # type: ignore[attr-defined]
            "organisation"
        )


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class MeetingFilterForm(FilterForm):
    """Filters of the meeting list; `year` and `when` are annotations of the list's queryset."""

    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=_any(MeetingKind.choices))
    cycle = forms.ModelChoiceField(
        label=_("Consultation cycle"), queryset=ConsultationCycle.objects.all()
    )
    year = forms.IntegerField(label=_("Year"), min_value=1995, max_value=2100)
    when = forms.ChoiceField(
        label=_("When"),
        choices=_any([("upcoming", _("Upcoming")), ("past", _("Past"))]),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only what the user may see: a hidden forum's name is not theirs to read.
        visible = Forum.objects.visible_to(self.user)
        self.fields["forum"].queryset = visible  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = ConsultationCycle.objects.filter(  # type: ignore[attr-defined]
            forum__in=visible
        ).select_related("forum")
