"""Demo priority situations (PSCG) and the refugees each covers, for the gap's situation cut.

Published: in September 2019 the Priority Situations Core Group replaced the
Syrian Core Group and the Central Mediterranean Core Group (UNHCR, "Core and
contact groups"), so those two situations are the PSCG's own. Which countries
of asylum the Central Mediterranean route covers here is a choice of the demo.
The Afghan, Rohingya and Sudanese situations are UNHCR refugee situations
listed as illustrative priority situations: they are marked illustrative.

Loading is idempotent like the rest of the demo: a situation is looked up by
its name and an area by its population and country of asylum, each created
only when missing (with its audit entry); what exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from resettle.accounts.models import User
from resettle.core.audit import save_with_audit
from resettle.directory.models import Country
from resettle.needs.models import Population, PrioritySituation, SituationArea


@dataclass(frozen=True)
class SituationSpec:
    """A demo situation: its names, description and (population, asylum) areas.

    In an area, "" stands for any population or any country of asylum.
    """

    name: str
    name_ar: str
    name_fr: str
    description: str
    areas: tuple[tuple[str, str], ...]
    is_illustrative: bool


SITUATIONS: tuple[SituationSpec, ...] = (
    SituationSpec(
        name="Syrian refugees in the region (Türkiye, Lebanon, Jordan, Iraq, Egypt)",
        name_ar="اللاجئون السوريون في المنطقة (تركيا، لبنان، الأردن، العراق، مصر)",
        name_fr="Réfugiés syriens dans la région (Türkiye, Liban, Jordanie, Irak, Égypte)",
        description=(
            "Syrian refugees in the five main host countries of the region. A situation of "
            "the Priority Situations Core Group since it replaced the Syrian Core Group in 2019."
        ),
        areas=(("SYR", "TUR"), ("SYR", "LBN"), ("SYR", "JOR"), ("SYR", "IRQ"), ("SYR", "EGY")),
        is_illustrative=False,
    ),
    SituationSpec(
        name="Central Mediterranean route",
        name_ar="طريق وسط البحر الأبيض المتوسط",
        name_fr="Route de la Méditerranée centrale",
        description=(
            "Refugees of any nationality in countries of asylum along the Central Mediterranean "
            "route. A situation of the Priority Situations Core Group since it replaced the "
            "Central Mediterranean Core Group in 2019; the countries listed here are "
            "illustrative."
        ),
        areas=(
            ("", "LBY"),
            ("", "NER"),
            ("", "TCD"),
            ("", "EGY"),
            ("", "TUN"),
            ("", "DZA"),
            ("", "MAR"),
            ("", "MLI"),
            ("", "MRT"),
            ("", "BFA"),
        ),
        is_illustrative=False,
    ),
    SituationSpec(
        name="Afghan refugees in Iran and Pakistan",
        name_ar="اللاجئون الأفغان في إيران وباكستان",
        name_fr="Réfugiés afghans en Iran et au Pakistan",
        description=(
            "Afghan refugees in the Islamic Republic of Iran and Pakistan, the countries of the "
            "Solutions Strategy for Afghan Refugees. Illustrative as a priority situation."
        ),
        areas=(("AFG", "IRN"), ("AFG", "PAK")),
        is_illustrative=True,
    ),
    SituationSpec(
        name="Rohingya refugees in Bangladesh and beyond",
        name_ar="اللاجئون الروهينغا في بنغلاديش وخارجها",
        name_fr="Réfugiés rohingyas au Bangladesh et au-delà",
        description=(
            "Rohingya refugees wherever they are hosted, and refugees from Myanmar in "
            "Bangladesh. Illustrative as a priority situation."
        ),
        areas=(("ROHINGYA", ""), ("MMR", "BGD")),
        is_illustrative=True,
    ),
    SituationSpec(
        name="Sudanese refugees in Chad and Egypt",
        name_ar="اللاجئون السودانيون في تشاد ومصر",
        name_fr="Réfugiés soudanais au Tchad et en Égypte",
        description=(
            "Refugees from Sudan in Chad and Egypt, most of them displaced since 2023. "
            "Illustrative as a priority situation."
        ),
        areas=(("SDN", "TCD"), ("SDN", "EGY")),
        is_illustrative=True,
    ),
)


def load_demo_situations(actor: User | None) -> int:
    """Create the demo situations and areas that are missing; how many rows this created.

    The caller holds the transaction. Raises Population.DoesNotExist or
    Country.DoesNotExist when the reference data has not been migrated.
    """
    created = 0
    for spec in SITUATIONS:
        situation = PrioritySituation.objects.filter(name=spec.name).first()
        if situation is None:
            situation = save_with_audit(
                PrioritySituation(),
                {
                    "name": spec.name,
                    "name_ar": spec.name_ar,
                    "name_fr": spec.name_fr,
                    "description": spec.description,
                    "is_illustrative": spec.is_illustrative,
                },
                actor=actor,
            )
            created += 1
        for pop_code, asylum_code in spec.areas:
            population = Population.objects.get(code=pop_code) if pop_code else None
            asylum = Country.objects.get(iso3=asylum_code) if asylum_code else None
            if SituationArea.objects.filter(
                situation=situation, population=population, asylum=asylum
            ).exists():
                continue
            save_with_audit(
                SituationArea(),
                {"situation": situation, "population": population, "asylum": asylum},
                actor=actor,
            )
            created += 1
    return created
