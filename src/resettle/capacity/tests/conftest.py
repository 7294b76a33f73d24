"""Fixtures of the capacity tests: IOM (staff by their organisation's acronym), and
helpers building assessments with the ORM."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import make_user

from resettle.accounts.models import User
from resettle.accounts.roles import Role
from resettle.capacity import stages
from resettle.directory.models import Organisation, OrganisationKind


@pytest.fixture
def iom_user(world: SimpleNamespace) -> User:
    """An IOM staff member (an NGO-role user of the organisation with acronym IOM)."""
    iom = Organisation.objects.create(
        name="International Organization for Migration", acronym="IOM", kind=OrganisationKind.UN
    )
    return make_user("iom", Role.NGO, iom)


def score_data(*values: int | None) -> dict[str, dict[str, Any]]:
    """The service's scores for values in the order of stages.DIMENSIONS."""
    return {
        dim: {"score": v, "evidence": f"evidence {dim}", "note": ""}
        for dim, v in zip(stages.DIMENSIONS, values, strict=True)
    }


def assessment_data(w: SimpleNamespace, *values: int | None, **extra: Any) -> dict[str, Any]:
    """An assessment of Germany by UNHCR, completed unless said otherwise."""
    return {
        "country": w.deu,
        "assessed_on": datetime.date(2024, 5, 1),
        "assessor": w.unhcr_org,
        "status": "completed",
        "scores": score_data(*values),
        **extra,
    }
