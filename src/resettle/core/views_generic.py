"""Generic list, detail and edit views that every app's views configure.

They follow NetBox's generic views: the app says which queryset, columns,
filters, form and service; these classes do the rest the same way everywhere,
so permission handling, pagination and error display cannot drift apart.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.models import AuditEntry
from resettle.core.tables import Column

PAGE_SIZE = 25


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for err in errs:
                form.add_error(target, err)
    else:
        form.add_error(None, error)


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned values to hand to a service.

    A file field left empty keeps the stored file (it is left out); one whose
    "clear" box was ticked becomes empty.
    """
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if isinstance(field, forms.FileField):
            if value is None:
                continue
            if value is False:
                value = ""
        data[name] = value
    return data


class ObjectListView(View):
    """A filtered, searchable, paginated table of the objects a user may see."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    search_fields: ClassVar[tuple[str, ...]] = ()
    filter_form: ClassVar[type[forms.Form] | None] = None
    select_related: ClassVar[tuple[str, ...]] = ()
    create_url_name: ClassVar[str | None] = None
    login_required: ClassVar[bool] = False
    title: ClassVar[Any] = ""
    template_name: ClassVar[str] = "core/object_list.html"

    def can_create(self, user: User | None) -> bool:
        """Whether to offer the add button (the edit view checks again)."""
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        """The rows this user may see."""
        manager: Any = self.model._default_manager
        qs: models.QuerySet[Any] = manager.visible_to(as_user(request.user))
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        qs = self.get_queryset(request)
        query = request.GET.get("q", "").strip()
        if query and self.search_fields:
            cond = Q()
            for field in self.search_fields:
                cond |= Q(**{f"{field}__icontains": query})
            qs = qs.filter(cond)
        form = (
            self.filter_form(request.GET or None, user=as_user(request.user))  # type: ignore[call-arg]
            if self.filter_form
            else None
        )
        if form is not None and form.is_valid():
            for name, value in form.cleaned_data.items():
                if value not in (None, "", [], False):
                    qs = qs.filter(**{name: value})
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        rows = [(obj, [(col, col.value(obj)) for col in self.columns]) for obj in page]
        return render(
            request,
            self.template_name,
            {
                "title": self.title or self.model._meta.verbose_name_plural,
                "columns": self.columns,
                "rows": rows,
                "page": page,
                "query": query,
                "filter_form": form,
                "querystring": params.urlencode(),
                "create_url_name": self.create_url_name
                if self.can_create(as_user(request.user))
                else None,
                "searchable": bool(self.search_fields),
            },
        )


class ObjectDetailView(View):
    """One object with its history; 404 when absent or not the user's to see."""

    template_name: ClassVar[str]
    login_required: ClassVar[bool] = False

    def get_object(self, request: HttpRequest, **kwargs: Any) -> models.Model:
        raise NotImplementedError

    def can_edit(self, user: User | None, obj: Any) -> bool:
        """Whether to offer the edit button."""
        return False

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """What the app's template needs besides the object."""
        return {}

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        obj = self.get_object(request, **kwargs)
        user = as_user(request.user)
        context = {
            "object": obj,
            "can_edit": self.can_edit(user, obj),
            # History is shown to signed-in users: it names who changed what.
            "history": AuditEntry.objects.for_object(obj).select_related("content_type")[:50]
            if user
            else None,
        }
        context.update(self.extra_context(request, obj))
        return render(request, self.template_name, context)


class ObjectEditView(View):
    """Create (no key in the URL) or edit an object through its app's services."""

    form_class: ClassVar[type[forms.ModelForm[Any]]]
    template_name: ClassVar[str] = "core/object_edit.html"
    create_service: ClassVar[Callable[..., models.Model]]
    update_service: ClassVar[Callable[..., models.Model]]

    def get_object(self, request: HttpRequest, **kwargs: Any) -> models.Model | None:
        """The object being edited, or None when creating."""
        raise NotImplementedError

    def can_create(self, user: User) -> bool:
        raise NotImplementedError

    def can_edit(self, user: User, obj: Any) -> bool:
        raise NotImplementedError

    def form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        """Extra arguments for the form (the user, to limit choices)."""
        return {"user": as_user(request.user)}

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        """Initial values for a new object, from the query string."""
        return {}

    def _check(self, request: HttpRequest, kwargs: dict[str, Any]) -> tuple[User, Any]:
        user = as_user(request.user)
        if user is None:
            raise _LoginNeeded
        obj = self.get_object(request, **kwargs)
        allowed = self.can_create(user) if obj is None else self.can_edit(user, obj)
        if not allowed:
            raise PermissionDenied
        return user, obj

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        _user, obj = self._check(request, kwargs)
        form = self.form_class(
            instance=obj, initial=self.initial(request), **self.form_kwargs(request)
        )
        return self._render(request, form, obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        user, obj = self._check(request, kwargs)
        # The form works on a copy: ModelForm validation writes the posted values
        # onto its instance, and the service must see the object as it was to
        # record "before" in the audit log.
        form = self.form_class(
            request.POST,
            request.FILES,
            instance=copy.copy(obj) if obj is not None else None,
            **self.form_kwargs(request),
        )
        if form.is_valid():
            data = form_data(form)
            try:
                if obj is None:
                    saved = type(self).create_service(data, actor=user)
                    messages.success(request, _("Saved."))
                else:
                    saved = type(self).update_service(obj, data, actor=user)
                    messages.success(request, _("Changes saved."))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                url: str = saved.get_absolute_url()  # type: ignore[attr-defined]
                return HttpResponseRedirect(url)
        return self._render(request, form, obj, status=400 if form.errors else 200)

    def _render(
        self, request: HttpRequest, form: forms.BaseForm, obj: Any, status: int = 200
    ) -> HttpResponse:
        model = self.form_class._meta.model
        return render(
            request,
            self.template_name,
            {"form": form, "object": obj, "model_name": model._meta.verbose_name},
            status=status,
        )


class _LoginNeeded(Exception):
    """Raised inside an edit view when nobody is signed in."""
