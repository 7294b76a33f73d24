"""The pure import module: reading CSV, XLSX and HXL, mapping columns, every refusal reason.

No database here: the lookups are small hand-made dicts (country and population
ids are made up), as `needs.loader` would build them from the database.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from resettle.needs import importing
from resettle.needs.importing import NULL, Lookups, RowError

# Made-up ids: countries 1.., populations 101..
COUNTRIES = {"AUT": 1, "AUS": 2, "DEU": 3, "SYR": 4, "TUR": 5, "CAN": 6, "AFG": 7, "USA": 8}
POPULATIONS = {code: 100 + pk for code, pk in COUNTRIES.items()} | {
    "ROHINGYA": 201,
    "STATELESS": 202,
    "TIBETAN": 203,
    "UNKNOWN": 204,
}
LOOKUPS = Lookups(
    countries=COUNTRIES,
    populations=POPULATIONS,
    # UNHCR's own codes: AUS is Austria, AUL Australia, GFR Germany.
    unhcr_codes={"AUS": "AUT", "AUL": "AUS", "GFR": "DEU", "SYR": "SYR", "CAN": "CAN"},
    group_codes={"UKN": "UNKNOWN", "UNK": "UNKNOWN", "TIB": "TIBETAN", "XXA": "STATELESS"},
    choices={
        "category": {"lpn": "LPN", "med": "MED", "medical needs": "MED"},
        "priority": {"emergency": "emergency", "urgent": "urgent", "normal": "normal"},
        "modality": {"dossier": "dossier", "interview": "interview", "remote": "remote"},
        "status": {"planning": "planning", "in_progress": "in_progress", "fulfilled": "fulfilled"},
    },
)


def csv_table(text: str) -> importing.Table:
    return importing.read_table(text.encode())


def check(kind: str, text: str, **kwargs: object) -> importing.CheckResult:
    return importing.check(kind, csv_table(text), LOOKUPS, **kwargs)  # type: ignore[arg-type]


def codes(result: importing.CheckResult) -> list[tuple[int | None, int | None, str, str]]:
    """(row, line, column, code) of each problem."""
    return [(e.row, e.line, e.column, e.code) for e in result.errors]


def cells(line: str) -> list[str]:
    return line.split("\t")


# ---- reading --------------------------------------------------------------------------


def test_the_module_imports_nothing_of_django() -> None:
    tree = ast.parse(Path(importing.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"django", "resettle"}


def test_csv_needs_by_header_names() -> None:
    result = check(
        "needs",
        "Year,Population,Country of asylum,Category,Priority,Persons\n"
        "2026,SYR,TUR,LPN,urgent,1200\n"
        "2026,ROHINGYA,,,,500\n",
    )

    assert result.ok, result.errors
    assert result.columns == (
        "year",
        "population_id",
        "asylum_id",
        "category",
        "priority",
        "persons",
    )
    assert [cells(x) for x in result.lines] == [
        ["2026", "104", "5", "LPN", "urgent", "1200"],
        ["2026", "201", NULL, "", "", "500"],
    ]
    assert len(result.checksum) == 64


def test_semicolons_a_bom_and_cp1252_are_read() -> None:
    text = "\ufeffyear;population;persons\n2026;SYR;10\n"
    assert importing.check("needs", importing.read_table(text.encode()), LOOKUPS).ok
    latin = "year;population;persons;note\n2026;SYR;10;Côte\n".encode("cp1252")
    table = importing.read_table(latin)
    assert table.columns == ["year", "population", "persons", "note"]
    assert importing.check("needs", table, LOOKUPS).rows == 1


def test_spellings_are_normalised_on_the_slow_path_to_the_same_tokens() -> None:
    clean = check("needs", "year,population,asylum,category,persons\n2026,SYR,TUR,MED,1200\n")
    odd = check(
        "needs",
        'year,population,asylum,category,persons\n 2026 ,syr, tur ,Medical needs,"1,200"\n',
    )

    assert clean.ok and odd.ok, odd.errors
    assert clean.lines == odd.lines
    assert clean.checksum == odd.checksum


def test_the_checksum_ignores_row_order() -> None:
    rows = ["2026,SYR,TUR,5", "2025,SYR,TUR,6", "2026,AFG,,7"]
    first = check("needs", "year,population,asylum,persons\n" + "\n".join(rows))
    again = check("needs", "year,population,asylum,persons\n" + "\n".join(reversed(rows)))
    other = check("needs", "year,population,asylum,persons\n" + "\n".join(rows[:2]))

    assert first.checksum == again.checksum
    assert first.checksum != other.checksum


def test_blank_lines_are_skipped() -> None:
    result = check("needs", "year,population,persons\n\n2026,SYR,10\n,,\n2026,AFG,3\n")

    assert result.ok
    assert (result.rows, result.skipped) == (2, 2)


def test_xlsx() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["state", "year", "end_year", "persons", "modality", "status"])
    sheet.append(["DEU", 2025, None, 6500.0, "Interview", "planning"])
    sheet.append(["CAN", 2025, 2027, 25000, "dossier", ""])
    buffer = io.BytesIO()
    book.save(buffer)

    table = importing.read_table(buffer.getvalue(), "pledges.xlsx")
    result = importing.check("pledges", table, LOOKUPS)

    assert table.source_format == "xlsx"
    assert result.ok, result.errors
    assert [cells(x) for x in result.lines] == [
        ["3", "2025", NULL, "6500", "0", "0", "interview", "planning"],
        ["6", "2025", "2027", "25000", "0", "0", "dossier", "planning"],
    ]


def test_xlsx_errors_name_the_sheet_row() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["year", "population", "persons"])
    sheet.append([2026, "SYR", -4])
    buffer = io.BytesIO()
    book.save(buffer)

    result = importing.check("needs", importing.read_table(buffer.getvalue()), LOOKUPS)

    assert codes(result) == [(1, 2, "persons", "negative")]


def test_a_broken_file_is_unreadable() -> None:
    with pytest.raises(importing.Unreadable):
        importing.read_table(b"PK\x03\x04 not really a zip file")
    with pytest.raises(importing.Unreadable):
        importing.read_table(b"\x00\x01\x02binary")


# ---- HXL ------------------------------------------------------------------------------


def test_hxl_hashtags_under_the_header_map_the_columns() -> None:
    text = (
        "Année,Pays d'origine,Pays d'asile,Pays de réinstallation,Soumis,Partis\n"
        "#date+year,#country+code+origin,#country+code+asylum,#country+code+resettlement,"
        "#affected+submitted,#affected+departed\n"
        "2024,SYR,TUR,DEU,120,80\n"
    )
    table = csv_table(text)
    result = importing.check("flows", table, LOOKUPS)

    assert table.header_lines == 2
    assert result.ok, result.errors
    assert cells(result.lines[0]) == ["2024", "104", "5", "3", "", "", "120", "80", NULL]


def test_hxl_hashtags_alone_and_in_any_order_of_attributes() -> None:
    text = (
        "#country +code +resettlement,#date +year,#affected+departed+within_6_months,"
        "#affected+departed,#country+origin+code\n"
        "DEU,2024,7,9,SYR\n"
    )
    result = check("flows", text)

    assert result.ok, result.errors
    assert result.mapping == {
        "resettlement_state": 0,
        "year": 1,
        "departed_within_6_months": 2,
        "departed": 3,
        "origin": 4,
    }


def test_an_hxl_file_written_by_libhxl_imports() -> None:
    hxl = pytest.importorskip("hxl")
    source = hxl.data(
        [
            ["Year", "Origin", "Resettlement State", "Departed"],
            [
                "#date+year",
                "#country+code+origin",
                "#country+code+resettlement",
                "#affected+departed",
            ],
            ["2023", "AFG", "USA", "150"],
        ]
    )
    text = "".join(source.gen_csv(show_headers=True, show_tags=True))

    result = check("flows", text)

    assert result.ok, result.errors
    assert cells(result.lines[0])[:4] == ["2023", "107", NULL, "8"]


# ---- the Refugee Data Finder --------------------------------------------------------------

RDF = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,returned_refugees,resettlement,"
    "naturalisation,returned_idps\n"
)


def test_rdf_layout_is_detected_and_read() -> None:
    result = check(
        "flows",
        RDF + "1959,Austria,AUS,AUT,Canada,CAN,CAN,,17,,\n"
        "1970,Tibetan,TIB,TIB,Canada,CAN,CAN,,5,,\n"
        "1987,Stateless,STA,XXA,Canada,CAN,CAN,,5,,\n"
        "2001,Unknown,UKN,UNK,Canada,CAN,CAN,,3,,\n"
        "2002,Syria,SYR,SYR,Canada,CAN,CAN,4,,,\n",
    )

    assert result.layout == importing.RDF
    assert result.ok, result.errors
    assert (result.rows, result.skipped) == (4, 1)  # the row without arrivals is skipped
    assert [cells(x)[1] for x in result.lines] == ["101", "203", "202", "204"]
    assert {cells(x)[7] for x in result.lines} == {"17", "5", "3"}


def test_rdf_unhcr_code_aus_is_austria_not_australia() -> None:
    result = check(
        "flows",
        RDF + "1990,Austria,AUS,,Australia,AUL,,,10,,\n"  # only UNHCR's codes given
        "1991,Austria,AUS,AUT,Austria,AUS,,,11,,\n"
        "1992,Syria,SYR,SYR,Australia,AUL,AUS,,12,,\n",
    )

    assert result.ok, result.errors
    origin, state = zip(*[(cells(x)[1], cells(x)[3]) for x in result.lines], strict=True)
    austria, australia = COUNTRIES["AUT"], COUNTRIES["AUS"]
    assert origin[:2] == (str(100 + austria), str(100 + austria))
    assert state == (str(australia), str(austria), str(australia))


def test_an_unknown_unhcr_code_is_named() -> None:
    result = check("flows", RDF + "1990,Nowhere,ZZZ,,Canada,CAN,CAN,,10,,\n")

    assert codes(result) == [(1, 2, "coo_iso", "unknown_unhcr_country")]
    assert result.errors[0].value == "ZZZ"


def test_the_rdf_layout_is_only_for_departures() -> None:
    result = check("needs", RDF + "1990,Austria,AUS,AUT,Canada,CAN,CAN,,10,,\n")

    assert codes(result) == [(None, None, "", "wrong_layout")]


# ---- refusals: every reason, with row, line and column ------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "needs",
            "year,population,persons\n2026,XYZ,10\n",
            (1, 2, "population", "unknown_population"),
        ),
        (
            "flows",
            "year,origin,resettlement_state,departed\n2026,SYR,ZZZ,10\n",
            (1, 2, "resettlement_state", "unknown_country"),
        ),
        ("needs", "year,population,persons\n2026,SYR,-5\n", (1, 2, "persons", "negative")),
        ("needs", "year,population,persons\n2026,SYR,many\n", (1, 2, "persons", "not_a_number")),
        ("needs", "year,population,persons\n2026,SYR,2.5\n", (1, 2, "persons", "not_whole")),
        (
            "needs",
            "year,population,persons\n2026,SYR,99999999999\n",
            (1, 2, "persons", "too_large"),
        ),
        ("needs", "year,population,persons\n1900,SYR,5\n", (1, 2, "year", "year_range")),
        ("needs", "year,population,persons\nnext,SYR,5\n", (1, 2, "year", "not_a_number")),
        ("needs", "year,population,persons\n2026,,5\n", (1, 2, "population", "missing_value")),
        (
            "needs",
            "year,population,priority,persons\n2026,SYR,soon,5\n",
            (1, 2, "priority", "unknown_choice"),
        ),
        (
            "flows",
            "year,origin,resettlement_state,submitted,departed\n2026,SYR,DEU,,\n",
            (1, 2, "departed", "no_figures"),
        ),
        (
            "pledges",
            "state,year,end_year,persons\nDEU,2026,2025,100\n",
            (1, 2, "end_year", "end_before_start"),
        ),
        (
            "pledges",
            "state,year,persons,unallocated_places\nDEU,2026,100,101\n",
            (1, 2, "unallocated_places", "exceeds_persons"),
        ),
        ("needs", "year,persons\n2026,5\n", (None, None, "population", "missing_column")),
        ("needs", "", (None, None, "", "empty_file")),
        ("needs", "year,population,persons\n", (1, None, "", "no_rows")),
    ],
)
def test_every_refusal_reason(kind: str, text: str, expected: tuple[object, ...]) -> None:
    result = check(kind, text)

    assert not result.ok
    row, line, column, code = expected
    found = codes(result)[0]
    assert (found[0], found[2], found[3]) == (row, column, code)
    if line is not None:
        assert found[1] == line
    assert result.lines == []


def test_duplicate_keys_name_the_first_row() -> None:
    result = check(
        "needs",
        "year,population,asylum,persons\n2026,SYR,TUR,5\n2026,AFG,TUR,5\n2026,syr,TUR,6\n",
    )

    assert codes(result) == [(3, 4, "year", "duplicate")]
    assert result.errors[0].params == {
        "other": "1",
        "key": "year, population, asylum, category, priority",
    }


def test_lines_count_the_header_rows_and_quoted_line_breaks() -> None:
    text = (
        "year,population,persons,note\n"
        "#date+year,#population+code,#inneed,#description\n"
        '2026,SYR,5,"two\nlines"\n'
        "2026,AFG,-1,\n"
    )
    result = check("needs", text)

    assert codes(result) == [(2, 5, "persons", "negative")]


def test_all_problems_of_a_file_are_counted_the_first_ones_reported() -> None:
    text = "year,population,persons\n" + "2026,SYR,-1\n" * 30

    result = importing.check("needs", csv_table(text), LOOKUPS, max_errors=5)

    assert result.error_count == 30
    assert len(result.errors) == 5


def test_a_mapping_names_columns_by_header_hashtag_or_index() -> None:
    text = "an,pop,count,other\n2026,SYR,5,7\n"

    result = check("needs", text, mapping={"year": "an", "population": 1, "persons": "other"})

    assert result.ok, result.errors
    assert cells(result.lines[0])[-1] == "7"
    tagged = "an,pop,count\n#date,#population,#value+count\n2026,SYR,5\n"
    by_tag = check(
        "needs",
        tagged,
        mapping={"year": "#date", "population": "pop", "persons": "#value+count"},
    )
    assert by_tag.ok, by_tag.errors
    bad = check("needs", text, mapping={"year": "when", "nonsense": "an"})
    assert {"unknown_column", "unknown_field"} <= {e.code for e in bad.errors}


def test_unmapping_a_field_leaves_it_out() -> None:
    result = check(
        "needs", "year,population,asylum,persons\n2026,SYR,ZZZ,5\n", mapping={"asylum": None}
    )

    assert result.ok
    assert cells(result.lines[0])[2] == NULL


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    text = "year,population,persons\n" + "".join(f"{1950 + i % 150},SYR,{i}\n" for i in range(25))
    lookups = LOOKUPS
    importing.check(
        "needs",
        csv_table(text),
        lookups,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (25, 25)


def test_preview_marks_the_cells_in_error() -> None:
    table = csv_table("year,population,persons\n2026,SYR,5\n2026,XYZ,-2\n2027,SYR,1\n")

    rows, result = importing.preview("needs", table, LOOKUPS, limit=2)

    assert [r.row for r in rows] == [1, 2]
    assert rows[0].cell_errors == {}
    assert sorted(rows[1].cell_errors) == [1, 2]
    assert rows[1].cells == ["2026", "XYZ", "-2"]
    assert result.error_count == 2


def test_row_errors_round_trip_through_json() -> None:
    error = RowError(3, 4, "persons", "persons", "negative", "-1", {"a": "b"}, 2)

    assert RowError.from_dict(error.as_dict()) == error
