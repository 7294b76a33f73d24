"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from resettle.accounts.models import User
from resettle.accounts.roles import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Text direction for the layout (Bootstrap's RTL build for Arabic), and which
    role-dependent links the navigation offers."""
    user = getattr(request, "user", None)
    return {
        "rtl": get_language_bidi(),
        "can_import": isinstance(user, User) and user.can(Capability.IMPORT_DATA),
    }
