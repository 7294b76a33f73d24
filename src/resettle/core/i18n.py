"""Names stored in the three platform languages."""

from __future__ import annotations

from django.utils.translation import get_language


def in_active_language(en: str, ar: str, fr: str) -> str:
    """The Arabic or French name when that language is active and the name is known,
    otherwise the English one."""
    lang = (get_language() or "en")[:2]
    return {"ar": ar, "fr": fr}.get(lang) or en
