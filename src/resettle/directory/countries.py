"""The country list: ISO 3166-1 from pycountry, names in three languages, UNHCR codes.

Pure data assembly (no database): the migration that loads countries and the
demo loader both call `country_rows()`.
"""

from __future__ import annotations

import csv
import gettext
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

import pycountry

UNHCR_CSV = Path(__file__).resolve().parent / "data" / "unhcr_countries.csv"


class CountryRow(TypedDict):
    """One country's fields, as the Country model stores them."""

    iso3: str
    iso2: str
    numeric: str
    name_en: str
    name_ar: str
    name_fr: str
    unhcr_code: str
    unhcr_region: str


# Names pycountry has changed while its translation catalogues still key the
# older English name.
_FORMER_NAMES = {"TUR": "Turkey"}
# Names missing from pycountry's catalogues altogether.
_MISSING = {("TUR", "ar"): "تركيا"}


@lru_cache(maxsize=4)
def _translator(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def _translate(country: object, lang: str) -> str:
    """The first of the country's English names that the catalogue translates."""
    iso3 = getattr(country, "alpha_3", "")
    candidates = [
        getattr(country, "common_name", None),
        getattr(country, "name", None),
        getattr(country, "official_name", None),
        _FORMER_NAMES.get(iso3),
    ]
    if (iso3, lang) in _MISSING:
        return _MISSING[(iso3, lang)]
    translator = _translator(lang)
    for msgid in candidates:
        if msgid:
            text = translator.gettext(msgid)
            if text != msgid:
                return text
    return str(getattr(country, "name", iso3))


def unhcr_codes() -> dict[str, tuple[str, str]]:
    """ISO alpha-3 -> (UNHCR code, UNHCR region), for the rows that have an ISO code."""
    out: dict[str, tuple[str, str]] = {}
    with UNHCR_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iso = row["iso_code"].strip()
            if len(iso) == 3 and iso.isalpha():
                out[iso] = (row["unhcr_code"].strip(), row["unhcr_region"].strip())
    return out


def country_rows() -> list[CountryRow]:
    """Every ISO 3166-1 country with its English, Arabic and French names and UNHCR data."""
    codes = unhcr_codes()
    rows: list[CountryRow] = []
    for country in pycountry.countries:
        # The short common name reads better in lists than the official one
        # ("Bolivia" rather than "Bolivia, Plurinational State of").
        name = getattr(country, "common_name", None) or country.name
        unhcr_code, region = codes.get(country.alpha_3, ("", ""))
        rows.append(
            CountryRow(
                iso3=country.alpha_3,
                iso2=country.alpha_2,
                numeric=country.numeric,
                name_en=name,
                name_ar=_translate(country, "ar"),
                name_fr=_translate(country, "fr"),
                unhcr_code=unhcr_code,
                unhcr_region=region,
            )
        )
    return rows
