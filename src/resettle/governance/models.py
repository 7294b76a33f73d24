"""Governance of the consultations: Steering Committee recommendations and the RAG advice log.

Steering Committee members are not stored here: they are `forums.Membership`
rows of the forum of kind `steering_committee`, whose `mandate_years` gives
the length of a mandate. Who may see a recommendation or an advice item
follows the forums involved (see forums.models.ForumQuerySet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resettle.directory.models import Organisation
from resettle.forums.models import ConsultationCycle, Forum

if TYPE_CHECKING:
    from resettle.accounts.models import User


class RecommendationTopic(models.TextChoices):
    """What a recommendation is about (the Steering Committee's terms of reference)."""

    FORMAT = "format", _("Format of the consultations")
    PATHWAYS = "pathways", _("Relation to complementary pathways")
    WORKING_GROUPS = "working_groups", _("Thematic working groups")
    COCHAIRS = "cochairs", _("Roles of the co-chairs")
    RAG_UNHCR = "rag_unhcr", _("Roles of the RAG and UNHCR")
    PARTICIPATION = "participation", _("Participation")
    CONTINUITY = "continuity", _("Continuity")
    OTHER = "other", _("Other")


class RecommendationStatus(models.TextChoices):
    """Where a recommendation stands."""

    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_PURSUED = "not_pursued", _("Not pursued")


# Recommendations still to be carried out (shown in the co-chairs' handover pack).
OPEN_RECOMMENDATION_STATUSES = (
    RecommendationStatus.PROPOSED,
    RecommendationStatus.AGREED,
    RecommendationStatus.IN_PROGRESS,
)


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    """A recommendation is seen by whoever sees its forum."""

    def visible_to(self, user: User | None) -> RecommendationQuerySet:
        """The recommendations of the forums this user may see."""
        return self.filter(forum__in=Forum.objects.visible_to(user))

    def open(self) -> RecommendationQuerySet:
        """Recommendations proposed, agreed or in progress."""
        return self.filter(status__in=OPEN_RECOMMENDATION_STATUSES)


class Recommendation(models.Model):
    """A recommendation of the Steering Committee (or another forum) on how the
    consultations work, with its owner, status and progress."""

    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text=_("The Steering Committee, or the forum that made the recommendation."),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=RecommendationTopic.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation that carries the recommendation out."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("From 0 to 100."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["topic", "target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="recommendation_progress_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:recommendation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Whether the recommendation is still to be carried out."""
        return self.status in OPEN_RECOMMENDATION_STATUSES

    def clean(self) -> None:
        if self.status == RecommendationStatus.IMPLEMENTED and self.progress != 100:
            raise ValidationError(
                {"progress": _("An implemented recommendation must show a progress of 100.")}
            )


class RecommendationMilestone(models.Model):
    """A step towards carrying out a recommendation, with its due date and when it was done."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=300)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["recommendation", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.recommendation.get_absolute_url()

    @property
    def is_done(self) -> bool:
        """Whether the milestone was reached."""
        return self.done_on is not None


class RecommendationEvidence(models.Model):
    """Evidence that a recommendation is being carried out: a description and a link."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    description = models.CharField(_("description"), max_length=500)
    url = models.URLField(_("link"), blank=True)
    added_on = models.DateField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["recommendation", "pk"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.recommendation.get_absolute_url()


class AdviceStatus(models.TextChoices):
    """Where an advice item of the Refugee Advisory Group stands."""

    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACTED_UPON = "acted_upon", _("Acted upon")
    DECLINED = "declined", _("Declined")


# Statuses that say the addressee has responded (counted as "answered" in the indicators).
ANSWERED_STATUSES = (AdviceStatus.ANSWERED, AdviceStatus.ACTED_UPON, AdviceStatus.DECLINED)


class RagAdviceQuerySet(models.QuerySet["RagAdvice"]):
    """An advice item is seen by whoever sees the RAG or the forum it was given to."""

    def visible_to(self, user: User | None) -> RagAdviceQuerySet:
        """The advice items this user may see."""
        forums = Forum.objects.visible_to(user)
        return self.filter(Q(source__in=forums) & Q(target_forum__in=forums))


class RagAdvice(models.Model):
    """Advice from the Refugee Advisory Group to a forum, its co-chairs or a working group,
    and the answer it received."""

    source = models.ForeignKey(
        Forum,
        verbose_name=_("advisory group"),
        on_delete=models.PROTECT,
        related_name="advice_given",
        help_text=_("The Refugee Advisory Group that gives the advice."),
    )
    target_forum = models.ForeignKey(
        Forum,
        verbose_name=_("to forum"),
        on_delete=models.PROTECT,
        related_name="advice_received",
    )
    cycle = models.ForeignKey(
        ConsultationCycle,
        verbose_name=_("consultation cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rag_advice",
    )
    addressee = models.CharField(
        _("addressed to"),
        max_length=200,
        blank=True,
        help_text=_("Such as: the co-chairs, a thematic working group."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    advice = models.TextField(_("advice"))
    given_on = models.DateField(_("given on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Organisation,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AdviceStatus.choices, default=AdviceStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RagAdviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("RAG advice")
        verbose_name_plural = _("RAG advice")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("governance:rag_advice_detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        """Whether the addressee has responded."""
        return self.status in ANSWERED_STATUSES

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.source_id and self.source.kind != "advisory_group":
            errors["source"] = str(_("Advice comes from an advisory group, such as the RAG."))
        if self.cycle_id and self.target_forum_id:
            target = self.target_forum
            cycle = self.cycle
            if cycle is not None and cycle.forum_id not in (target.pk, target.parent_id):
                errors["cycle"] = str(
                    _("The cycle must belong to the forum the advice is given to, or its parent.")
                )
        if self.status in ANSWERED_STATUSES:
            if not self.answer.strip():
                errors["answer"] = str(_("Give the answer before marking the advice answered."))
            if self.answered_on is None:
                errors["answered_on"] = str(_("Give the date of the answer."))
        if self.answered_on and self.given_on and self.answered_on < self.given_on:
            errors["answered_on"] = str(_("The answer cannot come before the advice."))
        if errors:
            raise ValidationError(errors)
