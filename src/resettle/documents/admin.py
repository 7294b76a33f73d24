"""Admin for documents, their versions, and datasets presented at consultations."""

from django.contrib import admin

from resettle.core.admin_audit import AuditedAdmin
from resettle.documents.models import Document, DocumentVersion, PresentedDataset


@admin.register(Document)
class DocumentAdmin(AuditedAdmin[Document]):
    """Documents."""

    list_display = ("title", "kind", "access", "forum", "meeting", "created_at")
    list_filter = ("kind", "access", "forum")
    search_fields = ("title",)
    raw_id_fields = ("meeting", "cycle", "created_by")


@admin.register(DocumentVersion)
class DocumentVersionAdmin(AuditedAdmin[DocumentVersion]):
    """Document versions (files are uploaded through the site, which checks them)."""

    list_display = ("document", "language", "number", "original_name", "size", "uploaded_at")
    list_filter = ("language",)
    search_fields = ("document__title", "original_name")
    readonly_fields = ("size", "content_type", "sha256", "uploaded_at")
    raw_id_fields = ("document", "uploaded_by")


@admin.register(PresentedDataset)
class PresentedDatasetAdmin(AuditedAdmin[PresentedDataset]):
    """Datasets presented at meetings and cycles."""

    list_display = ("dataset_version", "meeting", "cycle", "created_at")
    raw_id_fields = ("meeting", "cycle", "dataset_version", "created_by")
