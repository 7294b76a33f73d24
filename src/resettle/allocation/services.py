"""Business rules of the allocation: pledge lines, runs, scenarios, confirmation.

A run is started (queued as a background task), executed by the worker
(`execute_run`: the engine on the run's input snapshot, progress written on
the run, one assignment per case stored in batches), and shown as a
proposal. A scenario copies a run's input, applies changes with
engine.scenario and runs again. Confirming a run refers its placed cases to
their States.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.allocation import adapter, scenarios
from resettle.allocation.engine.model import Instance, Result
from resettle.allocation.models import (
    AllocationRun,
    AssignmentReason,
    PledgeLine,
    RunAssignment,
    RunInput,
    RunStatus,
)
from resettle.allocation.snapshot import explanation_to_dict, instance_from_dict, instance_to_dict
from resettle.cases.services import cases_by_reference, refer_cases
from resettle.cases.sharing import ShareTerms
from resettle.core.access import get_visible, require
from resettle.core.audit import delete_with_audit, save_with_audit
from resettle.directory.models import Country

BATCH = 5000
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes

# ---- rights and reads -----------------------------------------------------------


def can_allocate(user: User | None) -> bool:
    """UNHCR staff and administrators edit pledge lines and run the engine."""
    return (
        user is not None
        and user.is_active
        and (user.is_platform_admin or user.role in ("admin", "unhcr"))
    )


def can_confirm(user: User | None) -> bool:
    """Only UNHCR staff turn a proposal into referrals: it is UNHCR's decision."""
    return user is not None and user.is_active and user.role == "unhcr"


def get_run_for_user(pk: int | str, user: Any) -> AllocationRun:
    """A run the user may see (404 otherwise)."""
    return get_visible(AllocationRun, user, pk=pk)


def get_line_for_user(pk: int | str, user: Any) -> PledgeLine:
    """A pledge line the user may see (404 otherwise)."""
    return get_visible(PledgeLine, user, pk=pk)


# ---- pledge lines -------------------------------------------------------------------


@transaction.atomic
def do_create_line(data: Mapping[str, Any], *, actor: User | None) -> PledgeLine:
    """Record a pledge line (UNHCR and administrators; actor None for the demo)."""
    if actor is not None:
        require(can_allocate(actor), "pledge line")
    return save_with_audit(PledgeLine(), data, actor=actor)


@transaction.atomic
def do_update_line(line: PledgeLine, data: Mapping[str, Any], *, actor: User) -> PledgeLine:
    """Change a pledge line (runs already made keep their own copy)."""
    require(can_allocate(actor), "pledge line")
    return save_with_audit(line, data, actor=actor)


@transaction.atomic
def do_delete_line(line: PledgeLine, *, actor: User) -> None:
    """Remove a pledge line (assignments of past runs keep its id and State)."""
    require(can_allocate(actor), "pledge line")
    delete_with_audit(line, actor=actor)


# ---- runs -----------------------------------------------------------------------


def _enqueue(run: AllocationRun) -> None:
    from resettle.allocation.tasks import run_allocation_task  # noqa: PLC0415 - tasks import us

    run_allocation_task.enqueue(run_id=run.pk)


def _new_run(fields: dict[str, Any], instance: Instance, *, actor: User | None) -> AllocationRun:
    run = save_with_audit(
        AllocationRun(),
        {
            **fields,
            "case_count": len(instance.cases),
            "line_count": len(instance.lines),
            "created_by": actor,
        },
        actor=actor,
    )
    RunInput.objects.create(run=run, data=instance_to_dict(instance))
    return run


@transaction.atomic
def do_start_run(
    year: int, *, name: str = "", actor: User | None, background: bool = True
) -> AllocationRun:
    """Queue a run over the submitted cases and the year's pledge lines.

    `background=False` (the demo, the CLI) runs it at once in this process.
    """
    if actor is not None:
        require(can_allocate(actor), "allocation")
    if not PledgeLine.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("There are no pledge lines for %(year)s.") % {"year": year}}
        )
    instance = adapter.build_instance(year)
    name = name.strip() or _("Allocation %(year)s") % {"year": year}
    run = _new_run({"year": year, "name": name}, instance, actor=actor)
    if background:
        _enqueue(run)
    else:
        execute_run(run.pk)
        run.refresh_from_db()
    return run


@transaction.atomic
def do_create_scenario(
    run: AllocationRun,
    changes: Sequence[Mapping[str, Any]],
    *,
    name: str = "",
    actor: User | None,
    background: bool = True,
) -> AllocationRun:
    """Copy a run's input, apply the changes (scenarios.apply), and queue the new run."""
    if actor is not None:
        require(can_allocate(actor), "allocation")
    if not changes:
        raise ValidationError({"changes": _("Describe at least one change.")})
    source = RunInput.objects.filter(run=run).first()
    if source is None:
        raise ValidationError({"run": _("This run has no input to copy.")})
    instance = instance_from_dict(source.data)
    instance, described = scenarios.apply(instance, changes)
    name = name.strip() or _("Scenario of %(run)s") % {"run": run.name}
    scenario = _new_run(
        {
            "year": run.year,
            "name": name[:150],
            "parent": run,
            "changes": [dict(c) for c in changes],
            "description": "\n".join(described),
        },
        instance,
        actor=actor,
    )
    if background:
        _enqueue(scenario)
    else:
        execute_run(scenario.pk)
        scenario.refresh_from_db()
    return scenario


@transaction.atomic
def do_confirm_run(
    run: AllocationRun, *, share: ShareTerms | Mapping[str, Any], actor: User
) -> int:
    """Refer every case the run placed to the State of its line; return how many.

    Only UNHCR staff; only a finished run that is not yet confirmed, whose
    placed cases are all still submitted (a later change means a new run).
    `share`: the purpose and consent of sharing the cases with the States
    (each case gets a sharing record, see cases/sharing.py).
    """
    if not can_confirm(actor):
        raise PermissionDenied("confirm")
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DONE:
        raise ValidationError({"run": _("Only a finished run can be confirmed.")})
    if run.confirmed:
        raise ValidationError({"run": _("This run has been confirmed already.")})
    placed = list(
        run.assignments.filter(reason=AssignmentReason.PLACED, state__isnull=False).select_related(
            "case", "state"
        )
    )
    referred = refer_cases([(a.case, a.state) for a in placed if a.state], share=share, actor=actor)
    save_with_audit(run, {"confirmed_by": actor, "confirmed_at": timezone.now()}, actor=actor)
    return referred


# ---- executing a run (the worker) -----------------------------------------------------


def _progress_writer(run_id: int) -> Callable[[float], None]:
    last = 0.0

    def progress(share: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_INTERVAL and share < 1:
            return
        last = now
        # The engine's share of the work, leaving the last tenth for storing the results.
        percent = max(1, min(90, round(float(share) * 90)))
        AllocationRun.objects.filter(pk=run_id).update(progress=percent)

    return progress


def execute_run(run_id: int) -> AllocationRun:
    """Run the engine on a queued run's input and store its assignments.

    Called by the task worker (or at once for a synchronous run). A failure
    marks the run failed with the error, and stores nothing else.
    """
    from resettle.allocation.engine.solve import solve  # noqa: PLC0415 - heavy import

    run = AllocationRun.objects.get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    AllocationRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING, progress=1)
    try:
        instance = instance_from_dict(RunInput.objects.get(run=run).data)
        result = solve(instance, progress=_progress_writer(run_id))
        with transaction.atomic():
            # Two attempts of one run (a worker presumed dead that was not, see
            # core.tasks_reliability) store one after the other, and only the first.
            locked = AllocationRun.objects.select_for_update().get(pk=run_id)
            if locked.status in (RunStatus.QUEUED, RunStatus.RUNNING):
                _store(run, instance, result)
    except Exception as exc:
        AllocationRun.objects.filter(
            pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
        ).update(status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    run.refresh_from_db()
    return run


def _reserve(instance: Instance, result: Result) -> list[dict[str, Any]]:
    from resettle.allocation.engine.explain import reserve_summary  # noqa: PLC0415

    return [
        {**dataclasses.asdict(row), "meets_target": row.meets_target}
        for row in reserve_summary(instance, result)
    ]


def _store(run: AllocationRun, instance: Instance, result: Result) -> None:
    cases = cases_by_reference(c.id for c in instance.cases)
    states = {c.iso3: c for c in Country.objects.all()}
    line_state = {line.id: line.state for line in instance.lines}
    line_rows = set(
        PledgeLine.objects.filter(
            pk__in=[pk for line in instance.lines if (pk := adapter.line_pk(line.id))]
        ).values_list("pk", flat=True)
    )
    RunAssignment.objects.filter(run=run).delete()
    batch: list[RunAssignment] = []
    for case in instance.cases:
        row = cases.get(case.id)
        if row is None:  # a case removed since the run was queued
            continue
        explanation = result.explanations.get(case.id)
        line_key = result.assignment.get(case.id, "")
        pk = adapter.line_pk(line_key) if line_key else None
        batch.append(
            RunAssignment(
                run=run,
                case=row,
                line_id=pk if pk in line_rows else None,
                line_key=line_key,
                state=states.get(line_state.get(line_key, "")) if line_key else None,
                reason=str(explanation.reason)
                if explanation
                else (AssignmentReason.PLACED if line_key else AssignmentReason.NO_ELIGIBLE_LINE),
                explanation=explanation_to_dict(explanation) if explanation else {},
            )
        )
        if len(batch) >= BATCH:
            RunAssignment.objects.bulk_create(batch)
            batch = []
    RunAssignment.objects.bulk_create(batch)
    save_with_audit(
        run,
        {
            "status": RunStatus.DONE,
            "progress": 100,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "seconds": result.seconds,
            "reserve": _reserve(instance, result),
            "finished_at": timezone.now(),
            "error": "",
        },
        actor=None,
    )


def require_allocator(user: User | None) -> None:
    """PermissionDenied unless the user may run allocations."""
    require(can_allocate(user), "allocation")
