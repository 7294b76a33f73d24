"""`resettle bench load`, for a few seconds with three users, on the test database.

The benchmark loads the demo dataset, starts gunicorn with production settings
on a free loopback port and drives it with virtual users; here it must finish
without a single error, write bench/results-style JSON with the keys the issue
names, and give the verdict its limits call for (on a loaded test machine the
latencies may well miss them: the verdict is checked, not assumed).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = {"users", "seconds", "requests", "errors", "p50_ms", "p95_ms", "p99_ms"}


def test_load_benchmark_runs_without_errors(shared_db: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "bench",
            "load",
            "--users",
            "3",
            "--seconds",
            "3",
            "--workers",
            "2",
            "--think",
            "0.5",
            "--out",
            str(tmp_path / "results"),
            stdout=out,
            stderr=err,
        )
    except CommandError as exc:  # only a missed limit may stop it, after writing its JSON
        assert "missed its limits" in str(exc), err.getvalue()
    result = json.loads((tmp_path / "results" / "load.json").read_text(encoding="utf-8"))
    assert json.loads(out.getvalue()) == result

    assert result.keys() >= KEYS
    assert (result["users"], result["seconds"], result["workers"]) == (3, 3.0, 2)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] > 0
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    # Requests are counted by kind; the signed-in users did sign in.
    assert set(result["by_kind"]) <= {"dashboard", "list", "detail", "api"}
    assert sum(kind["requests"] for kind in result["by_kind"].values()) == result["requests"]
    assert result["logins"]["count"] == 2  # three users: one anonymous, two signed in
    baseline = result["baseline"]
    assert baseline["errors"] == 0 and baseline["requests"] > 0
    within = result["p95_ms"] <= 300 and result["p99_ms"] <= 800
    assert result["verdict"] == ("pass" if within else "fail")
    assert result["database"] == connection.vendor
