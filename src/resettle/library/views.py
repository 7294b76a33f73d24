"""Pages of the knowledge library: search with facets, an item, adding, editing and
deleting items, and downloads through an access check (never a public media URL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.models import AuditEntry
from resettle.core.views_generic import apply_validation_error
from resettle.documents.languages import is_rtl, language_name
from resettle.forums.models import Forum
from resettle.library import forms, services
from resettle.library.models import ItemKind, LibraryItem, Theme
from resettle.library.search import FacetValue, Filters, Results, search


def filters_of(form: forms.SearchForm) -> Filters:
    """The search filters from a valid form."""
    data = form.cleaned_data
    return Filters(
        themes=tuple(data.get("theme") or ()),
        kind=data.get("kind") or "",
        language=data.get("language") or "",
        year=data.get("year"),
        forum=data.get("forum"),
    )


def _facet_links(
    request: HttpRequest, results: Results, user: User | None
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Each facet's values with a link that adds (or removes) that filter."""
    labels: dict[str, dict[str, str]] = {
        "themes": {k: str(v) for k, v in Theme.choices},
        "kinds": {k: str(v) for k, v in ItemKind.choices},
        "languages": {},
        "years": {},
        "forums": {
            str(f.pk): str(f)
            for f in Forum.objects.visible_to(user).filter(
                pk__in=[int(v.value) for v in results.facets.get("forums", [])]
            )
        },
    }
    params = {"themes": "theme", "kinds": "kind", "languages": "language", "years": "year"}
    params["forums"] = "forum"
    titles = {
        "themes": _("Themes"),
        "kinds": _("Kinds"),
        "languages": _("Languages"),
        "years": _("Years"),
        "forums": _("Forums"),
    }
    out = []
    for name, values in results.facets.items():
        param = params[name]
        entries = []
        for value in values:
            entries.append(_facet_entry(request, param, value, labels[name]))
        out.append((name, str(titles[name]), entries))
    return out


def _facet_entry(
    request: HttpRequest, param: str, value: FacetValue, labels: dict[str, str]
) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    current = query.getlist(param)
    active = value.value in current
    if active:
        query.setlist(param, [v for v in current if v != value.value])
    elif param == "theme":
        query.setlist(param, [*current, value.value])
    else:
        query.setlist(param, [value.value])
    label = labels.get(value.value) or (
        language_name(value.value) if param == "language" else value.value
    )
    return {
        "value": value.value,
        "label": label,
        "count": value.count,
        "active": active,
        "url": "?" + query.urlencode(),
        "lang": value.value if param == "language" else "",
    }


def item_list(request: HttpRequest) -> HttpResponse:
    """Search the library: query box, facets, ranked results with snippets, pages."""
    user = as_user(request.user)
    form = forms.SearchForm(request.GET or None, user=user)
    valid = form.is_valid() if request.GET else True
    if request.GET and not valid:
        status = 400
        results = None
    else:
        status = 200
        data = form.cleaned_data if request.GET else {}
        results = search(
            data.get("q") or "",
            user,
            filters=filters_of(form) if request.GET else Filters(),
            page=data.get("page") or 1,
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "library/item_list.html",
        {
            "form": form,
            "results": results,
            "facets": _facet_links(request, results, user) if results else [],
            "querystring": params.urlencode(),
            "can_add": services.can_add_items(user),
        },
        status=status,
    )


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: its description, its text and the download link."""
    user = as_user(request.user)
    item = services.get_item_for_user(pk, user)
    return render(
        request,
        "library/item_detail.html",
        {
            "object": item,
            "forums": Forum.objects.visible_to(user).filter(library_items=item),
            "organisations": item.organisations.all(),
            "can_edit": services.can_manage_item(user, item),
            "text_dir": "rtl" if is_rtl(item.text_language) else "ltr",
            "history": AuditEntry.objects.for_object(item).select_related("content_type")[:50]
            if user
            else None,
        },
    )


def _render_form(
    request: HttpRequest, form: forms.ItemForm, item: LibraryItem | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "library/item_form.html",
        {"form": form, "object": item},
        status=status,
    )


def item_add(request: HttpRequest) -> HttpResponse:
    """Add an item: a file (its text is extracted and indexed) or a note's text."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not services.can_add_items(user):
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(request, forms.ItemForm(user=user), None)
    form = forms.ItemForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        try:
            item = services.do_create_item(
                form.service_data(), form.cleaned_data.get("file"), actor=user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Added to the library."))
            return HttpResponseRedirect(item.get_absolute_url())
    return _render_form(request, form, None, status=400)


def _managed(request: HttpRequest, pk: int) -> tuple[User, LibraryItem] | HttpResponse:
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    item = services.get_item_for_user(pk, user)
    if not services.can_manage_item(user, item):
        raise PermissionDenied
    return user, item


def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an item (administrators, UNHCR, its organisation, its author)."""
    checked = _managed(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    user, item = checked
    if request.method != "POST":
        return _render_form(request, forms.ItemForm(user=user, instance=item), item)
    form = forms.ItemForm(request.POST, request.FILES, user=user, instance=item)
    if form.is_valid():
        try:
            services.do_update_item(
                item, form.service_data(), form.cleaned_data.get("file"), actor=user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(item.get_absolute_url())
    return _render_form(request, form, item, status=400)


def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an item after a confirmation."""
    checked = _managed(request, pk)
    if isinstance(checked, HttpResponse):
        return checked
    user, item = checked
    if request.method == "POST":
        services.do_delete_item(item, actor=user)
        messages.success(request, _("Removed from the library."))
        return HttpResponseRedirect(reverse("library:item_list"))
    return render(request, "library/item_delete.html", {"object": item})


def download(request: HttpRequest, pk: int) -> FileResponse:
    """The item's file, to those who may read the item; 404 otherwise (absent and hidden
    alike), and for a note without a file."""
    item = services.get_item_for_user(pk, request.user)
    if not item.file:
        raise Http404("file")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("file") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or "document",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Members-only items must not sit in shared caches.
    response["Cache-Control"] = "private, max-age=0"
    return response


def search_url(**params: Any) -> str:
    """The library page with a query and filters (for links from other pages)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return reverse("library:item_list") + (f"?{query}" if query else "")
