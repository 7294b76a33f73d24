"""A form view for records that hang off a parent (a milestone of a recommendation)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import apply_validation_error, form_data


def child_form(
    request: HttpRequest,
    *,
    form_class: type[forms.ModelForm[Any]],
    allowed: Callable[[User], bool],
    save: Callable[[dict[str, Any], User], models.Model],
    success_url: str,
    instance: models.Model | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST call `save(data, actor)` and go to `success_url`.

    Anonymous visitors go to the login page; users without the right get 403.
    The service's ValidationError is shown on the fields it names.
    """
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    if not allowed(user):
        raise PermissionDenied
    if request.method == "POST":
        # The form works on a copy so the service sees the object as it was (for the audit).
        form = form_class(
            request.POST,
            instance=copy.copy(instance) if instance is not None else None,
            user=user,  # type: ignore[call-arg]
        )
        if form.is_valid():
            try:
                save(form_data(form), user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(success_url)
    else:
        form = form_class(instance=instance, user=user)  # type: ignore[call-arg]
    return render(
        request,
        "core/object_edit.html",
        {"form": form, "object": instance, "model_name": form_class._meta.model._meta.verbose_name},
        status=400 if form.errors else 200,
    )
