"""Admin for user accounts and API tokens."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from resettle.accounts import services, services_mfa
from resettle.accounts.models import ApiToken, LoginAttempt, MfaDevice, User
from resettle.accounts.sessions import end_user_sessions
from resettle.core.admin_audit import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin[User], BaseUserAdmin[User]):
    """Users with their organisation and role; disabling one ends their sessions."""

    list_display = ("username", "email", "organisation", "role", "is_active", "mfa_on")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Resettle", {"fields": ("organisation", "role", "person", "preferred_language")}),
    )
    autocomplete_fields = ("organisation", "person")
    actions = ("reset_mfa", "disable_accounts")

    @admin.display(boolean=True, description=gettext_lazy("MFA"))
    def mfa_on(self, obj: User) -> bool:
        """Whether the user has an authenticator app."""
        try:
            obj.mfa_device  # noqa: B018 - fetched with the list (select_related)
        except MfaDevice.DoesNotExist:
            return False
        return True

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("organisation", "mfa_device")

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            # Disabled here rather than through do_set_user_active: end the sessions too.
            end_user_sessions(obj)

    @admin.action(description=gettext_lazy("Reset multi-factor authentication"))
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Remove the selected users' authenticator apps (a lost phone); audited."""
        actor = request.user
        assert isinstance(actor, User)  # noqa: S101 - the admin site requires a signed-in user
        done = sum(services_mfa.do_reset_mfa(user, actor=actor) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Multi-factor authentication reset for %(count)s user; they were logged out.",
                "Multi-factor authentication reset for %(count)s users; they were logged out.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Disable the accounts and end their sessions"))
    def disable_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Disable the selected accounts (not one's own); their sessions end at once."""
        actor = request.user
        assert isinstance(actor, User)  # noqa: S101 - the admin site requires a signed-in user
        done = 0
        for user in queryset:
            try:
                services.do_set_user_active(user, active=False, actor=actor)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)s account disabled; its sessions ended.",
                "%(count)s accounts disabled; their sessions ended.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin[ApiToken]):
    """Tokens can be seen and revoked, never read back."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix", "created_at")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin[LoginAttempt]):
    """Failed and refused logins of the last day (the throttle's counts), read only."""

    list_display = ("at", "username", "ip", "stage", "outcome")
    list_filter = ("outcome", "stage")
    search_fields = ("username", "ip")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
