"""Pages of the allocation runs: list, start, progress, confirm, scenario.

The run page shows a progress bar while the worker runs the engine
(refreshed every second with htmx, like the progress of a background import),
then the results (views_results).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.allocation import forms, results, services
from resettle.allocation.models import AllocationRun, PledgeLine, RunStatus
from resettle.cases.forms import ShareForm
from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error

PAGE = 50


def allocator(request: HttpRequest) -> User:
    """The signed-in user if they may run allocations; PermissionDenied otherwise."""
    user = as_user(request.user)
    if not services.can_allocate(user):
        raise PermissionDenied
    assert user is not None  # noqa: S101 - can_allocate(None) is False
    return user


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The runs and their scenarios, newest first."""
    allocator(request)
    runs = AllocationRun.objects.select_related("parent", "created_by", "confirmed_by")[:PAGE]
    return render(request, "allocation/run_list.html", {"runs": runs})


@login_required
def run_start(request: HttpRequest) -> HttpResponse:
    """Choose the year and start a run (queued for the task worker)."""
    user = allocator(request)
    year = timezone.localdate().year
    form = forms.StartRunForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.do_start_run(
                form.cleaned_data["year"], name=form.cleaned_data["name"], actor=user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return HttpResponseRedirect(run.get_absolute_url())
    years = PledgeLine.objects.order_by("-year").values_list("year", flat=True).distinct()[:10]
    return render(
        request,
        "allocation/run_start.html",
        {"form": form, "years": list(years)},
        status=400 if form.errors else 200,
    )


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone (htmx polls it), or the whole run page."""
    allocator(request)
    run = services.get_run_for_user(pk, request.user)
    if request.headers.get("HX-Request") != "true":
        return HttpResponseRedirect(run.get_absolute_url())
    response = render(request, "allocation/_progress.html", {"run": run})
    if run.finished:
        # The results make a different page: htmx loads it whole.
        response["HX-Redirect"] = run.get_absolute_url()
    return response


@login_required
@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the run's proposal into referrals (UNHCR staff)."""
    user = allocator(request)
    run = services.get_run_for_user(pk, request.user)
    if not services.can_confirm(user):
        raise PermissionDenied
    # The purpose and consent of sharing the cases with the States (cases/sharing.py).
    form = ShareForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return HttpResponseRedirect(run.get_absolute_url())
    try:
        count = services.do_confirm_run(run, share=form.share_terms(), actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Confirmed: %(count)s cases referred to their States.") % {"count": count}
        )
    return HttpResponseRedirect(run.get_absolute_url())


def _line_choices(run: AllocationRun) -> list[tuple[str, str]]:
    rows = results.line_rows(run)
    return [
        (row.id, f"{row.state_name} · {row.label} ({row.capacity})")
        for row in sorted(rows.values(), key=lambda r: (r.state_name, r.label))
    ]


@login_required
def scenario_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a copy of the run's input (more places, a restriction dropped) and rerun."""
    user = allocator(request)
    run = services.get_run_for_user(pk, request.user)
    choices = _line_choices(run)
    states = sorted({row.state for row in results.line_rows(run).values()})
    form = forms.ScenarioForm(request.POST or None, lines=choices, states=states)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.do_create_scenario(
                run, [form.change()], name=form.cleaned_data["name"], actor=user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return HttpResponseRedirect(scenario.get_absolute_url())
    return render(
        request,
        "allocation/scenario_form.html",
        {"form": form, "run": run},
        status=400 if form.errors else 200,
    )


def can_confirm_run(user: User | None, run: AllocationRun) -> bool:
    """Whether to offer the confirm button."""
    return services.can_confirm(user) and run.status == RunStatus.DONE and not run.confirmed
