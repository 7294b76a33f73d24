"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Text direction for the layout (Bootstrap's RTL build for Arabic)."""
    return {"rtl": get_language_bidi()}
