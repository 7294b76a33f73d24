"""Pages of the imports: upload a file, map its columns, preview, import, follow progress.

1. `import_upload`: the kind of dataset and the file (CSV, XLSX, HXL-tagged CSV);
   the file is staged (kept under the storage's imports/ folder, described in
   the session) and the user goes on to
2. `import_map`: a column of the file for each field, pre-filled from the
   header names and HXL hashtags (or the Refugee Data Finder's layout), and
   the first rows with every problem highlighted. "Import" imports a small
   file at once (the report of a refused file shows on the same page) and
   queues a large one as a background task, leading to
3. `import_job`: the progress bar, refreshed every second with htmx, then the
   outcome: the new version, "unchanged", or the report of a refused file.

The views call services only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error
from resettle.needs import importing, loader, services
from resettle.needs.models import DatasetKind, DatasetVersion

SESSION_KEY = "needs_imports"
KEEP_UPLOADS = 10  # staged uploads remembered per session
PREVIEW_ROWS = 20

KIND_CHOICES = [
    ("needs", DatasetKind.NEEDS.label),
    ("pledges", DatasetKind.PLEDGES.label),
    ("departures", DatasetKind.FLOWS.label),
]

TYPE_HINTS = {
    "year": gettext_lazy("A year, such as 2025."),
    "count": gettext_lazy("A whole number of persons or places."),
    "country": gettext_lazy("ISO 3166-1 alpha-3 code, such as DEU."),
    "population": gettext_lazy("ISO alpha-3 code of the nationality, or a group: ROHINGYA."),
}


def _importer(request: HttpRequest) -> User:
    """The signed-in user, if they may import; PermissionDenied otherwise."""
    user = as_user(request.user)
    if not services.can_import_dataset(user):
        raise PermissionDenied
    assert user is not None  # noqa: S101 - can_import_dataset(None) is False
    return user


def _version_url(version: DatasetVersion) -> str:
    try:
        return version.get_absolute_url()
    except NoReverseMatch:  # the version pages are not there
        return reverse("needs:import")


# ---- 1. upload ----------------------------------------------------------------


class UploadForm(forms.Form):
    """The file and what it holds."""

    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV, XLSX, or CSV tagged with HXL hashtags. The layout of UNHCR's Refugee Data "
            "Finder is recognised."
        ),
    )
    series = forms.CharField(
        label=gettext_lazy("Series"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Versions of one series replace one another. Empty: pgrn, pledges, departures, "
            "or rdf-arrivals for a Refugee Data Finder file."
        ),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Where the figures come from. Empty: the file name."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Public"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Shown to visitors who are not signed in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


def _style(form: forms.Form) -> None:
    """Bootstrap's classes, and the error marks screen readers need."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"id_{name}_error"


def _remember(request: HttpRequest, staged: services.StagedUpload) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads[staged.id] = staged.as_dict()
    for old in list(uploads)[:-KEEP_UPLOADS]:
        services.StagedUpload.from_dict(uploads.pop(old)).discard()
    request.session[SESSION_KEY] = uploads


def _staged(request: HttpRequest, upload_id: str) -> services.StagedUpload:
    data = request.session.get(SESSION_KEY, {}).get(upload_id)
    if data is None:
        raise Http404("upload")
    return services.StagedUpload.from_dict(data)


def _forget(request: HttpRequest, staged: services.StagedUpload, *, discard: bool) -> None:
    uploads = dict(request.session.get(SESSION_KEY, {}))
    uploads.pop(staged.id, None)
    request.session[SESSION_KEY] = uploads
    if discard:
        staged.discard()


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Choose the kind of dataset and upload the file."""
    user = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged, _table = services.do_stage_upload(
                form.cleaned_data["kind"],
                upload.read(),
                file_name=upload.name or "",
                series=form.cleaned_data["series"],
                source=form.cleaned_data["source"],
                note=form.cleaned_data["note"],
                is_public=form.cleaned_data["is_public"],
                actor=user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            _style(form)
        else:
            _remember(request, staged)
            return HttpResponseRedirect(reverse("needs:import_map", args=[staged.id]))
    return render(request, "needs/import_upload.html", {"form": form})


# ---- 2. map, preview, import ------------------------------------------------------


def field_label(kind: str, target: str) -> str:
    """A mapping target's name, from the model's field ("origin_unhcr": its UNHCR code)."""
    name = target.removesuffix("_unhcr")
    model_field = loader.MODELS[kind]._meta.get_field(name)
    label = capfirst(str(getattr(model_field, "verbose_name", name)))
    if target.endswith("_unhcr"):
        return _("%(field)s, as UNHCR's country code") % {"field": label}
    return str(label)


class MappingForm(forms.Form):
    """For every field of the kind, the column of the file that feeds it."""

    series = forms.CharField(label=gettext_lazy("Series"), max_length=100)

    def __init__(
        self,
        *args: Any,
        kind: str,
        table: importing.Table,
        guessed: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        columns: list[tuple[str, str]] = [("", _("(not in the file)"))]
        for index in range(table.width):
            text = table.column_label(index)
            tag = table.hashtags[index]
            if tag and tag != text:
                text = f"{text} {tag}"
            columns.append((str(index), f"{importing.column_letter(index)}: {text}"))
        self.targets: list[tuple[str, importing.FieldSpec, bool]] = []
        for target, spec, companion in importing.mapping_targets(kind):
            hint = TYPE_HINTS.get(spec.type, "")
            if spec.type == "choice":
                hint = _("Codes or names, such as %(example)s.") % {
                    "example": ", ".join(_example_choices(spec.choices))
                }
            if companion:
                hint = _("Read only where the ISO code is empty; UNHCR's AUS is Austria.")
            self.fields[f"map_{target}"] = forms.ChoiceField(
                label=field_label(kind, target),
                choices=columns,
                required=False,
                initial=str(guessed[target]) if target in guessed else "",
                help_text=hint,
            )
            self.targets.append((target, spec, companion))
        _style(self)

    def mapping(self) -> dict[str, int | str | None]:
        """field -> column index, None for the fields left out (valid forms only)."""
        return {
            target: int(value) if (value := self.cleaned_data.get(f"map_{target}")) else None
            for target, _spec, _c in self.targets
        }

    def rows(self) -> list[tuple[forms.BoundField, importing.FieldSpec, bool]]:
        """The mapping fields, with their specs, for the template."""
        return [(self[f"map_{t}"], spec, c) for t, spec, c in self.targets]


def _example_choices(choice_set: str) -> list[str]:
    choices = loader.CHOICE_SETS.get(choice_set)
    return sorted(str(v) for v in choices.values) if choices is not None else []


@login_required
def import_map(request: HttpRequest, upload: str) -> HttpResponse:
    """Map the columns, see the first rows with their problems, and import."""
    user = _importer(request)
    staged = _staged(request, upload)
    try:
        table, layout, guessed = services.inspect_upload(staged)
    except (importing.Unreadable, OSError) as exc:
        _forget(request, staged, discard=True)
        raise Http404("upload") from exc
    initial = {"series": staged.series or services.default_series(staged.kind, layout)}
    form = MappingForm(
        request.POST or None, kind=staged.kind, table=table, guessed=guessed, initial=initial
    )
    mapping: dict[str, int | str | None] | None = None
    if form.is_bound and form.is_valid():
        mapping = form.mapping()
    elif not form.is_bound:
        mapping = {t: guessed.get(t) for t, _s, _c in importing.mapping_targets(staged.kind)}
    refused: loader.ImportRefused | None = None
    if request.method == "POST" and request.POST.get("action") == "import" and mapping:
        series = form.cleaned_data["series"].strip()
        if table.estimated_rows > services.inline_max_rows():
            try:
                _pending, job = services.do_start_import(
                    staged, mapping=mapping, layout=layout, series=series, actor=user
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _forget(request, staged, discard=False)  # the task removes the file
                return HttpResponseRedirect(reverse("needs:import_job", args=[job]))
        else:
            try:
                result = services.do_import_dataset(
                    staged.kind,
                    staged.read(),
                    series=series,
                    source=staged.source,
                    mapping=mapping,
                    layout=layout,
                    actor=user,
                    file_name=staged.file_name,
                    is_public=staged.is_public,
                    note=staged.note,
                )
            except loader.ImportRefused as exc:
                refused = exc
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _forget(request, staged, discard=True)
                _announce(request, result)
                return HttpResponseRedirect(_version_url(result.version))
    rows: list[importing.PreviewRow] = []
    check: importing.CheckResult | None = None
    if mapping is not None:
        rows, check = services.preview_upload(staged, table, mapping, layout, limit=PREVIEW_ROWS)
    fed_by = {index: target for target, index in (check.mapping if check else guessed).items()}
    header = [
        (
            table.column_label(i),
            table.hashtags[i],
            field_label(staged.kind, fed_by[i]) if i in fed_by else "",
        )
        for i in range(table.width)
    ]
    return render(
        request,
        "needs/import_map.html",
        {
            "staged": staged,
            "kind_label": dict(KIND_CHOICES)[_kind_name(staged.kind)],
            "form": form,
            "layout": layout,
            "header": header,
            "rows": [_preview_row(r) for r in rows],
            "file_problems": [_describe(e) for e in check.errors if e.row is None] if check else [],
            "estimated_rows": table.estimated_rows,
            "background": table.estimated_rows > services.inline_max_rows(),
            "report": _report(refused.report, refused.error_count) if refused else None,
        },
        status=422 if refused else 200,
    )


def _kind_name(kind: str) -> str:
    return "departures" if kind == DatasetKind.FLOWS else kind


def _describe(error: importing.RowError) -> dict[str, Any]:
    return {
        "row": error.row,
        "line": error.line,
        "column": error.column,
        "where": loader.describe_location(error),
        "why": loader.describe_reason(error),
    }


def _preview_row(row: importing.PreviewRow) -> dict[str, Any]:
    """A previewed row for the template: cells with their problems, and every problem
    named with its column."""
    problems = [loader.describe_error(e) for errors in row.cell_errors.values() for e in errors] + [
        loader.describe_reason(e) for e in row.row_errors
    ]
    return {
        "row": row.row,
        "line": row.line,
        "cells": [
            (cell, [loader.describe_reason(e) for e in row.cell_errors.get(i, [])])
            for i, cell in enumerate(row.cells)
        ],
        "problems": problems,
    }


def _report(errors: list[importing.RowError], count: int) -> dict[str, Any]:
    return {
        "problems": [_describe(e) for e in errors],
        "count": count,
        "more": max(0, count - len(errors)),
    }


def _announce(request: HttpRequest, result: services.LoadResult) -> None:
    version = result.version
    values = {"series": version.series, "number": version.number, "rows": result.rows}
    if result.imported:
        messages.success(
            request, _("Imported %(rows)s rows as %(series)s version %(number)s.") % values
        )
    else:
        messages.info(
            request,
            _("Nothing changed: the file holds the same figures as %(series)s version %(number)s.")
            % values,
        )


# ---- 3. progress of a background import ---------------------------------------------


@login_required
def import_job(request: HttpRequest, job: str) -> HttpResponse:
    """The progress of a background import, then its outcome."""
    _importer(request)
    state = services.get_import_job_for_user(str(job), request.user)
    context = {
        "job": state,
        "report": _report(state.errors or [], state.error_count) if state.errors else None,
        "version_url": _version_url(state.version)
        if state.version is not None and state.finished
        else "",
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "needs/import_progress.html" if partial else "needs/import_job.html"
    return render(request, template, context)
