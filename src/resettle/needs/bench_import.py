"""The import part of the gap benchmark: import speed against PostgreSQL's own COPY.

`bench_import(rows, seed)` generates a departures CSV of `rows` rows with a
fixed seed (every row a distinct year, origin, asylum, resettlement State,
category and priority), imports it through `do_import_dataset` (read, check,
checksum, write, commit) into a scratch series, then copies the same file with
a bare `COPY ... FROM STDIN (FORMAT csv)` into a scratch table without
constraints or indexes: the speed no importer can beat. Both scratch copies are
removed afterwards; nothing else is touched.
"""

from __future__ import annotations

import io
import random
import time
from typing import Any

from django.db import connection, transaction

from resettle.directory.models import Country
from resettle.needs.models import DatasetVersion, Population, Priority, SubmissionCategory

BENCH_SERIES = "bench-import"
HEADER = (
    "year,origin,asylum,resettlement_state,category,priority,"
    "submitted,departed,departed_within_6_months\n"
)
YEARS = list(range(2000, 2026))


def departures_csv(rows: int, seed: int) -> bytes:
    """A departures CSV of `rows` distinct rows, the same for the same seed."""
    rnd = random.Random(seed)  # noqa: S311 - test data, not secrets
    countries = sorted(Country.objects.values_list("iso3", flat=True))
    origins = sorted(Population.objects.values_list("code", flat=True))
    states = countries[:: max(1, len(countries) // 40)][:40]
    categories = ["", *SubmissionCategory.values]
    priorities = ["", *Priority.values]
    radix = [
        len(YEARS),
        len(origins),
        len(countries),
        len(states),
        len(categories),
        len(priorities),
    ]
    space = 1
    for r in radix:
        space *= r
    if rows > space:
        raise ValueError(f"at most {space} distinct rows")
    out = io.StringIO()
    out.write(HEADER)
    write = out.write
    randint = rnd.randint
    for drawn in rnd.sample(range(space), rows):
        rest, y = divmod(drawn, radix[0])
        rest, o = divmod(rest, radix[1])
        rest, a = divmod(rest, radix[2])
        rest, s = divmod(rest, radix[3])
        p, c = divmod(rest, radix[4])
        submitted = randint(0, 500)
        departed = randint(0, submitted)
        within = randint(0, departed)
        write(
            f"{YEARS[y]},{origins[o]},{countries[a]},{states[s]},{categories[c]},"
            f"{priorities[p]},{submitted},{departed},{within}\n"
        )
    return out.getvalue().encode()


def _raw_copy(data: bytes) -> float:
    """Seconds for PostgreSQL to COPY the CSV into a bare scratch table (rolled back)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_import_copy (year integer, origin text, asylum text,"
            " resettlement_state text, category text, priority text, submitted integer,"
            " departed integer, departed_within_6_months integer) ON COMMIT DROP"
        )
        started = time.perf_counter()
        with cursor.copy("COPY bench_import_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
            view = memoryview(data)
            for start in range(0, len(data), 1 << 20):
                copy.write(view[start : start + (1 << 20)])
        seconds = time.perf_counter() - started
    return seconds


def bench_import(rows: int, seed: int) -> dict[str, Any]:
    """Import speed and raw COPY speed, in rows per second, for the same generated file.

    `copy_rows_per_s` is None on a database other than PostgreSQL.
    """
    from resettle.needs.services import do_import_dataset  # noqa: PLC0415 - avoids a cycle

    data = departures_csv(rows, seed)
    series = f"{BENCH_SERIES}-{seed}-{rows}"
    for old in DatasetVersion.objects.filter(series=series):
        old.delete()
    started = time.perf_counter()
    result = do_import_dataset(
        "flows",
        data,
        series=series,
        source="resettle bench gap (generated)",
        file_name="bench.csv",
        is_public=False,
        is_illustrative=True,
        actor=None,
    )
    import_seconds = time.perf_counter() - started
    result.version.delete()
    copy_seconds = _raw_copy(data) if connection.vendor == "postgresql" else None
    return {
        "import_rows": result.rows,
        "import_seconds": round(import_seconds, 3),
        "import_rows_per_s": round(rows / import_seconds),
        "copy_seconds": round(copy_seconds, 3) if copy_seconds is not None else None,
        "copy_rows_per_s": round(rows / copy_seconds) if copy_seconds else None,
        "file_bytes": len(data),
        "seed": seed,
    }
