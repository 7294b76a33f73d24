"""Pledges files carrying their breakdowns and complementary-pathway places.

Columns `nationality:SYR`, `asylum:TUR`, `region:Europe`, `situation:<name>`
hold earmarked places; `pathway_labour` ... `pathway_humanitarian` (or the
hashtags `#capacity+pathway+labour`...) pathway places. Checked like the rest,
written with the pledges in one transaction, part of the checksum.
"""

from __future__ import annotations

import pytest

from resettle.core.models import AuditEntry
from resettle.needs import importing, loader, services
from resettle.needs.loader import ImportRefused
from resettle.needs.models import DatasetVersion, PathwayPlaces, Pledge, PledgeBreakdown

pytestmark = pytest.mark.django_db

WHOLE = (
    "state,year,persons,nationality:SYR,asylum:tur,region:europe,situation:Afghan situation,"
    "pathway_labour,pathway_education,pathway_family,pathway_sponsorship,pathway_humanitarian\n"
    "DEU,2025,6500,3000,2500,,1000,200,150,,80,0\n"
    "CAN,2025,25000,,,,,,,1200,,\n"
)


def counts() -> dict[str, int]:
    return {
        "versions": DatasetVersion.objects.count(),
        "pledges": Pledge.objects.count(),
        "breakdowns": PledgeBreakdown.objects.count(),
        "pathways": PathwayPlaces.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def refusal(text: str) -> list[tuple[int | None, str, str]]:
    """(row, column, reason code) of each problem of a refused file, which wrote nothing."""
    before = counts()
    with pytest.raises(ImportRefused) as caught:
        services.do_import_dataset("pledges", text.encode(), actor=None)
    assert counts() == before
    return [(e.row, e.column, e.code) for e in caught.value.report]


def test_one_file_carries_whole_pledges() -> None:
    version = services.do_import_dataset("pledges", WHOLE.encode(), actor=None).version

    deu = Pledge.objects.get(version=version, state__iso3="DEU")
    earmarks = {(b.kind, b.value): b.persons for b in deu.breakdowns.all()}
    assert earmarks == {
        ("nationality", "SYR"): 3000,
        ("asylum", "TUR"): 2500,
        ("situation", "Afghan situation"): 1000,
    }
    assert {p.pathway: p.persons for p in deu.pathways.all()} == {
        "labour": 200,
        "education": 150,
        "sponsorship": 80,
    }
    can = Pledge.objects.get(version=version, state__iso3="CAN")
    assert not can.breakdowns.exists()
    assert {p.pathway: p.persons for p in can.pathways.all()} == {"family": 1200}
    assert AuditEntry.objects.count() == 1


def test_regions_are_matched_to_unhcrs_names() -> None:
    text = "state,year,persons,region:middle east and north africa\nDEU,2025,100,60\n"
    services.do_import_dataset("pledges", text.encode(), actor=None)

    assert PledgeBreakdown.objects.get().value == "Middle East and North Africa"


def test_hxl_hashtags_carry_pathways_and_earmarks() -> None:
    text = (
        "#country+code,#date+year,#capacity+places,#capacity+earmark+nationality+syr,"
        "#capacity+pathway+labour\n"
        "DEU,2025,500,100,40\n"
    )
    services.do_import_dataset("pledges", text.encode(), actor=None)

    assert PledgeBreakdown.objects.get().value == "SYR"
    assert PathwayPlaces.objects.get().pathway == "labour"


def test_breakdowns_are_part_of_the_checksum() -> None:
    first = services.do_import_dataset("pledges", WHOLE.encode(), actor=None)
    again = services.do_import_dataset("pledges", WHOLE.encode(), actor=None)
    assert again.outcome == "unchanged"
    changed = WHOLE.replace("DEU,2025,6500,3000,", "DEU,2025,6500,3100,")
    second = services.do_import_dataset("pledges", changed.encode(), actor=None)

    assert second.imported and second.version.number == first.version.number + 1
    current = Pledge.objects.get(version=second.version, state__iso3="DEU")
    assert current.breakdowns.get(kind="nationality").persons == 3100
    # The first version keeps its own figures.
    old = Pledge.objects.get(version=first.version, state__iso3="DEU")
    assert old.breakdowns.get(kind="nationality").persons == 3000


def test_a_file_without_extra_columns_keeps_its_checksum() -> None:
    text = "state,year,persons\nDEU,2025,100\n"
    result = loader.check_file("pledges", text.encode())
    assert result.extras == []
    assert result.checksum == importing.checksum("pledges", result.columns, result.lines)


def test_a_negative_or_non_numeric_cell_is_refused_with_its_row_and_column() -> None:
    text = "state,year,persons,nationality:SYR,pathway_family\nDEU,2025,100,-5,x\n"
    assert refusal(text) == [
        (1, "nationality:SYR", "negative"),
        (1, "pathway_family", "not_a_number"),
    ]


def test_breakdowns_of_one_kind_may_not_exceed_the_pledge() -> None:
    text = (
        "state,year,persons,nationality:SYR,nationality:AFG,asylum:TUR\n"
        "DEU,2025,100,60,50,100\n"
        "CAN,2025,100,60,40,100\n"
    )
    assert refusal(text) == [(1, "nationality:SYR", "breakdowns_exceed")]


def test_pathway_places_come_beside_the_quota() -> None:
    text = "state,year,persons,pathway_labour\nDEU,2025,100,5000\n"
    services.do_import_dataset("pledges", text.encode(), actor=None)
    assert PathwayPlaces.objects.get().persons == 5000


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("nationality:XYZ", "unknown_population"),
        ("asylum:XYZ", "unknown_country"),
        ("region:Atlantis", "unknown_region"),
        ("situation:", "missing_name"),
        ("pathway_tourism", "unknown_choice"),
    ],
)
def test_a_bad_extra_column_is_refused_naming_the_column(header: str, code: str) -> None:
    text = f"state,year,persons,{header}\nDEU,2025,100,10\n"
    assert refusal(text) == [(None, header, code)]


def test_the_same_breakdown_twice_is_refused() -> None:
    text = "state,year,persons,nationality:SYR,Nationality: syr\nDEU,2025,100,10,10\n"
    assert refusal(text) == [(None, "Nationality: syr", "duplicate_column")]


def test_reasons_are_described() -> None:
    text = "state,year,persons,nationality:SYR\nDEU,2025,100,160\n"
    with pytest.raises(ImportRefused) as caught:
        services.do_import_dataset("pledges", text.encode(), actor=None)
    message = loader.describe_error(caught.value.report[0])
    assert message == (
        "Row 1 (line 2), column nationality:SYR: The places earmarked by nationality "
        "add up to 160, more than the 100 pledged."
    )
