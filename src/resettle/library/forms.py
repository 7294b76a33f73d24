"""Forms of the knowledge library: adding and editing an item, and the search filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin
from resettle.directory.models import Organisation
from resettle.documents.languages import UN_LANGUAGES
from resettle.documents.services import max_upload_bytes
from resettle.forums.models import Forum
from resettle.library.models import (
    TEXT_LANGUAGES,
    ItemAccess,
    ItemKind,
    LibraryItem,
    Theme,
)

ACCEPT = ".pdf,.docx,.html,.htm"


class ItemForm(BootstrapFormMixin, forms.Form):
    """An item's description, access level, and its file or text."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=UN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the item is available in."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    forums = forms.ModelMultipleChoiceField(
        label=_("Forums"), queryset=Forum.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("The organisations that wrote or published it."),
    )
    access = forms.ChoiceField(
        label=_("Access"), choices=ItemAccess.choices, initial=ItemAccess.PUBLIC
    )
    text_language = forms.ChoiceField(
        label=_("Language of the text"), choices=TEXT_LANGUAGES, initial="en"
    )
    file = forms.FileField(label=_("File"), required=False)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("The text of a note, when there is no file."),
    )

    def __init__(self, *args: Any, instance: LibraryItem | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance
        forums: Any = self.fields["forums"]
        forums.queryset = Forum.objects.visible_to(self.user)
        self.fields["year"].initial = datetime.date.today().year
        file_field = self.fields["file"]
        file_field.widget.attrs["accept"] = ACCEPT
        file_field.help_text = _("PDF, DOCX or HTML; at most %(limit)s. Its text is indexed.") % {
            "limit": filesizeformat(max_upload_bytes())
        }
        if instance is not None and instance.file:
            file_field.help_text = _("Leave empty to keep %(name)s.") % {
                "name": instance.original_name
            }
        for name in ("title", "summary"):
            self.fields[name].widget.attrs["dir"] = "auto"

    def service_data(self) -> dict[str, Any]:
        """The cleaned values for the service (the file apart)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "file"}
        data["forums"] = list(data.get("forums") or [])
        data["organisations"] = list(data.get("organisations") or [])
        return data


def initial_of(item: LibraryItem) -> dict[str, Any]:
    """An item's values as a form's initial data."""
    return {
        "title": item.title,
        "summary": item.summary,
        "kind": item.kind,
        "themes": item.theme_list,
        "languages": item.language_list,
        "year": item.year,
        "forums": list(item.forums.all()) if item.pk else [],
        "organisations": list(item.organisations.all()) if item.pk else [],
        "access": item.access,
        "text_language": item.text_language,
        "body": item.body,
    }


class SearchForm(BootstrapFormMixin, forms.Form):
    """The search box and the filters of the library page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=300)
    theme = forms.MultipleChoiceField(label=_("Themes"), choices=Theme.choices, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ItemKind.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *UN_LANGUAGES], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2100)
    forum = forms.IntegerField(label=_("Forum"), required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)
