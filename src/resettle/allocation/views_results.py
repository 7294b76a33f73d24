"""Pages of a run's results: summary, tables, charts, unplaced cases, exports,
a case's explanation, and the comparison of a scenario with its run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.allocation import explain, results, services
from resettle.allocation.models import AllocationRun, AssignmentReason, RunAssignment, RunStatus
from resettle.allocation.views_runs import allocator, can_confirm_run
from resettle.cases.forms import ShareForm
from resettle.cases.models import SharePurpose
from resettle.cases.services import get_case_for_user
from resettle.core.access import as_user
from resettle.needs import charts, exports
from resettle.needs.charts import GREEN, RED, UNHCR_BLUE

UNPLACED_PAGE = 50


def _charts(summary: results.Summary) -> dict[str, str]:
    rtl = translation.get_language_bidi()
    states = summary.states[:15]
    placed_chart = charts.grouped_bars(
        title=_("Persons placed against places, per State"),
        desc=_("For each State, its places and the persons the run placed."),
        categories=[s.state_name for s in states],
        series=[
            (_("Places"), UNHCR_BLUE, [s.capacity for s in states]),
            (_("Placed"), GREEN, [s.used_total for s in states]),
        ],
        chart_id="placed-by-state",
        rtl=rtl,
    )
    unplaced_chart = charts.horizontal_bars(
        title=_("Persons not placed, by reason"),
        desc=_("Persons of the cases the run could not place, by the reason."),
        items=[(label, int(persons or 0)) for _r, label, _c, persons in summary.unplaced],
        colour=RED,
        chart_id="unplaced-by-reason",
        rtl=rtl,
    )
    return {"placed": placed_chart, "unplaced": unplaced_chart}


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: its progress while it runs, then its results."""
    user = allocator(request)
    run = services.get_run_for_user(pk, request.user)
    context: dict[str, Any] = {
        "run": run,
        "can_confirm": can_confirm_run(user, run),
        "share_form": ShareForm(initial={"purpose": SharePurpose.RESETTLEMENT}),
        "scenarios": run.scenarios.all(),
    }
    if run.status == RunStatus.DONE:
        summary = results.summarise(run)
        context.update(
            {
                "summary": summary,
                "gap_words": results.gap_in_words(run),
                "reserve_all": run.reserve[-1] if run.reserve else None,
                "charts": _charts(summary),
                "priorities": [
                    (p, label, summary.submitted[p], summary.placed[p])
                    for p, label in _priority_labels()
                ],
            }
        )
    return render(request, "allocation/run_detail.html", context)


def _priority_labels() -> list[tuple[str, str]]:
    from resettle.needs.models import Priority  # noqa: PLC0415

    return [(str(value), str(label)) for value, label in Priority.choices]


@login_required
def run_unplaced(request: HttpRequest, pk: int) -> HttpResponse:
    """The cases the run did not place, by reason."""
    allocator(request)
    run = services.get_run_for_user(pk, request.user)
    reason = request.GET.get("reason", "")
    rows = run.assignments.exclude(reason=AssignmentReason.PLACED).select_related(
        "case", "case__asylum"
    )
    if reason in AssignmentReason.values:
        rows = rows.filter(reason=reason)
    page = Paginator(
        rows.order_by("case__priority", "case__submitted_on", "case__reference"), UNPLACED_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "allocation/run_unplaced.html",
        {
            "run": run,
            "page": page,
            "reason": reason,
            "reasons": [c for c in AssignmentReason.choices if c[0] != AssignmentReason.PLACED],
            "querystring": f"reason={reason}" if reason else "",
        },
    )


# ---- exports --------------------------------------------------------------------------

ASSIGNMENT_COLUMNS = [
    exports.Column("case", "#case +id"),
    exports.Column("persons", "#affected +num"),
    exports.Column("priority", "#priority"),
    exports.Column("nationality", "#population +code"),
    exports.Column("asylum", "#country +asylum +code"),
    exports.Column("line", "#indicator +line"),
    exports.Column("state", "#country +resettlement +code"),
    exports.Column("reason", "#status"),
]
LINE_COLUMNS = [
    exports.Column("line", "#indicator +line"),
    exports.Column("state", "#country +resettlement +code"),
    exports.Column("label", "#description"),
    exports.Column("capacity", "#capacity +num"),
    exports.Column("used", "#reached +num"),
    exports.Column("left", "#capacity +remaining +num"),
    exports.Column("emergency", "#reached +emergency +num"),
    exports.Column("urgent", "#reached +urgent +num"),
    exports.Column("normal", "#reached +normal +num"),
    exports.Column("reserved_urgent", "#capacity +reserved +num"),
]


def _assignment_rows(run: AllocationRun) -> Iterator[list[Any]]:
    rows = (
        run.assignments.order_by("case__reference")
        .values_list(
            "case__reference",
            "case__persons",
            "case__priority",
            "case__nationality",
            "case__asylum__iso3",
            "line_key",
            "state__iso3",
            "reason",
        )
        .iterator(chunk_size=5000)
    )
    for row in rows:
        yield [value if value is not None else "" for value in row]


def _line_table_rows(run: AllocationRun) -> list[list[Any]]:
    summary = results.summarise(run)
    return [
        [
            line.id,
            line.state,
            line.label,
            line.capacity,
            line.used_total,
            line.left,
            line.used["emergency"],
            line.used["urgent"],
            line.used["normal"],
            line.reserved,
        ]
        for line in summary.lines
    ]


@login_required
def run_export(
    request: HttpRequest, pk: int, table: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The run's assignments or pledge lines as CSV or XLSX."""
    allocator(request)
    run = services.get_run_for_user(pk, request.user)
    if (
        run.status != RunStatus.DONE
        or table not in ("assignments", "lines")
        or fmt
        not in (
            "csv",
            "xlsx",
        )
    ):
        raise Http404("export")
    meta = {"run": run.pk, "year": run.year, "objective": run.objective, "bound": run.bound}
    if table == "assignments":
        data = exports.Table(table, ASSIGNMENT_COLUMNS, _assignment_rows(run), [], meta)
    else:
        data = exports.Table(table, LINE_COLUMNS, _line_table_rows(run), [], meta)
    return exports.response(data, fmt, f"allocation-run-{run.pk}-{table}")


# ---- a case's explanation -------------------------------------------------------------


@login_required
def explanation(request: HttpRequest, pk: int, case: int) -> HttpResponse:
    """Why the run placed a case where it did, or did not place it: in three languages."""
    allocator(request)
    run = services.get_run_for_user(pk, request.user)
    case_obj = get_case_for_user(case, request.user)
    assignment = RunAssignment.objects.filter(run=run, case=case_obj).first()
    if assignment is None:
        raise Http404("assignment")
    lines = results.line_rows(run)
    words = explain.in_languages(assignment, lines)
    active = translation.get_language() or "en"
    return render(
        request,
        "allocation/explanation.html",
        {
            "run": run,
            "case": case_obj,
            "assignment": assignment,
            "words": words,
            "active": active.split("-")[0],
        },
    )


# ---- comparison -------------------------------------------------------------------------


@login_required
def run_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """A scenario against its run (or any two runs: ?base=ID): persons placed before and
    after by priority, situation and State, and the cases that moved."""
    user: User | None = as_user(request.user)
    allocator(request)
    other = services.get_run_for_user(pk, user)
    base_id = request.GET.get("base") or other.parent_id
    if not base_id:
        raise Http404("no run to compare with")
    base = services.get_run_for_user(base_id, user)
    ready = base.status == RunStatus.DONE and other.status == RunStatus.DONE
    context: dict[str, Any] = {"base": base, "run": other, "ready": ready}
    if ready:
        context["cuts"] = results.compare(base, other)
        context["changed"] = results.changed_cases(base, other)
    return render(request, "allocation/run_compare.html", context)
