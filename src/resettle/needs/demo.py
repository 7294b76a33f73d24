"""Demo figures of the needs app, loaded through the import service.

Four series, each imported with `do_import_dataset` like any file (so each
version has its checksum and audit entry, and loading again changes nothing):

- `rdf-arrivals`: the real resettlement arrivals 1959-2025 from UNHCR's Refugee
  Data Finder, shipped in `data/solutions-resettlement.csv` (see its README).
- `pgrn`: Projected Global Resettlement Needs 2022-2026. Published (domain
  brief, section 4): the total of each year (2024 "over 2.4 million", 2025
  "over 2.9 million" and 2026 "about 2.5 million" taken as 2.4, 2.9 and 2.5
  million), and for 2026 the six largest populations and five largest hosts.
  Illustrative: how those totals split between countries of asylum and the
  other populations, and the split of earlier years (2026's, scaled). The
  version is marked illustrative.
- `unhcr-departures`: UNHCR-facilitated departures 2020-2023 and the persons
  submitted in 2023 (published totals); the split by origin and resettlement
  State is illustrative, and the version is marked so.
- `pledges`: pledges of the demo States 2022-2026; every figure illustrative.

Every figure here is fixed (nothing depends on the day it is loaded), so a
second load finds each series unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from resettle.accounts.models import User
from resettle.demo import data as demo_data
from resettle.needs.pgrn import PGRN_2026
from resettle.needs.services import do_import_dataset

DATA_DIR = Path(__file__).resolve().parent / "data"
RDF_FILE = DATA_DIR / "solutions-resettlement.csv"
RDF_SOURCE = (
    "UNHCR Refugee Data Finder, solutions dataset (refugees data package 2025.12.1), CC BY 4.0"
)
PGRN_SOURCE = "UNHCR Projected Global Resettlement Needs 2022-2026 (totals; split illustrative)"
DEPARTURES_SOURCE = "UNHCR resettlement data 2020-2023 (totals; split illustrative)"
PLEDGES_SOURCE = "Illustrative demo pledges"

# ---- PGRN ------------------------------------------------------------------------------

PGRN_TOTALS = {
    2022: 1_473_156,
    2023: 2_003_982,
    2024: 2_400_000,  # "over 2.4 million"
    2025: 2_900_000,  # "over 2.9 million"
    2026: 2_500_000,  # "about 2.5 million"
}
# Published for 2026: persons in need by population and by host country.
PGRN_2026_POPULATIONS = {
    "AFG": 573_400,
    "SYR": 442_400,
    "SSD": 258_200,
    "SDN": 246_800,
    "ROHINGYA": 233_300,
    "COD": 179_500,
}
PGRN_2026_HOSTS = {"IRN": 348_900, "TUR": 258_000, "PAK": 215_000, "ETH": 213_950, "UGA": 174_000}


# ---- departures ---------------------------------------------------------------------

DEPARTURES = {2020: 22_800, 2021: 39_266, 2022: 58_457, 2023: 96_311}
SUBMITTED = {2023: 155_486}
# Illustrative weights of the split of each year's total.
DEPARTURE_ORIGINS = {
    "SYR": 28,
    "COD": 22,
    "AFG": 18,
    "SSD": 8,
    "ERI": 7,
    "SOM": 6,
    "SDN": 6,
    "MMR": 5,
}
DEPARTURE_STATES = {
    "USA": 40,
    "CAN": 15,
    "DEU": 8,
    "SWE": 6,
    "AUS": 6,
    "FRA": 5,
    "GBR": 5,
    "NOR": 4,
    "NLD": 4,
    "FIN": 3,
    "CHE": 2,
    "ESP": 2,
}

# ---- pledges ------------------------------------------------------------------------

PLEDGE_YEARS = (2022, 2023, 2024, 2025, 2026)
PLEDGE_BASE = {
    "USA": 100_000,
    "CAN": 25_000,
    "AUS": 13_000,
    "DEU": 6_500,
    "GBR": 5_000,
    "SWE": 5_000,
    "FRA": 3_000,
    "NOR": 3_000,
    "NLD": 1_500,
    "FIN": 1_050,
    "CHE": 1_600,
    "NZL": 1_500,
}
STAGE_BASE = {"established": 1_000, "emerging": 400, "new": 100}
YEAR_FACTOR = {2022: 0.8, 2023: 0.9, 2024: 1.0, 2025: 1.0, 2026: 1.1}
MODALITY = {"established": "interview", "emerging": "dossier", "new": "remote"}
STATUS = {2022: "fulfilled", 2023: "fulfilled", 2024: "fulfilled", 2025: "in_progress"}
# Shares of each pledge earmarked for the priority situations (demo_situations.py),
# so the core group's first objective has places to count; illustrative.
SITUATION_SHARES = {
    "Syrian refugees in the region (Türkiye, Lebanon, Jordan, Iraq, Egypt)": 0.20,
    "Afghan refugees in Iran and Pakistan": 0.15,
    "Rohingya refugees in Bangladesh and beyond": 0.05,
    "Sudanese refugees in Chad and Egypt": 0.05,
    "Central Mediterranean route": 0.03,
}


def split(total: int, weights: Mapping[str, float] | Sequence[tuple[str, float]]) -> dict[str, int]:
    """`total` shared in proportion to the weights, in whole numbers that add up to it
    (largest remainders)."""
    items = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
    whole = sum(w for _k, w in items)
    exact = [(key, total * w / whole) for key, w in items]
    shares = {key: int(value) for key, value in exact}
    short = total - sum(shares.values())
    by_remainder = sorted(exact, key=lambda kv: (-(kv[1] - int(kv[1])), kv[0]))
    for key, _value in by_remainder[:short]:
        shares[key] += 1
    return shares


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def pgrn_rows() -> list[tuple[int, str, str, int]]:
    """(year, population, country of asylum, persons) for 2022-2026."""
    rows = []
    cells = [(f"{pop}|{host}", float(n)) for (pop, host), n in PGRN_2026.items()]
    for year, total in PGRN_TOTALS.items():
        for key, persons in split(total, cells).items():
            pop, host = key.split("|")
            rows.append((year, pop, host, persons))
    return rows


def departure_rows() -> list[tuple[int, str, str, int | str, int]]:
    """(year, origin, resettlement State, submitted, departed) for 2020-2023."""
    pairs = [
        (f"{o}|{s}", float(wo * ws))
        for o, wo in DEPARTURE_ORIGINS.items()
        for s, ws in DEPARTURE_STATES.items()
    ]
    rows: list[tuple[int, str, str, int | str, int]] = []
    for year, departed in DEPARTURES.items():
        departures = split(departed, pairs)
        submissions = split(SUBMITTED[year], pairs) if year in SUBMITTED else {}
        for key, persons in departures.items():
            origin, state = key.split("|")
            rows.append((year, origin, state, submissions.get(key, ""), persons))
    return rows


def pledge_rows() -> list[tuple[object, ...]]:
    """(State, year, places, emergency and urgent, unallocated, modality, status, then the
    places earmarked for each priority situation)."""
    rows = []
    for state in demo_data.STATES:
        base = PLEDGE_BASE.get(state.iso3, STAGE_BASE.get(state.stage, 100))
        for year in PLEDGE_YEARS:
            places = max(50, round(base * YEAR_FACTOR[year] / 50) * 50)
            rows.append(
                (
                    state.iso3,
                    year,
                    places,
                    round(places * 0.10),
                    round(places * 0.05),
                    MODALITY.get(state.stage, "dossier"),
                    STATUS.get(year, "planning"),
                    *(round(places * share) for share in SITUATION_SHARES.values()),
                )
            )
    return rows


def load_needs_demo(actor: User | None) -> int:
    """Import the demo series (each unchanged when loaded before); how many versions
    this created."""
    results = [
        do_import_dataset(
            "departures",
            RDF_FILE,
            series="rdf-arrivals",
            source=RDF_SOURCE,
            layout="rdf",
            actor=actor,
        ),
        do_import_dataset(
            "needs",
            _csv(["year", "population", "asylum", "persons"], pgrn_rows()),
            series="pgrn",
            source=PGRN_SOURCE,
            file_name="pgrn-demo.csv",
            is_illustrative=True,
            note="Totals per year, and for 2026 the six largest populations and five largest "
            "hosts, are published; the split between countries of asylum and the other "
            "populations, and that of 2022-2025, are illustrative.",
            actor=actor,
        ),
        do_import_dataset(
            "departures",
            _csv(
                ["year", "origin", "resettlement_state", "submitted", "departed"],
                departure_rows(),
            ),
            series="unhcr-departures",
            source=DEPARTURES_SOURCE,
            file_name="unhcr-departures-demo.csv",
            is_illustrative=True,
            note="UNHCR-facilitated departures per year (2020-2023) and persons submitted in "
            "2023 are published totals; the split by origin and resettlement State is "
            "illustrative.",
            actor=actor,
        ),
        do_import_dataset(
            "pledges",
            _csv(
                [
                    "state",
                    "year",
                    "persons",
                    "emergency_urgent_places",
                    "unallocated_places",
                    "modality",
                    "status",
                    *(f"situation:{name}" for name in SITUATION_SHARES),
                ],
                pledge_rows(),
            ),
            series="pledges",
            source=PLEDGES_SOURCE,
            file_name="pledges-demo.csv",
            is_illustrative=True,
            note="Illustrative demo pledges, not published figures.",
            actor=actor,
        ),
    ]
    return sum(1 for result in results if result.imported)
