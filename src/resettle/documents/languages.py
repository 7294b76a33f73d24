"""Language codes of document variants: which are accepted and how they are named."""

from __future__ import annotations

from functools import cache

import pycountry
from django.conf.locale import LANG_INFO
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# The six official UN languages, offered first in forms.
UN_LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
]


@cache
def _iso_639_1() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if getattr(lang, "alpha_2", None))


def is_language_code(code: str) -> bool:
    """Whether a code is an ISO 639-1 language code (two lower-case letters)."""
    return code in _iso_639_1()


def is_rtl(code: str) -> bool:
    """Whether the language is written right to left."""
    return bool(LANG_INFO.get(code, {}).get("bidi", False))


def language_name(code: str) -> str:
    """The language's name in that language where known (العربيّة, Français), else in English."""
    if code == "zh":  # Django knows only zh-hans and zh-hant
        return "中文"
    info = LANG_INFO.get(code)
    if info and "name_local" in info:
        return capfirst(str(info["name_local"])) or code
    lang = pycountry.languages.get(alpha_2=code)
    return str(lang.name) if lang is not None else code
