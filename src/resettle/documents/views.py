"""Pages of the documents app: list, detail, adding and editing documents, uploads,
and downloads through an access check (never a public media URL)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from resettle.accounts.models import User
from resettle.core.access import as_user, get_visible
from resettle.core.views_generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)
from resettle.documents import forms, services, tables
from resettle.documents.languages import UN_LANGUAGES
from resettle.documents.models import Document, DocumentVersion, language_sort_key
from resettle.forums.models import ConsultationCycle, Forum
from resettle.meetings.access import organised_forums, organised_meetings
from resettle.meetings.models import Meeting


def meeting_url(meeting: Meeting | None) -> str | None:
    """The meeting's page, if the meetings app serves one (it is built alongside)."""
    if meeting is None:
        return None
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return None


def may_upload_somewhere(user: User | None) -> bool:
    """Whether to offer "add a document": the form then limits the choices."""
    if user is None or not user.is_active:
        return False
    if organised_forums(user).exists() or organised_meetings(user).exists():
        return True
    org = user.organisation_id
    return org is not None and (
        ConsultationCycle.objects.filter(Q(government_cochair=org) | Q(ngo_cochair=org)).exists()
    )


class DocumentListView(ObjectListView):
    """The documents a visitor may see, with filters."""

    model = Document
    columns = tables.DOCUMENT_COLUMNS
    search_fields = ("title",)
    filter_form = forms.DocumentFilterForm
    select_related = ("forum", "meeting")
    create_url_name = "documents:document_add"
    title = Document._meta.verbose_name_plural

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # distinct: the language filter joins the versions.
        return super().get_queryset(request).prefetch_related("versions").distinct()

    def can_create(self, user: User | None) -> bool:
        return may_upload_somewhere(user)


class DocumentDetailView(ObjectDetailView):
    """A document: its language variants, each version, and the upload form for organisers."""

    template_name = "documents/document_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Document:
        return services.get_document_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Document) -> bool:
        return services.can_manage_document(user, obj)

    def extra_context(self, request: HttpRequest, obj: Document) -> dict[str, Any]:
        can_manage = services.can_manage_document(as_user(request.user), obj)
        return {
            "variants": obj.variants(),
            "meeting_url": meeting_url(obj.meeting),
            "upload_form": forms.VersionUploadForm(user=as_user(request.user))
            if can_manage
            else None,
            "languages": UN_LANGUAGES,
        }


def _initial_place(request: HttpRequest, user: User) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if meeting_id := request.GET.get("meeting"):
        meeting = get_visible(Meeting, user, pk=meeting_id)
        initial.update(meeting=meeting, forum=meeting.forum, cycle=meeting.cycle)
    elif forum_id := request.GET.get("forum"):
        initial["forum"] = get_visible(Forum, user, pk=forum_id)
    return initial


class DocumentAddView(View):
    """Add a document with its first file (organisers of the meeting, or of the forum)."""

    template_name = "documents/document_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = as_user(request.user)
        if user is None:
            return redirect_to_login(request.get_full_path())
        initial = _initial_place(request, user)
        place = initial.get("meeting")
        if place is not None:
            allowed = services.can_upload(user, place.forum, place)
        elif "forum" in initial:
            allowed = services.can_upload(user, initial["forum"])
        else:
            allowed = may_upload_somewhere(user)
        if not allowed:
            raise PermissionDenied
        self.user, self.initial = user, initial
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.DocumentCreateForm(initial=self.initial, user=self.user)
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.DocumentCreateForm(request.POST, request.FILES, user=self.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.do_create_document(
                    {k: data.get(k) for k in services.DOCUMENT_FIELDS},
                    data["file"],
                    data["language"],
                    note=data.get("note", ""),
                    actor=self.user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Document added."))
                return HttpResponseRedirect(document.get_absolute_url())
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": form, "title": _("Add a document"), "languages": UN_LANGUAGES},
            status=status,
        )


class DocumentEditView(ObjectEditView):
    """Change a document's title, kind or access level."""

    form_class = forms.DocumentEditForm
    update_service = staticmethod(services.do_update_document)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Document:
        return services.get_document_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return False

    def can_edit(self, user: User, obj: Document) -> bool:
        return services.can_manage_document(user, obj)


def _managed_document(request: HttpRequest, pk: int) -> tuple[User, Document] | HttpResponse:
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    document = services.get_document_for_user(pk, user)
    if not services.can_manage_document(user, document):
        raise PermissionDenied
    return user, document


def upload_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a new version of a language variant, or a new language."""
    checked = _managed_document(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    user, document = checked
    status = 200
    if request.method == "POST":
        form = forms.VersionUploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                version = services.do_upload_version(
                    document,
                    form.cleaned_data["file"],
                    form.cleaned_data["language"],
                    note=form.cleaned_data.get("note", ""),
                    actor=user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Version %(number)s (%(language)s) uploaded.")
                    % {"number": version.number, "language": version.language},
                )
                return HttpResponseRedirect(document.get_absolute_url())
        status = 400
    else:
        form = forms.VersionUploadForm(user=user, initial={"language": request.GET.get("lang")})
    return render(
        request,
        "documents/version_form.html",
        {"form": form, "object": document, "languages": UN_LANGUAGES},
        status=status,
    )


def delete_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a document and every version (organisers only), after a confirmation."""
    checked = _managed_document(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    user, document = checked
    if request.method == "POST":
        back = meeting_url(document.meeting) or reverse("documents:document_list")
        services.do_delete_document(document, actor=user)
        messages.success(request, _("Document deleted."))
        return HttpResponseRedirect(back)
    return render(request, "documents/document_delete.html", {"object": document})


def _pick_version(document: Document, lang: str | None, number: str | None) -> DocumentVersion:
    versions = list(document.versions.all())
    if lang:
        versions = [v for v in versions if v.language == lang]
    elif versions:
        # Without a language asked for: the page's language, else English, else the first.
        codes = sorted({v.language for v in versions}, key=language_sort_key)
        current = translation.get_language() or "en"
        chosen = current if current in codes else ("en" if "en" in codes else codes[0])
        versions = [v for v in versions if v.language == chosen]
    if number:
        try:
            wanted = int(number)
        except ValueError as exc:
            raise Http404("version") from exc
        versions = [v for v in versions if v.number == wanted]
    if not versions:
        raise Http404("version")
    return max(versions, key=lambda v: v.number)


def download(request: HttpRequest, pk: int) -> FileResponse:
    """A version's file, to those who may see the document; 404 otherwise (absent and
    hidden alike)."""
    document = services.get_document_for_user(pk, request.user)
    version = _pick_version(document, request.GET.get("lang"), request.GET.get("version"))
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Documents for participants or members must not sit in shared caches.
    response["Cache-Control"] = "private, max-age=0"
    return response
