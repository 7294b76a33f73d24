"""The test corpus of the library's search: nine items in English, French and Arabic
at every access level, built through the service (so they are indexed as in service).

Keys name the items; tests turn expected keys into ids, since ids differ between runs.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from resettle.library.models import LibraryItem
from resettle.library.services import save_item_unchecked

# key: (title, summary, body, kind, text language, themes, access, year)
ITEMS: dict[str, tuple[str, str, str, str, str, list[str], str, int]] = {
    "en_remote": (
        "Remote interviewing for resettlement processing",
        "How video interviews kept processing going.",
        "Video interviews allowed resettlement processing to continue during travel "
        "restrictions. Interviewing refugees remotely needs secure connections, and remote "
        "interviews need trained interpreters.",
        "practice_note",
        "en",
        ["remote_interviewing", "processing"],
        "public",
        2022,
    ),
    "en_sponsorship": (
        "Community sponsorship: a handbook for groups",
        "Practical steps for sponsor groups.",
        "Community sponsorship groups welcome resettled refugees and support their "
        "integration in the first year. Sponsors raise funds and find housing.",
        "handbook",
        "en",
        ["sponsorship", "integration"],
        "public",
        2021,
    ),
    "en_members": (
        "Confidential integration outcomes survey",
        "Survey results shared with members only.",
        "The survey measures integration outcomes: employment, language learning and "
        "housing. Integration outcomes differ by region.",
        "report",
        "en",
        ["integration", "data"],
        "members",
        2023,
    ),
    "en_forum": (
        "Adjudication methods of the working group",
        "Guidance for the working group's members.",
        "Secret adjudication guidance on dossier selection and integration planning.",
        "practice_note",
        "en",
        ["adjudication"],
        "forum_members",
        2020,
    ),
    "fr_integration": (
        "L'intégration des réfugiés réinstallés",
        "Accompagner l'intégration après l'arrivée.",
        "Les réfugiés réinstallés bénéficient d'un accompagnement pour leur intégration : "
        "logement, emploi et apprentissage de la langue.",
        "practice_note",
        "fr",
        ["integration"],
        "public",
        2022,
    ),
    "fr_parrainage": (
        "Le parrainage communautaire en France",
        "Des communautés accueillent des réfugiés.",
        "Le parrainage communautaire permet aux communautés locales d'accueillir des "
        "réfugiés réinstallés et de soutenir leur intégration.",
        "practice_note",
        "fr",
        ["sponsorship"],
        "public",
        2023,
    ),
    "ar_integration": (
        "إعادة التوطين والاندماج",
        "دعم اللاجئين بعد الوصول.",
        # With diacritics (tashkeel), as many Arabic texts are written.
        "يَدْعَمُ بَرْنَامَجُ إِعَادَةِ التَّوْطِينِ اللَّاجِئِينَ فِي الِانْدِمَاجِ وَالسَّكَنِ وَالتَّعْلِيمِ.",
        "practice_note",
        "ar",
        ["integration"],
        "public",
        2023,
    ),
    "ar_sponsorship": (
        "الكفالة المجتمعية للاجئين",
        "تجربة الكفالة المجتمعية.",
        "تتيح الكفالة المجتمعية للمجتمعات المحلية استقبال اللاجئين ضمن برامج إعادة التوطين.",
        "practice_note",
        "ar",
        ["sponsorship"],
        "public",
        2024,
    ),
    "ar_members": (
        "تقرير سري عن المقابلات عن بعد",
        "للأعضاء فقط.",
        "المقابلات عن بعد مع اللاجئين في إطار إعادة التوطين تتطلب مترجمين مدربين.",
        "report",
        "ar",
        ["remote_interviewing"],
        "members",
        2022,
    ),
}


def build_corpus(w: Any) -> SimpleNamespace:
    """Create the corpus (the forum-members item in the world's members-only forum);
    the items by key, also set on the world as `lib_<key>`."""
    items: dict[str, LibraryItem] = {}
    for key, (title, summary, body, kind, lang, themes, access, year) in ITEMS.items():
        data = {
            "title": title,
            "summary": summary,
            "body": body,
            "kind": kind,
            "text_language": lang,
            "languages": [lang],
            "themes": themes,
            "access": access,
            "year": year,
            "forums": [w.members_forum] if access == "forum_members" else [w.public_forum],
        }
        item = save_item_unchecked(LibraryItem(), data, actor=None)
        items[key] = item
        setattr(w, f"lib_{key}", item)
    return SimpleNamespace(**items)


def ids(corpus: SimpleNamespace, *keys: str) -> list[int]:
    """The ids of items by key, in the order given."""
    return [getattr(corpus, key).pk for key in keys]
