"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms

from resettle.accounts.models import User


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes, and keep the signed-in user at hand."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        """Validate, then mark fields in error for Bootstrap and screen readers."""
        super().full_clean()  # type: ignore[misc]
        errors = getattr(self, "_errors", None) or {}
        for name in errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"


class FilterForm(BootstrapFormMixin, forms.Form):
    """A list page's filters: every field optional, names are queryset lookups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
