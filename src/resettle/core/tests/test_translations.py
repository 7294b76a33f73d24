"""The Arabic and French catalogues: complete, well formed, compiled, and used by the pages.

The .mo files are committed so that a fresh install needs no gettext; these
tests make sure they say exactly what the .po files say.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation

import resettle

LOCALE_DIR = Path(resettle.__file__).resolve().parent / "locale"
# Language -> number of plural forms (CLDR/gettext: Arabic has six, French two).
LANGUAGES = {"ar": 6, "fr": 2}
# A few n to try against the plural rules: every Arabic form is reached.
PLURAL_SAMPLES = [*range(0, 30), 99, 100, 101, 102, 103, 111, 1000, 1001, 1002, 1011]

# A printf-style conversion, named (%(state)s) or not (%s); %% is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?(?P<conv>[a-zA-Z%])"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def _mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"


def _read_po(lang: str) -> Catalog:
    with _po_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang, charset="utf-8")


def _messages(catalog: Catalog) -> list[Message]:
    """Every real message (the header is the entry with an empty id)."""
    return [m for m in catalog if m.id]


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string,)


def _placeholders(text: str) -> set[str]:
    """The conversions of a python-format string: `state` for %(state)s, `%s` for unnamed."""
    found = set()
    for match in PLACEHOLDER.finditer(text):
        if match["conv"] == "%":
            continue
        found.add(match["name"] if match["name"] is not None else f"%{match['conv']}")
    return found


def _label(message: Message) -> str:
    return f"{message.context + ' | ' if message.context else ''}{_ids(message)[0]!r}"


@pytest.fixture(params=sorted(LANGUAGES), ids=sorted(LANGUAGES))
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_catalogue_files_exist(lang: str) -> None:
    assert _po_path(lang).is_file()
    assert _mo_path(lang).is_file(), "run manage.py compilemessages and commit the .mo"


def test_every_site_language_has_a_catalogue() -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    assert codes - {settings.LANGUAGE_CODE} == set(LANGUAGES)


def test_header(lang: str) -> None:
    catalog = _read_po(lang)
    assert catalog.fuzzy is False, "the header is marked fuzzy"
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == lang
    assert "charset=utf-8" in headers["Content-Type"].lower()
    assert headers["Last-Translator"] == "Resettle team"
    assert "LANGUAGE" not in headers["Language-Team"]
    assert f"nplurals={LANGUAGES[lang]};" in headers["Plural-Forms"].replace(" ", "")


def test_every_message_is_translated(lang: str) -> None:
    catalog = _read_po(lang)
    messages = _messages(catalog)
    assert len(messages) > 100
    problems = []
    for message in messages:
        strings = _strings(message)
        if message.pluralizable and len(strings) != LANGUAGES[lang]:
            problems.append(f"{_label(message)}: {len(strings)} plural forms")
        if any(not s.strip() for s in strings):
            problems.append(f"{_label(message)}: empty translation")
        if message.fuzzy:
            problems.append(f"{_label(message)}: fuzzy")
    assert not problems, "\n".join(problems)


def test_placeholders_and_markup_are_kept(lang: str) -> None:
    problems = []
    for message in _messages(_read_po(lang)):
        ids = _ids(message)
        expected = set().union(*(_placeholders(i) for i in ids))
        if expected and not message.python_format:
            problems.append(f"{_label(message)}: has placeholders but no python-format flag")
        has_markup = any(TAG.search(i) for i in ids)
        for index, text in enumerate(_strings(message)):
            if message.python_format and _placeholders(text) != expected:
                problems.append(
                    f"{_label(message)} [{index}]: {sorted(_placeholders(text))}"
                    f" != {sorted(expected)}"
                )
            if not has_markup and TAG.search(text):
                problems.append(f"{_label(message)} [{index}]: HTML that the msgid lacks")
    assert not problems, "\n".join(problems)


def test_placeholder_pattern() -> None:
    assert _placeholders("%(counter)s of %(total)d, 50%% and %s") == {"counter", "total", "%s"}
    assert _placeholders("no placeholder") == set()


def test_compiled_catalogue_matches_the_po(lang: str) -> None:
    """The committed .mo holds exactly the .po's translations."""
    catalog = _read_po(lang)
    with _mo_path(lang).open("rb") as fp:
        compiled = read_mo(fp)
    expected = {(m.context, _ids(m)): _strings(m) for m in _messages(catalog)}
    actual = {(m.context, _ids(m)): _strings(m) for m in _messages(compiled)}
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    assert not stale, f"the .mo and .po hold different messages: {stale[:10]}"
    differing = [str(k) for k in expected if expected[k] != actual[k]]
    assert not differing, f"recompile the .mo: {differing[:10]}"


def test_gettext_reads_the_po_translations(lang: str) -> None:
    """What gettext itself gives for each msgid, plural rule included, is the .po's msgstr."""
    catalog = _read_po(lang)
    plural = gettext.c2py(catalog.plural_expr)
    with _mo_path(lang).open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    problems = []
    for message in _messages(catalog):
        strings = _strings(message)
        if message.pluralizable:
            singular, plural_id = _ids(message)[:2]
            for n in PLURAL_SAMPLES:
                if message.context:
                    got = mo.npgettext(message.context, singular, plural_id, n)
                else:
                    got = mo.ngettext(singular, plural_id, n)
                if got != strings[plural(n)]:
                    problems.append(f"{_label(message)} n={n}: {got!r}")
        else:
            if message.context:
                got = mo.pgettext(message.context, message.id)
            else:
                got = mo.gettext(message.id)
            if got != message.string:
                problems.append(f"{_label(message)}: {got!r} != {message.string!r}")
    assert not problems, "\n".join(problems[:20])


def test_arabic_plural_rule_reaches_every_form() -> None:
    plural = gettext.c2py(_read_po("ar").plural_expr)
    assert {plural(n) for n in PLURAL_SAMPLES} == set(range(LANGUAGES["ar"]))


# ---- the pages, through Django -------------------------------------------------


def _home(client: Client, lang: str) -> str:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == lang
    return response.content.decode()


@pytest.mark.django_db
def test_home_page_in_arabic_reads_right_to_left(client: Client) -> None:
    with translation.override("ar"):
        forums = translation.gettext("Forums")
        cycles = translation.gettext("Consultation cycles")
    assert forums == "المنتديات"
    html = _home(client, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert forums in html
    assert cycles in html
    assert "Consultation cycles" not in html


@pytest.mark.django_db
def test_home_page_in_french(client: Client) -> None:
    with translation.override("fr"):
        forums = translation.gettext("Forums")
        cycles = translation.gettext("Consultation cycles")
        log_in = translation.gettext("Log in")
    # "Forums" is spelt the same in French; the other two show the catalogue is in use.
    assert forums == "Forums"
    assert cycles == "Cycles de consultations"
    assert log_in == "Se connecter"
    html = _home(client, "fr")
    assert '<html lang="fr" dir="ltr">' in html
    assert forums in html
    assert cycles in html
    assert log_in in html
    assert "Consultation cycles" not in html


@pytest.mark.django_db
def test_home_page_in_english_is_untouched(client: Client) -> None:
    html = _home(client, "en")
    assert '<html lang="en" dir="ltr">' in html
    assert "Consultation cycles" in html
