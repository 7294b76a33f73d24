"""Forms of the allocation: pledge lines, starting a run, scenarios, imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.allocation.models import PledgeLine
from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.directory.models import Country
from resettle.needs.models import Pledge, Priority, PrioritySituation, SubmissionCategory

PREFERENCE_ATTRIBUTES = ("nationality", "asylum", "situation", "category", "language", "flag")


class CodeListField(forms.CharField):
    """Codes separated by commas; empty means "any" (None)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str] | None:  # type: ignore[override]
        text = super().to_python(value)
        codes = [c.strip().upper() for c in (text or "").replace(";", ",").split(",")]
        codes = [c for c in codes if c]
        return codes or None


class PreferencesField(forms.CharField):
    """One preference a line: attribute, value, weight (e.g. "language, ar, 2")."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{p['attribute']}, {p['value']}, {p['weight']:g}" for p in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        prefs = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            try:
                attribute, value_, weight = parts
                prefs.append(
                    {"attribute": attribute.lower(), "value": value_, "weight": float(weight)}
                )
            except ValueError as exc:
                raise ValidationError(
                    _("Line %(n)s: write attribute, value, weight (such as: language, ar, 2)."),
                    params={"n": number},
                ) from exc
            if attribute.lower() not in PREFERENCE_ATTRIBUTES:
                raise ValidationError(
                    _("Line %(n)s: the attribute is one of %(names)s."),
                    params={"n": number, "names": ", ".join(PREFERENCE_ATTRIBUTES)},
                )
        return prefs


class PledgeLineForm(BootstrapFormMixin, forms.ModelForm[PledgeLine]):
    """Record or edit a pledge line and its criteria."""

    nationalities = CodeListField(
        label=_("Nationalities"),
        required=False,
        help_text=_("Codes separated by commas (SYR, AFG, ROHINGYA). Empty: any."),
    )
    asylums = CodeListField(
        label=_("Countries of asylum"),
        required=False,
        help_text=_("ISO codes separated by commas (TUR, LBN). Empty: any."),
    )
    situations = forms.ModelMultipleChoiceField(
        label=_("Priority situations"),
        queryset=PrioritySituation.objects.all(),
        required=False,
        to_field_name="name",
        help_text=_("None selected: any."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Submission categories"),
        choices=SubmissionCategory.choices,
        required=False,
        help_text=_("None selected: any."),
    )
    priorities = forms.MultipleChoiceField(label=_("Priorities accepted"), choices=Priority.choices)
    preferences = PreferencesField(
        label=_("Preferences"),
        required=False,
        help_text=_(
            "One a line: attribute, value, weight. Attributes: nationality, asylum, "
            "situation, category, language, flag."
        ),
    )

    class Meta:
        model = PledgeLine
        fields = [
            "year",
            "state",
            "label",
            "pledge",
            "capacity",
            "reserved_urgent",
            "nationalities",
            "asylums",
            "situations",
            "categories",
            "priorities",
            "modality",
            "max_serious_medical",
            "max_family_size",
            "preferences",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("priorities"):
            self.initial["priorities"] = list(Priority.values)
            self.initial.setdefault("year", timezone.localdate().year)
        self.fields["pledge"].queryset = Pledge.objects.select_related("state").order_by(  # type: ignore[attr-defined]
            "-year", "state__name_en"
        )
        self.fields["pledge"].required = False

    def clean_situations(self) -> list[str] | None:
        chosen = self.cleaned_data.get("situations")
        return [s.name for s in chosen] if chosen else None

    def clean_categories(self) -> list[str] | None:
        return list(self.cleaned_data.get("categories") or []) or None


class PledgeLineFilterForm(FilterForm):
    """Filters of the pledge line list."""

    year = forms.IntegerField(label=_("Year"))
    state = forms.ModelChoiceField(label=_("State"), queryset=Country.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = PledgeLine.objects.visible_to(self.user).values("state")
        self.fields["state"].queryset = Country.objects.filter(pk__in=states)  # type: ignore[attr-defined]


class StartRunForm(BootstrapFormMixin, forms.Form):
    """Run the engine over the submitted cases and a year's pledge lines."""

    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)


class ScenarioForm(BootstrapFormMixin, forms.Form):
    """One change to a run's input, then a rerun."""

    KINDS = [
        ("add_capacity", _("Add places for a priority situation")),
        ("drop_restriction", _("Drop a restriction of a pledge line")),
        ("set_capacity", _("Change a pledge line's places")),
    ]
    CRITERIA = [
        ("nationalities", _("Nationalities")),
        ("asylums", _("Countries of asylum")),
        ("situations", _("Priority situations")),
    ]

    name = forms.CharField(label=_("Name of the scenario"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Change"), choices=KINDS, widget=forms.RadioSelect)
    situation = forms.ModelChoiceField(
        label=_("Priority situation"),
        queryset=PrioritySituation.objects.all(),
        to_field_name="name",
        required=False,
    )
    places = forms.IntegerField(label=_("Places (persons)"), min_value=1, required=False)
    state = forms.ModelChoiceField(
        label=_("For the State (optional)"),
        queryset=Country.objects.none(),
        to_field_name="iso3",
        required=False,
    )
    line = forms.ChoiceField(label=_("Pledge line"), choices=[], required=False)
    criterion = forms.ChoiceField(label=_("Restriction"), choices=CRITERIA, required=False)
    capacity = forms.IntegerField(label=_("New places (persons)"), min_value=0, required=False)

    def __init__(
        self, *args: Any, lines: list[tuple[str, str]], states: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—"), *lines]  # type: ignore[attr-defined]
        self.fields["state"].queryset = Country.objects.filter(iso3__in=states)  # type: ignore[attr-defined]
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        needed = {
            "add_capacity": ("situation", "places"),
            "drop_restriction": ("line", "criterion"),
            "set_capacity": ("line", "capacity"),
        }.get(kind or "", ())
        for name in needed:
            if data.get(name) in (None, ""):
                self.add_error(name, _("Needed for this change."))
        return data

    def change(self) -> dict[str, Any]:
        """The change, as services.do_create_scenario takes it (valid forms only)."""
        d = self.cleaned_data
        kind = d["kind"]
        if kind == "add_capacity":
            state = d.get("state")
            return {
                "kind": kind,
                "situation": d["situation"].name,
                "places": d["places"],
                "state": state.iso3 if state else None,
            }
        if kind == "drop_restriction":
            return {"kind": kind, "line": d["line"], "criterion": d["criterion"]}
        return {"kind": kind, "line": d["line"], "capacity": d["capacity"]}


class LineImportForm(BootstrapFormMixin, forms.Form):
    """A CSV file of pledge lines in the allocation engine's format."""

    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    file = forms.FileField(
        label=_("CSV file of pledge lines"),
        help_text=_("The engine's pledge lines format. A file with any problem is refused whole."),
    )
