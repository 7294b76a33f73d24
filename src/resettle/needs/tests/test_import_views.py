"""The import pages: upload, map and preview, inline and background imports, progress."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from resettle.accounts.models import User
from resettle.core.models import AuditEntry
from resettle.needs.models import DatasetVersion, FlowFigure, VersionStatus
from resettle.needs.tests.test_loader import FLOWS, counts, run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

RDF = (
    "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,returned_refugees,resettlement,"
    "naturalisation,returned_idps\n"
    "1959,Austria,AUS,AUT,Canada,CAN,CAN,,17,,\n"
    "1960,Austria,AUS,AUT,Australia,AUL,AUS,,9,,\n"
)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client_for(users: dict[str, User | None]) -> Any:
    def make(role: str) -> Client:
        client = Client()
        user = users[role]
        if user is not None:
            client.force_login(user)
        return client

    return make


def upload(client: Client, text: str, kind: str = "departures", **extra: str) -> Any:
    data = {
        "kind": kind,
        "file": SimpleUploadedFile("figures.csv", text.encode()),
        "is_public": "on",
        **extra,
    }
    return client.post(reverse("needs:import"), data)


def map_url(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    url: str = response["Location"]
    assert re.fullmatch(r"/needs/import/[0-9a-f]{32}/", url), url
    return url


def mapping_post(page: Any, **changes: str) -> dict[str, str]:
    """The mapping form as the page pre-filled it, with changes."""
    form = page.context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    data.update(changes)
    return data


def test_upload_map_preview_import(client_for: Any) -> None:
    client = client_for("unhcr")
    assert client.get(reverse("needs:import")).status_code == 200
    url = map_url(upload(client, FLOWS, series="web-flows"))

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="preview"' in html and "data-error" not in html
    form = page.context["form"]
    assert form["map_origin"].value() == "1" and form["map_departed"].value() == "7"
    assert form["series"].value() == "web-flows"

    done = client.post(url, mapping_post(page, action="import"))

    version = DatasetVersion.objects.get(series="web-flows")
    assert done.status_code == 302
    assert (version.number, version.row_count, version.status) == (1, 3, VersionStatus.DONE)
    assert AuditEntry.objects.for_object(version).count() == 1
    follow = client.get(done["Location"])
    assert "Imported 3 rows as web-flows version 1." in follow.content.decode()
    # The staged upload is gone once imported.
    assert client.get(url).status_code == 404


def test_the_preview_marks_bad_cells_and_the_import_is_refused_with_a_report(
    client_for: Any,
) -> None:
    client = client_for("admin")
    bad = FLOWS.replace("2024,AFG,PAK,CAN,,,300,250", "2024,AFG,PAK,XYZ,,,-300,250")
    url = map_url(upload(client, bad))
    before = counts()

    page = client.get(url)
    html = page.content.decode()
    assert html.count('class="table-danger" data-error="1"') == 2
    assert "Unknown country code: XYZ." in html and "Negative number: -300." in html

    refused = client.post(url, mapping_post(page, action="import"))

    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-testid="import-report"' in html
    assert "The file was refused: nothing was written." in html
    assert re.search(r"<td>2</td>\s*<td>3</td>\s*<td>resettlement_state</td>", html)
    assert counts() == before


def test_a_column_can_be_mapped_by_hand(client_for: Any) -> None:
    client = client_for("unhcr")
    text = "year,origin,resettlement_state,people_who_left\n2024,SYR,DEU,15\n"
    url = map_url(upload(client, text, series="hand"))
    page = client.get(url)
    assert page.context["form"]["map_departed"].value() == ""
    assert "departed" in page.content.decode()  # "No figures" until mapped

    previewed = client.post(url, mapping_post(page, action="preview", map_departed="3"))
    assert previewed.status_code == 200
    assert "data-error" not in previewed.content.decode()
    done = client.post(url, mapping_post(page, action="import", map_departed="3"))

    assert done.status_code == 302
    assert FlowFigure.objects.get(version__series="hand").departed == 15


def test_the_refugee_data_finder_layout_is_recognised(client_for: Any) -> None:
    client = client_for("unhcr")
    url = map_url(upload(client, RDF))

    page = client.get(url)

    assert 'data-testid="layout"' in page.content.decode()
    assert page.context["form"]["series"].value() == "rdf-arrivals"
    client.post(url, mapping_post(page, action="import"))
    states = FlowFigure.objects.filter(version__series="rdf-arrivals").values_list(
        "origin__code", "resettlement_state__iso3"
    )
    assert sorted(states) == [("AUT", "AUS"), ("AUT", "CAN")]


def test_the_same_file_again_changes_nothing(client_for: Any) -> None:
    client = client_for("unhcr")
    for expected in ("Imported 3 rows", "Nothing changed"):
        url = map_url(upload(client, FLOWS, series="twice"))
        page = client.get(url)
        done = client.post(url, mapping_post(page, action="import"), follow=True)
        assert expected in done.content.decode()
    assert DatasetVersion.objects.filter(series="twice").count() == 1


def test_an_unreadable_file_is_refused_at_upload(client_for: Any) -> None:
    client = client_for("unhcr")
    response = client.post(
        reverse("needs:import"),
        {"kind": "needs", "file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken")},
    )

    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()


def test_large_files_import_in_the_background_with_progress(client_for: Any, settings: Any) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 1
    client = client_for("unhcr")
    url = map_url(upload(client, FLOWS, series="bg"))
    page = client.get(url)
    assert "in the background" in page.content.decode()

    started = client.post(url, mapping_post(page, action="import"))

    assert started.status_code == 302
    job_url = started["Location"]
    assert job_url.startswith("/needs/import/jobs/")
    waiting = client.get(job_url)
    html = waiting.content.decode()
    assert 'data-state="waiting"' in html
    assert f'hx-get="{job_url}"' in html and 'hx-trigger="every 1s"' in html
    pending = DatasetVersion.objects.get(series="bg")
    assert pending.status == VersionStatus.PENDING

    # Halfway: the worker has checked some rows.
    DatasetVersion.objects.filter(pk=pending.pk).update(
        status=VersionStatus.RUNNING, rows_done=1, row_count=3
    )
    partial = client.get(job_url, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.startswith('<div id="import-progress"')
    assert "<html" not in html
    assert 'aria-valuenow="33"' in html and "Checking rows: 1 of 3" in html
    DatasetVersion.objects.filter(pk=pending.pk).update(status=VersionStatus.PENDING)

    run_tasks()

    done = client.get(job_url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-state="imported"' in done and "hx-get" not in done
    assert "Imported 3 rows as bg version 1." in done
    pending.refresh_from_db()
    assert pending.status == VersionStatus.DONE


def test_a_refused_background_import_shows_the_report(client_for: Any, settings: Any) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 1
    client = client_for("admin")
    url = map_url(upload(client, FLOWS + "2024,SYR,TUR,DEU,,,1,-1\n", series="bg"))
    page = client.get(url)
    job_url = client.post(url, mapping_post(page, action="import"))["Location"]

    run_tasks()

    html = client.get(job_url).content.decode()
    assert 'data-testid="import-report"' in html
    assert "Negative number: -1." in html
    assert not DatasetVersion.objects.filter(series="bg").exists()


def test_only_importers_get_the_pages_and_only_their_own(client_for: Any, settings: Any) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 1
    unhcr = client_for("unhcr")
    url = map_url(upload(unhcr, FLOWS))
    page = unhcr.get(url)
    job_url = unhcr.post(url, mapping_post(page, action="import"))["Location"]

    for role in ("state", "ngo", "refugee", "rsf", "other"):
        client = client_for(role)
        assert client.get(reverse("needs:import")).status_code == 403, role
        assert upload(client, FLOWS).status_code == 403, role
        assert client.get(job_url).status_code == 403, role
    anonymous = client_for("anonymous")
    assert anonymous.get(url)["Location"].startswith(reverse("login"))
    admin = client_for("admin")
    # The staged upload lives in its uploader's session; the job is visible to admins.
    assert admin.get(url).status_code == 404
    assert admin.get(job_url).status_code == 200
