"""Cases: visibility, pages, API, import (web and CLI), referral."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from resettle.allocation.tests.fixtures import make_allocation_world
from resettle.cases import services
from resettle.cases.models import ResettlementCase
from resettle.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = (
    "id,persons,nationality,asylum,priority,submitted,situation,category,secondary_category,"
    "flags,languages,link\n"
    "NEW-1,3,SYR,TUR,urgent,2026-01-15,Test situation,LPN,MED,serious_medical,ar;ku,G1\n"
    "NEW-2,1,ROHINGYA,BGD,normal,2025-11-02,,WGR,,woman_at_risk,rhg,G1\n"
)


def _refs(user: object) -> set[str]:
    return set(ResettlementCase.objects.visible_to(user).values_list("reference", flat=True))  # type: ignore[arg-type]


def test_who_sees_which_cases(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    every = set(ResettlementCase.objects.values_list("reference", flat=True))
    assert _refs(world.users["unhcr"]) == _refs(world.users["admin"]) == every
    assert _refs(world.users["state"]) == {"T-REF-DEU"}  # Germany's official
    for role in ("anonymous", "ngo", "refugee", "rsf", "other"):
        assert _refs(world.users[role]) == set()


def test_a_state_official_gets_404_on_another_states_case(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    client = Client()
    client.force_login(world.users["state"])
    mine = client.get(reverse("cases:case_detail", args=[world.referred_deu.pk]))
    assert mine.status_code == 200 and b"T-REF-DEU" in mine.content
    assert client.get(reverse("cases:case_detail", args=[world.referred_can.pk])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[world.case_syr.pk])).status_code == 404
    listing = client.get(reverse("cases:case_list")).content.decode()
    assert "T-REF-DEU" in listing and "T-REF-CAN" not in listing and "T-SYR-1" not in listing
    api = client.get(f"/api/v1/cases/{world.referred_can.pk}")
    assert api.status_code == 404
    items = client.get("/api/v1/cases").json()["items"]
    assert [c["reference"] for c in items] == ["T-REF-DEU"]


def test_the_case_list_filters(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    client = Client()
    client.force_login(world.users["unhcr"])
    html = client.get(reverse("cases:case_list") + "?priority=emergency").content.decode()
    assert "T-SYR-1" in html and "T-AFG-1" not in html
    html = client.get(reverse("cases:case_list") + "?asylum__iso3=pak").content.decode()
    assert "T-AFG-1" in html and "T-SYR-1" not in html
    data = client.get("/api/v1/cases?status=referred&referred_state=CAN").json()
    assert [c["reference"] for c in data["items"]] == ["T-REF-CAN"]
    detail = client.get(f"/api/v1/cases/{world.case_syr.pk}").json()
    assert detail["flags"] == ["serious_medical"] and detail["situation"] == "Test situation"


def test_import_creates_every_case_with_its_audit_entry(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    before = AuditEntry.objects.count()
    outcome = services.do_import_cases(GOOD.encode(), actor=world.users["unhcr"])
    assert (outcome.created, outcome.errors) == (2, [])
    assert AuditEntry.objects.count() == before + 2
    case = ResettlementCase.objects.get(reference="NEW-1")
    assert (case.persons, case.nationality, case.asylum.iso3, case.priority) == (
        3,
        "SYR",
        "TUR",
        "urgent",
    )
    assert case.situation == world.situation_obj and case.secondary_category == "MED"
    assert case.serious_medical and not case.woman_at_risk and case.link_group == "G1"
    assert sorted(case.languages) == ["ar", "ku"]


def test_a_file_with_a_problem_is_refused_whole(world: SimpleNamespace) -> None:
    make_allocation_world(world)
    bad = GOOD + "T-SYR-1,2,SYR,XXX,normal,2025-01-01,Nowhere,LPN,,,ar,\n"
    before = ResettlementCase.objects.count()
    outcome = services.do_import_cases(bad.encode(), actor=None)
    assert outcome.refused and ResettlementCase.objects.count() == before
    columns = {(p.row, p.column) for p in outcome.errors}
    assert {(3, "id"), (3, "asylum"), (3, "situation")} <= columns


def test_import_page(world: SimpleNamespace) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_allocation_world(world)
    client = Client()
    client.force_login(world.users["unhcr"])
    bad = client.post(
        reverse("cases:case_import"),
        {
            "file": SimpleUploadedFile(
                "c.csv", (GOOD + "NEW-1,2,SYR,TUR,normal,2025-01-01,,LPN,,,,\n").encode()
            )
        },
    )
    assert bad.status_code == 422 and b'data-testid="import-problems"' in bad.content
    assert not ResettlementCase.objects.filter(reference="NEW-2").exists()
    good = client.post(
        reverse("cases:case_import"), {"file": SimpleUploadedFile("c.csv", GOOD.encode())}
    )
    assert good.status_code == 302
    assert ResettlementCase.objects.filter(reference__startswith="NEW-").count() == 2


def test_import_command(world: SimpleNamespace, tmp_path: object) -> None:
    from pathlib import Path

    make_allocation_world(world)
    path = Path(str(tmp_path)) / "cases.csv"
    path.write_text(GOOD + "NEW-3,99,SYR,TUR,normal,2025-01-01,,LPN,,,,\n")
    with pytest.raises(CommandError):
        call_command("import-cases", str(path))
    assert not ResettlementCase.objects.filter(reference__startswith="NEW-").exists()
    path.write_text(GOOD)
    call_command("import-cases", str(path))
    assert ResettlementCase.objects.filter(reference__startswith="NEW-").count() == 2


def test_withdrawing(world: SimpleNamespace) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    make_allocation_world(world)
    with pytest.raises(PermissionDenied):
        services.do_withdraw_case(world.case_som, actor=world.users["state"])
    services.do_withdraw_case(world.case_som, actor=world.users["unhcr"])
    world.case_som.refresh_from_db()
    assert world.case_som.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.do_withdraw_case(world.referred_deu, actor=world.users["unhcr"])
