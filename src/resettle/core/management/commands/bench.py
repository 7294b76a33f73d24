"""`resettle bench NAME`: run one benchmark, print its JSON records, write bench/results/NAME.json.

Each benchmark measures our code side by side with a baseline and states the
limit it must meet, in one run, so the numbers are comparable.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# name -> "module:function"; each function takes the parsed options and returns
# its results (JSON-serialisable): a dict with a "verdict" of "pass"/"fail", or
# a list of records of which one may carry the verdict.
BENCHMARKS: dict[str, str] = {
    "gap": "resettle.needs.bench:run",
    "allocation": "resettle.allocation.bench.run:run",
    "schedule": "resettle.rsf.scheduler.bench:run",
    "search": "resettle.library.bench:run",
    "load": "resettle.core.loadbench:run",
}


class Command(BaseCommand):
    """Run a benchmark by name."""

    help = "Run a benchmark: " + ", ".join(sorted(BENCHMARKS))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--records", type=int, default=None, help="size of the data set")
        parser.add_argument("--requests", type=int, default=None, help="requests to time")
        parser.add_argument("--cases", type=int, default=None, help="cases (allocation, schedule)")
        parser.add_argument("--documents", type=int, default=None, help="documents (search)")
        parser.add_argument(
            "--naive-time-limit",
            type=float,
            default=None,
            help="seconds for the naive MIP baseline (allocation)",
        )
        parser.add_argument("--users", type=int, default=None, help="virtual users (load)")
        parser.add_argument("--seconds", type=float, default=None, help="duration (load)")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (load)")
        parser.add_argument(
            "--think", type=float, default=None, help="mean think time in seconds (load)"
        )
        parser.add_argument("--seed", type=int, default=20261129)
        parser.add_argument(
            "--out", default="bench/results", help="folder for NAME.json (default bench/results)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        module_name, func_name = BENCHMARKS[name].split(":")
        try:
            func = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            raise CommandError(f"benchmark {name} is not available: {exc}") from exc
        result: dict[str, Any] | list[dict[str, Any]] = func(options, log=self.stderr.write)
        text = json.dumps(result, indent=2, sort_keys=True)
        self.stdout.write(text)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        if _verdict(result) == "fail":
            raise CommandError(f"benchmark {name} missed its limits; see {out / (name + '.json')}")


def _verdict(result: dict[str, Any] | list[dict[str, Any]]) -> str | None:
    """The verdict of a result: its own, or that of the record that carries one."""
    if isinstance(result, dict):
        return result.get("verdict")
    for record in result:
        if isinstance(record, dict) and "verdict" in record:
            verdict: str | None = record["verdict"]
            return verdict
    return None
