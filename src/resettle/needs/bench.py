"""`resettle bench gap`: the gap page and API against raw SQL, and import against COPY.

Run on a disposable PostgreSQL database (`make bench` creates `resettle_bench`):
it generates, with a fixed seed, `--records` submission and departure rows
(2 million by default) plus five years of needs and pledges, imports them
through the real import service, loads the demo's priority situations (so the
situation cut has areas to roll up), then times in one run:

- the gap page and the gap API, server side (in-process Django client, the
  whole request: routing, queries, roll-up, template or JSON), p50/p95 over
  `--requests` requests cycling over five years and all six cuts, with the
  result caches warm as they are in service (an import enqueues their
  warming, see needs/warming.py), and also with every cache cleared before
  every request (cold);
- the same aggregation as one hand-written SQL query (the baseline);
- importing a 1-million-row departures file against PostgreSQL's own COPY of
  the same file.

Limits (issue 3): gap p95 at most 150 ms and within 1.5x of raw SQL; import at
least 100,000 rows/s.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client

from resettle.directory.models import Country
from resettle.needs.bench_import import bench_import, departures_csv
from resettle.needs.demo_situations import load_demo_situations
from resettle.needs.gap_queries import Cut
from resettle.needs.models import DatasetVersion, Population
from resettle.needs.services import do_import_dataset

GAP_P95_LIMIT_MS = 150.0
GAP_RAW_RATIO_LIMIT = 1.5
IMPORT_ROWS_PER_S_LIMIT = 100_000
YEARS = [2021, 2022, 2023, 2024, 2025]
CUTS: list[str] = list(Cut.values)  # every cut of the gap, priority situations included
SERIES = {"flows": "bench-gap-flows", "needs": "bench-gap-needs", "pledges": "bench-gap-pledges"}

RAW_SQL = """
SELECT 'flows' AS t, f.year, f.origin_id, f.asylum_id, f.resettlement_state_id,
       SUM(f.submitted), SUM(f.departed), SUM(f.departed_within_6_months)
  FROM needs_flowfigure f WHERE f.version_id = %(flows)s AND f.year = %(year)s
 GROUP BY f.year, f.origin_id, f.asylum_id, f.resettlement_state_id
UNION ALL
SELECT 'needs', n.year, n.population_id, n.asylum_id, NULL, SUM(n.persons),
       SUM(n.persons) FILTER (WHERE n.priority IN ('emergency', 'urgent')), NULL
  FROM needs_needfigure n WHERE n.version_id = %(needs)s AND n.year = %(year)s
 GROUP BY n.year, n.population_id, n.asylum_id
UNION ALL
SELECT 'pledges', p.year, NULL, NULL, p.state_id, SUM(p.persons),
       SUM(p.emergency_urgent_places), SUM(p.unallocated_places)
  FROM needs_pledge p WHERE p.version_id = %(pledges)s AND p.year = %(year)s
 GROUP BY p.year, p.state_id
"""


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return round(statistics.median(ordered) * 1000, 2), round(p95 * 1000, 2)


def _needs_csv(seed: int) -> bytes:
    rnd = random.Random(seed)  # noqa: S311 - generated figures, not secrets
    pops = sorted(Population.objects.values_list("code", flat=True))
    hosts = sorted(Country.objects.values_list("iso3", flat=True))[::3]
    out = io.StringIO()
    out.write("year,population,asylum,category,priority,persons\n")
    for year in YEARS:
        for pop in pops[::2]:
            for host in rnd.sample(hosts, 8):
                for priority in ("emergency", "urgent", "normal"):
                    out.write(f"{year},{pop},{host},,{priority},{rnd.randint(10, 5000)}\n")
    return out.getvalue().encode()


def _pledges_csv(seed: int) -> bytes:
    rnd = random.Random(seed)  # noqa: S311 - generated figures, not secrets
    states = sorted(Country.objects.values_list("iso3", flat=True))[::6][:40]
    out = io.StringIO()
    out.write(
        "state,year,end_year,persons,emergency_urgent_places,unallocated_places,modality,status\n"
    )
    for year in YEARS:
        for state in states:
            persons = rnd.randint(100, 20000)
            out.write(
                f"{state},{year},,{persons},{persons // 10},{persons // 20},dossier,in_progress\n"
            )
    return out.getvalue().encode()


def _load(records: int, seed: int, log: Callable[[str], Any]) -> dict[str, int]:
    """Import the generated datasets (once per size and seed); the version ids."""
    ids: dict[str, int] = {}
    makers = {
        "flows": lambda: departures_csv(records, seed),
        "needs": lambda: _needs_csv(seed),
        "pledges": lambda: _pledges_csv(seed),
    }
    for kind, series in SERIES.items():
        name = f"{series}-{seed}-{records}" if kind == "flows" else f"{series}-{seed}"
        version = DatasetVersion.objects.current().filter(series=name).first()
        if version is None:
            log(f"generating and importing {kind} ({name})\n")
            result = do_import_dataset(
                kind,
                makers[kind](),
                series=name,
                source="resettle bench gap (generated)",
                file_name=f"{name}.csv",
                is_illustrative=True,
                actor=None,
            )
            version = result.version
        ids[kind] = version.pk
    return ids


def gap_urls(requests: int, series_qs: str) -> list[str]:
    """The gap page's URLs to time: year and cut both cycle with every request.

    Five years and six cuts have no common factor, so the first 30 requests ask
    for every (year, cut) pair once, and any six requests in a row (the cold
    sample, say) for every cut.
    """
    return [
        f"/needs/gap/?year={YEARS[i % len(YEARS)]}&cut={CUTS[i % len(CUTS)]}&{series_qs}"
        for i in range(requests)
    ]


def _time_requests(client: Client, urls: list[str], *, cold: bool) -> list[float]:
    samples = []
    for url in urls:
        if cold:
            for each in caches.all():  # the shared cache and the per-process one
                each.clear()
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


def run(options: dict[str, Any], log: Callable[[str], Any]) -> dict[str, Any]:
    """Run the gap benchmark; the JSON record."""
    if connection.vendor != "postgresql":
        raise RuntimeError("bench gap measures PostgreSQL: set DATABASE_URL (make bench does)")
    name = str(connection.settings_dict["NAME"])
    if not name.endswith("bench"):
        raise RuntimeError(
            f"bench gap writes millions of rows: run it on a database whose name ends in "
            f"'bench', not {name!r} (make bench creates resettle_bench)"
        )
    records = int(options.get("records") or 2_000_000)
    requests = int(options.get("requests") or 200)
    seed = int(options.get("seed") or 20261129)

    log("import: 1,000,000 rows through the import service, then raw COPY\n")
    imports = bench_import(min(records, 1_000_000), seed)
    ids = _load(records, seed, log)
    with transaction.atomic():
        load_demo_situations(actor=None)
    series_qs = "&".join(f"{kind}={SERIES[kind]}-{seed}" for kind in ("needs", "pledges"))
    series_qs += f"&flows={SERIES['flows']}-{seed}-{records}"
    urls = gap_urls(requests, series_qs)
    api_urls = [
        u.replace("/needs/gap/", "/api/v1/gap")
        .replace("needs=", "needs_series=")
        .replace("pledges=", "pledges_series=")
        .replace("flows=", "flows_series=")
        for u in urls
    ]
    client = Client(SERVER_NAME="localhost")
    log("gap page and API: warm-up, warm and cold timings\n")
    _time_requests(client, urls[: len(YEARS) * len(CUTS)], cold=False)
    page = _time_requests(client, urls, cold=False)
    api = _time_requests(client, api_urls, cold=False)
    cold_n = max(10, requests // 10)
    page_cold = _time_requests(client, urls[:cold_n], cold=True)
    api_cold = _time_requests(client, api_urls[:cold_n], cold=True)

    log("raw SQL baseline\n")
    raw: list[float] = []
    with connection.cursor() as cursor:
        for i in range(requests):
            params = {**ids, "year": YEARS[i % len(YEARS)]}
            started = time.perf_counter()
            cursor.execute(RAW_SQL, params)
            cursor.fetchall()
            raw.append(time.perf_counter() - started)

    gap_p50, gap_p95 = _ms(page)
    api_p50, api_p95 = _ms(api)
    cold_p50, cold_p95 = _ms(page_cold)
    api_cold_p50, api_cold_p95 = _ms(api_cold)
    raw_p50, raw_p95 = _ms(raw)
    flows_rows = DatasetVersion.objects.get(pk=ids["flows"]).row_count
    checks = {
        "gap_p95_within_limit": gap_p95 <= GAP_P95_LIMIT_MS,
        "api_p95_within_limit": api_p95 <= GAP_P95_LIMIT_MS,
        "gap_within_1_5x_raw_sql": gap_p95 <= GAP_RAW_RATIO_LIMIT * raw_p95,
        "import_fast_enough": imports["import_rows_per_s"] >= IMPORT_ROWS_PER_S_LIMIT,
    }
    return {
        "records": flows_rows,
        "requests": requests,
        "seed": seed,
        "gap_p50_ms": gap_p50,
        "gap_p95_ms": gap_p95,
        "api_p50_ms": api_p50,
        "api_p95_ms": api_p95,
        "gap_cold_p50_ms": cold_p50,
        "gap_cold_p95_ms": cold_p95,
        "api_cold_p50_ms": api_cold_p50,
        "api_cold_p95_ms": api_cold_p95,
        "raw_sql_p50_ms": raw_p50,
        "raw_sql_p95_ms": raw_p95,
        "import_rows_per_s": imports["import_rows_per_s"],
        "copy_rows_per_s": imports["copy_rows_per_s"],
        "import_rows": imports["import_rows"],
        "limits": {
            "gap_p95_ms": GAP_P95_LIMIT_MS,
            "gap_vs_raw_sql": GAP_RAW_RATIO_LIMIT,
            "import_rows_per_s": IMPORT_ROWS_PER_S_LIMIT,
        },
        "checks": checks,
        "verdict": "pass" if all(checks.values()) else "fail",
    }
