"""Admin for capacity building (every change audited)."""

from django.contrib import admin

from resettle.capacity.models import (
    Assessment,
    AssessmentScore,
    ModuleVersion,
    ParticipantResult,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.core.admin_audit import AuditedAdmin


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin[Assessment]):
    """Capacity assessments (their scores have their own admin page, audited)."""

    list_display = ("country", "assessed_on", "assessor", "status", "derived_stage")
    list_filter = ("status", "derived_stage", "is_illustrative")
    search_fields = ("country__name_en", "summary")
    raw_id_fields = ("country", "assessor", "created_by")


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(AuditedAdmin[AssessmentScore]):
    """Dimension scores."""

    list_display = ("assessment", "dimension", "score")
    list_filter = ("dimension",)
    raw_id_fields = ("assessment",)


@admin.register(TechnicalAssistance)
class TechnicalAssistanceAdmin(AuditedAdmin[TechnicalAssistance]):
    """Technical-assistance requests."""

    list_display = ("title", "country", "dimension", "provider", "status", "requested_on")
    list_filter = ("status", "dimension", "provider_kind", "is_illustrative")
    search_fields = ("title", "description", "outcome")
    raw_id_fields = ("country", "provider", "created_by")


@admin.register(TrainingModule)
class TrainingModuleAdmin(AuditedAdmin[TrainingModule]):
    """Modules of the training package."""

    list_display = ("code", "title", "dimension", "duration_hours")
    list_filter = ("dimension", "is_illustrative")
    search_fields = ("code", "title")


@admin.register(ModuleVersion)
class ModuleVersionAdmin(AuditedAdmin[ModuleVersion]):
    """Language versions of modules."""

    list_display = ("module", "language", "title")
    list_filter = ("language",)
    raw_id_fields = ("module",)


@admin.register(TrainingDelivery)
class TrainingDeliveryAdmin(AuditedAdmin[TrainingDelivery]):
    """Deliveries of training modules."""

    list_display = ("module", "date", "place", "online", "participant_count")
    list_filter = ("online", "is_illustrative")
    raw_id_fields = ("module", "country", "created_by")
    filter_horizontal = ("trainer_organisations", "trainers", "participants")


@admin.register(ParticipantResult)
class ParticipantResultAdmin(AuditedAdmin[ParticipantResult]):
    """Participants' test results."""

    list_display = ("delivery", "person", "label", "pre_score", "post_score")
    raw_id_fields = ("delivery", "person")
