"""The documents section of a meeting's page, and the datasets presented at a meeting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from resettle.core.access import as_user, get_visible
from resettle.core.views_generic import apply_validation_error
from resettle.documents import forms, services
from resettle.documents.models import Document, DocumentKind, PresentedDataset
from resettle.documents.views import meeting_url
from resettle.meetings.access import can_organise_meeting
from resettle.meetings.models import Meeting


def meeting_documents(user: Any, meeting: Meeting) -> list[dict[str, Any]]:
    """The meeting's documents the user may see, grouped by kind in the kinds' order."""
    docs = (
        Document.objects.visible_to(as_user(user))
        .filter(meeting=meeting)
        .prefetch_related("versions")
        .order_by("title", "pk")
    )
    by_kind: dict[str, list[Document]] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
    return [
        {"kind": kind, "label": label, "documents": by_kind[kind]}
        for kind, label in DocumentKind.choices
        if kind in by_kind
    ]


def render_meeting_panel(request: HttpRequest, meeting: Meeting) -> SafeString | str:
    """The "Documents" section of a meeting's page (registered in DocumentsConfig.ready)."""
    user = as_user(request.user)
    organiser = can_organise_meeting(user, meeting)
    groups = meeting_documents(user, meeting)
    presented = PresentedDataset.objects.visible_to(user).filter(meeting=meeting)
    presented = presented.select_related("dataset_version")
    if not groups and not presented.exists() and not organiser:
        return ""
    return render_to_string(
        "documents/_meeting_panel.html",
        {
            "meeting": meeting,
            "groups": groups,
            "presented": presented,
            "organiser": organiser,
            "attach_form": forms.AttachDatasetForm(user=user) if organiser else None,
        },
        request=request,
    )


def attach_dataset(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Attach the dataset version (the PGRN) presented at a meeting (its organisers)."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    meeting = get_visible(Meeting, user, pk=meeting_pk)
    if not can_organise_meeting(user, meeting):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = forms.AttachDatasetForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.do_attach_dataset(
                    form.cleaned_data["dataset_version"],
                    meeting=meeting,
                    note=form.cleaned_data.get("note", ""),
                    actor=user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Dataset attached."))
                return HttpResponseRedirect(
                    meeting_url(meeting) or reverse("documents:document_list")
                )
        status = 400
    else:
        form = forms.AttachDatasetForm(user=user)
    return render(
        request,
        "documents/attach_dataset.html",
        {"form": form, "meeting": meeting, "meeting_url": meeting_url(meeting)},
        status=status,
    )


def detach_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a presented dataset from its meeting or cycle (POST; organisers)."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    presented = services.get_presented_for_user(pk, user)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    services.do_detach_dataset(presented, actor=user)
    messages.success(request, _("Dataset detached."))
    back = meeting_url(presented.meeting) if presented.meeting_id else None
    if back is None and presented.cycle_id:
        back = reverse("forums:cycle_detail", args=[presented.cycle_id])
    return HttpResponseRedirect(back or reverse("documents:document_list"))
