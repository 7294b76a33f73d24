"""Facility staff (role rsf) read the cases the Resettlement Support Facility follows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from resettle.allocation.tests.fixtures import make_allocation_world
from resettle.cases import services
from resettle.cases.models import ResettlementCase
from resettle.pipeline.services import do_open_case_file
from resettle.pipeline.tests.fixtures import SHARE

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(world: SimpleNamespace) -> SimpleNamespace:
    """The allocation world, with the facility following the case referred to Canada."""
    make_allocation_world(world)
    world.case_file = do_open_case_file(
        world.referred_can, {"province": "Peshawar", **SHARE}, actor=None
    )
    return world


def test_rsf_sees_only_the_cases_with_a_case_file(followed: SimpleNamespace) -> None:
    rsf = followed.users["rsf"]
    refs = set(ResettlementCase.objects.visible_to(rsf).values_list("reference", flat=True))
    assert refs == {"T-REF-CAN"}
    assert services.get_case_for_user(followed.referred_can.pk, rsf) == followed.referred_can
    # Every other role sees what it saw before.
    state = ResettlementCase.objects.visible_to(followed.users["state"])
    assert set(state.values_list("reference", flat=True)) == {"T-REF-DEU"}
    for role in ("ngo", "refugee", "other"):
        assert not ResettlementCase.objects.visible_to(followed.users[role]).exists()


def test_rsf_reads_the_case_page_but_does_not_manage_cases(followed: SimpleNamespace) -> None:
    client = Client()
    client.force_login(followed.users["rsf"])
    page = client.get(reverse("cases:case_detail", args=[followed.referred_can.pk]))
    assert page.status_code == 200
    main = page.content.decode().split("<main", 1)[1]  # the page, not the navigation
    assert "T-REF-CAN" in main
    assert reverse("cases:case_import") not in main and "Allocation runs" not in main
    for other in (followed.referred_deu, followed.case_syr):
        assert client.get(reverse("cases:case_detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("cases:case_list")).content.decode()
    assert "T-REF-CAN" in listing and "T-REF-DEU" not in listing and "T-SYR-1" not in listing
    items = client.get("/api/v1/cases").json()["items"]
    assert [c["reference"] for c in items] == ["T-REF-CAN"]
    assert client.get(f"/api/v1/cases/{followed.referred_deu.pk}").status_code == 404
    # Read only: importing (and allocating) stays with UNHCR and administrators.
    assert not services.can_manage_cases(followed.users["rsf"])
    assert client.get(reverse("cases:case_import")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.do_import_cases(b"", actor=followed.users["rsf"])
    # The case file links to it.
    detail = client.get(reverse("pipeline:casefile_detail", args=[followed.case_file.pk]))
    assert followed.referred_can.get_absolute_url() in detail.content.decode()
