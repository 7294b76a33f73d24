"""`resettle allocate`: the engine on CSV files, with no database and no Django.

    resettle allocate --cases CASES.csv --pledges PLEDGES.csv --out RESULT.csv
                      [--today YYYY-MM-DD] [--time-limit SECONDS]

Prints the objective, the proven bound, the gap and the persons placed by
priority; exit code 0, or 2 with every problem of the input on bad input.
Also runs as `python -m resettle.allocation.engine.cli`.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from resettle.allocation.engine.files import InputError, load_instance, write_result
from resettle.allocation.engine.model import Priority

BAD_INPUT = 2


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resettle allocate",
        description="Allocate submitted cases to pledge lines, with a proven optimality gap.",
    )
    parser.add_argument("--cases", required=True, type=Path, help="cases CSV file")
    parser.add_argument("--pledges", required=True, type=Path, help="pledge lines CSV file")
    parser.add_argument("--out", required=True, type=Path, help="result CSV file to write")
    parser.add_argument(
        "--today", type=_date, default=None, help="day waiting is counted to (default: today)"
    )
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default: none)")
    return parser


def main(argv: list[str]) -> int:
    """Run `resettle allocate` with these arguments (a leading "allocate" is allowed)."""
    if argv[:1] == ["allocate"]:
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the error
        return int(exc.code) if isinstance(exc.code, int) else BAD_INPUT
    today = args.today or datetime.date.today()
    try:
        instance = load_instance(args.cases, args.pledges, today)
    except InputError as exc:
        print("resettle allocate: the input was refused:", file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return BAD_INPUT
    # Imported here: numpy and HiGHS load only once the input is known good.
    from resettle.allocation.engine.solve import solve  # noqa: PLC0415

    result = solve(instance, time_limit=args.time_limit)
    try:
        write_result(args.out, instance, result)
    except OSError as exc:
        print(f"resettle allocate: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return BAD_INPUT
    placed = [0, 0, 0]
    total = [0, 0, 0]
    for case in instance.cases:
        total[case.priority] += case.persons
        if case.id in result.assignment:
            placed[case.priority] += case.persons
    cases_placed = len(result.assignment)
    print(f"cases placed: {cases_placed} of {len(instance.cases)}")
    for level in Priority:
        print(f"persons placed, {level.name.lower()}: {placed[level]} of {total[level]}")
    print(f"objective: {result.objective:.6f}")
    print(f"bound:     {result.bound:.6f}")
    print(f"gap:       {result.gap:.6%}")
    print(f"seconds:   {result.seconds:.2f} ({result.status})")
    print(f"written:   {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
