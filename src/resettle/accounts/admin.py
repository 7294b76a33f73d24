"""Admin for user accounts and API tokens."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from resettle.accounts.models import ApiToken, User
from resettle.core.admin_audit import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin[User], BaseUserAdmin[User]):
    """Users with their organisation and role."""

    list_display = ("username", "email", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Resettle", {"fields": ("organisation", "role", "person", "preferred_language")}),
    )
    autocomplete_fields = ("organisation", "person")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin[ApiToken]):
    """Tokens can be seen and revoked, never read back."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix", "created_at")
