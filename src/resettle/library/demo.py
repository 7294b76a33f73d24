"""Demo items of the knowledge library: the outputs the domain brief names (the
"opportunities for growth" report, the integration handbook, the CRISP training
package, PGRN reports) as short summaries, practice notes in English, Arabic and
French across themes and access levels, and an excerpt of the UNHCR Resettlement
Handbook's Arabic section 5.1 (the platform's source text).

Everything but the handbook excerpt is written for the demonstration and marked
illustrative: the summaries describe the publications, they are not their text.
Items are found by title; a second load creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from resettle.directory.models import Organisation
from resettle.forums.models import Forum
from resettle.library.models import LibraryItem
from resettle.library.services import save_item_unchecked

ILLUSTRATIVE = "Illustrative summary written for the demonstration, not the publication's text."


@dataclass(frozen=True)
class DemoItem:
    """One demo item."""

    title: str
    kind: str
    text_language: str
    summary: str
    body: str
    themes: list[str]
    access: str = "public"
    year: int | None = None
    forums: list[str] = field(default_factory=list)  # acronyms
    organisations: list[str] = field(default_factory=list)  # acronyms
    languages: list[str] = field(default_factory=list)
    illustrative: bool = True


HANDBOOK_51_AR = (
    "الشراكة والمناصرة عن طريق منتديات إعادة التوطين متعددة الأطراف\n"
    "يتطلب تطوير برامج إعادة التوطين المُوسَّعة وذات الجودة العالية إقامة شراكات وتعبئة "
    "الموارد. تعمل العديد من المنظمات والشراكات والمنصات – التي تجمع بين الجهات الفاعلة "
    "الدولية والإقليمية والحكومية وغير الحكومية – على تمكين الأنشطة العالمية ودعمها لإعادة "
    "توطين اللاجئين. و تم تأسيس مجتمع ممارس لحل إعادة التوطين من خلال عقد المشاورات السنوية "
    "الثلاثية حول إعادة التوطين (ATCR) والعديد من أصحاب المصلحة المتعددين و مبادرات بناء "
    "القدرات، بما في ذلك المجموعة الأساسية للأوضاع ذات الأولويَّة لتحسين إعادة التوطين والحلول "
    "التكميلية (PSCG). بالإضافة إلى ذلك، فإن وكالة اللجوء التابعة للاتحاد الأوروبي (EUAA) "
    "وشبكة SHARE والمبادرة العالمية لرعاية اللاجئين (GRSI) وجهات فاعلة أخرى، تشارك كذلك في "
    "أنشطة المناصرة والتعلم، وكذلك في الدعم الفني واللوجيستي المرتبط بإعادة التوطين."
)

ITEMS = [
    DemoItem(
        "Refugee resettlement and complementary pathways: opportunities for growth",
        "report",
        "en",
        "A CRISP report (UNHCR and IOM) on how States can start, grow and sustain "
        "resettlement and complementary pathways programmes.",
        f"{ILLUSTRATIVE} The report looks at programmes at every stage (new, emerging, "
        "established) and at what helps them grow: political commitment, predictable "
        "funding, processing capacity, community sponsorship and complementary pathways "
        "such as labour mobility and education. Growth depends on partnerships between "
        "States, UNHCR, IOM, civil society and refugees.",
        ["pathways", "sponsorship", "processing"],
        forums=["CRISP", "CRCP"],
        organisations=["UNHCR", "IOM"],
        languages=["en"],
    ),
    DemoItem(
        "UNHCR integration handbook for resettled refugees",
        "handbook",
        "en",
        "UNHCR's handbook (2021) on the reception and integration of resettled refugees.",
        f"{ILLUSTRATIVE} The handbook covers reception, housing, employment, language "
        "learning, health, education and building welcoming communities. Integration is a "
        "two-way process: resettled refugees and receiving communities adapt to each other. "
        "Integration planning starts before departure with cultural orientation.",
        ["integration"],
        year=2021,
        forums=["CRISP"],
        organisations=["UNHCR"],
        languages=["en", "ar", "fr"],
    ),
    DemoItem(
        "CRISP training package for government officials",
        "training",
        "en",
        "Training modules built with IRC and IOM and delivered to government officials "
        "running resettlement programmes.",
        f"{ILLUSTRATIVE} Modules: identification and referral, processing modalities "
        "(dossier and interview), adjudication methods, remote interviewing, pre-departure "
        "health and travel, cultural orientation, reception and integration, data and "
        "monitoring. Each module has trainer notes, exercises and pre- and post-tests.",
        ["processing", "adjudication", "remote_interviewing", "integration", "data"],
        access="members",
        forums=["CRISP"],
        organisations=["UNHCR", "IOM", "IRC"],
        languages=["en", "fr"],
    ),
    *[
        DemoItem(
            f"Projected Global Resettlement Needs {year}",
            "report",
            "en",
            f"UNHCR's projection of resettlement needs for {year}, presented at the consultations.",
            f"{ILLUSTRATIVE} The PGRN {year} projects {total} refugees in need of "
            "resettlement. It sets out needs by population and host country, priority "
            "situations and the submission categories, and is the basis for pledges.",
            ["data"],
            year=year - 1,
            forums=["CRCP"],
            organisations=["UNHCR"],
            languages=["en"],
        )
        for year, total in (
            (2024, "over 2.4 million"),
            (2025, "over 2.9 million"),
            (2026, "about 2.5 million"),
        )
    ],
    DemoItem(
        "Remote interviewing: keeping selection missions going",
        "practice_note",
        "en",
        "How States interviewed refugees by video when selection missions could not travel.",
        f"{ILLUSTRATIVE} Remote interviews need a secure video connection, a quiet room "
        "at the interview site, trained interpreters and a back-up plan for poor "
        "connections. Remote interviewing kept processing going and cut travel costs; "
        "in-person interviews remain preferable for complex cases.",
        ["remote_interviewing", "processing"],
        year=2022,
        forums=["WGR"],
        languages=["en"],
    ),
    DemoItem(
        "Dossier processing checklist for emerging programmes",
        "practice_note",
        "en",
        "What a State needs in place to decide resettlement cases on the file.",
        f"{ILLUSTRATIVE} Dossier processing asks for clear selection criteria, a team "
        "trained in adjudication methods, security and medical checks that run in "
        "parallel, and agreed timelines with UNHCR so that emergency cases depart fast.",
        ["processing", "adjudication"],
        access="members",
        year=2024,
        forums=["WGR"],
        languages=["en"],
    ),
    DemoItem(
        "الشراكة والمناصرة عن طريق منتديات إعادة التوطين متعددة الأطراف",
        "handbook",
        "ar",
        "مقتطف من دليل إعادة التوطين الصادر عن المفوضية، القسم 5.1.",
        HANDBOOK_51_AR,
        ["pathways"],
        forums=["CRCP"],
        organisations=["UNHCR"],
        languages=["ar"],
        illustrative=False,
    ),
    DemoItem(
        "المقابلات عن بعد: دروس مستفادة",
        "practice_note",
        "ar",
        "ملاحظة توضيحية عن إجراء مقابلات إعادة التوطين عبر الفيديو.",
        # Written with diacritics, as many Arabic texts are: the search ignores them.
        "نَصٌّ تَوْضِيحِيٌّ. تَتَطَلَّبُ الْمُقَابَلَاتُ عَنْ بُعْدٍ اتِّصَالًا آمِنًا "
        "وَمُتَرْجِمِينَ مُدَرَّبِينَ. سَاعَدَتِ الْمُقَابَلَاتُ عَنْ بُعْدٍ عَلَى "
        "مُوَاصَلَةِ مُعَالَجَةِ مِلَفَّاتِ إِعَادَةِ التَّوْطِينِ.",
        ["remote_interviewing", "processing"],
        year=2023,
        forums=["WGR"],
        languages=["ar"],
    ),
    DemoItem(
        "الكفالة المجتمعية: خطوات عملية",
        "practice_note",
        "ar",
        "ملاحظة توضيحية لأعضاء الفريق العامل عن برامج الكفالة المجتمعية.",
        "نص توضيحي. تتيح الكفالة المجتمعية للمجتمعات المحلية استقبال اللاجئين المعاد "
        "توطينهم ودعم اندماجهم في السكن والعمل والتعليم.",
        ["sponsorship", "integration"],
        access="forum_members",
        year=2024,
        forums=["WGR"],
        languages=["ar"],
    ),
    DemoItem(
        "Le parrainage communautaire : premiers pas",
        "practice_note",
        "fr",
        "Note illustrative sur le lancement d'un programme de parrainage communautaire.",
        "Texte illustratif. Le parrainage communautaire permet à des groupes de citoyens "
        "d'accueillir des réfugiés réinstallés : logement, démarches, apprentissage de la "
        "langue. Les parrains sont formés et accompagnés.",
        ["sponsorship"],
        year=2023,
        forums=["CRCP"],
        languages=["fr"],
    ),
    DemoItem(
        "L'intégration des réfugiés réinstallés : logement et emploi",
        "practice_note",
        "fr",
        "Note illustrative pour les membres sur l'intégration après l'arrivée.",
        "Texte illustratif. L'intégration des réfugiés réinstallés commence par un "
        "logement stable et l'accès à l'emploi ; la reconnaissance des diplômes et "
        "l'apprentissage de la langue accélèrent l'intégration.",
        ["integration"],
        access="members",
        year=2024,
        forums=["CRCP"],
        languages=["fr"],
    ),
]


def _by_acronym(model: type[Forum] | type[Organisation], acronyms: list[str]) -> list[object]:
    found: list[object] = []
    for acronym in acronyms:
        obj = model.objects.filter(acronym=acronym).order_by("pk").first()
        if obj is not None:  # skip what the base demo does not have
            found.append(obj)
    return found


@transaction.atomic
def load_library_demo() -> int:
    """Create the demo items that are missing; the number created."""
    created = 0
    for spec in ITEMS:
        if LibraryItem.objects.filter(title=spec.title).exists():
            continue
        forums = _by_acronym(Forum, spec.forums)
        access = spec.access
        if access == "forum_members" and not forums:
            access = "members"  # without its forum, keep it for members rather than fail
        orgs = _by_acronym(Organisation, spec.organisations)
        save_item_unchecked(
            LibraryItem(is_illustrative=spec.illustrative),
            {
                "title": spec.title,
                "kind": spec.kind,
                "text_language": spec.text_language,
                "summary": spec.summary,
                "body": spec.body,
                "themes": spec.themes,
                "access": access,
                "year": spec.year,
                "forums": forums,
                "organisations": orgs,
                "languages": spec.languages,
            },
            actor=None,
        )
        created += 1
    return created
