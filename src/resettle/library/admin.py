"""Admin of the knowledge library: read only, because changes go through the pages and
the API, which write the audit log and keep the search text in step."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from resettle.library.models import LibraryItem


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin[LibraryItem]):
    """Library items, searchable by title."""

    list_display = ("title", "kind", "year", "access", "text_language")
    list_filter = ("kind", "access", "text_language")
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
