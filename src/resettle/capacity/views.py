"""Pages of capacity building: the overview, States with their stage and radar,
assessments and technical assistance. Training: views_training.py; GROW: views_grow.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.accounts.models import User
from resettle.capacity import charts, forms, services, stages, tables
from resettle.capacity.models import Assessment, Dimension, TechnicalAssistance, TrainingModule
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.directory import services as directory_services
from resettle.directory.models import Country, StateProfile

# ---- the radar ------------------------------------------------------------------


def radar_context(assessments: list[Assessment], *, chart_id: str, title: str) -> dict[str, Any]:
    """The radar SVG (one polygon per assessment, oldest first) and its data table."""
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, a.pk))
    series = []
    for i, a in enumerate(ordered):
        scores = a.score_map()
        # The latest assessment in UNHCR blue, the earlier ones in the other colours.
        colour = charts.colour_for(len(ordered) - 1 - i)
        series.append((a.assessed_on.isoformat(), colour, [scores[d] for d in stages.DIMENSIONS]))
    labels = [str(label) for label in Dimension.labels]
    desc = _(
        "Scores from 0 to 4 on each of the eight dimensions, one polygon per assessment: %(dates)s."
    ) % {"dates": ", ".join(s[0] for s in series)}
    svg = charts.radar(
        title=title,
        desc=desc,
        axes=labels,
        series=series,
        chart_id=chart_id,
        rtl=get_language_bidi(),
    )
    rows = [(label, [s[2][i] for s in series]) for i, label in enumerate(labels)]
    return {
        "radar_svg": svg,
        "radar_series": [(s[0], s[1]) for s in series],
        "radar_rows": rows,
        "radar_assessments": ordered,
    }


# ---- overview and States -----------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """Capacity building at a glance: stages of the assessed States, links to the rest."""
    user = as_user(request.user)
    latest = services.latest_stages()
    counts = {stage: 0 for stage in stages.STAGES}
    for a in latest.values():
        counts[a.derived_stage] = counts.get(a.derived_stage, 0) + 1
    return render(
        request,
        "capacity/index.html",
        {
            "stage_counts": [(s, counts[s]) for s in stages.STAGES],
            "modules": TrainingModule.objects.count(),
            "assessments": Assessment.objects.visible_to(user).count() if user else None,
            "assistance": TechnicalAssistance.objects.visible_to(user).count() if user else None,
            "can_assess": services.can_assess(user),
        },
    )


def state_list(request: HttpRequest) -> HttpResponse:
    """Every assessed State with its latest derived stage (public)."""
    latest = sorted(services.latest_stages().values(), key=lambda a: a.country.name)
    profiles = dict(StateProfile.objects.values_list("country_id", "programme_stage"))
    rows = [(a, profiles.get(a.country_id, "")) for a in latest]
    return render(request, "capacity/state_list.html", {"rows": rows})


def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """A State's derived stage and its history (public); to those who may see its
    assessments, the radar over time, the assessments and technical assistance."""
    user = as_user(request.user)
    country = directory_services.get_country_for_user(iso3, user)
    history = services.stage_history(country)
    profile = StateProfile.objects.filter(country=country).first()
    visible = list(
        Assessment.objects.visible_to(user)
        .filter(country=country)
        .select_related("assessor")
        .prefetch_related("scores")
    )
    scored = [a for a in visible if a.scores.all()]
    context: dict[str, Any] = {
        "country": country,
        "history": history,
        "latest": history[-1] if history else None,
        "profile": profile,
        "assessments": sorted(visible, key=lambda a: a.assessed_on, reverse=True),
        "assistance": TechnicalAssistance.objects.visible_to(user)
        .filter(country=country)
        .select_related("provider"),
        "can_assess": services.can_assess(user),
        "can_request": services.can_request_assistance(user, country),
        "can_apply": bool(history)
        and services.can_apply_stage(user, country)
        and (profile is None or profile.programme_stage != history[-1].stage),
    }
    if scored:
        title = _("Capacity of %(state)s by dimension, over time") % {"state": country.name}
        context.update(radar_context(scored, chart_id="state-radar", title=title))
    return render(request, "capacity/state_detail.html", context)


@require_POST
def apply_stage(request: HttpRequest, iso3: str) -> HttpResponse:
    """Copy the State's latest derived stage into its profile."""
    user = as_user(request.user)
    if user is None:
        return redirect_to_login(request.get_full_path())
    country = directory_services.get_country_for_user(iso3, user)
    try:
        services.do_apply_stage_to_profile(country, actor=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The State profile now has the derived stage."))
    return HttpResponseRedirect(reverse("capacity:state_detail", args=[country.iso3]))


# ---- assessments ---------------------------------------------------------------------


def _create_assessment(data: dict[str, Any], *, actor: User) -> Assessment:
    return services.do_create_assessment(forms.nest_scores(data), actor=actor)


def _update_assessment(obj: Assessment, data: dict[str, Any], *, actor: User) -> Assessment:
    return services.do_update_assessment(obj, forms.nest_scores(data), actor=actor)


class AssessmentListView(ObjectListView):
    """The assessments a user may see (sensitive: signed-in users only)."""

    model = Assessment
    columns = tables.ASSESSMENT_COLUMNS
    search_fields = ("country__name_en", "country__name_fr", "country__name_ar", "summary")
    filter_form = forms.AssessmentFilterForm
    select_related = ("country", "assessor")
    create_url_name = "capacity:assessment_add"
    login_required = True

    def can_create(self, user: User | None) -> bool:
        return services.can_assess(user)


class AssessmentDetailView(ObjectDetailView):
    """One assessment: its scores, evidence and notes, the derived stage and the radar."""

    template_name = "capacity/assessment_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Assessment:
        return services.get_assessment_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: Assessment) -> bool:
        return services.can_edit_assessment(user, obj)

    def extra_context(self, request: HttpRequest, obj: Assessment) -> dict[str, Any]:
        scores = {s.dimension: s for s in obj.scores.all()}
        rows = [(dim, scores.get(dim.value)) for dim in Dimension]
        mean = core = None
        if all(scores.get(d) is not None for d in stages.DIMENSIONS):
            values = obj.score_map()
            mean = float(stages.mean_score(values))
            core = stages.core_minimum(values)
        title = _("Capacity of %(state)s on %(date)s") % {
            "state": obj.country.name,
            "date": obj.assessed_on.isoformat(),
        }
        return {
            "score_rows": rows,
            "mean": mean,
            "core_min": core,
            **radar_context([obj], chart_id="assessment-radar", title=title),
        }


class AssessmentEditView(ObjectEditView):
    """Record or edit an assessment (CRISP staff), one fieldset per dimension."""

    form_class = forms.AssessmentForm
    template_name = "capacity/assessment_form.html"
    create_service = staticmethod(_create_assessment)
    update_service = staticmethod(_update_assessment)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Assessment | None:
        if "pk" not in kwargs:
            return None
        return services.get_assessment_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services.can_assess(user)

    def can_edit(self, user: User, obj: Assessment) -> bool:
        return services.can_edit_assessment(user, obj)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        iso3 = request.GET.get("country")
        country = Country.objects.filter(iso3=(iso3 or "").upper()).first()
        return {"country": country} if country else {}


# ---- technical assistance ---------------------------------------------------------------


class AssistanceListView(ObjectListView):
    """Technical assistance a user may see (signed-in users only)."""

    model = TechnicalAssistance
    columns = tables.ASSISTANCE_COLUMNS
    search_fields = ("title", "description", "outcome", "country__name_en")
    filter_form = forms.AssistanceFilterForm
    select_related = ("country", "provider")
    create_url_name = "capacity:assistance_add"
    login_required = True
    title = gettext_lazy("technical assistance")

    def can_create(self, user: User | None) -> bool:
        return services.can_request_assistance(user)


class AssistanceDetailView(ObjectDetailView):
    """A technical-assistance request: what, who provides it, status and outcome."""

    template_name = "capacity/assistance_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TechnicalAssistance:
        return services.get_assistance_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: TechnicalAssistance) -> bool:
        return services.can_edit_assistance(user, obj)


class AssistanceEditView(ObjectEditView):
    """Request, plan or close technical assistance."""

    form_class = forms.AssistanceForm
    create_service = staticmethod(services.do_create_assistance)
    update_service = staticmethod(services.do_update_assistance)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> TechnicalAssistance | None:
        if "pk" not in kwargs:
            return None
        return services.get_assistance_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return services.can_request_assistance(user)

    def can_edit(self, user: User, obj: TechnicalAssistance) -> bool:
        return services.can_edit_assistance(user, obj)
