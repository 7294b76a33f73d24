"""Text normalisation and light stemming for the knowledge library's search.

Pure Python, no Django: the same functions turn a document into the tokens
stored in the index and a query into the terms looked up, so SQLite (FTS5)
and PostgreSQL (full text) compare exactly the same strings and return the
same documents.

Normalisation, in order:

1. Unicode NFKC (presentation forms such as ﻻ become plain letters), lower case.
2. Arabic: diacritics (tashkeel, the superscript alef, Quranic marks) and the
   tatweel are removed; alef forms أ إ آ ٱ become ا; the hamza carriers become
   their plain letters, ؤ → و and ئ → ي (the seat letter is kept rather than
   the bare hamza ء, as most Arabic search engines do, so that مسؤول and مسئول
   meet); ta marbuta ة → ه; alef maqsura ى → ي; Persian ی ک → ي ك; Arabic-Indic
   digits → 0-9.
3. Latin (and Greek, Cyrillic) accents are removed: é → e, ç → c.

Tokens are runs of letters and digits. Stop words (English, French, Arabic)
are dropped. Stemming is light (suffix stripping, never a dictionary):

- Arabic: Larkey's Light10 — a leading و, then the articles ال وال بال كال فال لل,
  then the suffixes ها ان ات ون ين يه ه ي, each only while the stem keeps at
  least two letters. Single-letter prefixes ب ك ف ل are not stripped alone:
  too many roots begin with them (بلد, كتاب, فريق, لجنة), as Light10 also holds.
- English and French: small suffix strippers (plurals, -ing/-ed, -ation,
  -ment, -ité, -eur ...), so that "integration", "integrate", "intégration"
  and "intégrer" all become "integr".

A document's Latin words are stemmed with the stemmer of its language (French
for French texts, English otherwise). A query's language is unknown, so each
Latin query word is looked up under both its English and its French stem.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

# ---- character normalisation ----------------------------------------------------

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern Arabic-Indic digits
    }
)
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_TOKEN = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def normalise(text: str) -> str:
    """Text folded for matching: NFKC, lower case, Arabic forms unified, accents removed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_MAP)
    # Decompose to strip Latin accents only, then recompose what is left.
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text))
    # NFD splits أ into ا + hamza above (a mark of the Arabic range): strip it again.
    return unicodedata.normalize("NFC", _ARABIC_MARKS.sub("", text))


def is_arabic(token: str) -> bool:
    """Whether a token is written in Arabic script."""
    return _ARABIC_LETTER.search(token) is not None


def split_tokens(text: str) -> list[str]:
    """The normalised words of a text, stop words included."""
    return _TOKEN.findall(normalise(text))


# ---- stop words (normalised forms) -----------------------------------------------

STOP_WORDS = frozenset(
    # English
    "a an and are as at be by for from has have in is it its of on or that the this to was"  # noqa: SIM905 - 140 words read better as text
    " were will with which who what when how not no but if into than then there their these"
    " those our we you they he she his her them been can may also"
    # French (accents already stripped, elisions split off: l' d' qu')
    " l d qu j n s c m t au aux ce ces cet cette dans de des du elle en et est il ils la le"
    " les leur leurs mais ne ou par pas pour qui que sa se ses son sur un une sont avec"
    # Arabic (normalised)
    " في من الي علي عن مع هذا هذه ذلك تلك التي الذي الذين و او ان ما لا لم لن قد كان كانت"
    " ثم هو هي هم بين كل بعد قبل عند حتي اذا".split()
)


# ---- Arabic light stemmer (Light10) -----------------------------------------------

_AR_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem_arabic(word: str) -> str:
    """Light10 on a normalised Arabic word."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for article in _AR_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


# ---- English light stemmer --------------------------------------------------------

_VOWELS = frozenset("aeiouy")
# (suffix, replacement), longest first; applied once, keeping a stem of 3+ letters.
_EN_SUFFIXES = (
    ("izations", ""),
    ("ization", ""),
    ("ational", ""),
    ("fulness", ""),
    ("ousness", ""),
    ("iveness", ""),
    ("ations", ""),
    ("ation", ""),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("nesses", ""),
    ("ness", ""),
    ("ities", ""),
    ("ity", ""),
    ("izing", ""),
    ("ized", ""),
    ("izes", ""),
    ("ize", ""),
    ("ating", ""),
    ("ated", ""),
    ("ates", ""),
    ("ate", ""),
    ("ional", ""),
    ("ions", ""),
    ("ion", ""),
    ("ively", ""),
    ("ive", ""),
    ("ally", ""),
    ("ical", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("ed", ""),
    ("al", ""),
    ("ly", ""),
)


def stem_english(word: str) -> str:
    """A light English stemmer: plurals, -ing/-ed and common derivational endings."""
    if len(word) <= 3 or not word.isalpha():
        return word
    # Plurals first: processes → process, policies → policy, refugees → refugee.
    if word.endswith("sses") or word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "ies")) and len(word) > 4:
        word = word[:-1]
    for suffix, replacement in _EN_SUFFIXES:
        if word.endswith(suffix):
            stem = word[: -len(suffix)] + replacement
            if len(stem) >= 3 and any(c in _VOWELS for c in stem):
                word = stem
                # planned → plann → plan: undo the doubled consonant of -ed/-ing.
                if (
                    suffix in ("ing", "ed")
                    and len(word) > 3
                    and word[-1] == word[-2]
                    and word[-1] not in "lsz"
                ):
                    word = word[:-1]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # integrate/integrat, guide/guid: one form with and without -e
    return word


# ---- French light stemmer ---------------------------------------------------------

_FR_SUFFIXES = (
    "issements",
    "issement",
    "atrices",
    "atrice",
    "ateurs",
    "ateur",
    "ations",
    "ation",
    "ements",
    "ement",
    "ances",
    "ance",
    "ences",
    "ence",
    "euses",
    "euse",
    "istes",
    "iste",
    "ismes",
    "isme",
    "iques",
    "ique",
    "ites",
    "ite",
    "ives",
    "ive",
    "eurs",
    "eur",
    "ees",
    "ee",
    "es",
    "er",
    "ez",
    "e",
)


def stem_french(word: str) -> str:
    """A light French stemmer (on an accent-free word): plurals, feminine and verb
    endings, -ation, -ement, -ité ..."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and len(word) > 4:
        word = word[:-1]
    for suffix in _FR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


# ---- tokens of documents and queries ----------------------------------------------

LATIN_STEMMERS = {"fr": stem_french}


@lru_cache(maxsize=200_000)
def stem(token: str, language: str = "en") -> str:
    """The stem of one normalised token: Arabic script by Light10, Latin by the stemmer
    of the language (French for "fr", English otherwise)."""
    if is_arabic(token):
        return stem_arabic(token)
    return LATIN_STEMMERS.get(language, stem_english)(token)


def index_tokens(text: str, language: str = "en") -> list[str]:
    """The stems of a text, in order, stop words and one-letter words left out."""
    return [
        stem(token, language)
        for token in split_tokens(text)
        if len(token) > 1 and token not in STOP_WORDS
    ]


def stems_of_word(token: str) -> frozenset[str]:
    """Every stem a normalised word may have been indexed under (English and French
    for a Latin word, whose language a query does not tell)."""
    if is_arabic(token):
        return frozenset({stem_arabic(token)})
    return frozenset({stem(token, "en"), stem(token, "fr")})


def query_terms(query: str) -> list[tuple[str, ...]]:
    """A query as a list of terms, each the sorted alternatives one of which a document
    must contain (the query's words, normalised and stemmed; stop words left out)."""
    terms: list[tuple[str, ...]] = []
    for token in split_tokens(query):
        if len(token) <= 1 or token in STOP_WORDS:
            continue
        term = tuple(sorted(stems_of_word(token)))
        if term not in terms:
            terms.append(term)
    return terms


def keywords(stems: Iterable[str], limit: int = 12) -> list[str]:
    """A text's most frequent stems, those met at least twice (ties: the first met): a
    cheap relevance signal that both database engines can compare the same way."""
    counts = Counter(stems)
    first = {s: i for i, s in enumerate(counts)}
    ranked = sorted((s for s in counts if counts[s] >= 2), key=lambda s: (-counts[s], first[s]))
    return ranked[:limit]


def padded(stems: Iterable[str]) -> str:
    """Stems joined by spaces with a space at each end, so that " stem " finds a whole stem."""
    unique = list(dict.fromkeys(stems))
    return f" {' '.join(unique)} " if unique else ""


# A word as written: letters and digits, with the Arabic marks and tatweel inside it.
WORD = re.compile(r"[^\W_]+(?:[\u064b-\u065f\u0670\u0640][^\W_]*)*")


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, normalised word) of each word of the original text.

    Normalisation can change lengths (ﻻ → لا) or drop marks; spans are found on
    the original text word by word, so a highlight always covers the word as written.
    """
    for match in WORD.finditer(text):
        word = normalise(match.group())
        if word:
            yield match.start(), match.end(), word
