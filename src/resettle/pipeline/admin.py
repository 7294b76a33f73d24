"""Admin of the case pipeline: no decrypted personal or medical data in lists or forms.

Case files and family members carry the data subject actions (export
everything held, erase: admin_subjects.py).
"""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.pipeline.admin_subjects import CaseFileSubjectActions, MemberSubjectActions
from resettle.pipeline.models import (
    CaseFile,
    FamilyMember,
    MedicalAssessment,
    MedicalStaff,
    OrientationSession,
    PersonalDataAccess,
    StageEvent,
    SubjectRequest,
    TravelBooking,
)


@admin.register(CaseFile)
class CaseFileAdmin(CaseFileSubjectActions, AuditedAdmin[CaseFile]):
    """Case files, with the family's data subject actions."""

    list_display = ("case", "province", "stage", "stage_since", "erased_at", "is_illustrative")
    actions = ("export_subject", "erase_subject")
    exclude = ("reason_sealed",)
    list_filter = ("stage",)
    search_fields = ("case__reference", "province")
    raw_id_fields = ("case",)


@admin.register(FamilyMember)
class FamilyMemberAdmin(MemberSubjectActions, AuditedAdmin[FamilyMember]):
    """Family members: the encrypted fields are neither listed nor editable here."""

    list_display = (
        "case_file",
        "position",
        "sex",
        "relationship",
        "interview_required",
        "erased_at",
    )
    actions = ("export_subject", "erase_subject")
    exclude = (
        "name_sealed",
        "date_of_birth_sealed",
        "medical_needs_sealed",
        "accessibility_needs_sealed",
    )
    raw_id_fields = ("case_file",)


@admin.register(StageEvent)
class StageEventAdmin(AuditedAdmin[StageEvent]):
    """Stage events (the note is encrypted: shown on the case file's page)."""

    list_display = ("case_file", "stage", "date", "organisation", "by")
    exclude = ("note_sealed",)
    list_filter = ("stage",)
    raw_id_fields = ("case_file",)


@admin.register(MedicalStaff)
class MedicalStaffAdmin(AuditedAdmin[MedicalStaff]):
    """Who is on the medical staff (administrators keep this list)."""

    list_display = ("user", "active", "note")
    raw_id_fields = ("user",)


@admin.register(MedicalAssessment)
class MedicalAssessmentAdmin(AuditedAdmin[MedicalAssessment]):
    """Medical assessments: outcome only; findings stay encrypted and hidden."""

    list_display = ("case_file", "date", "outcome")
    exclude = ("findings_sealed",)
    raw_id_fields = ("case_file",)


@admin.register(OrientationSession)
class OrientationSessionAdmin(AuditedAdmin[OrientationSession]):
    """Cultural orientation sessions."""

    list_display = ("date", "language", "facilitator")


@admin.register(TravelBooking)
class TravelBookingAdmin(AuditedAdmin[TravelBooking]):
    """Flight bookings."""

    list_display = ("case_file", "flight", "date", "destination")
    raw_id_fields = ("case_file",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin[PersonalDataAccess]):
    """The log of reads of personal data (read only)."""

    list_display = ("at", "user_repr", "what", "case_file", "channel")
    list_filter = ("what", "channel")
    exclude = ("purpose_sealed",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(admin.ModelAdmin[SubjectRequest]):
    """Exports and erasures of families' data (read only: written by the actions)."""

    list_display = ("at", "kind", "case", "member", "scope", "origin", "actor_repr", "channel")
    list_filter = ("kind", "scope", "origin", "channel")
    search_fields = ("case__reference",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
