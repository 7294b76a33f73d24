"""Normalisation and stemming (library/textnorm.py), on their own."""

from __future__ import annotations

import pytest

from resettle.library.textnorm import (
    index_tokens,
    keywords,
    normalise,
    query_terms,
    stem_arabic,
    stem_english,
    stem_french,
)


def test_arabic_with_and_without_diacritics_give_the_same_tokens() -> None:
    with_marks = "يَدْعَمُ بَرْنَامَجُ إِعَادَةِ التَّوْطِينِ اللَّاجِئِينَ فِي الِانْدِمَاجِ"
    without = "يدعم برنامج إعادة التوطين اللاجئين في الاندماج"
    assert index_tokens(with_marks, "ar") == index_tokens(without, "ar")
    assert query_terms(with_marks) == query_terms(without)
    # The tatweel (kashida) stretches a word without changing it.
    assert normalise("اللـــاجئين") == normalise("اللاجئين")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إعادة", "اعاده"),  # alef with hamza below; ta marbuta → ha
        ("آمن", "امن"),  # alef with madda
        ("ٱلتوطين", "التوطين"),  # alef wasla
        ("مسؤول", "مسوول"),  # hamza on waw → waw
        ("لاجئ", "لاجي"),  # hamza on yeh → yeh
        ("مستشفى", "مستشفي"),  # alef maqsura → yeh
        ("مدرسة", "مدرسه"),  # ta marbuta → ha
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("ﻻجئ", "لاجي"),  # presentation form of lam-alef (NFKC)
    ],
)
def test_arabic_letter_forms(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_latin_accents_and_case() -> None:
    assert normalise("Réfugiés RÉINSTALLÉS à Montréal") == "refugies reinstalles a montreal"
    assert normalise("ﬁle") == "file"  # ligature, by NFKC


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("والتوطين", "توط"),  # و + ال + توطين − ين
        ("التوطين", "توط"),
        ("بالمجتمع", "مجتمع"),  # بال
        ("اللاجيين", "لاج"),  # normalised اللاجئين
        ("لاجي", "لاج"),
        ("المقابلات", "مقابل"),  # ات
        ("اعاده", "اعاد"),  # ه (ta marbuta)
        ("كتب", "كتب"),  # short words are left alone
        ("بلد", "بلد"),  # a single ب is not a prefix to strip
    ],
)
def test_arabic_light_stemmer(word: str, stem: str) -> None:
    assert stem_arabic(word) == stem


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (("integration", "integrate", "integrated", "integrating"), "integr"),
        (("processing", "processes", "process"), "process"),
        (("interviews", "interviewing", "interviewed"), "interview"),
        (("communities", "community"), "commun"),
        (("policies", "policy"), "policy"),
        (("planned", "planning"), "plan"),
    ],
)
def test_english_stemmer(words: tuple[str, ...], stem: str) -> None:
    assert {stem_english(w) for w in words} == {stem}


@pytest.mark.parametrize(
    ("words", "stem"),
    [
        (("integration", "integrer", "integres"), "integr"),
        (("refugies", "refugie", "refugiees"), "refugi"),
        (("reinstallation", "reinstalle", "reinstalles"), "reinstall"),
        (("parrainage", "parrainages"), "parrainag"),
        (("nationaux", "national"), "national"),
    ],
)
def test_french_stemmer(words: tuple[str, ...], stem: str) -> None:
    assert {stem_french(w) for w in words} == {stem}


def test_query_terms_cover_english_and_french_and_drop_stop_words() -> None:
    assert query_terms("The integration of refugees") == [("integr",), ("refug", "refuge")]
    assert query_terms("l'intégration") == [("integr",)]
    assert query_terms("في الاندماج") == [("اندماج",)]
    assert query_terms("the of le") == []


def test_keywords_are_stems_met_twice() -> None:
    assert keywords(["a", "b", "a", "c", "b", "a", "d"]) == ["a", "b"]
