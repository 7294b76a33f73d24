"""Pages for incoming co-chairs: the rotation planner and the handover pack."""

from __future__ import annotations

from typing import Any

from django.forms import Select
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from resettle.core.access import as_user
from resettle.directory.models import Organisation, OrganisationKind, StateProfile
from resettle.forums.models import ConsultationCycle, Forum, ForumKind
from resettle.forums.services import get_cycle_for_user
from resettle.governance import forms, handover
from resettle.governance import rotation as r


def planner_inputs(forum: Forum) -> tuple[list[r.StateCandidate], list[r.HeldCycle]]:
    """The resettlement States with their government bodies and NGOs, and the forum's cycles."""
    profiles = StateProfile.objects.select_related("country").order_by("country__name_en")
    country_ids = [sp.country_id for sp in profiles]
    orgs: dict[int, dict[str, list[r.Org]]] = {}
    for org in Organisation.objects.filter(
        country__in=country_ids, kind__in=(OrganisationKind.STATE, OrganisationKind.NGO)
    ).order_by("name"):
        assert org.country_id is not None  # noqa: S101 - filtered on country above
        slot = orgs.setdefault(org.country_id, {"state": [], "ngo": []})
        slot[org.kind].append(r.Org(org.pk, str(org)))
    states = [
        r.StateCandidate(
            iso3=sp.country.iso3,
            name=str(sp.country),
            governments=tuple(orgs.get(sp.country_id, {}).get("state", [])),
            ngos=tuple(orgs.get(sp.country_id, {}).get("ngo", [])),
        )
        for sp in profiles
    ]
    # A State with no government body in the directory cannot co-chair: not a candidate.
    states = [s for s in states if s.governments]
    cycles = [
        r.HeldCycle(c.start_year, c.end_year, c.state.iso3)
        for c in forum.cycles.select_related("state")
    ]
    return states, cycles


def rotation_planner(request: HttpRequest) -> HttpResponse:
    """Proposed future cycles: States not in the chair within the last N years."""
    user = as_user(request.user)
    consultations = Forum.objects.visible_to(user).filter(kind=ForumKind.CONSULTATION)
    form = forms.PlannerForm(request.GET or None)
    form.fields["forum"].queryset = consultations  # type: ignore[attr-defined]
    forum = consultations.first()
    years, count = 8, 3
    if request.GET and form.is_valid():
        forum = form.cleaned_data["forum"] or forum
        years = form.cleaned_data["years"] if form.cleaned_data["years"] is not None else years
        count = form.cleaned_data["count"] or count
    elif not request.GET:
        form = forms.PlannerForm(initial={"forum": forum, "years": years, "count": count})
        form.fields["forum"].queryset = consultations  # type: ignore[attr-defined]
    context: dict[str, Any] = {"form": form, "forum": forum, "years": years}
    if forum is not None and not form.errors:
        states, cycles = planner_inputs(forum)
        this_year = timezone.localdate().year
        proposals = r.propose_rotation(
            states, cycles, this_year=this_year, count=count, min_gap_years=years
        )
        first_year = proposals[0].start_year if proposals else this_year
        context.update(
            proposals=proposals,
            history=r.history(states, cycles, year=first_year, min_gap_years=years),
            last_cycle=forum.cycles.order_by("-start_year").first(),
        )
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return render(request, "governance/rotation_planner.html", context)


def handover_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """What incoming co-chairs need: the last cycle's decisions, open action points,
    open recommendations and commitments due during their cycle."""
    cycle = get_cycle_for_user(pk, request.user)
    previous = (
        ConsultationCycle.objects.filter(forum=cycle.forum, start_year__lt=cycle.start_year)
        .order_by("-start_year")
        .first()
    )
    pack = handover.build(cycle, previous, request.user)
    return render(
        request,
        "governance/handover.html",
        {"cycle": cycle, "previous": previous, "pack": pack},
    )
