"""Populations that are not a nationality, as UNHCR's data names them.

UNHCR's data uses a few origin codes that are no ISO country: these become
named populations, next to one population per ISO country.
"""

from __future__ import annotations

from typing import TypedDict


class GroupRow(TypedDict):
    """A named population's code, UNHCR code and names."""

    code: str
    unhcr_code: str
    name_en: str
    name_ar: str
    name_fr: str


GROUPS: list[GroupRow] = [
    {
        "code": "ROHINGYA",
        "unhcr_code": "",
        "name_en": "Rohingya",
        "name_ar": "الروهينغا",
        "name_fr": "Rohingya",
    },
    {
        "code": "STATELESS",
        "unhcr_code": "STA",
        "name_en": "Stateless",
        "name_ar": "عديمو الجنسية",
        "name_fr": "Apatrides",
    },
    {
        "code": "TIBETAN",
        "unhcr_code": "TIB",
        "name_en": "Tibetan",
        "name_ar": "التبتيون",
        "name_fr": "Tibétains",
    },
    {
        "code": "UNKNOWN",
        "unhcr_code": "UKN",
        "name_en": "Unknown origin",
        "name_ar": "أصل غير معروف",
        "name_fr": "Origine inconnue",
    },
]

# UNHCR data files spell the unknown origin both UKN and UNK.
UNHCR_GROUP_CODES = {"STA": "STATELESS", "TIB": "TIBETAN", "UKN": "UNKNOWN", "UNK": "UNKNOWN"}
