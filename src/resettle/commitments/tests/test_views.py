"""Commitment pages: the public list, its filters, counts and exports; detail, forms."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from resettle.commitments.models import Commitment, CommitmentUpdate

from .conftest import MakeCommitment, at


def _count(html: str) -> int:
    match = re.search(r'data-testid="count">(\d+) result', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def _setup(world: SimpleNamespace, make: MakeCommitment) -> dict[str, Commitment]:
    old = at(timezone.localdate() - datetime.timedelta(days=400))
    return {
        "grf": make(world.ngo_org, title="Train volunteers", source="grf", status="in_progress"),
        "pscg": make(world.state_org, title="Places for Syrians", source="pscg", created_at=old),
        "cycle": make(
            world.other_org,
            title="Sponsorship in Canada",
            forum=world.public_forum,
            cycle=world.cycle,
            status="fulfilled",
        ),
        "hidden": make(world.ngo_org, title="Internal review", is_public=False),
        "formula": make(world.ngo_org, title='=HYPERLINK("x")', description="+1 risky"),
    }


def test_public_list_filters(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = _setup(world, make_commitment)
    html = client.get("/commitments/").content.decode()
    assert _count(html) == 4 and "Internal review" not in html
    assert _count(client.get("/commitments/?source=grf").content.decode()) == 1
    assert _count(client.get("/commitments/?status=fulfilled").content.decode()) == 1
    assert (
        _count(client.get(f"/commitments/?organisation={world.state_org.pk}").content.decode()) == 1
    )
    assert _count(client.get("/commitments/?country=CAN").content.decode()) == 1
    assert _count(client.get("/commitments/?country=DEU").content.decode()) == 3
    assert _count(client.get(f"/commitments/?forum={world.public_forum.pk}").content.decode()) == 1
    assert _count(client.get(f"/commitments/?cycle={world.cycle.pk}").content.decode()) == 1
    overdue = client.get("/commitments/?overdue=on").content.decode()
    assert _count(overdue) == 1 and "Places for Syrians" in overdue
    assert _count(client.get("/commitments/?q=volunteer").content.decode()) == 1
    client.force_login(world.users["ngo"])
    html = client.get("/commitments/").content.decode()
    assert _count(html) == 5 and "Internal review" in html
    counts = re.search(r'data-testid="status-counts".*?</ul>', html, re.S)
    assert counts and '<span class="fw-semibold" data-status="planning">3</span>' in counts.group(0)
    assert c["grf"].get_absolute_url() in html


def test_situation_filter(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    from resettle.needs.models import PrioritySituation

    situation = PrioritySituation.objects.create(name="Test situation")
    make_commitment(title="For the situation", source="pscg", situation=situation)
    make_commitment(title="Another")
    html = client.get(f"/commitments/?situation={situation.pk}").content.decode()
    assert _count(html) == 1 and "For the situation" in html


def test_csv_export_escapes_formulas_and_follows_filters(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    _setup(world, make_commitment)
    response = client.get("/commitments/export/csv/")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    titles = {r["title"] for r in rows}
    assert '\'=HYPERLINK("x")' in titles and "Internal review" not in titles
    assert next(r for r in rows if r["title"].startswith("'="))["description"] == "'+1 risky"
    filtered = client.get("/commitments/export/csv/?source=grf")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig")))
    )
    assert [r["title"] for r in rows] == ["Train volunteers"]
    assert (
        rows[0]["organisations"] == "Caritas Germany" and rows[0]["organisation_countries"] == "DEU"
    )


def test_hxl_export_has_hashtags(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    _setup(world, make_commitment)
    response = client.get("/commitments/export/hxl/?status=fulfilled")
    assert "-hxl.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, tags, data = rows[0], rows[1], rows[2:]
    assert tags[header.index("title")] == "#activity+name"
    assert tags[header.index("organisations")] == "#org+name"
    assert tags[header.index("status")] == "#status"
    assert all(t.startswith("#") for t in tags)
    assert len(data) == 1 and data[0][header.index("cycle")] == str(world.cycle)


def test_json_and_xlsx_exports(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    _setup(world, make_commitment)
    body = json.loads(b"".join(client.get("/commitments/export/json/").streaming_content))
    assert body["table"] == "commitments" and len(body["rows"]) == 4
    response = client.get("/commitments/export/xlsx/?source=pscg")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.values)
    assert values[0][0] == "id" and len(values) == 2 and values[1][5] == "Places for Syrians"
    assert client.get("/commitments/export/pdf/").status_code == 404


def test_exports_hide_a_members_only_forum(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    make_commitment(title="Public, in a closed forum", forum=world.members_forum)
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/commitments/export/csv/").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0]["forum"] == ""
    client.force_login(world.users["ngo"])
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/commitments/export/csv/").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0]["forum"] == str(world.members_forum)


def test_detail_shows_history_and_the_update_form_to_those_allowed(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment(title="Welcome families")
    CommitmentUpdate.objects.create(
        commitment=c, date=timezone.localdate(), status="in_progress", progress="First steps."
    )
    html = client.get(c.get_absolute_url()).content.decode()
    assert "First steps." in html and 'data-testid="update-form"' not in html
    client.force_login(world.users["state"])
    assert 'data-testid="update-form"' not in client.get(c.get_absolute_url()).content.decode()
    client.force_login(world.users["ngo"])
    assert 'data-testid="update-form"' in client.get(c.get_absolute_url()).content.decode()


def test_add_progress_update_through_the_page(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment()
    client.force_login(world.users["ngo"])
    url = f"/commitments/{c.pk}/updates/add/"
    bad = client.post(url, {"status": "in_progress", "date": timezone.localdate().isoformat()})
    assert bad.status_code == 400 and 'data-field="progress"' in bad.content.decode()
    ok = client.post(
        url,
        {
            "status": "fulfilled",
            "progress": "All welcomed.",
            "progress_number": "100",
            "date": timezone.localdate().isoformat(),
        },
    )
    assert ok.status_code == 302 and ok["Location"].endswith(f"/commitments/{c.pk}/#updates")
    c.refresh_from_db()
    assert c.status == "fulfilled" and c.updates.get().progress_number == 100


def test_create_form_offers_only_the_users_organisation(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.users["ngo"])
    html = client.get("/commitments/add/").content.decode()
    options = re.search(r'<select name="organisations".*?</select>', html, re.S)
    assert options and "Caritas Germany" in options.group(0) and "BAMF" not in options.group(0)
    forged = client.post(
        "/commitments/add/",
        {
            "source": "grf",
            "title": "Forged",
            "organisations": [world.state_org.pk],
            "is_public": "on",
        },
    )
    assert forged.status_code == 400 and not Commitment.objects.exists()
    made = client.post(
        "/commitments/add/",
        {
            "source": "grf",
            "title": "Mentoring",
            "organisations": [world.ngo_org.pk],
            "status": "planning",
            "is_public": "on",
            "grf_pledge_id": "GRF-9",
        },
    )
    assert made.status_code == 302
    assert Commitment.objects.get().grf_pledge_id == "GRF-9"


def test_my_commitments_lists_overdue_first(
    client: Client, world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    old = at(timezone.localdate() - datetime.timedelta(days=400))
    make_commitment(title="Recent one")
    make_commitment(title="Old one", created_at=old)
    make_commitment(world.state_org, title="Not ours")
    assert client.get("/commitments/mine/").status_code == 302
    client.force_login(world.users["ngo"])
    html = client.get("/commitments/mine/").content.decode()
    assert "Not ours" not in html
    assert html.index("Old one") < html.index("Other commitments") < html.index("Recent one")
    client.force_login(world.users["admin"])
    assert "belongs to no organisation" in client.get("/commitments/mine/").content.decode()


def test_pages_render_right_to_left_in_arabic(
    world: SimpleNamespace, make_commitment: MakeCommitment
) -> None:
    c = make_commitment()
    client = Client(headers={"accept-language": "ar"})
    client.force_login(world.users["ngo"])
    for url in ("/commitments/?overdue=on", c.get_absolute_url(), "/commitments/mine/"):
        response = client.get(url)
        assert response.status_code == 200 and 'dir="rtl"' in response.content.decode(), url
