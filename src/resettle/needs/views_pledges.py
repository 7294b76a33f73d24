"""Pages of recorded pledges: the current pledges, and the form State officials record
their State's pledge with (UNHCR staff and administrators: any State's).

The views call `needs.pledges` only: the form's values become the next version
of the State's series `pledges-<ISO3>` (see that module).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resettle.core.access import as_user
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.core.views_generic import PAGE_SIZE, apply_validation_error
from resettle.directory.models import Country
from resettle.needs import pledges
from resettle.needs.models import (
    BreakdownKind,
    Modality,
    PathwayType,
    Pledge,
    PledgeStatus,
)

YEAR_MIN, YEAR_MAX = pledges.YEAR_MIN, pledges.YEAR_MAX


class CountryByCode(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A country chosen by its ISO code (so that ?state=DEU works in links)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.iso3})"


def _countries() -> Any:
    return Country.objects.order_by("name_en")


# ---- the list -------------------------------------------------------------------------


class PledgeFilterForm(FilterForm):
    """The State and the year of the pledges shown."""

    state = CountryByCode(
        label=gettext_lazy("Resettlement State"), queryset=_countries(), to_field_name="iso3"
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)


def pledge_list(request: HttpRequest) -> HttpResponse:
    """The current pledges (of every pledges series) the visitor may see."""
    user = as_user(request.user)
    form = PledgeFilterForm(request.GET or None, user=user)
    state = year = None
    if form.is_valid():
        state, year = form.cleaned_data["state"], form.cleaned_data["year"]
    qs = pledges.current_pledges_for_user(user, state=state, year=year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    rows = [
        (
            pledge,
            pledges.can_record_pledge(user, pledge.state)
            and pledge.version.series == pledges.pledge_series(pledge.state),
        )
        for pledge in page
    ]
    return render(
        request,
        "needs/pledge_list.html",
        {
            "filter_form": form,
            "rows": rows,
            "page": page,
            "querystring": params.urlencode(),
            "can_record": pledges.can_record_pledge(user),
        },
    )


# ---- the form -------------------------------------------------------------------------


def _count_field(label: Any, *, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required, min_value=0, max_value=pledges.COUNT_MAX
    )


class PledgeForm(BootstrapFormMixin, forms.Form):
    """A State's pledge for a year, its breakdowns and its complementary-pathway places."""

    state = CountryByCode(
        label=gettext_lazy("Resettlement State"), queryset=_countries(), to_field_name="iso3"
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = forms.IntegerField(
        label=gettext_lazy("Last year (multi-year pledge)"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text=gettext_lazy("Empty for a pledge of one year."),
    )
    persons = _count_field(gettext_lazy("Places pledged"), required=True)
    emergency_urgent_places = _count_field(
        gettext_lazy("Places reserved for emergency and urgent cases")
    )
    unallocated_places = _count_field(gettext_lazy("Unallocated places"))
    modality = forms.ChoiceField(
        label=gettext_lazy("Processing modality"),
        required=False,
        choices=[("", "---------"), *Modality.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=PledgeStatus.choices, initial=PledgeStatus.PLANNING
    )

    MAIN_FIELDS = (
        "state",
        "year",
        "end_year",
        "persons",
        "emergency_urgent_places",
        "unallocated_places",
        "modality",
        "status",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_choices = [("", "---------"), *BreakdownKind.choices]
        extra: dict[str, forms.Field] = {}
        for n in range(1, pledges.MAX_BREAKDOWNS + 1):
            extra[f"breakdown_{n}_kind"] = forms.ChoiceField(
                label=gettext_lazy("For"), required=False, choices=kind_choices
            )
            extra[f"breakdown_{n}_value"] = forms.CharField(
                label=gettext_lazy("Situation, region or country code"),
                required=False,
                max_length=100,
            )
            extra[f"breakdown_{n}_persons"] = _count_field(gettext_lazy("Places"))
        for pathway in PathwayType:
            extra[f"pathway_{pathway.value}"] = _count_field(pathway.label)
        for name, field in extra.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            self.fields[name] = field

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN_FIELDS]

    def breakdown_lines(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"breakdown_{n}_{part}"] for part in ("kind", "value", "persons")])
            for n in range(1, pledges.MAX_BREAKDOWNS + 1)
        ]

    def pathway_fields(self) -> list[forms.BoundField]:
        return [self[f"pathway_{p}"] for p in PathwayType.values]

    def service_data(self) -> dict[str, Any]:
        """The values in the shape `pledges.do_record_pledge` takes."""
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in self.MAIN_FIELDS if name != "state"},
            "breakdowns": [
                {
                    "kind": data.get(f"breakdown_{n}_kind") or "",
                    "value": data.get(f"breakdown_{n}_value") or "",
                    "persons": data.get(f"breakdown_{n}_persons"),
                }
                for n in range(1, pledges.MAX_BREAKDOWNS + 1)
            ],
            "pathways": {p: data.get(f"pathway_{p}") for p in PathwayType.values},
        }


def _mark_errors(form: forms.Form) -> None:
    """Mark the fields a service's errors name, as the form marks its own."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = attrs.get("class", "") + " is-invalid"
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"id_{name}_error"


def _initial(request: HttpRequest, user: Any) -> dict[str, Any]:
    """The State (?state=, else the official's own) and, for ?year=, the figures of that
    State's current pledge of that year."""
    initial: dict[str, Any] = {"status": PledgeStatus.PLANNING}
    state = Country.objects.filter(iso3=request.GET.get("state", "").upper()).first()
    state = state or pledges.own_state(user)
    if state is None:
        return initial
    initial["state"] = state.iso3
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return initial
    initial["year"] = year
    current = sorted(
        pledges.current_pledges_for_user(user, state=state).filter(year=year),
        # The State's own recorded series first.
        key=lambda p: p.version.series != pledges.pledge_series(state),
    )
    if not current:
        return initial
    pledge: Pledge = current[0]
    initial.update(
        {
            "end_year": pledge.end_year,
            "persons": pledge.persons,
            "emergency_urgent_places": pledge.emergency_urgent_places,
            "unallocated_places": pledge.unallocated_places,
            "modality": pledge.modality,
            "status": pledge.status,
        }
    )
    for n, b in enumerate(list(pledge.breakdowns.all())[: pledges.MAX_BREAKDOWNS], start=1):
        initial.update(
            {
                f"breakdown_{n}_kind": b.kind,
                f"breakdown_{n}_value": b.value,
                f"breakdown_{n}_persons": b.persons,
            }
        )
    for w in pledge.pathways.all():
        initial[f"pathway_{w.pathway}"] = w.persons
    return initial


def pledge_record(request: HttpRequest) -> HttpResponse:
    """Record or change a State's pledge for a year."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not pledges.can_record_pledge(user):
        raise PermissionDenied
    if request.method == "POST":
        form = PledgeForm(request.POST, user=user)
        if form.is_valid():
            state: Country = form.cleaned_data["state"]
            try:
                result = pledges.do_record_pledge(state, form.service_data(), actor=user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
                _mark_errors(form)
            else:
                if result.imported:
                    messages.success(
                        request,
                        _("The pledge is recorded: version %(number)s of %(series)s.")
                        % {"number": result.version.number, "series": result.version.series},
                    )
                else:
                    messages.info(request, _("Nothing changed: the pledge has these figures."))
                query = urlencode({"state": state.iso3, "year": form.cleaned_data["year"]})
                return HttpResponseRedirect(reverse("needs:pledge_list") + "?" + query)
        status = 400
    else:
        form = PledgeForm(initial=_initial(request, user), user=user)
        status = 200
    return render(
        request,
        "needs/pledge_record.html",
        {"form": form, "own_state": pledges.own_state(user)},
        status=status,
    )
