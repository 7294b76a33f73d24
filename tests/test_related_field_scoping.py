"""Related-object fields of the project's forms never offer what the user may not see.

Every form class of src/resettle/*/forms.py is found by introspection. Each of
its ModelChoiceField / ModelMultipleChoiceField whose model has
`objects.visible_to(user)` must, for the user of every role that may use the
form, offer a subset of what that user sees; an id the user may not see is
refused with an error on that field. A field whose choices are not scoped by
visibility on purpose is listed in `NOT_SCOPED` with the reason; a form built
differently from `Form(user=...)` says how in `BUILD`. A new form or field
that fits neither fails here (unknown keyword arguments, or an offered object
the user may not see), named.

The world is conftest.py's with, for each model such a field points at, an
object some roles may not see (see `_hidden_objects`);
`test_the_world_hides_something_of_every_scoped_model` keeps that true.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROLES
from django import forms
from django.db import models
from django.utils import timezone

import resettle
from resettle.accounts.models import User

W = Any

# ---- the forms ---------------------------------------------------------------------


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a resettle.<app>.forms module."""
    found: list[type[forms.BaseForm]] = []
    for app in pkgutil.iter_modules(resettle.__path__):
        try:
            module = importlib.import_module(f"resettle.{app.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls)
            and issubclass(cls, forms.BaseForm)
            and cls.__module__ == module.__name__
        ]
    return found


def _name(cls: type) -> str:
    """resettle.forums.forms.ForumForm -> forums.ForumForm"""
    return f"{cls.__module__.split('.')[1]}.{cls.__name__}"


def _scoped_fields(cls: type[forms.BaseForm]) -> list[str]:
    """The form's related-object fields whose model's manager has visible_to."""
    return [
        name
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.ModelChoiceField)
        and hasattr(field.queryset.model._default_manager, "visible_to")
    ]


FORMS = {_name(cls): cls for cls in _form_classes() if _scoped_fields(cls)}

# How a view builds a form, besides `user=` (the signed-in user).
BUILD: dict[str, Callable[[W], dict[str, Any]]] = {
    "records.ActionPointForm": lambda w: {"meeting": w.meeting},
    # allocation.views_runs.scenario: the run's lines and States (public countries).
    "allocation.ScenarioForm": lambda w: {"lines": [], "states": ["DEU", "CAN"]},
}

# Forms built without the user: their view scopes the field itself (see the reason).
WITHOUT_USER: dict[str, str] = {
    "governance.PlannerForm": (
        "governance.views_planning.rotation_planner replaces the field's queryset with "
        "Forum.objects.visible_to(user) consultations each time it builds the form "
        "(test_the_rotation_planner_refuses_a_hidden_consultation)"
    ),
}

# Roles that may use a form at all (the others get 403 before the form is built),
# where a form's choices depend on a right rather than on visibility alone.
USED_BY: dict[str, tuple[str, ...]] = {
    # pipeline:casefile_add is for those who open case files (see the matrix).
    "pipeline.OpenCaseFileForm": ("admin", "unhcr", "rsf"),
}

# (form, field): why its choices are not limited to what the user sees.
NOT_SCOPED: dict[tuple[str, str], str] = {
    (
        "pipeline.OpenCaseFileForm",
        "case",
    ): "facility staff open the file of a referred case that the facility does not follow "
    "yet (their visible_to is the followed cases): the choices are the referred cases "
    "without a file, offered only to those who open case files (USED_BY)",
}


def _is_public(model: type[models.Model]) -> bool:
    """Reference data that every visitor sees (countries, organisations, the training
    catalogue): visible_to(anonymous) filters nothing."""
    manager = model._default_manager
    return not manager.visible_to(None).query.where  # type: ignore[attr-defined]


# ---- the world -----------------------------------------------------------------------


def _hidden_objects(w: W) -> None:
    """For each model the forms point at, something some roles may not see."""
    from resettle.allocation.tests.fixtures import make_allocation_world
    from resettle.commitments.models import Supporter
    from resettle.forums.models import ConsultationCycle
    from resettle.meetings.models import Meeting
    from resettle.needs.tests.gap_fixtures import make_gap_world
    from resettle.pipeline.services import do_open_case_file
    from resettle.pipeline.tests.fixtures import SHARE
    from resettle.records.models import Decision

    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    meeting = {"kind": "other", "format": "online", "online_url": "https://example.org/m"}
    w.meeting = Meeting.objects.create(
        forum=w.public_forum,
        cycle=w.cycle,
        title="Open",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **meeting,
    )
    w.hidden_meeting = Meeting.objects.create(
        forum=w.members_forum,
        title="Closed",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **meeting,
    )
    w.hidden_cycle = ConsultationCycle.objects.create(
        forum=w.members_forum,
        start_year=w.today.year,
        end_year=w.today.year,
        state=w.deu,
        government_cochair=w.state_org,
        ngo_cochair=w.ngo_org,
        theme="Working methods",
    )
    Decision.objects.create(meeting=w.meeting, number=1, text="Open", decided_at=w.today)
    Decision.objects.create(meeting=w.hidden_meeting, number=1, text="Closed", decided_at=w.today)
    Supporter.objects.create(name="Open Doors", kind="foundation")
    Supporter.objects.create(
        name="Caritas donors", kind="foundation", organisation=w.ngo_org, is_public=False
    )
    w.gap = make_gap_world()  # dataset versions, one of them for signed-in users only
    make_allocation_world(w)  # cases: referred to Germany, to Canada, submitted
    do_open_case_file(w.referred_can, {"province": "Peshawar", **SHARE}, actor=None)


@pytest.fixture
def rich_world(world: W) -> W:
    _hidden_objects(world)
    return world


def _pks(qs: models.QuerySet[Any]) -> set[Any]:
    return set(qs.values_list("pk", flat=True))


def _visible(model: type[models.Model], user: User | None) -> set[Any]:
    return _pks(model._default_manager.visible_to(user))  # type: ignore[attr-defined]


# ---- the checks ------------------------------------------------------------------------


def test_every_scoped_form_is_built_or_explained() -> None:
    """The tables name real forms and fields; a form not built with user= is explained."""
    known = set(FORMS)
    stale = (set(BUILD) | set(WITHOUT_USER) | set(USED_BY)) - known
    stale |= {f"{form}.{field}" for form, field in NOT_SCOPED if form not in known}
    stale |= {
        f"{form}.{field}"
        for form, field in NOT_SCOPED
        if form in known and field not in _scoped_fields(FORMS[form])
    }
    assert not stale, f"stale entries: {sorted(stale)}"
    for name, cls in FORMS.items():
        takes_user = "user" in inspect.signature(cls.__init__).parameters or any(
            base.__name__ == "BootstrapFormMixin" for base in cls.__mro__
        )
        assert takes_user or name in WITHOUT_USER, (
            f"{name} is built without the user: scope its fields by visible_to(user), "
            "or explain in WITHOUT_USER how its view does"
        )


def test_the_world_hides_something_of_every_scoped_model(rich_world: W) -> None:
    """Each non-public model the fields point at has, in the world, an object that some
    role may not see: otherwise the checks below would prove nothing for it."""
    targets = {
        FORMS[name].base_fields[field].queryset.model  # type: ignore[attr-defined]
        for name in FORMS
        for field in _scoped_fields(FORMS[name])
    }
    unproven = [
        model.__name__
        for model in targets
        if not _is_public(model)
        and all(
            _visible(model, user) == _pks(model._default_manager.all())
            for user in rich_world.users.values()
        )
    ]
    assert not unproven, f"no object hidden from any role: {sorted(unproven)}"


@pytest.mark.parametrize("name", sorted(set(FORMS) - set(WITHOUT_USER)))
def test_related_fields_offer_only_visible_objects(name: str, rich_world: W) -> None:
    cls = FORMS[name]
    extra = BUILD.get(name, lambda w: {})(rich_world)
    fields = [f for f in _scoped_fields(cls) if (name, f) not in NOT_SCOPED]
    checked = 0
    for role in USED_BY.get(name, ROLES):
        user = rich_world.users[role]
        form = cls(user=user, **extra)  # type: ignore[call-arg]
        for field_name in fields:
            field = form.fields[field_name]
            assert isinstance(field, forms.ModelChoiceField)
            model = field.queryset.model
            visible = _visible(model, user)
            offered = _pks(field.queryset)
            leaked = offered - visible
            assert not leaked, (
                f"{name}.{field_name} offers {role} {model.__name__} {sorted(leaked)} "
                "that they may not see"
            )
            hidden = _pks(model._default_manager.all()) - visible
            if not hidden:
                continue
            # Posted anyway, a hidden id is refused with an error on the field.
            pk = min(hidden)
            value: Any = [pk] if isinstance(field, forms.ModelMultipleChoiceField) else pk
            if field.to_field_name:
                value = getattr(model._default_manager.get(pk=pk), field.to_field_name)
            bound = cls({field_name: value}, user=user, **extra)  # type: ignore[call-arg]
            assert not bound.is_valid()
            assert field_name in bound.errors, f"{name}.{field_name} took {role}'s hidden id"
            checked += 1
    scoped_models = [
        cls.base_fields[f].queryset.model  # type: ignore[attr-defined]
        for f in fields
    ]
    if any(not _is_public(m) for m in scoped_models):
        assert checked, f"{name}: no hidden object was posted for any role"


def test_the_rotation_planner_refuses_a_hidden_consultation(rich_world: W) -> None:
    """PlannerForm is scoped by its view: a members-only consultation is not a choice."""
    from django.test import Client
    from django.urls import reverse

    from resettle.forums.models import Forum, ForumAccess, ForumKind

    hidden = Forum.objects.create(
        name="Closed consultation", kind=ForumKind.CONSULTATION, access=ForumAccess.MEMBERS
    )
    client = Client()
    client.force_login(rich_world.users["refugee"])
    response = client.get(reverse("governance:rotation_planner"), {"forum": hidden.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert "forum" in form.errors
    assert hidden.pk not in _pks(form.fields["forum"].queryset)
