"""Forms of the documents app: adding a document, uploading a version, editing, filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from resettle.core.forms import BootstrapFormMixin, FilterForm
from resettle.documents.languages import UN_LANGUAGES, is_language_code
from resettle.documents.models import Document, DocumentAccess, DocumentKind
from resettle.documents.services import ALLOWED_EXTENSIONS, max_upload_bytes
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.models import Meeting
from resettle.needs.gap_queries import visible_versions
from resettle.needs.models import DatasetVersion, VersionStatus


def _accept() -> str:
    return ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


def _file_help() -> str:
    return str(
        _("Accepted: %(types)s; at most %(limit)s.")
        % {"types": ", ".join(ALLOWED_EXTENSIONS), "limit": filesizeformat(max_upload_bytes())}
    )


class LanguageField(forms.CharField):
    """A language code: one of the UN languages from the list, or another ISO 639-1 code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault(
            "help_text", _("en, ar, fr, es, ru, zh, or another ISO 639-1 code such as de.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "document-languages", "autocomplete": "off"})

    def clean(self, value: Any) -> str:
        code = str(super().clean(value) or "").strip().lower()
        if code and not is_language_code(code):
            raise forms.ValidationError(
                _("Give an ISO 639-1 language code, such as en, ar or fr."), code="language"
            )
        return code


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _set_file_widget(form: forms.BaseForm) -> None:
    form.fields["file"].help_text = _file_help()
    form.fields["file"].widget.attrs["accept"] = _accept()


class DocumentCreateForm(BootstrapFormMixin, forms.ModelForm[Document]):
    """Add a document with its first file."""

    language = LanguageField(initial="en")
    file = forms.FileField(label=_("File"))
    note = _note_field()

    class Meta:
        model = Document
        fields = ["forum", "meeting", "cycle", "title", "kind", "access"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = Meeting.objects.visible_to(self.user).select_related(  # type: ignore[attr-defined]
            "forum"
        )
        self.fields["cycle"].queryset = ConsultationCycle.objects.visible_to(  # type: ignore[attr-defined]
            self.user
        ).select_related("forum")
        self.fields["forum"].required = False
        self.fields["forum"].help_text = _("Left empty for a meeting's document: its forum.")
        _set_file_widget(self)
        self.order_fields(
            ["forum", "meeting", "cycle", "title", "kind", "access", "language", "file", "note"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("forum") and not data.get("meeting") and "forum" not in self.errors:
            self.add_error("forum", _("Choose the forum (or a meeting)."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model (with the meeting's forum filled in).
        pass


class DocumentEditForm(BootstrapFormMixin, forms.ModelForm[Document]):
    """Change a document's title, kind or access level."""

    class Meta:
        model = Document
        fields = ["title", "kind", "access"]


class VersionUploadForm(BootstrapFormMixin, forms.Form):
    """Upload a new version of a language, or a new language variant."""

    language = LanguageField(initial="en")
    file = forms.FileField(label=_("File"))
    note = _note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_file_widget(self)


class AttachDatasetForm(BootstrapFormMixin, forms.Form):
    """Attach a needs dataset version presented at a meeting."""

    dataset_version: forms.ModelChoiceField[DatasetVersion] = forms.ModelChoiceField(
        label=_("Dataset version"), queryset=DatasetVersion.objects.none()
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset_version"].queryset = visible_versions(self.user).filter(  # type: ignore[attr-defined]
            status=VersionStatus.DONE
        )


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class DocumentFilterForm(FilterForm):
    """Filters of the document list (names are lookups of the queryset)."""

    forum = forms.ModelChoiceField(label=_("Forum"), queryset=Forum.objects.none())
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=_any(DocumentKind.choices))
    versions__language = forms.ChoiceField(label=_("Language"), choices=_any(UN_LANGUAGES))
    access = forms.ChoiceField(label=_("Access"), choices=_any(DocumentAccess.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only what the user may see: a hidden forum's name is not theirs to read.
        self.fields["forum"].queryset = Forum.objects.visible_to(self.user)  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = Meeting.objects.visible_to(self.user)  # type: ignore[attr-defined]
