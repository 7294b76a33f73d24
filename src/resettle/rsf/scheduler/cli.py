"""`resettle schedule MISSION.json`: schedule a mission from a JSON file, no database needed.

    resettle schedule MISSION.json [--out SCHEDULE.json] [--ics DIR] [--time-limit S]
    resettle schedule MISSION.json --previous SCHEDULE.json --events EVENTS.json [--today N]

Prints the objective, bound, gap and counts; writes the schedule as JSON and,
with --ics, one iCalendar file per room and per interpreter. Bad input: a
message naming the JSON path of the bad value, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from resettle.rsf.scheduler.check import violations
from resettle.rsf.scheduler.files import (
    InputError,
    events_from_json,
    mission_from_json,
    read_json,
    schedule_from_json,
    schedule_to_json,
    write_ics,
)
from resettle.rsf.scheduler.model import Schedule
from resettle.rsf.scheduler.reschedule import apply_events, reschedule
from resettle.rsf.scheduler.solve import schedule


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resettle schedule", description="Schedule a selection mission's interviews."
    )
    parser.add_argument("mission", type=Path, help="mission JSON file (docs/scheduler.md)")
    parser.add_argument("--out", type=Path, help="write the schedule as JSON here")
    parser.add_argument("--ics", type=Path, help="write iCalendar files per room and interpreter")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--previous", type=Path, help="a schedule to repair (with --events)")
    parser.add_argument("--events", type=Path, help="no-shows and lost interpreters (JSON)")
    parser.add_argument("--today", type=int, default=None, help="first day that may change")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; 0 on success, 2 on bad input."""
    parser = _parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    if (args.previous is None) != (args.events is None):
        parser.print_usage(sys.stderr)
        sys.stderr.write("resettle schedule: --previous and --events go together\n")
        return 2
    try:
        mission = mission_from_json(read_json(args.mission))
        if args.previous is not None:
            previous = schedule_from_json(read_json(args.previous))
            events = events_from_json(read_json(args.events))
            mission = apply_events(mission, events)
            result: Schedule = reschedule(
                mission, previous, events, today=args.today, time_limit=args.time_limit
            )
        else:
            result = schedule(mission, time_limit=args.time_limit)
    except InputError as exc:
        sys.stderr.write(f"resettle schedule: {exc}\n")
        return 2
    problems = violations(mission, result)
    lines = [
        f"mission {mission.id}: {len(mission.cases)} cases, {len(mission.days)} days, "
        f"{len(mission.rooms)} rooms, {len(mission.interpreters)} interpreters",
        f"objective (priority-weighted persons): {result.objective}",
        f"bound: {result.bound:.1f}",
        f"gap: {100 * result.gap:.2f}%",
        f"scheduled: {len(result.appointments)} cases, "
        f"{sum(1 for a in result.appointments if a.medical_day is not None)} medical; "
        f"unscheduled: {len(result.unscheduled)}",
        f"days used: {result.days_used}; transport trips: {result.trips}",
        f"seconds: {result.seconds:.1f}",
    ]
    if args.previous is not None:
        lines.append(f"appointments changed or dropped: {result.moved}")
    if problems:  # never expected: the schedule is checked independently of the solver
        lines.append(f"CONSTRAINT VIOLATIONS: {len(problems)}: {problems[:5]}")
    sys.stdout.write("\n".join(lines) + "\n")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(schedule_to_json(mission, result), indent=1, ensure_ascii=False)
        args.out.write_text(text + "\n", encoding="utf-8")
        sys.stdout.write(f"schedule written to {args.out}\n")
    if args.ics is not None:
        files = write_ics(mission, result, args.ics)
        sys.stdout.write(f"{len(files)} calendar files written to {args.ics}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
