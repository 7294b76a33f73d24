"""The gap benchmark's request mix (the benchmark itself runs on PostgreSQL: make bench)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from resettle.needs import bench
from resettle.needs.gap_queries import Cut


def _year_and_cut(url: str) -> tuple[int, str]:
    query = parse_qs(urlsplit(url).query)
    return int(query["year"][0]), query["cut"][0]


def test_the_benchmark_times_every_cut_and_year() -> None:
    assert list(Cut.values) == bench.CUTS
    assert "situation" in bench.CUTS
    urls = bench.gap_urls(200, "needs=n&pledges=p&flows=f")
    assert len(urls) == 200 and all(u.endswith("&needs=n&pledges=p&flows=f") for u in urls)
    pairs = [_year_and_cut(u) for u in urls]
    # Every (year, cut) pair in the first 30 requests (the warm-up), once each.
    assert sorted(pairs[:30]) == sorted((y, c) for y in bench.YEARS for c in Cut.values)
    # Every cut in the cold sample (the first tenth of the requests).
    assert {cut for _year, cut in pairs[:20]} == set(Cut.values)
