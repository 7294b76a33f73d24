"""Authorization rows of capacity building (CRISP): pages and API.

The world gets a completed assessment of Germany by UNHCR (`assessment`),
Germany's request for technical assistance (`assistance`, still requested),
a training module with a language version holding a document, a delivery and
a GROW supporter. CRISP staff are administrators and UNHCR (IOM has no user in
the world). Assessments and assistance are seen by CRISP staff and Germany's
officials (`state`); the others get 404. The catalogue and supporters are
public; deliveries need a signed-in user.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile

from authz import (
    EVERYONE,
    TODAY,
    Case,
    Listed,
    W,
    api_pk,
    api_write,
    edit_form,
    pk,
    roles,
    signed_in,
)
from resettle.accounts.models import User
from resettle.capacity import stages
from resettle.capacity.forms import (
    AssessmentForm,
    AssistanceForm,
    DeliveryForm,
    ModuleForm,
    SupporterForm,
    VersionForm,
)
from resettle.capacity.models import (
    Assessment,
    AssessmentScore,
    ModuleVersion,
    TechnicalAssistance,
    TrainingDelivery,
    TrainingModule,
)
from resettle.commitments.models import Supporter
from resettle.directory.models import StateProfile

CRISP = {"admin": 200, "unhcr": 200}
SEES = {"admin": 200, "unhcr": 200, "state": 200}  # CRISP staff and Germany's officials


def _capacity(w: W) -> None:
    w.assessment = Assessment.objects.create(
        country=w.deu,
        assessed_on=datetime.date(2024, 5, 1),
        assessor=w.unhcr_org,
        status="completed",
        derived_stage="established",
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=w.assessment, dimension=d, score=3) for d in stages.DIMENSIONS
    )
    w.assistance = TechnicalAssistance.objects.create(
        country=w.deu, dimension="sponsorship", title="Twinning on sponsorship"
    )
    w.module = TrainingModule.objects.create(code="CRISP-01", title="Basics", dimension="legal")
    w.version = ModuleVersion.objects.create(module=w.module, language="fr", title="Les bases")
    w.version.document.save("bases.txt", ContentFile(b"Module"))
    w.delivery = TrainingDelivery.objects.create(
        module=w.module, date=datetime.date(2024, 3, 1), place="Berlin", participant_count=10
    )
    w.supporter = Supporter.objects.create(name="Open Doors", kind="foundation")


def _hidden_supporter(w: W) -> None:
    """The world, and a supporter the German NGO keeps off the public list."""
    _capacity(w)
    w.ngo_supporter = Supporter.objects.create(
        name="Caritas donors", kind="foundation", organisation=w.ngo_org, is_public=False
    )


# The lists show Germany's assessment and request to CRISP staff and Germany's officials,
# a supporter that is not public to its organisation's users (and admins, UNHCR), the
# deliveries to signed-in users.
ASSESSMENTS = (Listed("assessment", SEES),)
ASSISTANCE = (Listed("assistance", SEES),)
SUPPORTERS = (
    Listed("supporter", EVERYONE),
    Listed("ngo_supporter", {"admin", "unhcr", "ngo"}),
)
DELIVERIES = (Listed("delivery", signed_in(200)),)


def _profile(w: W) -> None:
    _capacity(w)
    # The profile already has the derived stage: editing the assessment writes only it.
    StateProfile.objects.create(country=w.deu, programme_stage="established")


def _new_assessment(w: W, u: User | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "country": w.can.pk,
        "assessed_on": "2024-02-01",
        "assessor": w.unhcr_org.pk,
        "status": "draft",
    }
    data.update({f"score_{d}": "2" for d in stages.DIMENSIONS})
    return data


def _new_assistance(w: W, u: User | None) -> dict[str, Any]:
    return {
        "country": w.deu.pk,
        "dimension": "data",
        "title": "Arrivals database",
        "status": "requested",
        "requested_on": TODAY,
    }


def _new_delivery(w: W, u: User | None) -> dict[str, Any]:
    return {"module": w.module.pk, "date": "2024-06-01", "online": "on", "participant_count": 5}


def _new_assessment_api(w: W, u: User | None) -> dict[str, Any]:
    return {
        "country": "CAN",
        "assessed_on": "2024-02-01",
        "assessor_id": w.unhcr_org.pk,
        "scores": {"legal": {"score": 2}, "data": {"score": 1}},
    }


MATRIX: dict[str | tuple[str, str], list[Case]] = {
    "capacity:index": [Case("GET", EVERYONE, setup=_capacity)],
    "capacity:state_list": [Case("GET", EVERYONE, setup=_capacity)],
    "capacity:state_detail": [Case("GET", EVERYONE, setup=_capacity, args=lambda w: ["DEU"])],
    "capacity:apply_stage": [
        # The State profile's editors: administrators, UNHCR, Germany's officials.
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            setup=_capacity,
            args=lambda w: ["DEU"],
            writes=True,
        ),
    ],
    "capacity:assessment_list": [
        Case("GET", signed_in(200), setup=_capacity, query="?country=DEU&status=completed"),
        Case("GET", signed_in(200), setup=_capacity, lists=ASSESSMENTS, label="scoped"),
    ],
    "capacity:assessment_add": [
        Case("GET", signed_in(403, **CRISP)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            data=_new_assessment,
            writes=1 + len(stages.DIMENSIONS),  # the assessment and each score
        ),
    ],
    "capacity:assessment_detail": [
        Case("GET", roles(404, **SEES), setup=_capacity, args=pk("assessment")),
    ],
    "capacity:assessment_edit": [
        Case("GET", signed_in(404, state=403, **CRISP), setup=_capacity, args=pk("assessment")),
        Case(
            "POST",
            signed_in(404, state=403, admin=302, unhcr=302),
            setup=_profile,
            args=pk("assessment"),
            data=edit_form(AssessmentForm, "assessment", summary="Reviewed."),
            writes=True,
        ),
    ],
    "capacity:assistance_list": [Case("GET", signed_in(200), setup=_capacity, lists=ASSISTANCE)],
    "capacity:assistance_add": [
        Case("GET", signed_in(403, **SEES)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302, state=302),
            data=_new_assistance,
            writes=True,
        ),
    ],
    "capacity:assistance_detail": [
        Case("GET", roles(404, **SEES), setup=_capacity, args=pk("assistance")),
    ],
    "capacity:assistance_edit": [
        # Germany's officials may change their request while it is only requested.
        Case("GET", signed_in(404, **SEES), setup=_capacity, args=pk("assistance")),
        Case(
            "POST",
            signed_in(404, admin=302, unhcr=302, state=302),
            setup=_capacity,
            args=pk("assistance"),
            data=edit_form(AssistanceForm, "assistance", title="Twinning with Canada"),
            writes=True,
        ),
    ],
    "capacity:module_list": [Case("GET", EVERYONE, setup=_capacity, query="?dimension=legal")],
    "capacity:module_add": [
        Case("GET", signed_in(403, **CRISP)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            data=lambda w, u: {"code": "CRISP-09", "title": "Evaluation", "dimension": "data"},
            writes=True,
        ),
    ],
    "capacity:module_detail": [Case("GET", EVERYONE, setup=_capacity, args=pk("module"))],
    "capacity:module_edit": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity, args=pk("module")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            args=pk("module"),
            data=edit_form(ModuleForm, "module", title="The basics"),
            writes=True,
        ),
    ],
    "capacity:version_add": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            data=lambda w, u: {
                "module": w.module.pk,
                "language": "es",
                "title": "Lo básico",
                "link": "https://example.org/es",
            },
            writes=True,
        ),
    ],
    "capacity:version_edit": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity, args=pk("version")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            args=pk("version"),
            data=edit_form(VersionForm, "version", link="https://example.org/fr"),
            writes=True,
        ),
    ],
    "capacity:version_document": [Case("GET", EVERYONE, setup=_capacity, args=pk("version"))],
    "capacity:gains": [Case("GET", signed_in(200), setup=_capacity)],
    "capacity:delivery_list": [Case("GET", signed_in(200), setup=_capacity)],
    "capacity:delivery_add": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            data=_new_delivery,
            writes=True,
        ),
    ],
    "capacity:delivery_detail": [
        Case("GET", signed_in(200), setup=_capacity, args=pk("delivery")),
    ],
    "capacity:delivery_edit": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity, args=pk("delivery")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            args=pk("delivery"),
            data=edit_form(DeliveryForm, "delivery", feedback="Very useful."),
            writes=True,
        ),
    ],
    "capacity:result_add": [
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            args=pk("delivery"),
            data=lambda w, u: {"label": "P1", "pre_score": "40", "post_score": "65"},
            writes=True,
        ),
    ],
    "capacity:grow": [Case("GET", EVERYONE, setup=_hidden_supporter, lists=SUPPORTERS)],
    "capacity:supporter_add": [
        Case("GET", signed_in(403, **CRISP)),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            data=lambda w, u: {"name": "A company", "kind": "private", "is_public": "on"},
            writes=True,
        ),
    ],
    "capacity:supporter_detail": [Case("GET", EVERYONE, setup=_capacity, args=pk("supporter"))],
    "capacity:supporter_edit": [
        Case("GET", signed_in(403, **CRISP), setup=_capacity, args=pk("supporter")),
        Case(
            "POST",
            signed_in(403, admin=302, unhcr=302),
            setup=_capacity,
            args=pk("supporter"),
            data=edit_form(SupporterForm, "supporter", description="Funds sponsorship."),
            writes=True,
        ),
    ],
    # ---- API ----
    ("GET", "/api/v1/capacity/stages"): [Case("GET", EVERYONE, setup=_capacity)],
    ("GET", "/api/v1/capacity/assessments"): [
        Case("GET", EVERYONE, setup=_capacity, query="?country=DEU", lists=ASSESSMENTS),
    ],
    ("POST", "/api/v1/capacity/assessments"): [
        Case("POST", api_write(403, admin=201, unhcr=201), data=_new_assessment_api, writes=3),
    ],
    ("GET", "/api/v1/capacity/assessments/{pk}"): [
        Case("GET", roles(404, **SEES), setup=_capacity, args=api_pk("assessment")),
    ],
    ("PATCH", "/api/v1/capacity/assessments/{pk}"): [
        Case(
            "PATCH",
            api_write(404, state=403, **CRISP),
            setup=_profile,
            args=api_pk("assessment"),
            data=lambda w, u: {"summary": "Reviewed."},
            writes=True,
        ),
    ],
    ("GET", "/api/v1/capacity/assistance"): [
        Case("GET", EVERYONE, setup=_capacity, query="?status=requested", lists=ASSISTANCE),
    ],
    ("POST", "/api/v1/capacity/assistance"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201, state=201),
            data=lambda w, u: {"country": "DEU", "dimension": "data", "title": "Database"},
            writes=True,
        ),
    ],
    ("GET", "/api/v1/capacity/assistance/{pk}"): [
        Case("GET", roles(404, **SEES), setup=_capacity, args=api_pk("assistance")),
    ],
    ("PATCH", "/api/v1/capacity/assistance/{pk}"): [
        Case(
            "PATCH",
            api_write(404, **SEES),
            setup=_capacity,
            args=api_pk("assistance"),
            data=lambda w, u: {"title": "Twinning with Canada"},
            writes=True,
        ),
    ],
    ("GET", "/api/v1/capacity/training/modules"): [Case("GET", EVERYONE, setup=_capacity)],
    ("GET", "/api/v1/capacity/training/modules/{pk}"): [
        Case("GET", EVERYONE, setup=_capacity, args=api_pk("module")),
    ],
    ("GET", "/api/v1/capacity/training/deliveries"): [
        Case("GET", EVERYONE, setup=_capacity, lists=DELIVERIES)
    ],
    ("POST", "/api/v1/capacity/training/deliveries"): [
        Case(
            "POST",
            api_write(403, admin=201, unhcr=201),
            setup=_capacity,
            data=lambda w, u: {"module_id": w.module.pk, "date": "2024-06-01", "online": True},
            writes=True,
        ),
    ],
    ("GET", "/api/v1/capacity/training/deliveries/{pk}"): [
        Case("GET", roles(200, anonymous=404), setup=_capacity, args=api_pk("delivery")),
    ],
    ("GET", "/api/v1/capacity/training/gains"): [Case("GET", EVERYONE, setup=_capacity)],
    ("GET", "/api/v1/capacity/grow/supporters"): [
        Case("GET", EVERYONE, setup=_hidden_supporter, lists=SUPPORTERS)
    ],
}
